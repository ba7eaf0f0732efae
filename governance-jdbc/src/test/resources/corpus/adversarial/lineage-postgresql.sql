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
-- case: field-of-row-star
-- expect: masked
-- why: a field of the whole row written as c.*
SELECT (c.*).email FROM customers c
-- case: jsonb-path-text-of-whole-row
-- expect: masked
-- why: a #>> path into the whole row as JSON
SELECT to_jsonb(c) #>> '{email}' FROM customers c
-- case: field-of-jsonb-each-text-in-select
-- expect: masked
-- why: a field of jsonb_each_text's record, called in the select list
SELECT (jsonb_each_text(to_jsonb(c))).value FROM customers c
-- case: field-of-derived-whole-row
-- expect: masked
-- why: a field of a whole row handed through a derived table
SELECT (s.x).email FROM (SELECT c AS x FROM customers c) s
-- case: array-to-json-of-rows
-- expect: masked
-- why: every row as JSON in one array
SELECT array_to_json(array_agg(c)) FROM customers c
-- case: json-path-into-aggregated-rows
-- expect: masked
-- why: -> and ->> into a JSON array of whole rows
SELECT jsonb_agg(c) -> 0 ->> 'email' FROM customers c
-- case: jsonb-of-row-minus-a-key
-- expect: masked
-- why: the whole row as JSON with another key removed
SELECT to_jsonb(c) - 'name' FROM customers c
-- case: jsonb-each-value-in-lateral
-- expect: masked
-- why: the values of the whole row as JSON, one per row of a LATERAL jsonb_each
SELECT j.value FROM customers c CROSS JOIN LATERAL jsonb_each(to_jsonb(c)) j
-- case: field-of-row-cast-to-its-type
-- expect: masked
-- why: a field of the whole row cast to its own type
SELECT (c::customers).email FROM customers c
-- case: field-of-row-constructor-cast
-- expect: masked
-- why: a field of ROW(c.*) cast to the table's type
SELECT (ROW(c.*)::customers).ssn FROM customers c
-- case: format-of-whole-row
-- expect: masked
-- why: format('%s') of the whole row
SELECT format('%s', c) FROM customers c
-- case: concat-ws-of-row-star
-- expect: masked
-- why: concat_ws over c.*, which expands to every column
SELECT concat_ws(',', c.*) FROM customers c
-- case: array-of-row-star
-- expect: masked
-- why: an ARRAY constructor over c.*
SELECT array[c.*]::text FROM customers c
-- case: lateral-whole-row-renamed
-- expect: masked
-- why: a LATERAL subquery selecting the outer whole row, renamed by an alias list
SELECT v FROM customers c, LATERAL (SELECT c) AS l(v)
-- case: lateral-row-star
-- expect: masked
-- why: a LATERAL subquery selecting c.*
SELECT l.* FROM customers c, LATERAL (SELECT c.*) AS l
-- case: derived-star-alias-list-third
-- expect: masked
-- why: a derived table of * renamed by a short alias list: x is the third column, email
SELECT x FROM (SELECT * FROM customers) AS s(a, b, x)
-- case: derived-table-as-whole-row
-- expect: masked
-- why: a derived table's alias used as a whole-row value
SELECT s FROM (SELECT * FROM customers) AS s
-- case: table-statement
-- expect: masked
-- why: PostgreSQL's TABLE statement reads every column
TABLE customers
-- case: field-of-table-name-row
-- expect: masked
-- why: a field of the table's name used as a whole row
SELECT (customers).ssn FROM customers
-- case: string-agg-of-whole-rows
-- expect: masked
-- why: string_agg over whole rows as text
SELECT string_agg(c::text, ';') FROM customers c
-- case: textcat-of-masked
-- expect: masked
-- why: textcat, the function behind ||
SELECT textcat(email, '') FROM customers
-- case: operator-named-concatenation
-- expect: masked
-- why: OPERATOR(pg_catalog.||) spelled out
SELECT email OPERATOR(pg_catalog.||) '' FROM customers
-- case: xmlforest-of-masked
-- expect: masked
-- why: xmlforest of a masked column
SELECT xmlforest(email) FROM customers
-- case: xmlagg-of-masked
-- expect: masked
-- why: xmlagg of xmlelement of a masked column
SELECT xmlagg(xmlelement(name e, email)) FROM customers
-- case: json-to-recordset-of-rows
-- expect: masked
-- why: json_to_recordset over every row as JSON, its column named by the caller
SELECT * FROM json_to_recordset((SELECT json_agg(c) FROM customers c)) AS x(email text)
-- case: jsonb-to-record-of-row
-- expect: masked
-- why: jsonb_to_record of the whole row
SELECT r.* FROM customers c, jsonb_to_record(to_jsonb(c)) AS r(ssn text)
-- case: jsonb-populate-record-field
-- expect: masked
-- why: jsonb_populate_record's column named like the table's
SELECT r.ssn FROM customers c, jsonb_populate_record(NULL::customers, to_jsonb(c)) r
-- case: jsonb-populate-recordset-star
-- expect: masked
-- why: jsonb_populate_recordset of every row, expanded by *
SELECT * FROM jsonb_populate_recordset(NULL::customers, (SELECT jsonb_agg(c) FROM customers c))
-- case: unnest-of-row-array-star
-- expect: masked
-- why: unnest of an array of whole rows, expanded into the table's columns
SELECT * FROM unnest((SELECT array_agg(c) FROM customers c))
-- case: unnest-of-row-array-field
-- expect: masked
-- why: a column of unnest of an array of whole rows, named like the table's
SELECT u.ssn FROM unnest((SELECT array_agg(c) FROM customers c)) u
-- case: unnest-of-row-array-subquery-bare-name
-- expect: masked
-- why: ARRAY(SELECT c …) unnested, its column read by its bare name
SELECT ssn FROM unnest(ARRAY(SELECT c FROM customers c))
-- case: field-of-unnested-row-in-select
-- expect: masked
-- why: a field of unnest(array_agg(c)) in the select list
SELECT (unnest(array_agg(c))).ssn FROM customers c
-- case: field-of-materialized-cte-row
-- expect: masked
-- why: a field of a whole row passed through a MATERIALIZED CTE
WITH w AS MATERIALIZED (SELECT c FROM customers c) SELECT (w.c).ssn FROM w
-- case: star-over-lateral-field
-- expect: masked
-- why: * over a LATERAL subquery selecting a masked field of the outer row
SELECT * FROM customers c, LATERAL (SELECT c.ssn AS s) l
-- case: view-column-named-inside-a-subquery-of-another-table
-- expect: masked
-- why: a scalar subquery over orders names tax_ref, which orders lacks, so it is the outer view's column (ssn)
SELECT (SELECT tax_ref FROM orders LIMIT 1) FROM customer_contacts
-- case: view-column-named-inside-a-lateral-of-another-table
-- expect: masked
-- why: a LATERAL subquery over orders names contact, the outer view's column (email)
SELECT l.x FROM customer_contacts, LATERAL (SELECT contact AS x FROM orders LIMIT 1) l
-- case: alias-list-name-inside-a-subquery-of-another-table
-- expect: masked
-- why: a scalar subquery over orders names t, the fourth name of the outer table's alias list (ssn)
SELECT (SELECT t FROM orders LIMIT 1) FROM customers AS c(i, n, e, t)
-- case: alias-list-name-inside-a-lateral-of-another-table
-- expect: masked
-- why: a LATERAL subquery names e, the third name of the outer table's alias list (email)
SELECT l.x FROM customers AS c(i, n, e), LATERAL (SELECT e AS x FROM orders LIMIT 1) l
