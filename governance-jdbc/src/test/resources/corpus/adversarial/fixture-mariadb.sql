-- Laid on top of masking-fixture.sql. Statements are separated by lines holding only ';;'.
CREATE DATABASE governed_adv_vault
;;
CREATE TABLE governed_adv_vault.notes (id INT PRIMARY KEY, body VARCHAR(100))
;;
CREATE TABLE governed_adv_vault.orders (id INT PRIMARY KEY, note VARCHAR(100))
;;
CREATE UNIQUE INDEX customers_ssn_key ON customers (ssn)
;;
ALTER TABLE customers MODIFY id INT NOT NULL AUTO_INCREMENT
;;
CREATE FUNCTION leak_ssn(i INT) RETURNS VARCHAR(11) READS SQL DATA RETURN (SELECT ssn FROM customers WHERE id = i)
;;
CREATE PROCEDURE wipe_payments() MODIFIES SQL DATA DELETE FROM payments
;;
CREATE VIEW contact_cards AS SELECT c.id, CONCAT(c.email, ' ', c.ssn) AS card FROM customers c
;;
CREATE VIEW contact_aliases AS SELECT id, name, email AS contact, UPPER(ssn) AS code FROM customers
;;
CREATE VIEW contact_badges AS SELECT id, card AS badge FROM contact_cards
;;
CREATE SEQUENCE customers_id_seq START WITH 1000
;;
CREATE TABLE audit_log (entry_no INT PRIMARY KEY, action VARCHAR(20), order_ref INT)
;;
INSERT INTO audit_log VALUES (1, 'login', 1), (2, 'logout', 2)
