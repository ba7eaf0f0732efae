-- Queries whose results the policy does not mask for an analyst: they come back exactly as through
-- the raw driver.
-- case: ids
SELECT id FROM customers ORDER BY id
-- case: names
SELECT id, name FROM customers ORDER BY id
-- case: city and date
SELECT name, city, signed_up FROM customers ORDER BY id
-- case: count star
SELECT COUNT(*) FROM customers
-- case: count of a sensitive column
SELECT COUNT(ssn) FROM customers
-- case: count distinct emails
SELECT COUNT(DISTINCT email) AS n FROM customers
-- case: orders
SELECT id, customer_id, total, status FROM orders ORDER BY id
-- case: sum of totals
SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id ORDER BY customer_id
-- case: average
SELECT AVG(total) FROM orders
-- case: payment amounts
SELECT id, order_id, amount FROM payments ORDER BY id
-- case: join of clear columns
SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id
-- case: derived table of clear columns
SELECT d.n FROM (SELECT name AS n FROM customers) d ORDER BY d.n
-- case: cte of clear columns
WITH t AS (SELECT customer_id, total FROM orders) SELECT customer_id, total FROM t ORDER BY customer_id, total
-- case: union of clear columns
SELECT name FROM customers UNION SELECT status FROM orders ORDER BY 1
-- case: expressions of clear columns
SELECT id * 2 AS twice, UPPER(name) AS shout FROM customers ORDER BY id
-- case: case on clear columns
SELECT CASE WHEN total > 100 THEN 'big' ELSE 'small' END AS size FROM orders ORDER BY id
-- case: orders star
SELECT * FROM orders ORDER BY id
-- case: orders table star
SELECT o.* FROM orders o ORDER BY o.id
-- case: constants
SELECT 1 AS one, 'x' AS letter
-- case: scalar count subquery
SELECT (SELECT COUNT(*) FROM payments) AS n
-- case: exists
SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY name
-- case: group by status
SELECT status, COUNT(*) FROM orders GROUP BY status ORDER BY status
-- case: account ids
SELECT id, customer_id, opened_on FROM accounts ORDER BY id
-- case: dates
SELECT MIN(signed_up), MAX(signed_up) FROM customers
