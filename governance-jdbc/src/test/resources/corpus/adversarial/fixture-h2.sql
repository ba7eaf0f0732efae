-- Laid on top of masking-fixture.sql. Statements are separated by lines holding only ';;'.
CREATE SCHEMA adv_vault
;;
CREATE TABLE adv_vault.notes (id INT PRIMARY KEY, body VARCHAR(100))
;;
CREATE TABLE adv_vault.orders (id INT PRIMARY KEY, note VARCHAR(100))
;;
CREATE UNIQUE INDEX customers_ssn_key ON customers (ssn)
;;
CREATE ALIAS leak_ssn FOR 'io.governed.jdbc.corpus.H2Routines.ssnOf'
;;
CREATE ALIAS wipe_payments FOR 'io.governed.jdbc.corpus.H2Routines.wipePayments'
;;
CREATE VIEW contact_cards AS SELECT c.id, c.email || ' ' || c.ssn AS card FROM customers c
;;
CREATE VIEW contact_aliases AS SELECT id, name, email AS contact, UPPER(ssn) AS code FROM customers
;;
CREATE VIEW contact_badges AS SELECT id, card AS badge FROM contact_cards
;;
CREATE VIEW contact_mix AS SELECT id, email AS v FROM customers UNION ALL SELECT id, name FROM customers
;;
CREATE SEQUENCE customers_id_seq START WITH 1000
;;
CREATE TABLE audit_log (entry_no INT PRIMARY KEY, action VARCHAR(20), order_ref INT)
;;
INSERT INTO audit_log VALUES (1, 'login', 1), (2, 'logout', 2)
