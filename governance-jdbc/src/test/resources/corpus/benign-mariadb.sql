-- case: upsert on duplicate key update
INSERT INTO customers (id, name, country) VALUES (1, 'Ada L.', 'GB') ON DUPLICATE KEY UPDATE name = VALUES(name)
-- case: backtick identifiers
SELECT `id`, `name` FROM `customers` ORDER BY `id`
-- case: a hash comment
SELECT COUNT(*) FROM orders # how many
-- case: group_concat
SELECT customer_id, GROUP_CONCAT(status ORDER BY id SEPARATOR ',') FROM orders GROUP BY customer_id ORDER BY customer_id
-- case: ifnull
SELECT id, IFNULL(email, 'none') FROM customers ORDER BY id
-- case: an update with a where and a limit
UPDATE orders SET status = 'capped' WHERE total > 10 ORDER BY id LIMIT 2
-- case: select from dual
SELECT 1 + 1 FROM DUAL
-- case: set transaction isolation level read committed
SET TRANSACTION ISOLATION LEVEL READ COMMITTED
-- case: set session transaction isolation level repeatable read
SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ
-- case: set character set
SET CHARACTER SET utf8mb4
-- case: a multi-table update whose where reads the joined table
UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.status = 'de' WHERE c.country = 'DE'
-- case: a multi-table update setting a value of the joined table
UPDATE orders o INNER JOIN customers c ON o.customer_id = c.id SET o.status = c.country WHERE c.id IN (1, 2)
-- case: flyway looking up its schema by pattern
SHOW DATABASES LIKE 'test'
-- case: a server variable looked up by pattern
SHOW VARIABLES LIKE 'version%'
-- case: a pessimistic read with lock in share mode
SELECT id, name FROM customers WHERE id IN (1, 2) ORDER BY id LOCK IN SHARE MODE
-- case: a multi-table delete whose where reads the joined table
DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'IL'
-- case: a multi-table delete of a joined table's rows whose where reads the first table
DELETE o FROM customers c INNER JOIN orders o ON o.customer_id = c.id WHERE c.name = 'Chen Wu'
-- case: unlock tables, as mysqldump ends a table's dump
UNLOCK TABLES
