-- Generated keys and data change delta tables on H2.
-- case: final-table-update
-- expect: masked
-- as: service
-- why: FINAL TABLE of an UPDATE is a query over the changed rows
SELECT ssn FROM FINAL TABLE (UPDATE customers SET city = city WHERE id = 3)
-- case: old-table-delete
-- expect: masked
-- as: service
-- why: OLD TABLE of a DELETE returns the deleted rows
SELECT * FROM OLD TABLE (DELETE FROM payments WHERE id = 4)
-- case: new-table-insert
-- expect: masked
-- as: service
-- why: NEW TABLE of an INSERT … SELECT
SELECT email FROM NEW TABLE (INSERT INTO customers (id, name, email, signed_up) SELECT 200 + id, name, email, signed_up FROM customers WHERE id = 5)
-- case: final-table-merge
-- expect: masked
-- as: service
-- why: FINAL TABLE of a MERGE
SELECT * FROM FINAL TABLE (MERGE INTO customers KEY (id) SELECT * FROM customers WHERE id = 6)
