-- Queries over nothing the policy masks, in PostgreSQL's dialect: they come back exactly as through the raw driver.
-- case: version
SELECT version()
-- case: current setting
SELECT current_setting('search_path')
-- case: set-returning function over literals
SELECT * FROM generate_series(1, 3)
-- case: unnest over literals
SELECT x FROM unnest(ARRAY['a', 'b']) AS t(x)
-- case: whole row of a derived table without a sensitive column
SELECT to_jsonb(x) FROM (SELECT id, name FROM customers) x ORDER BY x.id
-- case: star over an alias list of clear columns
SELECT * FROM (SELECT id, name FROM customers) AS x(a, b) ORDER BY a
-- case: values list as a table
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)
-- case: special forms over a clear column
SELECT SUBSTRING(name FROM 1 FOR 2), TRIM(BOTH ' ' FROM name), POSITION('a' IN name), OVERLAY(name PLACING 'x' FROM 1 FOR 1) FROM customers ORDER BY id
