-- Queries over nothing the policy masks, in H2's dialect: they come back exactly as through the raw driver.
-- case: values list as a table
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)
-- case: star over an alias list of clear columns
SELECT * FROM (SELECT id, name FROM customers) AS x(a, b) ORDER BY a
-- case: alias list of clear columns
SELECT b FROM (SELECT ssn, name FROM customers) AS x(a, b) ORDER BY b
-- case: version
SELECT H2VERSION()
-- case: set-returning function over literals
SELECT * FROM SYSTEM_RANGE(1, 3)
-- case: special forms over a clear column
SELECT SUBSTRING(name FROM 1 FOR 2), TRIM(BOTH ' ' FROM name), POSITION('a' IN name) FROM customers ORDER BY id
-- case: unnest over literals
SELECT * FROM UNNEST(ARRAY[1, 2, 3])
