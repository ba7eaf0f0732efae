-- PostgreSQL forms over masked columns: every value must come back masked.
-- case: overlay
-- expect: masked
-- why: OVERLAY(x PLACING y FROM a FOR b)
SELECT OVERLAY(ssn PLACING 'x' FROM 20 FOR 1) FROM customers
-- case: substring-similar
-- expect: masked
-- why: SUBSTRING(x FROM pattern) with a regular expression
SELECT substring(email from '.*') FROM customers
-- case: unnest-of-subquery
-- expect: masked
-- why: a table function over a subquery
SELECT * FROM UNNEST((SELECT array_agg(ssn) FROM customers))
-- case: unnest-of-array-subquery-alias
-- expect: masked
-- why: UNNEST(ARRAY(SELECT …)) with a column alias
SELECT x FROM unnest(ARRAY(SELECT email FROM customers)) AS u(x)
-- case: rows-from-unnest
-- expect: masked
-- why: ROWS FROM (…) table function form
SELECT * FROM ROWS FROM (unnest((SELECT array_agg(ssn) FROM customers)))
-- case: whole-row-text
-- expect: masked
-- why: a whole-row reference cast to text
SELECT c::text FROM customers c
-- case: to-jsonb-whole-row
-- expect: masked
-- why: to_jsonb of a whole row
SELECT to_jsonb(c) FROM customers c
-- case: row-to-json
-- expect: masked
-- why: row_to_json of a whole row
SELECT row_to_json(c) FROM customers c
-- case: jsonb-agg-rows
-- expect: masked
-- why: an aggregate of whole rows
SELECT jsonb_agg(c) FROM customers c
-- case: field-of-whole-row
-- expect: masked
-- why: a field selected from a whole-row value
SELECT (c).ssn FROM customers c
-- case: jsonb-each-text
-- expect: masked
-- why: a set-returning function over a whole row's JSON
SELECT * FROM jsonb_each_text((SELECT to_jsonb(c) FROM customers c WHERE id = 1))
-- case: json-populate-record
-- expect: masked
-- why: a record rebuilt from a row's JSON
SELECT * FROM json_populate_record(NULL::customers, (SELECT row_to_json(c) FROM customers c WHERE id = 2))
-- case: jsonb-path-query
-- expect: masked
-- why: a JSON path into a whole row
SELECT jsonb_path_query(to_jsonb(c), '$.ssn') FROM customers c
-- case: xmlelement
-- expect: masked
-- why: an XML element built around a masked column
SELECT xmlelement(name x, ssn) FROM customers
-- case: query-to-xml
-- expect: masked
-- why: query_to_xml runs SQL held in a string
SELECT query_to_xml('SELECT ssn FROM customers', true, true, '')
-- case: table-to-xml
-- expect: masked
-- why: table_to_xml dumps a table named in a string
SELECT table_to_xml('customers', true, false, '')
-- case: schema-to-xml
-- expect: masked
-- why: schema_to_xml dumps every table of a schema
SELECT schema_to_xml('public', true, false, '')
-- case: format
-- expect: masked
-- why: format('%s', masked)
SELECT format('%s', ssn) FROM customers
-- case: concat-ws
-- expect: masked
-- why: concat_ws
SELECT concat_ws(',', name, email) FROM customers
-- case: string-to-array
-- expect: masked
-- why: string_to_array of a masked column
SELECT string_to_array(ssn, '-') FROM customers
-- case: regexp-match-subscript
-- expect: masked
-- why: a subscript of regexp_match
SELECT (regexp_match(ssn, '(.*)'))[1] FROM customers
-- case: split-part
-- expect: masked
-- why: split_part of an email
SELECT split_part(email, '@', 1) FROM customers
-- case: unnest-array-in-select
-- expect: masked
-- why: a set-returning function in the select list
SELECT unnest(ARRAY[ssn]) FROM customers
-- case: array-subquery
-- expect: masked
-- why: ARRAY(SELECT …)
SELECT ARRAY(SELECT ssn FROM customers)
-- case: subscript-of-array-agg
-- expect: masked
-- why: a subscript of an aggregated array
SELECT (SELECT array_agg(ssn) FROM customers)[1]
-- case: lateral-values
-- expect: masked
-- why: a LATERAL VALUES table over the outer row
SELECT v.x FROM customers c CROSS JOIN LATERAL (VALUES (c.email)) AS v(x)
-- case: lateral-values-star
-- expect: masked
-- why: star over a table and a LATERAL VALUES of its masked column
SELECT * FROM orders o, LATERAL (VALUES ((SELECT ssn FROM customers c WHERE c.id = o.customer_id))) v(x)
-- case: tablesample
-- expect: masked
-- why: TABLESAMPLE
SELECT ssn FROM customers TABLESAMPLE SYSTEM (100)
-- case: collate
-- expect: masked
-- why: COLLATE
SELECT ssn COLLATE "C" FROM customers
-- case: bytea-round-trip
-- expect: masked
-- why: through bytea and back to text
SELECT encode(convert_to(ssn, 'UTF8'), 'escape') FROM customers
-- case: convert-from-to
-- expect: masked
-- why: convert_from(convert_to(…))
SELECT convert_from(convert_to(email, 'UTF8'), 'UTF8') FROM customers
-- case: array-to-string
-- expect: masked
-- why: array_to_string(ARRAY[…])
SELECT array_to_string(ARRAY[ssn], ',') FROM customers
-- case: row-constructor-text
-- expect: masked
-- why: ROW(…)::text
SELECT ROW(id, ssn)::text FROM customers
-- case: implicit-row
-- expect: masked
-- why: (a, b) is a row value
SELECT (ssn, email) FROM customers
-- case: qualified-builtin
-- expect: masked
-- why: a builtin called through pg_catalog
SELECT pg_catalog.upper(ssn) FROM customers
-- case: quoted-function-name
-- expect: masked
-- why: a function name in double quotes
SELECT "substring"(ssn, 1, 11) FROM customers
-- case: double-cast
-- expect: masked
-- why: two casts in a row
SELECT ssn::varchar(20)::text FROM customers
-- case: view-with-concatenation
-- expect: masked
-- why: a view whose column concatenates two masked columns
SELECT card FROM contact_cards
-- case: view-star-concatenation
-- expect: masked
-- why: star over that view
SELECT * FROM contact_cards
-- case: distinct-on-value
-- expect: masked
-- why: DISTINCT ON returning the masked column
SELECT DISTINCT ON (id) ssn FROM customers ORDER BY id
-- case: string-agg-distinct
-- expect: masked
-- why: string_agg with DISTINCT and ORDER BY
SELECT string_agg(DISTINCT email, ';' ORDER BY email) FROM customers
-- case: jsonb-object-agg
-- expect: masked
-- why: jsonb_object_agg keyed by a clear column
SELECT jsonb_object_agg(name, ssn) FROM customers
-- case: is-json-value
-- expect: masked
-- why: to_json of a masked column
SELECT to_json(card_number) FROM payments
-- case: range-of-text
-- expect: masked
-- why: a value kept inside a text array literal built by concatenation
SELECT ('{' || ssn || '}')::text[] FROM customers
-- case: grouping-sets
-- expect: masked
-- why: GROUP BY GROUPING SETS returning the masked column
SELECT ssn, count(*) FROM customers GROUP BY GROUPING SETS ((ssn), ())
-- case: with-ordinality
-- expect: masked
-- why: WITH ORDINALITY over an unnest of masked values
SELECT * FROM unnest((SELECT array_agg(email) FROM customers)) WITH ORDINALITY
-- case: generate-series-index
-- expect: masked
-- why: indexing an aggregated array by generate_series
SELECT (SELECT array_agg(ssn) FROM customers)[g] FROM generate_series(1, 3) g
-- case: cte-materialized
-- expect: masked
-- why: a MATERIALIZED CTE with a column list
WITH c(x) AS MATERIALIZED (SELECT ssn FROM customers) SELECT x FROM c
-- case: table-alias-list
-- expect: masked
-- why: a base table's alias with a column list names ssn d
SELECT x.d FROM customers AS x(a, b, c, d)
-- case: correlated-derived-in-select
-- expect: masked
-- why: a scalar subquery over a derived table fed by the outer row
SELECT (SELECT t.x FROM (SELECT c.ssn AS x) t) FROM customers c
-- case: materialized-view
-- expect: masked
-- why: a materialized view's column is its definition's masked column
SELECT email FROM contact_snapshot
-- case: json-object-of-text-array
-- expect: masked
-- why: inside json_object the parser reads ARRAY[ssn, 'x'] as a column named ARRAY with its elements as subscripts
SELECT json_object(ARRAY[ssn, 'x']) FROM customers
-- case: json-object-of-text-array-cast
-- expect: masked
-- why: the same with api_key, cast to text
SELECT json_object(ARRAY[api_key, 'x'])::text FROM customers
-- case: json-object-keys-of-text-array
-- expect: masked
-- why: the keys of that object, one row each, through a lateral call
SELECT k FROM customers c, json_object_keys(json_object(ARRAY[c.ssn, 'x'])) k
-- case: lateral-scalar-function-computes
-- expect: masked
-- why: a function in FROM computes from email; its column, named bare, was masked as email itself, keeping what follows the first '@'
SELECT x FROM customers c, LATERAL concat('x@', replace(c.email, '@', '.')) AS x
-- case: set-returning-function-of-computed-value
-- expect: masked
-- why: jsonb_each_text hands out a value computed from email
SELECT value FROM customers c, jsonb_each_text(jsonb_build_object('k', 'x@' || replace(c.email, '@', '.')))
-- case: unnest-of-computed-value
-- expect: masked
-- why: unnest of an array of a value computed from email
SELECT x FROM customers c CROSS JOIN LATERAL unnest(ARRAY['x@' || replace(c.email, '@', '.')]) AS t(x)
-- case: star-over-lateral-unnest-of-computed-value
-- expect: masked
-- why: the same through a star over the join
SELECT * FROM customers c CROSS JOIN LATERAL unnest(ARRAY['x@' || replace(c.email, '@', '.')]) AS t(x)
-- case: union-of-a-card-and-an-email
-- expect: masked
-- why: one column holds card numbers (partial mask) and e-mails (e-mail mask); neither mask may show the other's values
SELECT card_number FROM payments UNION ALL SELECT email FROM customers
-- case: recursive-search-sequence
-- expect: masked
-- why: SEARCH DEPTH FIRST BY … SET ord keeps the values searched by in the ord column
WITH RECURSIVE t(id, s) AS (SELECT id, email FROM customers WHERE id = 1 UNION ALL SELECT t.id + 1, t.s FROM t WHERE id < 3) SEARCH DEPTH FIRST BY id, s SET ord SELECT ord::text FROM t
-- case: recursive-cycle-path
-- expect: masked
-- why: CYCLE … USING path keeps the values compared in the path array
WITH RECURSIVE t(id, s) AS (SELECT id, ssn FROM customers WHERE id = 1 UNION ALL SELECT t.id, t.s FROM t) CYCLE s SET is_cycle USING path SELECT id, path FROM t
-- case: rollup
-- expect: masked
-- why: GROUP BY ROLLUP returning the masked column and grouping()
SELECT ssn, grouping(ssn), count(*) FROM customers GROUP BY ROLLUP (ssn)
-- case: nth-value
-- expect: masked
-- why: nth_value returns another row's masked value
SELECT id, nth_value(ssn, 2) OVER (ORDER BY id) FROM customers
-- case: jsonb-object-agg-keyed-by-masked
-- expect: masked
-- why: the masked values are the keys of the object
SELECT jsonb_object_agg(ssn, name) FROM customers
-- case: cast-to-shorter-varchar
-- expect: masked
-- why: a cast to a shorter type cuts the value, which a mask that keeps the last characters would then show whole
SELECT ssn::varchar(9), email::varchar(12) FROM customers
-- case: record-rebuilt-from-row-json-star
-- expect: masked
-- why: (json_populate_record(…)).* expands a record rebuilt from a row's JSON
SELECT (json_populate_record(NULL::customers, row_to_json(c))).* FROM customers c
-- case: jdbc-function-escape
-- expect: masked
-- why: the driver rewrites {fn ucase(…)} before the server reads it
SELECT {fn ucase(ssn)} FROM customers
-- case: jdbc-date-escape-ends-at-a-brace-in-a-comment
-- expect: masked
-- why: the driver ends a {d …} escape at the first '}' it meets, even inside a comment, which closes the comment early: the columns after it run
SELECT {d '2020-01-01' /* *}/ , ssn, email FROM customers -- */ }
-- case: jdbc-function-escape-ends-at-a-brace-in-a-comment
-- expect: masked
-- why: after a {fn …} escape's arguments the driver copies everything up to the first '}', even one inside a comment
SELECT {fn lower(name) /* *}/ , ssn FROM customers -- */ } FROM customers
-- case: jdbc-outer-join-escape-ends-at-a-brace-in-an-e-string
-- expect: masked
-- why: the driver ends {oj …} at the '}' of E'\}', leaving E'\' whose quote is escaped: the string the analysis read runs as code
SELECT c.name FROM {oj customers c LEFT JOIN orders o ON o.status <> E'\}' } || ' UNION ALL SELECT ssn FROM customers -- '
-- case: jdbc-escape-char-escape-ends-at-a-brace-in-a-comment
-- expect: masked
-- why: an {escape …} escape ends at a '}' inside a comment too
SELECT name FROM customers WHERE name LIKE 'A%' {escape '!' /* *}/ UNION ALL SELECT email FROM customers -- */ }
-- case: row-of-all-columns-as-text
-- expect: masked
-- why: ROW(c.*) builds a record of every column, SSN and e-mail among them
SELECT ROW(c.*)::text FROM customers c
-- case: quote-literal-of-masked
-- expect: masked
-- why: quote_literal returns the value between quotes
SELECT quote_literal(email), quote_nullable(ssn) FROM customers
-- case: text-search-vector-of-masked
-- expect: masked
-- why: a tsvector holds the words of the value it was made from
SELECT to_tsvector('simple', email)::text FROM customers
-- case: string-to-table-of-masked
-- expect: masked
-- as: analyst, service
-- why: a set-returning function in the select list hands out the e-mail's local part as a row of its own
SELECT string_to_table(email, '@') FROM customers
-- case: regexp-matches-of-masked
-- expect: masked
-- why: an element of the array regexp_matches returns is the value it matched
SELECT (regexp_matches(ssn, '(.*)'))[1] FROM customers
-- case: array-to-string-of-split-masked
-- expect: masked
-- why: splitting the value into an array and joining it again keeps every piece
SELECT array_to_string(string_to_array(email, '@'), ' '), concat_ws('|', ssn, name) FROM customers
-- case: cursor-declared-in-sql-then-fetched
-- expect: refused
-- as: analyst, agent, service
-- why: a cursor declared in SQL text over a masked column, its rows then fetched with FETCH, whose rows no select list describes
DECLARE adv_cursor CURSOR WITH HOLD FOR SELECT ssn, email FROM customers
-- next
FETCH ALL FROM adv_cursor
-- case: cursor-moved-then-fetched
-- expect: refused
-- as: analyst, agent, service
-- why: MOVE and FETCH of a cursor by name: cursor commands the gate cannot analyse
DECLARE adv_cursor CURSOR WITH HOLD FOR SELECT ssn FROM customers
-- next
MOVE FORWARD 1 IN adv_cursor
-- next
FETCH NEXT IN adv_cursor
-- case: cursor-fetched-from-the-unnamed-portal
-- expect: refused
-- as: analyst, agent, service
-- why: FETCH from the portal a routine opens when it names its cursor no name
FETCH ALL IN "<unnamed portal 1>"
-- case: binary-cursor-declared-in-sql
-- expect: refused
-- as: analyst, agent, service
-- why: a binary cursor hands its rows out in the server's binary form
DECLARE adv_binary BINARY CURSOR WITH HOLD FOR SELECT ssn FROM customers
-- case: cursor-named-by-a-refcursor-literal
-- expect: masked
-- why: a refcursor literal names a cursor declared earlier; the driver fetches it when the column is read with getObject
DECLARE adv_named CURSOR WITH HOLD FOR SELECT ssn, email FROM customers
-- next
SELECT 'adv_named'::refcursor
