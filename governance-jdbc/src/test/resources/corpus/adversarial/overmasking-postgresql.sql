-- PostgreSQL values that are not sensitive come back exactly as through the raw driver.
-- case: version
-- expect: clear
-- why: version()
SELECT version()
-- case: current-setting-server-version
-- expect: clear
-- why: current_setting of a server setting
SELECT current_setting('server_version')
-- case: current-setting-search-path
-- expect: clear
-- why: current_setting('search_path')
SELECT current_setting('search_path')
-- case: generate-series-select-list
-- expect: clear
-- why: a set-returning function over literals in the select list
SELECT generate_series(1, 3)
-- case: generate-series-from
-- expect: clear
-- why: generate_series in FROM with an alias
SELECT g FROM generate_series(1, 3) g
-- case: unnest-literal-array
-- expect: clear
-- why: unnest of a literal array
SELECT unnest(ARRAY['a', 'b'])
-- case: unnest-with-ordinality
-- expect: clear
-- why: unnest WITH ORDINALITY of literals
SELECT * FROM unnest(ARRAY[1, 2]) WITH ORDINALITY
-- case: whole-row-derived-without-sensitive
-- expect: clear
-- why: a whole row of a derived table with no sensitive column
SELECT d FROM (SELECT id, name FROM customers) d ORDER BY d.id
-- case: to-jsonb-derived-without-sensitive
-- expect: clear
-- why: to_jsonb of such a row
SELECT to_jsonb(d) FROM (SELECT id, name FROM customers) d ORDER BY d.id
-- case: row-to-json-clear-table
-- expect: clear
-- why: row_to_json of a table without a sensitive column
SELECT row_to_json(o) FROM orders o ORDER BY o.id
-- case: whole-row-clear-table
-- expect: clear
-- why: a whole-row reference of a table without a sensitive column
SELECT o FROM orders o ORDER BY o.id
-- case: current-database
-- expect: clear
-- why: current_database()
SELECT current_database()
-- case: format-clear
-- expect: clear
-- why: format over clear columns
SELECT format('%s-%s', id, name) FROM customers ORDER BY id
-- case: string-agg-clear
-- expect: clear
-- why: string_agg over a clear column
SELECT string_agg(name, ',' ORDER BY id) FROM customers
-- case: json-build-object-clear
-- expect: clear
-- why: json_build_object of clear columns
SELECT json_build_object('n', name) FROM customers ORDER BY id
-- case: array-agg-clear
-- expect: clear
-- why: array_agg of a clear column
SELECT array_agg(city ORDER BY id) FROM customers
-- case: json-each-literal
-- expect: clear
-- why: a set-returning function over a literal
SELECT * FROM json_each_text('{"a": "1", "b": "2"}')
-- case: regexp-split-literal
-- expect: clear
-- why: regexp_split_to_table over a literal
SELECT regexp_split_to_table('a,b', ',')
-- case: unnest-alias-list-literal
-- expect: clear
-- why: unnest with a column alias list
SELECT x FROM unnest(ARRAY['p', 'q']) AS t(x)
-- case: distinct-on-clear
-- expect: clear
-- why: DISTINCT ON a clear column
SELECT DISTINCT ON (city) city, name FROM customers ORDER BY city, name
-- case: filter-on-clear
-- expect: clear
-- why: an aggregate FILTER on a clear column
SELECT count(*) FILTER (WHERE city = 'Lyon') FROM customers
-- case: current-schema
-- expect: clear
-- why: current_schema()
SELECT current_schema()
-- case: has-table-privilege
-- expect: clear
-- why: a privilege check function
SELECT has_table_privilege('customers', 'select')
-- case: quote-ident-clear
-- expect: clear
-- why: quote_ident over a clear column
SELECT quote_ident(name) FROM customers ORDER BY id
-- case: lateral-clear
-- expect: clear
-- why: a LATERAL subquery of clear columns
SELECT c.id, l.total FROM customers c CROSS JOIN LATERAL (SELECT max(total) AS total FROM orders o WHERE o.customer_id = c.id) l ORDER BY c.id
-- case: pg-typeof
-- expect: clear
-- why: pg_typeof of a literal
SELECT pg_typeof(1)
-- case: jsonb-each-clear-row
-- expect: clear
-- as: analyst, service
-- why: jsonb_each_text over a row of clear columns (an agent may not: how many rows a set-returning function gives over a whole row answers a question about it, see inference)
SELECT * FROM jsonb_each_text((SELECT to_jsonb(o) FROM orders o WHERE id = 1)) ORDER BY key
-- case: view-clear-columns
-- expect: clear
-- why: the columns of a view that come from clear columns stay clear
SELECT id, name FROM contact_aliases ORDER BY id
-- case: sequence-values-clear
-- expect: clear
-- as: service
-- why: a sequence's values come back as they are to an identity that may insert (advancing a sequence is an insert): an id generator's SELECT nextval('…') read as masked would give every new row the same id (each run's values differ, so what is compared is computed from them)
SELECT nextval('customers_id_seq')
-- next
SELECT currval('customers_id_seq') = lastval(), currval('customers_id_seq') >= 1000, nextval('customers_id_seq') - currval('customers_id_seq')
