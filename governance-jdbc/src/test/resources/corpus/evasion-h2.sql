-- case: quoted upper-case name
DROP TABLE "ORDERS"
-- case: schema-qualified name
DROP TABLE PUBLIC.orders
-- case: drop all objects
DROP ALL OBJECTS
-- case: truncate with restart identity
TRUNCATE TABLE orders RESTART IDENTITY
-- case: shut the database down
SHUTDOWN
-- case: merge by key that deletes matched rows
MERGE INTO orders t USING (SELECT id FROM orders) s ON t.id = s.id WHEN MATCHED THEN DELETE
-- case: quoted schema and name
DROP TABLE "PUBLIC"."ORDERS"
-- case: drop column if exists
ALTER TABLE orders DROP COLUMN IF EXISTS total
-- case: drop a schema restrict
DROP SCHEMA app RESTRICT
-- case: write a script file of the whole database
SCRIPT TO '/tmp/governed-jdbc-dump.sql'
-- case: run a script file
RUNSCRIPT FROM '/tmp/governed-jdbc-dump.sql'
-- case: delete with a row limit but no where
DELETE FROM orders LIMIT 5
-- case: truncate a quoted schema-qualified table
TRUNCATE TABLE PUBLIC."ORDERS"
