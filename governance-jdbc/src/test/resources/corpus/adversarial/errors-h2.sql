-- Database errors that quote a value: for a caller a mask applies to, the message is scrubbed.
-- case: cast-ssn-int
-- expect: masked
-- why: a data conversion error quotes the SSN
SELECT CAST(ssn AS INT) FROM customers
-- case: cast-email-int
-- expect: masked
-- why: an email in the error
SELECT CAST(email AS INT) FROM customers WHERE email IS NOT NULL
-- case: cast-ssn-date
-- expect: masked
-- why: a date conversion error
SELECT CAST(ssn AS DATE) FROM customers
-- case: cast-ssn-uuid
-- expect: masked
-- why: a UUID conversion error
SELECT CAST(ssn AS UUID) FROM customers
-- case: cast-ssn-decimal
-- expect: masked
-- why: a decimal conversion error
SELECT CAST(ssn AS DECIMAL(20, 2)) FROM customers
-- case: cast-card-smallint
-- expect: masked
-- why: a card number out of range
SELECT CAST(card_number AS SMALLINT) FROM payments
-- case: cast-ssn-timestamp
-- expect: masked
-- why: a timestamp conversion error
SELECT CAST(ssn AS TIMESTAMP) FROM customers
-- case: arithmetic-on-ssn
-- expect: masked
-- why: arithmetic converts the text
SELECT ssn + 1 FROM customers
-- case: multiply-ssn
-- expect: masked
-- why: ssn * 2
SELECT ssn * 2 FROM customers
-- case: unique-violation-update
-- expect: masked
-- as: service
-- why: a unique index violation quotes the key
UPDATE customers SET ssn = (SELECT ssn FROM customers WHERE id = 2) WHERE id = 1
-- case: unique-violation-insert
-- expect: masked
-- as: service
-- why: a unique index violation on INSERT … SELECT
INSERT INTO customers (id, name, signed_up, ssn) SELECT 500, name, signed_up, ssn FROM customers WHERE id = 3
-- case: cast-in-where
-- expect: masked
-- why: the failing conversion in WHERE
SELECT id FROM customers WHERE CAST(ssn AS INT) > 0
-- case: cast-substring-from-for
-- expect: masked
-- why: a special form converted to int
SELECT CAST(SUBSTRING(ssn FROM 1 FOR 11) AS INT) FROM customers
-- case: cast-view-column
-- expect: masked
-- why: a view's renamed column converted
SELECT CAST(tax_ref AS INT) FROM customer_contacts
-- case: dateadd-ssn
-- expect: masked
-- why: a date function over text
SELECT DATEADD(DAY, 1, ssn) FROM customers
-- case: cast-card-int-bigint-column
-- expect: masked
-- why: a numeric card out of range for INT
SELECT CAST(card_number AS INT) FROM accounts
-- case: signal-with-email
-- expect: masked
-- why: H2's SIGNAL(state, text) raises an error whose message is the text itself, bare: no quotes or number for scrubbing to find
SELECT SIGNAL('22000', email) FROM customers WHERE id = 1
-- case: signal-with-api-key
-- expect: masked
-- why: a secret's letters survive scrubbing of numbers
SELECT SIGNAL('45000', api_key) FROM customers WHERE id = 2
-- case: signal-of-a-subquery
-- expect: masked
-- why: the text from a scalar subquery, raised by a query of no table
SELECT SIGNAL('22000', (SELECT email FROM customers WHERE id = 3))
-- case: signal-in-a-case
-- expect: masked
-- why: raised for one row only, from a branch of a CASE
SELECT id, CASE WHEN id = 4 THEN SIGNAL('22000', CONCAT('x ', email)) END FROM customers
