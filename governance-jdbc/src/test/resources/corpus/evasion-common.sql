-- case: plain drop
DROP TABLE orders
-- case: lower case
drop table orders
-- case: mixed case and an empty comment for a space
DrOp/**/TABLE orders
-- case: comments between every word
DROP/* not really */TABLE/**/orders
-- case: a line comment before
-- nothing to see here
DROP TABLE orders
-- case: a block comment before
/* routine maintenance */ DROP TABLE orders
-- case: a trailing line comment
DROP TABLE orders -- harmless
-- case: tabs and newlines
DROP	TABLE
  orders
-- case: a trailing semicolon
DROP TABLE orders;
-- case: if exists
DROP TABLE IF EXISTS orders
-- case: cascade
DROP TABLE orders CASCADE
-- case: two tables at once
DROP TABLE IF EXISTS orders, customers
-- case: drop a schema with everything in it
DROP SCHEMA app CASCADE
-- case: drop a view
DROP VIEW order_totals
-- case: drop an index
DROP INDEX orders_total_idx
-- case: drop a sequence
DROP SEQUENCE order_numbers
-- case: truncate
TRUNCATE TABLE orders
-- case: piggy-backed drop after a select
SELECT 1; DROP TABLE orders
-- case: piggy-backed drop without spaces and a trailing comment
SELECT 1;DROP TABLE orders;--
-- case: piggy-backed unbounded delete
SELECT * FROM orders; DELETE FROM orders
-- case: piggy-backed after a harmless update
UPDATE orders SET total = total WHERE id = 1; DROP TABLE customers
-- case: unbounded update
UPDATE orders SET total = 0
-- case: update where 1=1
UPDATE orders SET total = 0 WHERE 1=1
-- case: update where true
UPDATE orders SET total = 0 WHERE TRUE
-- case: update where a column equals itself
UPDATE orders SET total = 0 WHERE id = id
-- case: update with an always-true disjunct
UPDATE orders SET total = 0 WHERE id = 5 OR 1=1
-- case: update where two strings are equal
UPDATE orders SET total = 0 WHERE 'a' = 'a'
-- case: update with comments in the way
UPDATE/**/orders/**/SET total=0/**/WHERE/**/1=1
-- case: unbounded delete
DELETE FROM orders
-- case: delete where 1=1
DELETE FROM orders WHERE 1=1
-- case: delete where true or a real predicate
DELETE FROM orders WHERE TRUE OR id = 1
-- case: delete where a comparison of literals
delete from ORDERS where 2 > 1
-- case: delete where parenthesised constant
DELETE FROM orders WHERE ((1 = 1))
-- case: delete where an alias compares with itself
DELETE FROM orders o WHERE o.id = o.id
-- case: delete where a real predicate or true
DELETE FROM orders WHERE id IS NOT NULL OR TRUE
-- case: alter table drop column
ALTER TABLE orders DROP COLUMN total
-- case: alter table rename
ALTER TABLE orders RENAME TO orders_old
-- case: alter table rename column
ALTER TABLE orders RENAME COLUMN total TO amount
-- case: grant all
GRANT ALL ON orders TO PUBLIC
-- case: revoke all
REVOKE ALL ON orders FROM PUBLIC
-- case: merge that deletes
MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN DELETE
-- case: call escape
{call wipe_orders()}
-- case: function call escape
{? = call wipe_orders()}
-- case: call escape followed by a drop
{call wipe_orders()}; DROP TABLE orders
-- case: unreadable SQL
DROP TABLE orders WITH GARBAGE (((
-- case: a misspelt keyword
SELEC * FROM orders
-- case: an unterminated string hiding a drop
SELECT 'x; DROP TABLE orders
