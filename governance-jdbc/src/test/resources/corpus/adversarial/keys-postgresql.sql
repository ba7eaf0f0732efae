-- Generated keys and RETURNING: what pgjdbc appends, and what a statement returns, follow the lineage of a select list.
-- case: update-keys-named-ssn
-- expect: masked
-- as: service
-- keys: ssn
-- why: generated keys named on an UPDATE make pgjdbc append RETURNING ssn
UPDATE customers SET city = city WHERE id = 1
-- case: update-return-generated-keys
-- expect: masked
-- as: service
-- keys: RETURN_GENERATED_KEYS
-- why: RETURN_GENERATED_KEYS on an UPDATE makes pgjdbc append RETURNING *
UPDATE customers SET city = city WHERE id = 2
-- case: delete-return-generated-keys
-- expect: masked
-- as: service
-- keys: RETURN_GENERATED_KEYS
-- why: RETURN_GENERATED_KEYS on a DELETE returns the deleted row
DELETE FROM payments WHERE id = 3
-- case: delete-keys-named-card
-- expect: masked
-- as: service
-- keys: card_number
-- why: a named key column on a DELETE
DELETE FROM payments WHERE id = 4
-- case: insert-select-keys-named
-- expect: masked
-- as: service
-- keys: email
-- why: a named key column on an INSERT … SELECT of masked values
INSERT INTO customers (name, email, signed_up) SELECT name, email || '.copy', signed_up FROM customers WHERE id = 1
-- case: insert-return-generated-keys-copy
-- expect: masked
-- as: service
-- keys: RETURN_GENERATED_KEYS
-- why: RETURNING * of a copied row
INSERT INTO customers (name, email, ssn, signed_up) SELECT name, email || '.copy', left(ssn, 10) || 'x', signed_up FROM customers WHERE id = 2
-- case: update-keys-two-columns
-- expect: masked
-- as: service
-- keys: id, api_key
-- why: several named keys, one a secret
UPDATE customers SET city = city WHERE id = 3
-- case: update-returning
-- expect: masked
-- as: service
-- why: an explicit RETURNING of a masked column
UPDATE customers SET city = city WHERE id = 5 RETURNING ssn
-- case: update-returning-expression
-- expect: masked
-- as: service
-- why: RETURNING an expression over a masked column
UPDATE customers SET city = city WHERE id = 6 RETURNING 'x' || email AS e
-- case: update-returning-star
-- expect: masked
-- as: service
-- why: RETURNING *
UPDATE customers SET city = city WHERE id = 7 RETURNING *
-- case: delete-returning-card
-- expect: masked
-- as: service
-- why: DELETE … RETURNING a card number
DELETE FROM payments WHERE id = 5 RETURNING card_number
-- case: update-returning-subquery
-- expect: masked
-- as: service
-- why: RETURNING a scalar subquery over another table's masked column
UPDATE orders SET status = status WHERE id = 1 RETURNING (SELECT ssn FROM customers c WHERE c.id = orders.customer_id)
-- case: insert-returning-subquery
-- expect: masked
-- as: service
-- why: INSERT … RETURNING a masked subquery
INSERT INTO orders (id, customer_id, total, status) VALUES (700, 1, 1, 'open') RETURNING (SELECT email FROM customers WHERE id = 1)
-- case: upsert-returning
-- expect: masked
-- as: service
-- why: ON CONFLICT DO UPDATE … RETURNING a masked column
INSERT INTO customers (id, name, signed_up) VALUES (1, 'x', DATE '2024-01-01') ON CONFLICT (id) DO UPDATE SET city = customers.city RETURNING customers.ssn
-- case: update-from-returning
-- expect: masked
-- as: service
-- why: UPDATE … FROM … RETURNING the joined table's masked column
UPDATE orders o SET status = o.status FROM customers c WHERE c.id = o.customer_id AND o.id = 2 RETURNING c.email
-- case: returning-whole-row
-- expect: masked
-- as: service
-- why: RETURNING a whole-row reference
UPDATE customers c SET city = c.city WHERE c.id = 8 RETURNING c
-- case: returning-to-jsonb
-- expect: masked
-- as: service
-- why: RETURNING to_jsonb of the row
UPDATE customers c SET city = c.city WHERE c.id = 9 RETURNING to_jsonb(c)
-- case: data-modifying-cte
-- expect: masked
-- as: service
-- why: a data-modifying CTE's RETURNING read by the outer select
WITH u AS (UPDATE customers SET city = city WHERE id = 10 RETURNING ssn) SELECT * FROM u
-- case: prepared-keys-named
-- expect: masked
-- as: service
-- keys: card_number
-- why: named keys on an UPDATE of numeric cards
UPDATE accounts SET opened_on = opened_on WHERE id = 1
-- case: several-statements-select-first-return-generated-keys
-- expect: masked
-- as: service
-- keys: RETURN_GENERATED_KEYS
-- why: in a text of several statements pgjdbc appends RETURNING * to the UPDATE, whose row came back as the text's second result, under the masks of its one select list
SELECT 1; UPDATE customers SET city = city WHERE id = 1
-- case: several-statements-update-first-keys-named-ssn
-- expect: masked
-- as: service
-- keys: ssn
-- why: RETURNING ssn appended to the first of several statements: its rows are a result of the text, not the keys
UPDATE customers SET city = city WHERE id = 2; SELECT 1
-- case: several-statements-delete-return-generated-keys
-- expect: masked
-- as: service
-- keys: RETURN_GENERATED_KEYS
-- why: the deleted row came back as a result of a text whose one select list is a constant
SELECT 'x' AS k; DELETE FROM payments WHERE id = 5
