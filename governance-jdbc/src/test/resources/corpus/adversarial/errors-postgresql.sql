-- Database errors that quote a value: for a caller a mask applies to, the message is scrubbed.
-- case: cast-ssn-int
-- expect: masked
-- why: invalid input syntax for type integer quotes the SSN
SELECT CAST(ssn AS int) FROM customers
-- case: shorthand-cast-ssn-int
-- expect: masked
-- why: ::int
SELECT ssn::int FROM customers
-- case: cast-email-int
-- expect: masked
-- why: an email in the error
SELECT email::int FROM customers WHERE email IS NOT NULL
-- case: cast-ssn-date
-- expect: masked
-- why: invalid input syntax for type date
SELECT ssn::date FROM customers
-- case: cast-ssn-uuid
-- expect: masked
-- why: invalid input syntax for type uuid
SELECT ssn::uuid FROM customers
-- case: cast-ssn-numeric
-- expect: masked
-- why: invalid input syntax for type numeric
SELECT ssn::numeric FROM customers
-- case: cast-ssn-boolean
-- expect: masked
-- why: invalid input syntax for type boolean
SELECT ssn::boolean FROM customers
-- case: cast-card-smallint
-- expect: masked
-- why: value out of range quotes the card number
SELECT CAST(card_number AS smallint) FROM payments
-- case: cast-email-timestamp
-- expect: masked
-- why: invalid input syntax for type timestamp
SELECT CAST(email AS timestamp) FROM customers WHERE email IS NOT NULL
-- case: cast-ssn-inet
-- expect: masked
-- why: invalid input syntax for type inet
SELECT ssn::inet FROM customers
-- case: cast-ssn-interval
-- expect: masked
-- why: invalid input syntax for type interval
SELECT ssn::interval FROM customers
-- case: cast-ssn-regclass
-- expect: masked
-- why: relation "…" does not exist
SELECT ssn::regclass FROM customers
-- case: cast-email-regproc
-- expect: masked
-- why: function "…" does not exist
SELECT email::regproc FROM customers WHERE email IS NOT NULL
-- case: malformed-array-literal
-- expect: masked
-- why: malformed array literal quotes the text
SELECT ('{' || ssn || '}')::int[] FROM customers
-- case: cast-scalar-subquery
-- expect: masked
-- why: a scalar subquery cast to int
SELECT (SELECT ssn FROM customers WHERE id = 1)::int
-- case: cast-substring-from-for
-- expect: masked
-- why: a special form cast to int
SELECT CAST(SUBSTRING(ssn FROM 1 FOR 11) AS int) FROM customers
-- case: cast-in-where
-- expect: masked
-- why: the failing cast in WHERE
SELECT id FROM customers WHERE ssn::int > 0
-- case: cast-view-column
-- expect: masked
-- why: a view's renamed column cast to int
SELECT tax_ref::int FROM customer_contacts
-- case: cast-format
-- expect: masked
-- why: format(…)::int
SELECT format('%s', ssn)::int FROM customers
-- case: unique-violation-update
-- expect: masked
-- as: service
-- why: a duplicate key detail quotes the SSN
UPDATE customers SET ssn = (SELECT ssn FROM customers WHERE id = 2) WHERE id = 1
-- case: unique-violation-insert
-- expect: masked
-- as: service
-- why: a duplicate key detail on INSERT … SELECT
INSERT INTO customers (id, name, signed_up, ssn) SELECT 500, name, signed_up, ssn FROM customers WHERE id = 3
-- case: cast-jsonb-ssn
-- expect: masked
-- why: jsonb input quotes the token
SELECT ssn::jsonb FROM customers
-- case: cast-card-int-numeric-column
-- expect: masked
-- why: a numeric card out of range for integer, cast through text
SELECT card_number::text::int FROM accounts
-- case: cast-xml
-- expect: masked
-- why: xml input of a value with a bad character
SELECT ('<' || email)::xml FROM customers WHERE email IS NOT NULL
-- case: to-date-month-name
-- expect: masked
-- why: to_date quotes the text it could not read as a month
SELECT to_date(email, 'Month') FROM customers WHERE email IS NOT NULL
-- case: cast-email-money
-- expect: masked
-- why: invalid input syntax for type money
SELECT email::money FROM customers WHERE email IS NOT NULL
-- case: cast-ssn-pg-lsn
-- expect: masked
-- why: invalid input syntax for type pg_lsn
SELECT ssn::pg_lsn FROM customers
-- case: cast-email-point
-- expect: masked
-- why: invalid input syntax for type point
SELECT ('(' || email)::point FROM customers WHERE email IS NOT NULL
-- case: xmlparse-document
-- expect: masked
-- why: the XML parser's detail prints the line it failed on, unquoted
SELECT xmlparse(document email) FROM customers WHERE email IS NOT NULL
-- case: not-null-violation-failing-row
-- expect: masked
-- as: service
-- why: the detail of a NOT NULL violation prints the whole failing row, masked columns included
UPDATE customers SET name = NULL WHERE id = 1
