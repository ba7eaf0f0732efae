-- H2 user variables: the session keeps them past the statement, as MariaDB's.
-- case: set-variable-from-masked-then-read
-- expect: masked
-- why: SET @v = (SELECT ssn …) keeps the clear value in the session, where SELECT @v reads it back
SET @v = (SELECT ssn FROM customers WHERE id = 1)
-- next
SELECT @v
-- case: set-function-from-masked-then-read
-- expect: masked
-- why: the SET(@v, x) function keeps its argument in the variable, whatever the select list shows
SELECT SET(@v, ssn) FROM customers WHERE id = 1
-- next
SELECT @v
-- case: set-variable-from-masked
-- expect: refused
-- as: analyst, agent, service
-- why: keeping a masked value in a user variable is refused to every caller a mask applies to
SET @v = (SELECT ssn FROM customers WHERE id = 1)
-- case: set-variable-then-write
-- expect: refused
-- as: analyst, agent, service
-- why: a variable's value written to a table counts as masked, whoever set it
SET @v = (SELECT name FROM customers WHERE id = 1)
-- next
INSERT INTO orders (id, customer_id, total, status) VALUES (900, 1, 0, @v)
-- case: recursive-cte-filter-on-a-rotated-column
-- expect: refused
-- as: agent
-- why: an agent filters, in the recursive step, on a column the SSN reaches in the second round
WITH RECURSIVE t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4 AND a LIKE '1%') SELECT n FROM t
-- case: table-alias-column-list-renames-a-masked-column-in-where
-- expect: refused
-- as: agent
-- why: customers t(…, city, …, ssn, …) calls the SSN column city: a filter on it is a filter on the SSN
SELECT id FROM customers t(id, name, email, city, api_key, ssn, signed_up) WHERE city LIKE '1%'
-- case: table-alias-column-list-renames-a-masked-column-in-order-by
-- expect: refused
-- as: agent
-- why: the same name sorts by the SSN
SELECT id FROM customers t(id, name, email, city, api_key, ssn, signed_up) ORDER BY city
-- case: table-alias-column-list-renames-a-masked-column-in-group-by
-- expect: refused
-- as: agent
-- why: the same name groups by the SSN
SELECT COUNT(*) FROM customers t(id, name, email, city, api_key, ssn, signed_up) GROUP BY city
-- case: cte-column-list-over-star-renames-a-masked-column
-- expect: refused
-- as: agent
-- why: a CTE's column list over SELECT * names the SSN column d: a filter on d is a filter on the SSN
WITH x(a, b, c, d, e, f, g) AS (SELECT * FROM customers) SELECT a FROM x WHERE d LIKE '1%'
-- case: derived-column-list-over-star-renames-a-masked-column
-- expect: refused
-- as: agent
-- why: the same with a derived table's column list, sorting
SELECT a FROM (SELECT * FROM customers) AS x(a, b, c, d, e, f, g) ORDER BY d
-- case: convert-to-a-type-in-where
-- expect: refused
-- as: agent
-- why: CONVERT(value, type) in a condition filters by the SSN the parser took for a type
SELECT id FROM customers WHERE CONVERT(ssn, CHAR(20)) LIKE '1%'
