-- SQL forms a masked agent and a row-filtered caller may use to walk around masks and row filters on
-- PostgreSQL, run by PostgresSqlFormsCorpusIT under policies/sqlforms-policy.yaml: the reference masks,
-- plus a row filter that shows every non-dba caller only the customers of Lyon. The names of the other
-- customers are forbidden text, like the masked values.
-- case: record-field-by-position
-- expect: masked
-- why: an anonymous ROW(...)'s fields read back by their positional names f1..fn
SELECT (x).f4 FROM (SELECT ROW(id, name, email, ssn) AS x FROM customers) s
-- case: record-star-expansion
-- expect: masked
-- why: (x).* of an anonymous record expands to columns f1..fn
SELECT (x).* FROM (SELECT ROW(id, email, ssn) AS x FROM customers) s
-- case: whole-row-by-table-name
-- expect: masked
-- why: the table's own name as a whole-row value, no alias
SELECT customers FROM customers
-- case: whole-row-star-text
-- expect: masked
-- why: (t.*)::text renders every column of the row as one text
SELECT (customers.*)::text AS r FROM customers
-- case: table-alias-column-list
-- expect: masked
-- why: a base table's alias column list renames ssn to a harmless name
SELECT harmless FROM customers AS c(i, n, e, harmless)
-- case: table-alias-column-list-swap
-- expect: masked
-- why: the alias list gives ssn the name of a clear column
SELECT c.name FROM customers AS c(id, x, y, name)
-- case: search-depth-first-path
-- expect: masked
-- why: a recursive CTE's SEARCH ... SET column holds the path of the searched (masked) values
WITH RECURSIVE t(id, s) AS (SELECT id, ssn FROM customers UNION ALL SELECT t.id, t.s FROM t WHERE false) SEARCH DEPTH FIRST BY s SET ord SELECT id, ord FROM t
-- case: cycle-path-column
-- expect: masked
-- why: a recursive CTE's CYCLE ... USING path column holds the rows it went through
WITH RECURSIVE t(id, s) AS (SELECT id, ssn FROM customers UNION ALL SELECT t.id, t.s FROM t WHERE false) CYCLE s SET looped USING trail SELECT id, trail FROM t
-- case: unnest-array-of-rows
-- expect: masked
-- why: unnest of an array of whole rows expands back to the table's columns
SELECT ssn FROM unnest(ARRAY(SELECT c FROM customers c))
-- case: unnest-array-of-rows-field
-- expect: masked
-- why: a field of an unnested whole row
SELECT (unnest(ARRAY(SELECT c FROM customers c))).email
-- case: jsonb-to-record-definition-list
-- expect: masked
-- why: a column definition list over jsonb_to_record of a whole row renames nothing but retypes it
SELECT x.ssn FROM customers c, jsonb_to_record(to_jsonb(c)) AS x(ssn text)
-- case: json-to-recordset-of-aggregate
-- expect: masked
-- why: json_to_recordset over an aggregate of whole rows, column renamed by the definition list
SELECT r.k FROM json_to_recordset((SELECT json_agg(json_build_object('k', ssn)) FROM customers)) AS r(k text)
-- case: jsonb-populate-record-field
-- expect: masked
-- why: jsonb_populate_record back into the table's row type, then a field
SELECT (jsonb_populate_record(NULL::customers, to_jsonb(c))).ssn FROM customers c
-- case: jsonb-path-query-field
-- expect: masked
-- why: a JSON path query picks the masked member out of a whole row
SELECT jsonb_path_query(to_jsonb(c), '$.ssn') FROM customers c
-- case: jsonb-path-query-array-agg
-- expect: masked
-- why: a JSON path over an aggregate of whole rows
SELECT jsonb_path_query_array(jsonb_agg(c), '$[*].email') FROM customers c
-- case: jsonb-arrow-member
-- expect: masked
-- why: ->> of a member of a whole row's json
SELECT to_jsonb(c) ->> 'ssn' FROM customers c
-- case: jsonb-each-text
-- expect: masked
-- why: jsonb_each_text of a whole row: one row per column, its value as text
SELECT e.value FROM customers c, jsonb_each_text(to_jsonb(c)) e
-- case: json-object-agg-key
-- expect: masked
-- why: the masked value becomes an object's key
SELECT json_object_agg(ssn, id) FROM customers
-- case: json-object-arrays
-- expect: masked
-- why: json_object of text arrays
SELECT json_object(ARRAY['k', ssn]) FROM customers
-- case: xmltable-over-element
-- expect: masked
-- why: XMLTABLE over an element built from the masked column
SELECT x.v FROM customers c, XMLTABLE('/r' PASSING xmlelement(name r, c.ssn) COLUMNS v text PATH '.') x
-- case: lateral-values-reference
-- expect: masked
-- why: a LATERAL VALUES list that only names the outer masked column
SELECT l.v FROM customers c, LATERAL (VALUES (c.ssn), (c.email)) AS l(v)
-- case: lateral-select-no-from
-- expect: masked
-- why: a LATERAL subquery without FROM that selects the outer column under a new name
SELECT l.x FROM customers c CROSS JOIN LATERAL (SELECT c.ssn) AS l(x)
-- case: rows-from-two-functions
-- expect: masked
-- why: ROWS FROM with two set-returning functions zipped side by side
SELECT * FROM ROWS FROM (generate_series(1, 3), unnest((SELECT array_agg(email) FROM customers))) AS r(n, v)
-- case: string-to-table
-- expect: masked
-- why: string_to_table splits an aggregate of the masked values into rows
SELECT string_to_table((SELECT string_agg(ssn, ',') FROM customers), ',')
-- case: translate-digits
-- expect: masked
-- why: digits turned into letters (the check reads digits), and back in the same statement
SELECT translate(translate(ssn, '0123456789', 'abcdefghij'), 'abcdefghij', '0123456789') FROM customers
-- case: array-subscript-of-agg
-- expect: masked
-- why: a subscript of an ordered array aggregate
SELECT (array_agg(ssn ORDER BY id))[2] FROM customers
-- case: array-slice-of-agg
-- expect: masked
-- why: a slice of an array aggregate
SELECT (array_agg(card_number))[1:3] FROM payments
-- case: format-of-whole-row
-- expect: masked
-- why: format('%s') of a whole row
SELECT format('%s', c) FROM customers c
-- case: concat-whole-row
-- expect: masked
-- why: text || a whole-row value
SELECT 'row:' || c FROM customers c
-- case: array-of-whole-row
-- expect: masked
-- why: an array constructor of a whole row
SELECT ARRAY[c] FROM customers c
-- case: percentile-disc-whole-rows
-- expect: masked
-- why: an ordered-set aggregate picks a row value
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY c.ssn) FROM customers c
-- case: mode-of-masked
-- expect: masked
-- why: mode() WITHIN GROUP over the masked column
SELECT mode() WITHIN GROUP (ORDER BY email) FROM customers
-- case: first-value-named-window
-- expect: masked
-- why: first_value over a named window that orders by id
SELECT id, first_value(card_number) OVER w FROM payments WINDOW w AS (ORDER BY id DESC)
-- case: fetch-with-ties
-- expect: masked
-- why: FETCH FIRST ... WITH TIES
SELECT ssn FROM customers ORDER BY id FETCH FIRST 2 ROWS WITH TIES
-- case: scalar-subquery-no-from
-- expect: masked
-- why: (SELECT col) without FROM, correlated to the outer row
SELECT (SELECT ssn) AS x FROM customers
-- case: bytea-convert
-- expect: masked
-- why: the masked text converted to bytes (read by getBytes and streams)
SELECT convert_to(ssn, 'UTF8') FROM customers
-- case: temp-view-alias
-- expect: masked
-- why: a temporary view renames the masked column, then is read
CREATE TEMP VIEW asq_v AS SELECT id, ssn AS x FROM customers
-- next
SELECT x FROM asq_v
-- case: prepared-statement-name
-- expect: masked
-- why: PREPARE then EXECUTE of a statement over a whole-row value
PREPARE asq_p AS SELECT to_jsonb(c) AS j FROM customers c
-- next
EXECUTE asq_p
-- case: column-statistics
-- expect: masked
-- why: the planner's statistics hold the most common values and histogram bounds of each column
SELECT histogram_bounds::text, most_common_vals::text FROM pg_stats WHERE tablename = 'customers'
-- case: filtered-name-plain
-- expect: masked
-- why: the row filter: only Lyon customers' names
SELECT name FROM customers
-- case: filtered-table-syntax
-- expect: masked
-- why: TABLE t is SELECT * FROM t
TABLE customers
-- case: filtered-inheritance-star
-- expect: masked
-- why: the old inheritance syntax: the table name followed by *
SELECT name FROM customers *
-- case: filtered-only
-- expect: masked
-- why: ONLY t
SELECT name FROM ONLY customers
-- case: filtered-tablesample
-- expect: masked
-- why: a table sample of the whole table
SELECT name FROM customers TABLESAMPLE SYSTEM (100)
-- case: filtered-alias-column-list-renames-city
-- expect: masked
-- why: an alias column list gives the name column the filter's column name and renames city
SELECT c.city FROM customers AS c(id, city, e, s, a, town)
-- case: filtered-alias-column-list-hides-city
-- expect: masked
-- why: an alias column list renames the filter's column, so c.city names nothing
SELECT c.name, c.town FROM customers AS c(id, name, email, ssn, api_key, town)
-- case: filtered-unicode-table-name
-- expect: masked
-- why: the table named through a U& identifier with escapes
SELECT name FROM U&"cust\006fmers"
-- case: filtered-whole-row-to-json-agg
-- expect: masked
-- why: an aggregate of whole rows of the filtered table
SELECT json_agg(c) FROM customers c
-- case: filtered-unnest-array-of-rows
-- expect: masked
-- why: an array of whole rows built in a subquery, then unnested
SELECT name FROM unnest(ARRAY(SELECT c FROM customers c))
-- case: filtered-search-path-then-table
-- expect: masked
-- why: an unqualified name after moving public out of the search path and back
SET search_path = pg_catalog, public
-- next
SELECT name FROM customers
-- case: filtered-statistics
-- expect: masked
-- why: the statistics of the name column hold the names of every row
SELECT most_common_vals::text, histogram_bounds::text FROM pg_stats WHERE tablename = 'customers' AND attname = 'name'
-- case: filtered-table-in-subquery
-- expect: masked
-- why: TABLE t as a derived table
SELECT name FROM (TABLE customers) t
-- case: filtered-dollar-quoted-comment
-- expect: masked
-- why: a dollar-quoted literal that looks like it closes a comment
SELECT $x$ /* $x$, name FROM customers -- */
-- case: filtered-function-returning-table
-- expect: masked
-- why: a set-returning user function over the filtered table
SELECT name FROM every_customer()
-- case: filtered-merge-view
-- expect: masked
-- why: a view over the filtered table (written before the policy)
SELECT id, contact FROM contact_aliases
-- case: inference-order-by-limit
-- expect: refused
-- as: agent
-- why: the first id in order of the masked column is a step of a binary search
SELECT id FROM customers ORDER BY ssn LIMIT 1
-- case: inference-distinct-on
-- expect: refused
-- as: agent
-- why: DISTINCT ON the masked column tells how many distinct values there are and which rows share one
SELECT DISTINCT ON (ssn) id FROM customers
-- case: inference-window-order
-- expect: refused
-- as: agent
-- why: row_number over an order of the masked column ranks the values
SELECT id, row_number() OVER (ORDER BY ssn) FROM customers
-- case: inference-comparison-in-select
-- expect: refused
-- as: agent
-- why: a comparison of the masked column returned as a boolean column
SELECT id, ssn < '500' AS low FROM customers
-- case: inference-grouping-sets
-- expect: refused
-- as: agent
-- why: GROUPING SETS grouping by the masked column
SELECT count(*) FROM customers GROUP BY GROUPING SETS ((ssn), ())
-- case: inference-starts-with
-- expect: refused
-- as: agent
-- why: starts_with() in WHERE, a LIKE by another name
SELECT id FROM customers WHERE starts_with(ssn, '1')
-- case: inference-jsonb-path-exists
-- expect: refused
-- as: agent
-- why: a JSON path predicate over a whole row filters on the masked member
SELECT id FROM customers c WHERE jsonb_path_exists(to_jsonb(c), '$.ssn ? (@ starts with "1")')
-- case: inference-whole-row-compare
-- expect: refused
-- as: agent
-- why: a whole-row comparison orders by every column, the masked ones among them
SELECT id FROM customers c WHERE c > ROW(1, 'A', 'a', '5', 'x', 'L', DATE '2020-01-01')::customers
-- case: copy-out-create-table-as
-- expect: refused
-- as: analyst, agent
-- why: CREATE TABLE AS copies the masked values into a new table the caller then owns
CREATE TEMP TABLE asq_copy AS SELECT id, ssn AS x FROM customers
-- case: copy-out-select-into
-- expect: refused
-- as: analyst, agent
-- why: SELECT INTO a new temporary table
SELECT id, ssn AS x INTO TEMP asq_copy2 FROM customers
-- case: cte-named-like-the-table
-- expect: masked
-- why: a CTE named like the table puts ssn under the name of a clear column of the table
WITH customers AS (SELECT id, ssn AS name FROM public.customers) SELECT name FROM customers
-- case: derived-table-named-like-the-table
-- expect: masked
-- why: a derived table aliased with the table's name puts email under a clear column's name
SELECT customers.name FROM (SELECT id, email AS name FROM customers) AS customers
-- case: functional-notation-column
-- expect: masked
-- why: ssn(c) is PostgreSQL's functional notation for the column c.ssn
SELECT ssn(c) FROM customers c
-- case: functional-notation-column-alias
-- expect: masked
-- why: functional notation under a harmless alias, with the table name as the row
SELECT email(customers) AS harmless FROM customers
-- case: filtered-cte-named-like-the-table
-- expect: masked
-- why: a CTE named like the table reads the qualified table
WITH customers AS (SELECT * FROM public.customers) SELECT name FROM customers
-- case: inference-order-by-ordinal
-- expect: refused
-- as: agent
-- why: ORDER BY the ordinal of the masked column
SELECT id, ssn FROM customers ORDER BY 2 LIMIT 1
-- case: inference-functional-notation-where
-- expect: refused
-- as: agent
-- why: a filter on the masked column written in functional notation
SELECT id FROM customers c WHERE ssn(c) LIKE '1%'
-- case: inference-order-by-functional-notation
-- expect: refused
-- as: agent
-- why: an order by the masked column written in functional notation
SELECT id FROM customers c ORDER BY ssn(c) LIMIT 1
-- case: inference-whole-row-text-where
-- expect: refused
-- as: agent
-- why: a filter on the text of the whole row, which holds the masked values
SELECT id FROM customers c WHERE c::text LIKE '%,1%'
-- case: inference-jsonb-containment
-- expect: refused
-- as: agent
-- why: jsonb containment of the whole row tests a masked member's value
SELECT id FROM customers c WHERE to_jsonb(c) @> '{"city": "Lyon"}' AND to_jsonb(c) ->> 'ssn' > '5'
-- case: inference-cte-named-like-the-table
-- expect: refused
-- as: agent
-- why: a filter on a clear-looking column of a CTE named like the table that holds ssn
WITH customers AS (SELECT id, ssn AS name FROM public.customers) SELECT id FROM customers WHERE name LIKE '1%'
-- case: cte-named-like-the-table-with-city
-- expect: masked
-- why: a CTE named like the filtered table, with a city column the filter can test, puts ssn under a clear name
WITH customers AS (SELECT id, ssn AS name, 'Lyon'::text AS city FROM public.customers) SELECT name FROM customers
-- case: filtered-cte-named-like-the-table-with-city
-- expect: masked
-- why: a CTE named like the filtered table whose city column is a constant the filter accepts
WITH customers AS (SELECT id, name, 'Lyon'::text AS city FROM public.customers) SELECT name FROM customers
-- case: filtered-cte-named-like-the-table-in-subquery
-- expect: masked
-- why: the shadowing CTE inside a derived table
SELECT s.name FROM (WITH customers AS (SELECT id, name, 'Lyon'::text AS city FROM public.customers) SELECT * FROM customers) s
-- case: cte-named-like-the-table-scalar-subquery
-- expect: masked
-- why: the shadowing CTE read from a scalar subquery
WITH customers AS (SELECT id, email AS name, 'Lyon'::text AS city FROM public.customers) SELECT (SELECT string_agg(name, ',') FROM customers) AS n
-- case: recursive-cte-named-like-the-table
-- expect: masked
-- why: a recursive CTE named like the table
WITH RECURSIVE customers(id, name, city) AS (SELECT id, ssn, 'Lyon'::text FROM public.customers UNION ALL SELECT id, name, city FROM customers WHERE false) SELECT name FROM customers
-- case: filtered-recursive-cte-named-like-the-table
-- expect: masked
-- why: a recursive CTE named like the filtered table, reading the qualified table and itself
WITH RECURSIVE customers(id, name, city) AS (SELECT id, name, 'Lyon'::text FROM public.customers UNION ALL SELECT id, name, city FROM customers WHERE false) SELECT name FROM customers
