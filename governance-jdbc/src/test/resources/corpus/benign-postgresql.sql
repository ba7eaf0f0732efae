-- case: upsert on conflict do update
INSERT INTO customers (id, name, country) VALUES (1, 'Ada L.', 'GB') ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name
-- case: upsert on conflict do nothing
INSERT INTO customers (id, name, country) VALUES (2, 'Someone', 'GB') ON CONFLICT DO NOTHING
-- case: json arrow operators
SELECT id, payload->>'kind' AS kind, payload->'meta'->>'source' AS source FROM events ORDER BY id
-- case: json containment
SELECT id FROM events WHERE payload @> '{"kind": "click"}' ORDER BY id
-- case: json path operator
SELECT id, payload #>> '{meta,source}' FROM events ORDER BY id
-- case: json functions
SELECT id, jsonb_array_length(payload->'tags') FROM events WHERE jsonb_typeof(payload->'tags') = 'array' ORDER BY id
-- case: double-colon casts
SELECT id, total::int, placed::text FROM orders ORDER BY id
-- case: ilike
SELECT id FROM customers WHERE name ILIKE 'a%' ORDER BY id
-- case: returning
UPDATE orders SET status = 'held' WHERE id = 4 RETURNING id, status
-- case: distinct on
SELECT DISTINCT ON (customer_id) customer_id, id, total FROM orders ORDER BY customer_id, total DESC, id
-- case: aggregate filter
SELECT COUNT(*) FILTER (WHERE total > 100) AS big, COUNT(*) AS all_orders FROM orders
-- case: string_agg
SELECT customer_id, string_agg(status, ',' ORDER BY id) FROM orders GROUP BY customer_id ORDER BY customer_id
-- case: generate_series
SELECT g FROM generate_series(1, 5) AS g
-- case: lateral join
SELECT c.id, last.total FROM customers c CROSS JOIN LATERAL (SELECT total FROM orders o WHERE o.customer_id = c.id ORDER BY id DESC LIMIT 1) last ORDER BY c.id
-- case: array overlap
SELECT ARRAY[1, 2, 3] && ARRAY[3, 4]
-- case: a dollar-quoted string
SELECT $$it's fine; really$$
-- case: like with a backslash escape character, as JPA repositories write it
SELECT id FROM customers WHERE name LIKE 'A%' ESCAPE '\' ORDER BY id
-- case: a Windows path in a string
SELECT id FROM customers WHERE name <> 'C:\temp\file' ORDER BY id
-- case: set transaction isolation level read committed
SET TRANSACTION ISOLATION LEVEL READ COMMITTED
-- case: set transaction isolation level repeatable read, read only
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
-- case: set session characteristics as transaction isolation level read committed
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
-- case: set constraints all deferred
SET CONSTRAINTS ALL DEFERRED
-- case: set constraints all immediate
SET CONSTRAINTS ALL IMMEDIATE
-- case: pg_dump's header sets where new tables are kept
SET default_tablespace = ''
-- case: pg_dump's header sets how new tables are kept
SET default_table_access_method = heap
-- case: an array comparison with any
SELECT id, name FROM customers WHERE id = ANY('{1,3,5}'::int[]) ORDER BY id
-- case: an array comparison with all
SELECT id FROM customers WHERE id <> ALL(ARRAY[1, 2]) ORDER BY id
-- case: a temporary sequence
CREATE TEMP SEQUENCE scratch_numbers
-- case: a temporary sequence with options
CREATE TEMPORARY SEQUENCE scratch_steps START 10 INCREMENT BY 5
-- case: group by rollup
SELECT customer_id, count(*) FROM orders GROUP BY ROLLUP (customer_id) ORDER BY customer_id NULLS FIRST
-- case: group by cube with grouping
SELECT customer_id, status, GROUPING(customer_id, status), count(*) FROM orders GROUP BY CUBE (customer_id, status) ORDER BY 1 NULLS FIRST, 2 NULLS FIRST
-- case: full-text search
SELECT id FROM customers WHERE to_tsvector('simple', name) @@ plainto_tsquery('simple', 'ada') ORDER BY id
