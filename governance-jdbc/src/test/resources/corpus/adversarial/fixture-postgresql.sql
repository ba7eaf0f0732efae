-- Laid on top of masking-fixture.sql. Statements are separated by lines holding only ';;'.
CREATE SCHEMA adv_vault
;;
CREATE TABLE adv_vault.notes (id INT PRIMARY KEY, body VARCHAR(100))
;;
CREATE TABLE adv_vault.orders (id INT PRIMARY KEY, note VARCHAR(100))
;;
CREATE UNIQUE INDEX customers_ssn_key ON customers (ssn)
;;
CREATE SEQUENCE customers_id_seq START 1000
;;
ALTER TABLE customers ALTER COLUMN id SET DEFAULT nextval('customers_id_seq')
;;
CREATE FUNCTION leak_ssn(i int) RETURNS text LANGUAGE sql STABLE AS $$ SELECT ssn FROM customers WHERE id = i $$
;;
CREATE FUNCTION wipe_payments() RETURNS void LANGUAGE sql AS $$ DELETE FROM payments $$
;;
CREATE FUNCTION every_customer() RETURNS SETOF customers LANGUAGE sql STABLE AS $$ SELECT * FROM customers $$
;;
CREATE VIEW contact_cards AS SELECT c.id, c.email || ' ' || c.ssn AS card FROM customers c
