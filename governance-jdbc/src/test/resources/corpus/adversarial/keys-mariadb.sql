-- MariaDB's RETURNING follows the lineage of a select list.
-- case: delete-returning
-- expect: masked
-- as: service
-- why: DELETE … RETURNING a masked column
DELETE FROM payments WHERE id = 3 RETURNING card_number
-- case: delete-returning-star
-- expect: masked
-- as: service
-- why: DELETE … RETURNING *
DELETE FROM customers WHERE id = 4 RETURNING *
-- case: delete-returning-expression
-- expect: masked
-- as: service
-- why: RETURNING an expression over a masked column
DELETE FROM customers WHERE id = 5 RETURNING CONCAT('x', email)
-- case: insert-select-returning
-- expect: masked
-- as: service
-- why: INSERT … SELECT … RETURNING a copied masked value
INSERT INTO customers (name, email, signed_up) SELECT name, CONCAT(email, '.copy'), signed_up FROM customers WHERE id = 1 RETURNING email
-- case: replace-returning
-- expect: masked
-- as: service
-- why: REPLACE … RETURNING
REPLACE INTO customers SELECT * FROM customers WHERE id = 2 RETURNING ssn
-- case: insert-returning-subquery
-- expect: masked
-- as: service
-- why: INSERT … RETURNING a scalar subquery
INSERT INTO orders (id, customer_id, total, status) VALUES (700, 1, 1, 'open') RETURNING (SELECT ssn FROM customers WHERE id = 1)
-- case: generated-keys-of-insert-select
-- expect: masked
-- as: service
-- keys: RETURN_GENERATED_KEYS
-- why: generated keys of an insert that also RETURNs a masked column
INSERT INTO customers (name, email, signed_up) SELECT name, email, signed_up FROM customers WHERE id = 3 RETURNING id, email
