-- MariaDB values that are not sensitive come back exactly as through the raw driver.
-- case: version
-- expect: clear
-- why: VERSION()
SELECT VERSION()
-- case: database-name
-- expect: clear
-- why: DATABASE()
SELECT DATABASE()
-- case: concat-clear
-- expect: clear
-- why: CONCAT of clear columns
SELECT CONCAT(name, '-', city) FROM customers ORDER BY id
-- case: group-concat-clear
-- expect: clear
-- why: GROUP_CONCAT of a clear column
SELECT GROUP_CONCAT(name ORDER BY id) FROM customers
-- case: json-object-clear
-- expect: clear
-- why: JSON_OBJECT of a clear column
SELECT JSON_OBJECT('n', name) FROM customers ORDER BY id
-- case: derived-star-clear
-- expect: clear
-- why: a whole derived table without a sensitive column
SELECT * FROM (SELECT id, name FROM customers) d ORDER BY id
-- case: count-where-masked
-- expect: clear
-- as: analyst, service
-- why: a count with a predicate on a masked column (for those allowed to filter)
SELECT COUNT(*) FROM customers WHERE ssn IS NOT NULL
-- case: ifnull-clear
-- expect: clear
-- why: IFNULL of a clear column
SELECT IFNULL(city, '') FROM customers ORDER BY id
-- case: json-arrayagg-clear
-- expect: clear
-- why: JSON_ARRAYAGG of a clear column
SELECT JSON_ARRAYAGG(city) FROM customers
-- case: cte-clear
-- expect: clear
-- why: a CTE of clear columns
WITH c AS (SELECT id, name FROM customers) SELECT * FROM c ORDER BY id
-- case: sql-mode
-- expect: clear
-- why: a session variable
SELECT @@sql_mode
-- case: left-clear
-- expect: clear
-- why: LEFT of a clear column
SELECT LEFT(name, 3) FROM customers ORDER BY id
-- case: values-literals
-- expect: clear
-- why: a VALUES derived table of literals
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v
-- case: json-table-literal
-- expect: clear
-- why: JSON_TABLE over a literal
SELECT * FROM JSON_TABLE('[1, 2]', '$[*]' COLUMNS (x INT PATH '$')) AS t
-- case: count-distinct-masked
-- expect: clear
-- as: analyst, service
-- why: count is never masked (an agent may not count distinct values of a masked column: inference)
SELECT COUNT(DISTINCT ssn) FROM customers
-- case: cte-column-list-clear
-- expect: clear
-- why: a CTE column list over clear columns
WITH c(a, b) AS (SELECT id, name FROM customers) SELECT * FROM c ORDER BY a
-- case: view-clear-columns
-- expect: clear
-- why: the columns of a view that come from clear columns stay clear
SELECT id, name FROM contact_aliases ORDER BY id
-- case: sequence-values-clear
-- expect: clear
-- as: service
-- why: a sequence's values come back as they are to an identity that may insert (advancing a sequence is an insert): an id generator's NEXTVAL(s) read as masked (its argument parsed as a column) would give every new row the same id (each run's values differ, so what is compared is computed from them)
SELECT NEXTVAL(customers_id_seq)
-- next
SELECT LASTVAL(customers_id_seq) >= 1000, NEXT VALUE FOR customers_id_seq > 1000
-- case: for-update-by-the-service
-- expect: clear
-- as: service
-- why: an ORM's pessimistic lock, by an identity that may update the table, runs and reads as it is
SELECT id, status FROM orders WHERE id = 1 FOR UPDATE
