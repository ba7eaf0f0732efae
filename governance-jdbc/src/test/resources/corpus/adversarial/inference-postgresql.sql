-- PostgreSQL inference and copy-out forms.
-- case: whole-row-text-predicate
-- expect: refused
-- as: agent
-- why: a whole-row reference cast to text in WHERE
SELECT id FROM customers c WHERE c::text LIKE '%-1%'
-- case: to-jsonb-predicate
-- expect: refused
-- as: agent
-- why: to_jsonb(row) in WHERE
SELECT id FROM customers c WHERE to_jsonb(c)->>'ssn' LIKE '1%'
-- case: row-to-json-predicate
-- expect: refused
-- as: agent
-- why: row_to_json(row) in WHERE
SELECT id FROM customers c WHERE row_to_json(c)::text LIKE '%olivia%'
-- case: distinct-on-masked
-- expect: refused
-- as: agent
-- why: DISTINCT ON a masked column
SELECT DISTINCT ON (ssn) id FROM customers ORDER BY ssn, id
-- case: lateral-predicate
-- expect: refused
-- as: agent
-- why: a LATERAL subquery filtering on the outer row's masked column
SELECT c.id FROM customers c CROSS JOIN LATERAL (SELECT 1 WHERE c.ssn LIKE '1%') x
-- case: count-filter-whole-row
-- expect: refused
-- as: agent
-- why: FILTER on a whole-row value
SELECT count(*) FILTER (WHERE c::text LIKE '%@%') FROM customers c
-- case: array-position-predicate
-- expect: refused
-- as: agent
-- why: a masked column inside an array compared in WHERE
SELECT id FROM customers WHERE ARRAY[ssn] && ARRAY['x']
-- case: set-config-copy-out
-- expect: masked
-- why: a masked value copied into a session setting, then read back
SELECT set_config('adv.x', ssn, false) FROM customers WHERE id = 1
-- next
SELECT current_setting('adv.x')
-- case: update-from-copy-out
-- expect: refused
-- as: service
-- why: UPDATE … FROM copies another table's masked column
UPDATE orders o SET status = c.ssn FROM customers c WHERE c.id = o.customer_id AND o.id = 1
-- case: cte-insert-copy-out
-- expect: refused
-- as: service
-- why: a CTE feeds a masked value to an INSERT
WITH s AS (SELECT ssn FROM customers WHERE id = 1) INSERT INTO orders (id, customer_id, total, status) SELECT 800, 1, 1, ssn FROM s
-- case: update-set-whole-row
-- expect: refused
-- as: service
-- why: UPDATE … SET x = whole row as text
UPDATE customers c SET city = left(c::text, 50) WHERE id = 1
-- case: insert-returning-into-clear
-- expect: refused
-- as: service
-- why: copy through a data-modifying CTE
WITH u AS (UPDATE customers SET city = city WHERE id = 2 RETURNING ssn) INSERT INTO orders (id, customer_id, total, status) SELECT 801, 2, 1, ssn FROM u
-- case: alias-view-insert-copy-out
-- expect: refused
-- as: service
-- why: a view's column that is a masked column under another name, copied into a clear column
INSERT INTO orders (id, customer_id, total, status) SELECT 802, 1, 1, left(contact, 20) FROM contact_aliases WHERE id = 1
-- case: alias-view-update-copy-out
-- expect: refused
-- as: service
-- why: UPDATE … SET from a view's column computed from a masked column
UPDATE orders SET status = (SELECT code FROM contact_aliases WHERE id = 1) WHERE id = 1
-- case: view-of-view-copy-out
-- expect: refused
-- as: service
-- why: a view over a view carries a masked column two levels down
INSERT INTO orders (id, customer_id, total, status) SELECT 803, 1, 1, left(badge, 20) FROM contact_badges WHERE id = 1
-- case: alias-view-predicate
-- expect: refused
-- as: agent
-- why: a view's column that is a masked column, probed in WHERE one question at a time
SELECT id FROM contact_aliases WHERE contact LIKE 'a%'
-- case: view-column-order-by
-- expect: refused
-- as: agent
-- why: sorting by a view's column computed from a masked column gives its order away
SELECT id FROM contact_aliases ORDER BY code
-- case: set-returning-count-in-from
-- expect: refused
-- as: agent
-- why: generate_series(1, x) gives x rows, so their count is the value: three counts read a whole SSN
SELECT count(*) FROM customers c, generate_series(1, substr(c.ssn, 1, 3)::int) g WHERE c.id = 1
-- case: set-returning-count-cross-join-lateral
-- expect: refused
-- as: agent
-- why: the same as a CROSS JOIN LATERAL
SELECT count(*) FROM customers c CROSS JOIN LATERAL generate_series(1, substr(c.ssn, 5, 2)::int) g WHERE c.id = 1
-- case: set-returning-count-in-lateral-subquery
-- expect: refused
-- as: agent
-- why: the set-returning function inside a LATERAL subquery fed by the outer row
SELECT count(*) FROM customers c, LATERAL (SELECT * FROM generate_series(1, substr(c.ssn, 8, 4)::int)) x WHERE c.id = 1
-- case: set-returning-count-in-select-list
-- expect: refused
-- as: agent
-- why: a set-returning function in a derived table's select list multiplies its rows
SELECT count(*) FROM (SELECT generate_series(1, substr(ssn, 1, 3)::int) FROM customers WHERE id = 1) x
-- case: set-returning-count-of-scalar-subquery
-- expect: refused
-- as: agent
-- why: the bound is a scalar subquery over the masked column
SELECT count(*) FROM generate_series(1, (SELECT substr(ssn, 8, 4)::int FROM customers WHERE id = 1))
-- case: set-returning-count-rows-from
-- expect: refused
-- as: agent
-- why: ROWS FROM (…) around the set-returning function
SELECT count(*) FROM customers c, ROWS FROM (generate_series(1, substr(c.ssn, 1, 3)::int)) g WHERE c.id = 1
-- case: set-returning-count-of-split-parts
-- expect: refused
-- as: agent
-- why: how many pieces a split gives tells where the separator stands
SELECT count(*) FROM customers c, unnest(string_to_array(c.ssn, '1')) u WHERE c.id = 1
-- case: set-returning-count-of-characters
-- expect: refused
-- as: agent
-- why: regexp_split_to_table of an e-mail counts its characters
SELECT count(*) FROM customers c, regexp_split_to_table(c.email, '') WHERE c.id = 1
-- case: set-returning-count-of-json-elements
-- expect: refused
-- as: agent
-- why: jsonb_array_elements of an array built from the masked column
SELECT count(*) FROM customers c, jsonb_array_elements(to_jsonb(string_to_array(c.ssn, '1'))) WHERE c.id = 1
-- case: advisory-lock-key-copy-out
-- expect: refused
-- as: analyst, agent, service
-- why: an advisory lock keyed by each character of the SSN stays held; another session reads the key by probing pg_try_advisory_lock(position, code)
SELECT pg_advisory_lock(p, ascii(substr(ssn, p, 1))) FROM customers, generate_series(1, 11) p WHERE id = 1
-- case: advisory-lock-whole-value-copy-out
-- expect: refused
-- as: analyst, agent, service
-- why: the whole SSN as one bigint key
SELECT pg_advisory_lock(replace(ssn, '-', '')::bigint) FROM customers WHERE id = 1
-- case: advisory-lock-shared-copy-out
-- expect: refused
-- as: analyst, agent, service
-- why: a shared lock held for the transaction, keyed by a card number
SELECT pg_try_advisory_lock_shared(substr(card_number, 1, 9)::int, substr(card_number, 10, 7)::int) FROM payments WHERE id = 1
-- case: set-returning-count-over-whole-row
-- expect: refused
-- as: agent
-- why: the bound is cut out of a whole row's text, whose columns the analysis cannot tell apart from masked ones
SELECT count(*) FROM generate_series(1, (SELECT substr(c::text, 3, 3)::int FROM customers c WHERE id = 1))
-- case: set-returning-rows-of-whole-row-json
-- expect: refused
-- as: agent
-- why: the keys left after stripping nulls from a row's JSON say which columns are null
SELECT count(*) FROM jsonb_each_text((SELECT jsonb_strip_nulls(to_jsonb(c)) FROM customers c WHERE id = 12))
-- case: error-cast-shorthand
-- expect: refused
-- as: agent
-- why: ::int of a piece of the masked column fails only for non-digits
SELECT substr(ssn, 4, 1)::int FROM customers WHERE id = 1
-- case: error-repeat-too-large
-- expect: refused
-- as: agent
-- why: repeat fails with "requested length too large" only for large enough SSN prefixes
SELECT length(repeat('x', substr(ssn, 1, 3)::int * 10000000)) FROM customers WHERE id = 1
-- case: error-chr-zero
-- expect: refused
-- as: agent
-- why: chr(0) fails ("null character not permitted") only when the first digit is '1'
SELECT chr(ascii(ssn) - 49) FROM customers WHERE id = 1
-- case: error-sqrt-negative
-- expect: refused
-- as: agent
-- why: the square root of a negative number fails, of any other does not
SELECT sqrt(ascii(ssn) - 50) FROM customers WHERE id = 1
-- case: error-log-zero
-- expect: refused
-- as: agent
-- why: the logarithm of zero fails
SELECT ln(ascii(ssn) - 49) FROM customers WHERE id = 1
-- case: error-numeric-overflow
-- expect: refused
-- as: agent
-- why: a numeric(3,0) overflows only for SSN prefixes of four digits or more
SELECT (substr(ssn, 1, 3)::int * 10)::numeric(3, 0) FROM customers WHERE id = 1
-- case: error-integer-overflow
-- expect: refused
-- as: agent
-- why: integer multiplication overflows for large enough values
SELECT ascii(ssn) * 50000000 FROM customers WHERE id = 1
-- case: error-to-date
-- expect: refused
-- as: agent
-- why: to_date of the masked column fails or not depending on its value
SELECT to_date(ssn, 'YYYY-MM-DD') FROM customers WHERE id = 1
-- case: error-cast-jsonb
-- expect: refused
-- as: agent
-- why: a cast to jsonb fails for values that are not JSON
SELECT ssn::jsonb FROM customers WHERE id = 1
-- case: error-regexp-pattern
-- expect: refused
-- as: agent
-- why: the masked value used as a regular expression fails to compile for some values
SELECT regexp_replace('x', email, 'y') FROM customers WHERE id = 1
-- case: error-format-specifier
-- expect: refused
-- as: agent
-- why: format() fails on an unknown specifier that the masked value may hold
SELECT format(replace(ssn, '1', '%')) FROM customers WHERE id = 1
-- case: error-lateral-computes
-- expect: refused
-- as: agent
-- why: a LATERAL subquery divides by a function of the masked column
SELECT l.x FROM customers c, LATERAL (SELECT 1 / (ascii(c.ssn) - 49) AS x) l WHERE c.id = 1
-- case: error-array-subscript-cast
-- expect: refused
-- as: agent
-- why: a cast of an array element cut from the masked column
SELECT (string_to_array(ssn, '-'))[2]::int FROM customers WHERE id = 1
-- case: error-count-of-division
-- expect: refused
-- as: agent
-- why: count(expr) evaluates expr, whose errors answer questions about the masked column
SELECT count(1 / (ascii(substr(ssn, 1, 1)) - 49)) FROM customers WHERE id = 1
-- case: error-whole-row-text-cast
-- expect: refused
-- as: agent
-- why: a computation on the whole row's text includes the masked columns
SELECT (substr(c::text, 4, 1))::int FROM customers c WHERE id = 1
-- case: any-array-predicate-on-masked
-- expect: refused
-- as: agent
-- why: an array comparison on a masked column in WHERE is a filter on it, as = is
SELECT id FROM customers WHERE ssn = ANY(ARRAY['123-45-6789', '987-65-4321'])
-- case: any-array-of-masked-predicate
-- expect: refused
-- as: agent
-- why: the masked column inside the array of ANY
SELECT id FROM customers WHERE '123-45-6789' = ANY(ARRAY[ssn])
-- case: database-to-xml-predicate
-- expect: refused
-- as: agent
-- why: database_to_xml reads every table, masked columns included, where no column reference shows it; a WHERE on it answers whether an SSN is there
SELECT count(*) FROM customers WHERE database_to_xml(true, false, '')::text LIKE '%138-18-1624%'
-- case: table-to-xml-predicate
-- expect: refused
-- as: agent
-- why: table_to_xml names the table in a string; a WHERE on its text probes the masked columns
SELECT id FROM customers WHERE strpos(table_to_xml('customers', true, false, '')::text, '<ssn>1') > 0
-- case: schema-to-xml-having
-- expect: refused
-- as: agent
-- why: schema_to_xml tested in HAVING
SELECT city FROM customers GROUP BY city HAVING schema_to_xml('public', true, false, '')::text LIKE '%@example.org%'
-- case: table-to-xml-join
-- expect: refused
-- as: agent
-- why: table_to_xml tested in a JOIN condition
SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id AND table_to_xml('customers', true, false, '')::text LIKE '%<ssn>1%'
-- case: table-to-xml-probes-a-schema-no-one-may-read
-- expect: refused
-- as: analyst, agent
-- why: table_to_xml names a table of a schema no rule permits in a string; a WHERE on its text reads it a question at a time
SELECT count(*) FROM customers WHERE table_to_xml('adv_vault.notes', true, false, '')::text LIKE '%note vault%'
-- case: table-to-xml-of-a-schema-no-one-may-read
-- expect: refused
-- as: analyst, agent
-- why: table_to_xml, a built-in of the catalog, reads the table its argument names: a select on a table no rule permits
SELECT table_to_xml('adv_vault.notes', true, false, '')
-- case: hypothetical-rank-of-a-guess
-- expect: refused
-- as: agent
-- why: rank(guess) WITHIN GROUP (ORDER BY ssn) says where a guess falls among the values
SELECT rank('200-00-0000') WITHIN GROUP (ORDER BY ssn) FROM customers
-- case: fetch-first-with-ties
-- expect: refused
-- as: agent
-- why: WITH TIES over ORDER BY a masked column
SELECT id FROM customers ORDER BY ssn FETCH FIRST 1 ROWS WITH TIES
-- case: nullif-of-a-guess
-- expect: refused
-- as: agent
-- why: NULLIF(ssn, guess) is null exactly when the guess is right
SELECT nullif(ssn, '138-18-1624') FROM customers WHERE id = 1
-- case: natural-join-on-a-guess
-- expect: refused
-- as: agent
-- why: a natural join compares ssn with a guess named ssn
SELECT count(*) FROM customers c NATURAL JOIN (SELECT '138-18-1624'::varchar AS ssn) g
-- case: join-using-a-values-guess
-- expect: refused
-- as: agent
-- why: JOIN … USING (ssn) against a VALUES list of guesses
SELECT count(*) FROM customers c JOIN (VALUES ('138-18-1624')) v(ssn) USING (ssn)
-- case: comparison-in-select-list
-- expect: refused
-- as: agent
-- why: a comparison with a guess returned as a boolean
SELECT ssn = '138-18-1624' FROM customers
-- case: whole-row-in-subquery-of-rows
-- expect: refused
-- as: agent
-- why: a whole row compared with the rows of a subquery
SELECT id FROM customers c WHERE c IN (SELECT c2 FROM customers c2)
-- case: aggregate-filter-on-nullness
-- expect: refused
-- as: agent
-- why: FILTER (WHERE masked IS NOT NULL)
SELECT max(id) FILTER (WHERE ssn IS NOT NULL) FROM customers
-- case: recursive-cycle-compares-values
-- expect: refused
-- as: agent
-- why: CYCLE compares the values of a masked column from row to row
WITH RECURSIVE t(id, s) AS (SELECT id, ssn FROM customers WHERE id = 1 UNION ALL SELECT t.id, t.s FROM t) CYCLE s SET is_cycle USING path SELECT id FROM t
-- case: explain-analyze-row-count-of-a-guess
-- expect: refused
-- as: analyst, agent
-- why: EXPLAIN ANALYZE prints how many rows a filter on the masked column kept: an answer to a guess
EXPLAIN ANALYZE SELECT id FROM customers WHERE ssn LIKE '1%'
-- case: field-of-row-star-predicate
-- expect: refused
-- as: agent
-- why: a field of c.* in WHERE
SELECT id FROM customers c WHERE (c.*).ssn LIKE '1%'
-- case: order-by-field-of-row
-- expect: refused
-- as: agent
-- why: ORDER BY a field of the whole row
SELECT id FROM customers c ORDER BY (c).ssn
-- case: whole-row-compared-with-a-row
-- expect: refused
-- as: agent
-- why: the whole row compared with a row constructor: after equal ids and names, the e-mail decides
SELECT count(*) FROM customers c WHERE c < ROW(1, 'x', 'x', 'x', 'x', 'x', DATE '2000-01-01')
-- case: aggregate-order-by-masked
-- expect: refused
-- as: agent
-- why: an aggregate's own ORDER BY on a masked column hands out the ids in SSN order
SELECT string_agg(id::text, ',' ORDER BY ssn) FROM customers
-- case: named-window-order-by-masked
-- expect: refused
-- as: agent
-- why: a named WINDOW ordering by a masked column
SELECT id, row_number() OVER w FROM customers WINDOW w AS (ORDER BY ssn)
-- case: unnested-rows-predicate
-- expect: refused
-- as: agent
-- why: a field of unnested whole rows tested in WHERE
SELECT u.id FROM unnest((SELECT array_agg(c) FROM customers c)) u WHERE u.ssn LIKE '1%'
-- case: populated-recordset-predicate
-- expect: refused
-- as: agent
-- why: jsonb_populate_recordset of every row, its ssn tested
SELECT count(*) FROM jsonb_populate_recordset(NULL::customers, (SELECT jsonb_agg(c) FROM customers c)) r WHERE r.ssn LIKE '1%'
-- case: json-to-recordset-predicate
-- expect: refused
-- as: agent
-- why: json_to_recordset of every row, the caller's column tested
SELECT count(*) FROM json_to_recordset((SELECT json_agg(c) FROM customers c)) AS x(ssn text) WHERE x.ssn LIKE '1%'
-- case: grouping-cube-on-masked
-- expect: refused
-- as: agent
-- why: GROUP BY CUBE on a masked column
SELECT count(*) FROM customers GROUP BY CUBE (ssn)
-- case: notnull-postfix-in-select
-- expect: refused
-- as: agent
-- why: PostgreSQL's postfix NOTNULL on a masked column in the select list
SELECT id, ssn NOTNULL FROM customers
-- case: md5-equality-probe
-- expect: refused
-- as: agent
-- why: md5 of a masked value compared with the md5 of a guess
SELECT id FROM customers WHERE md5(ssn) = md5('078-05-1120')
-- case: character-probe-through-generate-series
-- expect: refused
-- as: agent
-- why: substr at every position of a series tested against a guess
SELECT i FROM customers c, generate_series(1, 11) i WHERE c.id = 1 AND substr(c.ssn, i, 1) = '1'
-- case: insert-from-unnested-rows
-- expect: refused
-- as: service
-- why: a masked field of unnested whole rows copied into a table
INSERT INTO orders (id, customer_id, total, status) SELECT 920, 1, 1, u.ssn FROM unnest((SELECT array_agg(c) FROM customers c)) u LIMIT 1
-- case: insert-from-populated-recordset
-- expect: refused
-- as: service
-- why: jsonb_populate_recordset of every row copied into a table
INSERT INTO orders (id, customer_id, total, status) SELECT 921, 1, 1, r.ssn FROM jsonb_populate_recordset(NULL::customers, (SELECT jsonb_agg(c) FROM customers c)) r LIMIT 1
-- case: update-row-set-from-subquery
-- expect: refused
-- as: service
-- why: a multi-column SET from a subquery that reads a masked column
UPDATE orders SET (status, total) = (SELECT ssn, 1 FROM customers WHERE id = 1) WHERE id = 1
-- case: update-set-field-of-joined-row
-- expect: refused
-- as: service
-- why: UPDATE … FROM copying a field of the joined whole row
UPDATE orders SET status = (c).ssn FROM customers c WHERE c.id = orders.customer_id AND orders.id = 1
-- case: returning-cte-copies-into-a-table
-- expect: refused
-- as: service
-- why: a data-modifying CTE's RETURNING of a masked column fed to an INSERT
WITH x AS (UPDATE customers SET city = city WHERE id = 1 RETURNING ssn) INSERT INTO orders (id, customer_id, total, status) SELECT 922, 1, 1, ssn FROM x
-- case: view-column-tested-inside-a-subquery-of-another-table
-- expect: refused
-- as: agent
-- why: tax_ref (ssn) of the outer view tested inside EXISTS over orders
SELECT id FROM customer_contacts WHERE EXISTS (SELECT 1 FROM orders WHERE tax_ref LIKE '1%')
-- case: alias-list-name-tested-inside-a-subquery-of-another-table
-- expect: refused
-- as: agent
-- why: t (ssn) of the outer alias list tested inside EXISTS over orders
SELECT i FROM customers AS c(i, n, e, t) WHERE EXISTS (SELECT 1 FROM orders WHERE t LIKE '1%')
-- case: view-column-inside-a-subquery-copied-into-a-table
-- expect: refused
-- as: service
-- why: tax_ref (ssn) of the outer view, named inside a subquery over payments, copied into orders
INSERT INTO orders (id, customer_id, total, status) SELECT 951, 1, 1, (SELECT tax_ref FROM payments LIMIT 1) FROM customer_contacts WHERE id = 1
-- case: alias-list-name-inside-a-subquery-copied-into-a-table
-- expect: refused
-- as: service
-- why: t (ssn) of the outer alias list, named inside a subquery over payments, copied into orders
INSERT INTO orders (id, customer_id, total, status) SELECT 952, 1, 1, (SELECT t FROM payments LIMIT 1) FROM customers AS c(i, n, e, t) WHERE i = 1
