-- case: a constant
SELECT 1
-- case: a projection in order
SELECT id, name FROM customers ORDER BY id
-- case: a filter on a number
SELECT id, total FROM orders WHERE total > 100 ORDER BY id
-- case: an inner join
SELECT c.name, o.id, o.total FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id
-- case: a left join finding customers without orders
SELECT c.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL ORDER BY c.id
-- case: group by with count
SELECT country, COUNT(*) AS n FROM customers GROUP BY country ORDER BY country
-- case: group by with having
SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id HAVING SUM(total) > 100 ORDER BY customer_id
-- case: min max avg
SELECT MIN(total), MAX(total), COUNT(*) FROM orders
-- case: count distinct
SELECT COUNT(DISTINCT customer_id) FROM orders
-- case: row_number window
SELECT id, customer_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY total DESC, id) AS rn FROM orders ORDER BY id
-- case: running sum window
SELECT id, SUM(total) OVER (ORDER BY id) AS running FROM orders ORDER BY id
-- case: rank window
SELECT id, RANK() OVER (ORDER BY total DESC) AS r FROM orders ORDER BY id
-- case: a CTE
WITH big AS (SELECT * FROM orders WHERE total > 50) SELECT COUNT(*) FROM big
-- case: a CTE joined to a table
WITH spend AS (SELECT customer_id, SUM(total) AS s FROM orders GROUP BY customer_id) SELECT c.name, spend.s FROM customers c JOIN spend ON spend.customer_id = c.id ORDER BY c.id
-- case: a recursive CTE
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10) SELECT SUM(x) FROM n
-- case: an IN subquery
SELECT id FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'DE') ORDER BY id
-- case: an EXISTS subquery
SELECT id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.total > 200) ORDER BY id
-- case: a scalar subquery in the select list
SELECT c.id, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS n FROM customers c ORDER BY c.id
-- case: a derived table
SELECT t.customer_id, t.n FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) t WHERE t.n > 1 ORDER BY t.customer_id
-- case: union
SELECT id FROM customers WHERE country = 'DE' UNION SELECT customer_id FROM orders WHERE total > 300 ORDER BY 1
-- case: union all
SELECT country FROM customers UNION ALL SELECT status FROM orders ORDER BY 1
-- case: intersect
SELECT id FROM customers INTERSECT SELECT customer_id FROM orders ORDER BY 1
-- case: except
SELECT id FROM customers EXCEPT SELECT customer_id FROM orders ORDER BY 1
-- case: a CASE expression
SELECT id, CASE WHEN total > 100 THEN 'big' ELSE 'small' END AS size FROM orders ORDER BY id
-- case: coalesce
SELECT id, COALESCE(email, 'none') FROM customers ORDER BY id
-- case: concat and upper
SELECT CONCAT(UPPER(name), '/', country) FROM customers ORDER BY id
-- case: like
SELECT id FROM customers WHERE name LIKE 'A%' ORDER BY id
-- case: between
SELECT id FROM orders WHERE total BETWEEN 50 AND 150 ORDER BY id
-- case: an IN list
SELECT id FROM orders WHERE status IN ('new', 'shipped') ORDER BY id
-- case: distinct
SELECT DISTINCT status FROM orders ORDER BY status
-- case: limit
SELECT id FROM orders ORDER BY total DESC, id LIMIT 3
-- case: limit and offset
SELECT id FROM orders ORDER BY id LIMIT 3 OFFSET 2
-- case: a view
SELECT customer_id, total FROM order_totals ORDER BY customer_id
-- case: a table in another schema
SELECT name, setting_value FROM app.config_entries ORDER BY name
-- case: a cast
SELECT id, CAST(total AS INTEGER) FROM orders ORDER BY id
-- case: a date comparison
SELECT id FROM orders WHERE placed >= DATE '2024-03-01' ORDER BY id
-- case: is null
SELECT id FROM customers WHERE email IS NULL ORDER BY id
-- case: arithmetic
SELECT id, total * 2 + 1 FROM orders ORDER BY id
-- case: insert one row
INSERT INTO customers (id, name, email, country, created) VALUES (100, 'Grace Hopper', 'grace@example.com', 'US', DATE '2024-05-01')
-- case: insert several rows
INSERT INTO customers (id, name, country) VALUES (101, 'Edsger Dijkstra', 'NL'), (102, 'Barbara Liskov', 'US')
-- case: insert from a select
INSERT INTO orders_archive (id, customer_id, total) SELECT id, customer_id, total FROM orders WHERE status = 'shipped'
-- case: a bounded update
UPDATE orders SET status = 'shipped' WHERE id = 3
-- case: an update bounded by a subquery
UPDATE orders SET status = 'priority' WHERE customer_id IN (SELECT id FROM customers WHERE country = 'DE')
-- case: an update with a range
UPDATE orders SET total = total + 1 WHERE total < 20
-- case: a bounded delete
DELETE FROM orders WHERE id = 20
-- case: a delete bounded by a subquery
DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'FR')
-- case: a delete with a real predicate and a constant
DELETE FROM orders WHERE id = 19 AND 1 = 1
-- case: create a table
CREATE TABLE scratch (id INT PRIMARY KEY, note VARCHAR(20))
-- case: create an index
CREATE INDEX customers_country_idx ON customers (country)
-- case: a comment before a select
/* dashboard */ SELECT COUNT(*) FROM orders
-- case: a delete whose subquery's bare names the catalog finds in its table
DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'CN')
-- case: an update correlated through EXISTS with a bare name of the subquery's table
UPDATE orders SET status = 'gb' WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = orders.customer_id AND country = 'GB')
