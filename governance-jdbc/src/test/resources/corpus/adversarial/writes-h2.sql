-- Unbounded writes in H2's own forms.
-- case: merge-key-every-row
-- expect: refused
-- as: service, baseline
-- why: MERGE … KEY of a select over the whole table rewrites every row
MERGE INTO orders KEY (id) SELECT id, customer_id, 0, status FROM orders
-- case: delete-in-system-range-same-table
-- expect: refused
-- as: service, baseline
-- why: the same table's keys through a nested subquery
DELETE FROM orders WHERE id IN (SELECT id FROM (SELECT id FROM orders) x)
-- case: update-where-not-null-key
-- expect: refused
-- as: service, baseline
-- why: IS NOT NULL on the key, with a LIMIT
UPDATE orders SET total = 0 WHERE id IS NOT NULL LIMIT 1000
-- case: next-value-for-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: NEXT VALUE FOR advances the sequence, a write that outlives the statement, by an identity whose policy permits only reads
SELECT NEXT VALUE FOR customers_id_seq
-- case: nextval-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: NEXTVAL advances the sequence
SELECT NEXTVAL('customers_id_seq')
-- case: for-update-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: a read that locks the rows it reads makes other sessions' writes wait while its transaction lasts
SELECT id FROM orders WHERE id = 1 FOR UPDATE
-- case: nested-block-comment-hides-an-or
-- expect: refused
-- as: service, baseline
-- why: H2 block comments nest, so the OR after the inner */ ... */ runs
DELETE FROM payments WHERE id = 1 /* /* */ -- */ OR 1 = 1
-- case: double-slash-comment-hides-an-or
-- expect: refused
-- as: service, baseline
-- why: H2 reads // as a line comment, so //* starts no block comment and the OR on the next line runs
DELETE FROM payments WHERE id = 2 //* 
OR 1 = 1 -- */ 2
-- case: dollar-tag-is-a-parameter-not-a-string
-- expect: refused
-- why: H2 has $$…$$ strings only and reads $a$ as a parameter and an alias, so the subquery the analysis read as a string runs (with the parameter bound, it deletes every row)
DELETE FROM payments WHERE id IN (SELECT $a$ UNION SELECT id FROM payments) --$a$)
-- case: old-table-of-an-unbounded-delete-in-from
-- expect: refused
-- as: service, baseline
-- why: a data change delta table in FROM runs its DELETE, here without a WHERE, inside a query that only counts
SELECT COUNT(*) FROM OLD TABLE (DELETE FROM payments)
-- case: old-table-of-an-unbounded-delete-in-a-cte
-- expect: refused
-- as: service, baseline
-- why: the same inside a CTE the query never reads
WITH x AS (SELECT * FROM OLD TABLE (DELETE FROM payments)) SELECT 1
-- case: delete-where-bare-key
-- expect: refused
-- as: service, baseline
-- why: H2 converts a number to a truth value in a condition, so WHERE id holds for every row whose key is not 0
DELETE FROM orders WHERE id
-- case: update-where-not-bare-key
-- expect: refused
-- as: service, baseline
-- why: the same negated holds for every row keyed 0, and NOT NOT of it for every other
UPDATE orders SET total = 0 WHERE NOT NOT id
-- case: delete-where-key-or-bare-key
-- expect: refused
-- as: service, baseline
-- why: either term of an OR may hold for every row
DELETE FROM payments WHERE id = 1 OR id
-- case: merge-on-a-source-row-alone-updates-every-row
-- expect: refused
-- as: service, baseline
-- why: ON c.id = 1 ties no row of orders to the source: customer 1 is matched with every order, each updated
MERGE INTO orders o USING customers c ON (c.id = 1) WHEN MATCHED THEN UPDATE SET total = 0
-- case: merge-on-a-source-row-alone-with-a-branch-test-of-the-source
-- expect: refused
-- as: service, baseline
-- why: the branch's test of the source row bounds nothing when the ON condition ties no target row to it
MERGE INTO payments p USING customers c ON (c.id = 1) WHEN MATCHED AND c.city = 'Porto' THEN DELETE
