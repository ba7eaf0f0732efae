-- H2 forms over masked columns: every value must come back masked.
-- case: insert-function
-- expect: masked
-- why: INSERT(x, pos, len, s) keeps the value
SELECT INSERT(ssn, 1, 0, '') FROM customers
-- case: regexp-replace
-- expect: masked
-- why: REGEXP_REPLACE
SELECT REGEXP_REPLACE(ssn, 'x', 'y') FROM customers
-- case: regexp-substr
-- expect: masked
-- why: REGEXP_SUBSTR
SELECT REGEXP_SUBSTR(email, '.*') FROM customers
-- case: concat-ws
-- expect: masked
-- why: CONCAT_WS
SELECT CONCAT_WS(',', name, ssn) FROM customers
-- case: json-object
-- expect: masked
-- why: JSON_OBJECT('k': x)
SELECT JSON_OBJECT('k': ssn) FROM customers
-- case: json-array
-- expect: masked
-- why: JSON_ARRAY
SELECT JSON_ARRAY(email) FROM customers
-- case: json-arrayagg
-- expect: masked
-- why: JSON_ARRAYAGG
SELECT JSON_ARRAYAGG(ssn) FROM customers
-- case: json-objectagg
-- expect: masked
-- why: JSON_OBJECTAGG keyed by a clear column
SELECT JSON_OBJECTAGG(KEY name VALUE ssn) FROM customers
-- case: array-get-of-agg
-- expect: masked
-- why: ARRAY_GET of an aggregated array
SELECT ARRAY_GET(ARRAY_AGG(ssn), 1) FROM customers
-- case: cast-to-clob
-- expect: masked
-- why: CAST to CLOB
SELECT CAST(ssn AS CLOB) FROM customers
-- case: string-to-utf8
-- expect: masked
-- why: the value as bytes
SELECT STRINGTOUTF8(ssn) FROM customers
-- case: utf8-round-trip
-- expect: masked
-- why: bytes and back
SELECT UTF8TOSTRING(STRINGTOUTF8(email)) FROM customers
-- case: xmltext
-- expect: masked
-- why: XMLTEXT
SELECT XMLTEXT(ssn) FROM customers
-- case: xmlnode
-- expect: masked
-- why: XMLNODE
SELECT XMLNODE('a', NULL, email) FROM customers
-- case: casewhen-function
-- expect: masked
-- why: CASEWHEN(c, a, b)
SELECT CASEWHEN(id > 0, ssn, '') FROM customers
-- case: decode
-- expect: masked
-- why: DECODE(x, …)
SELECT DECODE(id, 1, ssn, ssn) FROM customers
-- case: nvl2
-- expect: masked
-- why: NVL2
SELECT NVL2(ssn, ssn, '') FROM customers
-- case: ifnull
-- expect: masked
-- why: IFNULL
SELECT IFNULL(email, '') FROM customers
-- case: table-function-of-subquery
-- expect: masked
-- why: TABLE(x type = subquery)
SELECT * FROM TABLE(x VARCHAR = (SELECT ARRAY_AGG(ssn) FROM customers))
-- case: unnest-of-subquery
-- expect: masked
-- why: UNNEST over a subquery
SELECT * FROM UNNEST((SELECT ARRAY_AGG(email) FROM customers))
-- case: system-range-correlated
-- expect: masked
-- why: a correlated subquery per row of SYSTEM_RANGE
SELECT X, (SELECT ssn FROM customers WHERE id = X) FROM SYSTEM_RANGE(1, 3)
-- case: row-value
-- expect: masked
-- why: ROW(…)
SELECT ROW(id, ssn) FROM customers
-- case: listagg-distinct
-- expect: masked
-- why: LISTAGG(DISTINCT …)
SELECT LISTAGG(DISTINCT email, ';') WITHIN GROUP (ORDER BY email) FROM customers
-- case: any-value
-- expect: masked
-- why: ANY_VALUE
SELECT ANY_VALUE(ssn) FROM customers
-- case: script
-- expect: masked
-- why: SCRIPT returns the whole database as a result set
SCRIPT
-- case: script-table
-- expect: masked
-- why: SCRIPT of one table
SCRIPT TABLE customers
-- case: quoted-upper-column
-- expect: masked
-- why: a quoted upper-case column name
SELECT "SSN" FROM "CUSTOMERS"
-- case: cast-shorthand-double
-- expect: masked
-- why: ::VARCHAR twice
SELECT ssn::VARCHAR::VARCHAR(20) FROM customers
-- case: select-into-variable
-- expect: masked
-- why: a masked value copied into a session variable, then read back
SET @x = (SELECT ssn FROM customers WHERE id = 1)
-- next
SELECT @x
-- case: set-function-variable
-- expect: masked
-- why: SET(@v, x) inside a select, then the variable read back
SELECT SET(@y, email) FROM customers WHERE id = 2
-- next
SELECT @y
-- case: array-subscript
-- expect: masked
-- why: an array subscript
SELECT (ARRAY[ssn, name])[1] FROM customers
-- case: table-alias-list-values
-- expect: masked
-- why: a VALUES table with a masked subquery and a column list
SELECT a FROM (VALUES ((SELECT MAX(ssn) FROM customers), 1)) AS t(a, b)
-- case: set-function-then-read
-- expect: masked
-- why: H2's SET(@v, x) function stores a masked value in a session variable, read back later
SELECT SET(@h, ssn) FROM customers WHERE id = 1
-- next
SELECT @h
-- case: outer-view-column-named-bare-in-a-subquery
-- expect: masked
-- why: orders has no card, so the subquery's bare card is the enclosing view's column (email and SSN)
SELECT id, (SELECT card FROM orders LIMIT 1) AS x FROM contact_cards
-- case: outer-column-named-bare-in-a-correlated-subquery
-- expect: masked
-- why: the same, correlated, under a function
SELECT c.id, (SELECT REPLACE(badge, '-', '') FROM orders o WHERE o.id = c.id) AS x FROM contact_badges c
-- case: table-function-over-array-aggregate
-- expect: masked
-- why: H2's TABLE(col type = array) turns an array aggregated from a masked column back into rows
SELECT * FROM TABLE(a VARCHAR = (SELECT ARRAY_AGG(ssn) FROM customers))
-- case: unnest-with-ordinality-of-array-aggregate
-- expect: masked
-- why: UNNEST … WITH ORDINALITY of an array aggregated from a masked column
SELECT * FROM UNNEST((SELECT ARRAY_AGG(ssn) FROM customers)) WITH ORDINALITY
-- case: listagg-within-group
-- expect: masked
-- why: LISTAGG … WITHIN GROUP joins the masked values of every row
SELECT LISTAGG(ssn, ',') WITHIN GROUP (ORDER BY id) FROM customers
-- case: recursive-cte-rotates-columns
-- expect: masked
-- why: each round of a recursive CTE moves every value one column left, so the anchor's SSN reaches a in two rounds
WITH RECURSIVE t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4) SELECT n, a FROM t
-- case: recursive-cte-rotates-columns-four-rounds
-- expect: masked
-- why: the same, the SSN four columns away: it reaches a in the fourth round
WITH RECURSIVE t(n, a, b, c, d) AS (SELECT 1, name, city, name, ssn FROM customers UNION ALL SELECT n + 1, b, c, d, a FROM t WHERE n < 6) SELECT n, a FROM t
-- case: recursive-cte-after-another-cte
-- expect: masked
-- why: RECURSIVE written before the first CTE of the list makes the second one recursive
WITH RECURSIVE x(k) AS (SELECT 1), t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4) SELECT n, a FROM t
-- case: recursive-cte-rotates-columns-star
-- expect: masked
-- why: the rotation read through *
WITH RECURSIVE t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4) SELECT * FROM t
-- case: derived-union-star
-- expect: masked
-- why: a * over a derived UNION ALL whose first branch is a clear column
SELECT * FROM (SELECT name FROM customers UNION ALL SELECT ssn FROM customers) t
-- case: derived-column-named-by-its-text
-- expect: masked
-- why: an outer query names a derived table's unaliased column by the text H2 labels it with
SELECT x."UPPER(SSN)" FROM (SELECT UPPER(ssn) FROM customers) x
-- case: values-column-named-by-its-default-label
-- expect: masked
-- why: a VALUES list's column read by H2's default name C1
SELECT x.C1 FROM (VALUES ((SELECT ssn FROM customers LIMIT 1))) x
-- case: array-element-of-array-aggregate
-- expect: masked
-- why: an element of an array aggregated from a masked column
SELECT (ARRAY_AGG(ssn ORDER BY id))[1] FROM customers
-- case: array-slice-of-constructed-array
-- expect: masked
-- why: ARRAY_SLICE of an array built from a masked column
SELECT ARRAY_SLICE(ARRAY[ssn, name], 1, 1) FROM customers
-- case: json-objectagg-keys
-- expect: masked
-- why: JSON_OBJECTAGG with the masked column as its keys
SELECT JSON_OBJECTAGG(KEY ssn VALUE id) FROM customers
-- case: table-alias-column-list-renames-a-masked-column
-- expect: masked
-- why: a table's column alias list gives the SSN column a clear column's name
SELECT t.city, t.name FROM customers AS t(id, city, email, name, api_key, ssn, signed_up)
-- case: double-slash-comment-hides-a-column
-- expect: masked
-- why: H2 reads // as a comment to the end of the line, where //* would start a block comment elsewhere
SELECT 6 //* 
, ssn FROM customers -- */ 2
-- case: nested-block-comment-hides-a-column
-- expect: masked
-- why: H2 block comments nest: the first */ closes only the inner one, and the rest of the line stays in the comment
SELECT 1 /* /* */ AS x -- */ , ssn FROM customers
-- case: star-over-a-derived-table-statement
-- expect: masked
-- why: TABLE customers in a derived table is SELECT * FROM customers: a * over it returns every column, the API key (whose values no detector knows) among them
SELECT * FROM (TABLE customers) x
-- case: qualified-star-over-a-derived-table-statement
-- expect: masked
-- why: the same through x.*, next to a clear column
SELECT o.id, x.* FROM orders o JOIN (TABLE customers) x ON x.id = o.customer_id
-- case: convert-to-a-type
-- expect: masked
-- why: CONVERT(value, type), which the parser reads as SQL Server's CONVERT(type, value): the value it took for a type is the SSN, returned as it is
SELECT CONVERT(ssn, CHAR(20)) FROM customers
