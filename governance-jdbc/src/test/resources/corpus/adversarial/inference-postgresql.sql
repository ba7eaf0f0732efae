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
-- case: view-column-insert-copy-out
-- expect: refused
-- as: service
-- why: a view's column that is a masked column under another name, copied into a clear column
INSERT INTO orders (id, customer_id, total, status) SELECT 802, 1, 1, left(contact, 20) FROM contact_aliases WHERE id = 1
-- case: view-column-update-copy-out
-- expect: refused
-- as: service
-- why: UPDATE … SET from a view's column computed from a masked column
UPDATE orders SET status = (SELECT code FROM contact_aliases WHERE id = 1) WHERE id = 1
-- case: view-of-view-copy-out
-- expect: refused
-- as: service
-- why: a view over a view carries a masked column two levels down
INSERT INTO orders (id, customer_id, total, status) SELECT 803, 1, 1, left(badge, 20) FROM contact_badges WHERE id = 1
-- case: view-column-predicate
-- expect: refused
-- as: agent
-- why: a view's column that is a masked column, probed in WHERE one question at a time
SELECT id FROM contact_aliases WHERE contact LIKE 'a%'
-- case: view-column-order-by
-- expect: refused
-- as: agent
-- why: sorting by a view's column computed from a masked column gives its order away
SELECT id FROM contact_aliases ORDER BY code
