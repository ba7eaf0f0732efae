-- case: quoted name
DROP TABLE "orders"
-- case: schema-qualified name
DROP TABLE public.orders
-- case: quoted schema and name
DROP TABLE "public"."orders"
-- case: truncate only
TRUNCATE ONLY orders
-- case: truncate several and restart identity
TRUNCATE orders, customers RESTART IDENTITY CASCADE
-- case: data-modifying CTE that deletes everything
WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d
-- case: data-modifying CTE that updates everything
WITH u AS (UPDATE orders SET total = 0 RETURNING id) SELECT * FROM u
-- case: DO block running dynamic SQL
DO $$ BEGIN EXECUTE 'DROP TABLE orders'; END $$
-- case: DO block with a tagged dollar quote
DO $body$ BEGIN DELETE FROM orders; END $body$
-- case: execute a prepared plan
EXECUTE wipe_plan
-- case: prepare a delete
PREPARE wipe_plan AS DELETE FROM orders
-- case: copy to a program
COPY orders TO PROGRAM 'touch /tmp/governed-jdbc-pwned'
-- case: copy a query to a program
COPY (SELECT 1) TO PROGRAM 'touch /tmp/governed-jdbc-pwned'
-- case: copy from a program
COPY orders FROM PROGRAM 'echo 1'
-- case: grant all on all tables
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO PUBLIC
-- case: alter table drop constraint
ALTER TABLE orders DROP CONSTRAINT orders_pkey
-- case: drop a function
DROP FUNCTION wipe_orders()
-- case: drop the database
DROP DATABASE test
-- case: a nested block comment hiding the boundary
/* outer /* inner */ still a comment */ DROP TABLE orders
-- case: E-string with an escaped quote before a piggy-backed drop
SELECT E'it\'s'; DROP TABLE orders
-- case: postfix NOTNULL on the key
DELETE FROM orders WHERE id NOTNULL
-- case: postfix NOTNULL on a NOT NULL column
UPDATE orders SET total = 0 WHERE customer_id NOTNULL
