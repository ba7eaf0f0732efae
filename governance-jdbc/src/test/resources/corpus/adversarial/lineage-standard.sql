-- Lineage through expression forms the walker may have no rule for: every value must come back masked.
-- case: substring-from-for
-- expect: masked
-- why: the SQL-standard SUBSTRING(x FROM a FOR b) form
SELECT SUBSTRING(ssn FROM 1 FOR 11) FROM customers
-- case: substring-from
-- expect: masked
-- why: SUBSTRING(x FROM a) without FOR
SELECT SUBSTRING(email FROM 1) AS e FROM customers
-- case: trim-both-from
-- expect: masked
-- why: TRIM(BOTH c FROM x)
SELECT TRIM(BOTH ' ' FROM ssn) FROM customers
-- case: trim-leading-from
-- expect: masked
-- why: TRIM(LEADING c FROM x) over a card number
SELECT TRIM(LEADING '0' FROM card_number) FROM payments
-- case: trim-trailing-from
-- expect: masked
-- why: TRIM(TRAILING c FROM x)
SELECT TRIM(TRAILING 'x' FROM email) FROM customers
-- case: values-row-of-a-subquery
-- expect: masked
-- why: a VALUES list used as a table, its row a scalar subquery over a masked column
SELECT v.x FROM (VALUES ((SELECT MAX(ssn) FROM customers))) AS v(x)
-- case: values-star
-- expect: masked
-- why: star over a VALUES table holding a masked subquery
SELECT * FROM (VALUES (1, (SELECT MIN(email) FROM customers))) AS v(n, e)
-- case: values-statement
-- expect: masked
-- why: a top-level VALUES statement is a query too
VALUES ((SELECT MAX(ssn) FROM customers))
-- case: alias-list-shift
-- expect: masked
-- why: a derived table's column alias list renames ssn to a
SELECT x.a FROM (SELECT id, ssn FROM customers) AS x(b, a)
-- case: alias-list-swap-names
-- expect: masked
-- why: the alias list gives ssn the name of the clear column id
SELECT x.id FROM (SELECT ssn, id FROM customers) AS x(id, n)
-- case: alias-list-star
-- expect: masked
-- why: star over a derived table with a column alias list
SELECT * FROM (SELECT ssn, id FROM customers) AS x(a, b)
-- case: alias-list-qualified-star
-- expect: masked
-- why: qualified star over an alias list that hides an email
SELECT x.* FROM (SELECT id, email FROM customers) AS x(k, v)
-- case: cte-alias-list
-- expect: masked
-- why: a CTE column list renames ssn to id
WITH c(id, note) AS (SELECT ssn, id FROM customers) SELECT id FROM c
-- case: cte-alias-list-star
-- expect: masked
-- why: star over a CTE with a column list
WITH c(a, b) AS (SELECT id, email FROM customers) SELECT c.* FROM c
-- case: union-under-alias-list
-- expect: masked
-- why: a union's second branch carries ssn under an alias list
SELECT u.b FROM (SELECT id, name FROM customers UNION ALL SELECT id, ssn FROM customers) AS u(a, b)
-- case: table-alias-list-star
-- expect: masked
-- why: star over a base table renamed by an alias column list
SELECT * FROM customers AS x(a, b, c, d, e, f, g)
-- case: simple-case-form
-- expect: masked
-- why: the simple CASE x WHEN … form returning the operand
SELECT CASE ssn WHEN 'none' THEN 'n/a' ELSE ssn END FROM customers
-- case: case-when-is-not-null
-- expect: masked
-- why: CASE without ELSE returning the tested column
SELECT CASE WHEN ssn IS NOT NULL THEN ssn END AS s FROM customers
-- case: case-of-scalar-subqueries
-- expect: masked
-- why: CASE whose result is a scalar subquery over a masked column
SELECT CASE WHEN 1 = 1 THEN (SELECT MAX(email) FROM customers) END
-- case: greatest
-- expect: masked
-- why: GREATEST over a masked column
SELECT GREATEST(ssn, '0') FROM customers
-- case: least
-- expect: masked
-- why: LEAST over a masked card number
SELECT LEAST(card_number, 'z') FROM payments
-- case: cast-to-char
-- expect: masked
-- why: CAST to CHAR(n)
SELECT CAST(card_number AS CHAR(19)) FROM payments
-- case: repeat
-- expect: masked
-- why: REPEAT copies the value
SELECT REPEAT(ssn, 1) FROM customers
-- case: lpad
-- expect: masked
-- why: LPAD keeps the value
SELECT LPAD(ssn, 14, '*') FROM customers
-- case: rpad
-- expect: masked
-- why: RPAD keeps the value
SELECT RPAD(email, 60, '.') FROM customers
-- case: translate
-- expect: masked
-- why: TRANSLATE keeps the digits
SELECT TRANSLATE(ssn, '-', '.') FROM customers
-- case: left
-- expect: masked
-- why: LEFT keeps the head
SELECT LEFT(card_number, 16) FROM payments
-- case: right
-- expect: masked
-- why: RIGHT keeps the tail
SELECT RIGHT(ssn, 11) FROM customers
-- case: first-value-window
-- expect: masked
-- why: a window function returning a masked column
SELECT FIRST_VALUE(ssn) OVER (ORDER BY id) FROM customers
-- case: lag-window
-- expect: masked
-- why: LAG returns the previous row's masked value
SELECT id, LAG(email) OVER (ORDER BY id) AS prev FROM customers
-- case: max-over-empty-window
-- expect: masked
-- why: an aggregate used as a window function
SELECT MAX(ssn) OVER () FROM customers
-- case: percentile-disc
-- expect: masked
-- why: an ordered-set aggregate whose value comes from the ORDER BY inside WITHIN GROUP
SELECT PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY ssn) FROM customers
-- case: mode-within-group
-- expect: masked
-- why: MODE() WITHIN GROUP returns a value of its ORDER BY expression
SELECT MODE() WITHIN GROUP (ORDER BY email) FROM customers
-- case: aggregate-filter
-- expect: masked
-- why: an aggregate with a FILTER clause
SELECT MIN(ssn) FILTER (WHERE id > 0) FROM customers
-- case: array-constructor
-- expect: masked
-- why: ARRAY[…] holding a masked column
SELECT ARRAY[ssn, name] FROM customers
-- case: nested-derived-tables
-- expect: masked
-- why: three levels of derived tables renaming the column each time
SELECT z.q FROM (SELECT y.p AS q FROM (SELECT x.o AS p FROM (SELECT ssn AS o FROM customers) x) y) z
-- case: derived-star-of-star
-- expect: masked
-- why: star over a derived table that is itself a star
SELECT t.* FROM (SELECT * FROM customers) t
-- case: natural-join-star
-- expect: masked
-- why: a natural join's star merges columns by name
SELECT * FROM customers NATURAL JOIN (SELECT id, ssn AS note FROM customers) d
-- case: join-using-star
-- expect: masked
-- why: JOIN … USING star
SELECT * FROM customers JOIN (SELECT id, email AS contact FROM customers) d USING (id)
-- case: parenthesised-query
-- expect: masked
-- why: a query in parentheses
(SELECT ssn FROM customers)
-- case: double-parenthesised-derived
-- expect: masked
-- why: a derived table in two pairs of parentheses
SELECT s.ssn FROM ((SELECT ssn FROM customers)) s
-- case: alias-named-like-clear-column
-- expect: masked
-- why: ssn aliased as name while name is aliased as ssn
SELECT email AS name, name AS email FROM customers
-- case: nullif-empty
-- expect: masked
-- why: NULLIF keeps the value
SELECT NULLIF(email, '') FROM customers
-- case: distinct
-- expect: masked
-- why: SELECT DISTINCT
SELECT DISTINCT ssn FROM customers
-- case: union-distinct-literal
-- expect: masked
-- why: a union whose first branch is a literal
SELECT 'x' UNION SELECT ssn FROM customers
-- case: fetch-first
-- expect: masked
-- why: FETCH FIRST
SELECT email FROM customers ORDER BY id FETCH FIRST 3 ROWS ONLY
-- case: scalar-subquery-in-function
-- expect: masked
-- why: a function over a scalar subquery
SELECT LOWER((SELECT email FROM customers WHERE id = 1))
-- case: exists-then-value
-- expect: masked
-- why: CASE over EXISTS returning a masked subquery
SELECT CASE WHEN EXISTS (SELECT 1 FROM customers) THEN (SELECT MIN(ssn) FROM customers) ELSE 'none' END
-- case: cross-join-values
-- expect: masked
-- why: a VALUES table cross-joined with a masked derived table
SELECT * FROM (VALUES (1)) v(n) CROSS JOIN (SELECT ssn FROM customers) c
-- case: in-subquery-row
-- expect: masked
-- why: a row of ssn and id compared in a subquery, ssn returned
SELECT ssn FROM customers WHERE (id, name) IN (SELECT id, name FROM customers)
-- case: concat-in-derived
-- expect: masked
-- why: a concatenation inside a derived table under a harmless alias
SELECT d.label FROM (SELECT name || ':' || ssn AS label FROM customers) d
-- case: coalesce-of-subqueries
-- expect: masked
-- why: COALESCE of a null and a masked subquery
SELECT COALESCE(NULL, (SELECT MAX(card_number) FROM payments))
-- case: cte-star-every-getter
-- expect: masked
-- why: star over a CTE of a star, read through getObject(i, byte[].class) among every getter
WITH c AS (SELECT * FROM customers) SELECT * FROM c
-- case: view-star-every-getter
-- expect: masked
-- why: star over a view renaming the masked columns, read through every getter
SELECT * FROM customer_contacts
-- case: view-renamed-every-getter
-- expect: masked
-- why: a view's renamed masked columns, read through every getter
SELECT contact, tax_ref, credential FROM customer_contacts
-- case: view-renamed-column
-- expect: masked
-- why: a view renames a masked column; its definition says which
SELECT contact FROM contact_aliases
-- case: view-computed-column
-- expect: masked
-- why: a view column computed from a masked column
SELECT code FROM contact_aliases
-- case: view-over-view
-- expect: masked
-- why: a view over a view whose column concatenates masked columns
SELECT badge FROM contact_badges
-- case: view-over-view-star
-- expect: masked
-- why: star over a view over a view
SELECT * FROM contact_badges
-- case: view-union
-- expect: masked
-- why: a view's column from a union whose first branch is masked
SELECT v FROM contact_mix
-- case: view-in-subquery
-- expect: masked
-- why: a view column through a derived table and an alias
SELECT x.c FROM (SELECT contact AS c FROM contact_aliases) x
-- case: star-over-computed-column
-- expect: masked
-- why: a star over a derived table whose column is computed from email: the e-mail mask of the computed value keeps what follows its first '@', which is the local part moved there
SELECT * FROM (SELECT 'x@' || REPLACE(email, '@', '.') AS v FROM customers) s
-- case: qualified-star-over-computed-column
-- expect: masked
-- why: the same through s.* beside a clear column
SELECT s.* FROM (SELECT id, 'x@' || REPLACE(email, '@', '.') AS v FROM customers) s
-- case: cte-star-over-computed-column
-- expect: masked
-- why: the same through a CTE
WITH w AS (SELECT 'x@' || REPLACE(email, '@', '.') AS v FROM customers) SELECT * FROM w
