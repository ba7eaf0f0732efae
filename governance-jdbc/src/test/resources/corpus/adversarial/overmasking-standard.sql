-- What is not sensitive must come back exactly as through the raw driver.
-- case: star-over-values-alias-list
-- expect: clear
-- why: star over a VALUES table with an alias list
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)
-- case: derived-star-without-sensitive
-- expect: clear
-- why: a whole derived table without a sensitive column
SELECT v.* FROM (SELECT id, name FROM customers) v ORDER BY v.id
-- case: alias-list-of-clear-columns
-- expect: clear
-- why: a derived table's alias list over clear columns
SELECT x.a, x.b FROM (SELECT id, name FROM customers) AS x(a, b) ORDER BY x.a
-- case: star-over-alias-list-clear
-- expect: clear
-- why: star over an alias list of clear columns
SELECT * FROM (SELECT id, city FROM customers) AS x(a, b) ORDER BY a
-- case: cte-alias-list-clear
-- expect: clear
-- why: a CTE column list over clear columns
WITH c(a, b) AS (SELECT id, name FROM customers) SELECT * FROM c ORDER BY a
-- case: count-where-masked-not-null
-- expect: clear
-- as: analyst, service
-- why: a count is not masked, even with a predicate on a masked column (for those allowed to filter)
SELECT COUNT(*) FROM customers WHERE ssn IS NOT NULL
-- case: count-distinct-masked
-- expect: clear
-- as: analyst, service
-- why: count is never masked (an agent may not count distinct values of a masked column: inference)
SELECT COUNT(DISTINCT ssn) FROM customers
-- case: substring-from-for-clear
-- expect: clear
-- why: the SQL-standard SUBSTRING form over a clear column
SELECT SUBSTRING(name FROM 1 FOR 3) FROM customers ORDER BY id
-- case: trim-both-from-clear
-- expect: clear
-- why: TRIM(BOTH … FROM clear)
SELECT TRIM(BOTH ' ' FROM city) FROM customers ORDER BY id
-- case: position-in-clear
-- expect: clear
-- why: POSITION(a IN clear)
SELECT POSITION('a' IN name) FROM customers ORDER BY id
-- case: extract-year
-- expect: clear
-- why: EXTRACT over a clear date
SELECT EXTRACT(YEAR FROM signed_up) FROM customers ORDER BY id
-- case: scalar-subquery-clear
-- expect: clear
-- why: a scalar subquery over a clear column
SELECT (SELECT MAX(name) FROM customers)
-- case: case-on-clear
-- expect: clear
-- why: CASE over clear columns of orders
SELECT CASE WHEN total > 50 THEN status END FROM orders ORDER BY id
-- case: where-masked-not-null-clear-columns
-- expect: clear
-- as: analyst, service
-- why: clear columns of rows chosen by a predicate on a masked column (for those allowed to filter)
SELECT id, name FROM customers WHERE email IS NOT NULL ORDER BY id
-- case: values-statement-clear
-- expect: clear
-- why: a top-level VALUES statement of literals
VALUES (1, 'x'), (2, 'y')
-- case: values-cross-join-clear
-- expect: clear
-- why: a VALUES table cross-joined with clear columns
SELECT * FROM (VALUES (1)) t(x) CROSS JOIN (SELECT name FROM customers) c ORDER BY name
-- case: union-of-clear
-- expect: clear
-- why: a union of clear columns of two tables
SELECT id, status FROM orders UNION ALL SELECT id, name FROM customers ORDER BY 1, 2
-- case: concat-of-clear
-- expect: clear
-- why: a concatenation of clear columns
SELECT UPPER(name) || '-' || city FROM customers ORDER BY id
-- case: accounts-clear-columns
-- expect: clear
-- why: the clear columns of a table that has a sensitive one
SELECT a.opened_on, a.customer_id FROM accounts a ORDER BY a.id
-- case: first-value-clear
-- expect: clear
-- why: a window function over a clear column
SELECT FIRST_VALUE(name) OVER (ORDER BY id) FROM customers ORDER BY id
-- case: percentile-of-clear
-- expect: clear
-- why: an ordered-set aggregate over a clear column
SELECT PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY total) FROM orders
-- case: lpad-clear
-- expect: clear
-- why: LPAD over a clear column
SELECT LPAD(city, 8, '*') FROM customers ORDER BY id
-- case: greatest-clear
-- expect: clear
-- why: GREATEST over clear columns
SELECT GREATEST(id, customer_id) FROM orders ORDER BY id
-- case: nested-derived-clear
-- expect: clear
-- why: nested derived tables over clear columns
SELECT z.q FROM (SELECT y.p AS q FROM (SELECT name AS p FROM customers) y) z ORDER BY z.q
-- case: array-of-clear
-- expect: clear
-- why: ARRAY[…] of clear columns
SELECT ARRAY[name, city] FROM customers ORDER BY id
-- case: for-update-by-the-service
-- expect: clear
-- as: service
-- why: an ORM's pessimistic lock, by an identity that may update the table, runs and reads as it is
SELECT id, status FROM orders WHERE id = 1 FOR UPDATE
