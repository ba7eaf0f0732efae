-- case: merge by key
MERGE INTO customers KEY (id) VALUES (1, 'Ada L.', 'ada@example.com', 'GB', DATE '2023-01-01')
-- case: fetch first
SELECT id FROM orders ORDER BY id FETCH FIRST 3 ROWS ONLY
-- case: system_range
SELECT X FROM SYSTEM_RANGE(1, 5)
-- case: listagg
SELECT customer_id, LISTAGG(status, ',') WITHIN GROUP (ORDER BY id) FROM orders GROUP BY customer_id ORDER BY customer_id
-- case: merge using with update
MERGE INTO orders t USING (SELECT 3 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET status = 'merged'
-- case: values table
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s) ORDER BY n
-- case: a sequence value in a select
SELECT COUNT(*) FROM orders WHERE id < (SELECT 1000 FROM DUAL)
-- case: a quoted upper-case identifier
SELECT "ID", "NAME" FROM "CUSTOMERS" ORDER BY "ID"
-- case: ilike in H2
SELECT id FROM customers WHERE name ILIKE 'a%' ORDER BY id
-- case: a boolean expression in the select list
SELECT id, total > 100 AS big FROM orders ORDER BY id
-- case: set session characteristics isolation level read committed
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
-- case: an array comparison with any
SELECT id, name FROM customers WHERE id = ANY(ARRAY[1, 3, 5]) ORDER BY id
-- case: a user variable set to a literal
SET @batch = 1
-- case: a user variable read back
SELECT @batch
