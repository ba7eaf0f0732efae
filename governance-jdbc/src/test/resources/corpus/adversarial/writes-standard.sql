-- Unbounded writes: an UPDATE or DELETE whose WHERE is true of every row is refused like one without.
-- case: delete-key-in-same-table
-- expect: refused
-- as: service, baseline
-- why: WHERE key IN (SELECT key FROM the same table) holds for every row
DELETE FROM payments WHERE id IN (SELECT id FROM payments)
-- case: update-key-in-same-table
-- expect: refused
-- as: service, baseline
-- why: UPDATE … WHERE key IN (SELECT key FROM the same table)
UPDATE orders SET status = 'x' WHERE id IN (SELECT id FROM orders)
-- case: delete-key-in-same-table-aliased
-- expect: refused
-- as: service, baseline
-- why: the same table under another alias in the subquery
DELETE FROM orders WHERE id IN (SELECT o2.id FROM orders o2)
-- case: delete-non-key-in-same-table
-- expect: refused
-- as: service, baseline
-- why: a NOT NULL column IN the same column of the same table
DELETE FROM orders WHERE customer_id IN (SELECT customer_id FROM orders)
-- case: delete-pk-is-not-null
-- expect: refused
-- as: service, baseline
-- why: IS NOT NULL on the primary key
DELETE FROM payments WHERE id IS NOT NULL
-- case: update-not-null-column-is-not-null
-- expect: refused
-- as: service, baseline
-- why: IS NOT NULL on a NOT NULL column
UPDATE orders SET total = 0 WHERE customer_id IS NOT NULL
-- case: delete-not-is-null
-- expect: refused
-- as: service, baseline
-- why: NOT (key IS NULL)
DELETE FROM orders WHERE NOT (id IS NULL)
-- case: delete-two-not-nulls
-- expect: refused
-- as: service, baseline
-- why: a conjunction of IS NOT NULL on NOT NULL columns
DELETE FROM orders WHERE id IS NOT NULL AND status IS NOT NULL
-- case: delete-exists-same-table
-- expect: refused
-- as: service, baseline
-- why: an uncorrelated EXISTS over the table itself
DELETE FROM orders WHERE EXISTS (SELECT 1 FROM orders)
-- case: delete-count-positive
-- expect: refused
-- as: service, baseline
-- why: an uncorrelated scalar subquery compared with a constant
DELETE FROM orders WHERE (SELECT COUNT(*) FROM orders) > 0
-- case: update-non-key-equals-itself
-- expect: refused
-- as: service, baseline
-- why: a NOT NULL non-key column compared with itself
UPDATE orders SET total = 0 WHERE total = total
-- case: delete-coalesce-equals-itself
-- expect: refused
-- as: service, baseline
-- why: the same expression on both sides
DELETE FROM orders WHERE COALESCE(id, 0) = COALESCE(id, 0)
-- case: delete-between-itself
-- expect: refused
-- as: service, baseline
-- why: x BETWEEN x AND x
DELETE FROM orders WHERE id BETWEEN id AND id
-- case: update-one-in-one
-- expect: refused
-- as: service, baseline
-- why: a literal IN a list holding it
UPDATE orders SET total = 0 WHERE 1 IN (1)
-- case: delete-true-is-true
-- expect: refused
-- as: service, baseline
-- why: TRUE IS TRUE
DELETE FROM orders WHERE TRUE IS TRUE
-- case: delete-not-false
-- expect: refused
-- as: service, baseline
-- why: NOT FALSE
DELETE FROM orders WHERE NOT FALSE
-- case: delete-one-not-two
-- expect: refused
-- as: service, baseline
-- why: 1 <> 2
DELETE FROM orders WHERE 1 <> 2
-- case: delete-null-is-null
-- expect: refused
-- as: service, baseline
-- why: NULL IS NULL
DELETE FROM orders WHERE NULL IS NULL
-- case: delete-like-everything
-- expect: refused
-- as: service, baseline
-- why: a literal LIKE '%'
DELETE FROM orders WHERE 'a' LIKE '%'
-- case: delete-current-date-itself
-- expect: refused
-- as: service, baseline
-- why: CURRENT_DATE = CURRENT_DATE
DELETE FROM orders WHERE CURRENT_DATE = CURRENT_DATE
-- case: delete-in-same-table-constant-where
-- expect: refused
-- as: service, baseline
-- why: the same-table subquery with its own always-true WHERE
DELETE FROM orders WHERE id IN (SELECT id FROM orders WHERE 1 = 1)
-- case: delete-function-of-literal
-- expect: refused
-- as: service, baseline
-- why: LENGTH('x') = 1
DELETE FROM orders WHERE LENGTH('x') = 1
-- case: update-is-not-distinct-from-itself
-- expect: refused
-- as: service, baseline
-- why: x IS NOT DISTINCT FROM x
UPDATE orders SET total = 0 WHERE id IS NOT DISTINCT FROM id
-- case: delete-equal-itself-or-key
-- expect: refused
-- as: service, baseline
-- why: a column equal to itself OR a real predicate
DELETE FROM orders WHERE customer_id = customer_id OR id = 1
-- case: delete-any-same-table
-- expect: refused
-- as: service, baseline
-- why: key = ANY (SELECT key FROM the same table)
DELETE FROM orders WHERE id = ANY (SELECT id FROM orders)
-- case: update-row-equals-itself
-- expect: refused
-- as: service, baseline
-- why: a row value compared with itself
UPDATE orders SET total = 0 WHERE (id, customer_id) = (id, customer_id)
-- case: merge-update-every-row
-- expect: refused
-- as: service, baseline
-- why: MERGE of a table with itself on its key updates every row
MERGE INTO orders t USING orders s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET total = 0
-- case: delete-plus-zero
-- expect: refused
-- as: service, baseline
-- why: id + 0 = id holds for every row
DELETE FROM orders WHERE id + 0 = id
-- case: update-key-in-same-table-cte
-- expect: refused
-- as: service, baseline
-- why: the same table read through a CTE
UPDATE orders SET total = 0 WHERE id IN (WITH x AS (SELECT id FROM orders) SELECT id FROM x)
-- case: delete-key-in-itself
-- expect: refused
-- as: service, baseline
-- why: a column IN a list that holds the column itself is true for every row
DELETE FROM payments WHERE id IN (id)
-- case: update-key-in-itself-and-a-value
-- expect: refused
-- as: service, baseline
-- why: IN (column, literal): the column's own item holds for every row, whatever the literal
UPDATE orders SET total = 0 WHERE id IN (id, 1)
-- case: delete-distinct-from-null
-- expect: refused
-- as: service, baseline
-- why: IS DISTINCT FROM NULL is IS NOT NULL, true for every row of a NOT NULL column
DELETE FROM payments WHERE id IS DISTINCT FROM NULL
-- case: delete-not-not-distinct-from-null
-- expect: refused
-- as: service, baseline
-- why: NOT (… IS NOT DISTINCT FROM NULL) is IS NOT NULL again
DELETE FROM orders WHERE NOT (id IS NOT DISTINCT FROM NULL)
-- case: update-comparison-of-a-condition
-- expect: refused
-- as: service, baseline
-- why: a condition compared with a literal: (id IS NOT NULL) = TRUE holds for every row
UPDATE orders SET total = 0 WHERE (id IS NOT NULL) = TRUE
-- case: delete-bare-name-missing-from-subquery-table
-- expect: refused
-- as: service, baseline
-- why: audit_log has no column id, so the bare id in the subquery is payments.id: id IN (SELECT id …) holds for every row
DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)
-- case: update-bare-name-missing-from-subquery-table
-- expect: refused
-- as: service, baseline
-- why: the bare id of the subquery is the written table's own id
UPDATE payments SET amount = 0 WHERE id IN (SELECT id FROM audit_log)
-- case: delete-bare-name-scalar-subquery-limit
-- expect: refused
-- as: service, baseline
-- why: = (SELECT id FROM audit_log LIMIT 1) compares payments.id with itself
DELETE FROM payments WHERE id = (SELECT id FROM audit_log LIMIT 1)
-- case: delete-bare-name-any-subquery
-- expect: refused
-- as: service, baseline
-- why: = ANY (SELECT id FROM audit_log) is payments.id = payments.id
DELETE FROM payments WHERE id = ANY (SELECT id FROM audit_log)
-- case: delete-bare-name-exists-correlated-with-itself
-- expect: refused
-- as: service, baseline
-- why: the bare id inside EXISTS is payments.id, so id = payments.id holds for every row
DELETE FROM payments WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.entry_no = 1 AND id = payments.id)
-- case: delete-bare-name-nested-subquery
-- expect: refused
-- as: service, baseline
-- why: neither audit_log nor the subquery's own table has id: it is payments.id two levels up
DELETE FROM payments WHERE id IN (SELECT id FROM audit_log WHERE entry_no IN (SELECT entry_no FROM audit_log))
-- case: delete-bare-name-derived-table-star
-- expect: refused
-- as: service, baseline
-- why: the derived table's columns are not known from its select list, so id cannot be proven its own
DELETE FROM payments WHERE id IN (SELECT id FROM (SELECT * FROM audit_log) d)
-- case: delete-qualified-outer-name-in-derived-table
-- expect: refused
-- as: service, baseline
-- why: a derived table in the subquery reads payments.id itself
DELETE FROM payments WHERE id IN (SELECT d.i FROM (SELECT payments.id AS i FROM audit_log) d)
