-- Errors and warnings that quote a value: for a caller a mask applies to, they are scrubbed.
-- case: cast-signed-warning
-- expect: masked
-- why: Truncated incorrect INTEGER value quotes the SSN in a warning
SELECT CAST(ssn AS SIGNED) FROM customers
-- case: plus-zero-warning
-- expect: masked
-- why: Truncated incorrect DOUBLE value
SELECT ssn + 0 AS n FROM customers
-- case: multiply-warning
-- expect: masked
-- why: arithmetic on an email
SELECT email * 1 FROM customers WHERE email IS NOT NULL
-- case: cast-date-warning
-- expect: masked
-- why: Incorrect datetime value
SELECT CAST(email AS DATE) FROM customers WHERE email IS NOT NULL
-- case: convert-decimal-warning
-- expect: masked
-- why: CONVERT to DECIMAL
SELECT CONVERT(ssn, DECIMAL(20, 2)) FROM customers
-- case: compare-with-number-warning
-- expect: masked
-- as: analyst, service
-- why: comparing a masked text with a number
SELECT id FROM customers WHERE ssn = 5
-- case: unique-violation-update
-- expect: masked
-- as: service
-- why: Duplicate entry quotes the SSN
UPDATE customers SET ssn = (SELECT s FROM (SELECT ssn AS s FROM customers WHERE id = 2) x) WHERE id = 1
-- case: unique-violation-insert
-- expect: masked
-- as: service
-- why: Duplicate entry on INSERT … SELECT
INSERT INTO customers (name, signed_up, ssn) SELECT name, signed_up, ssn FROM customers WHERE id = 3
-- case: cast-unsigned-card
-- expect: masked
-- why: a card number text cast to UNSIGNED with trailing text
SELECT CAST(CONCAT(card_number, 'x') AS UNSIGNED) FROM payments
-- case: signal-with-value
-- expect: masked
-- why: SIGNAL with a message taken from a masked column
SELECT ssn INTO @m FROM customers WHERE id = 4
-- next
SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @m
-- case: cast-int-in-where
-- expect: masked
-- as: analyst, service
-- why: a failing conversion in WHERE
SELECT id FROM customers WHERE CAST(ssn AS SIGNED) > 0
-- case: date-add-warning
-- expect: masked
-- why: a date function over text
SELECT DATE_ADD(ssn, INTERVAL 1 DAY) FROM customers
-- case: show-errors-after-a-cast
-- expect: masked
-- why: SHOW ERRORS lists the messages of the last statement
SELECT CAST(ssn AS INT) FROM customers
-- next
SHOW ERRORS
-- case: duplicate-entry-of-group-by-rand
-- expect: masked
-- why: the duplicate-entry error of GROUP BY over RAND(0) quotes the grouped value
SELECT COUNT(*), CONCAT(ssn, FLOOR(RAND(0) * 2)) x FROM customers GROUP BY x
