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
;;
CREATE VIEW contact_aliases AS SELECT id, name, email AS contact, upper(ssn) AS code FROM customers
;;
CREATE VIEW contact_badges AS SELECT id, card AS badge FROM contact_cards
;;
CREATE MATERIALIZED VIEW contact_snapshot AS SELECT id, email FROM customers
;;
CREATE VIEW contact_mix AS SELECT id, email AS v FROM customers UNION ALL SELECT id, name FROM customers
;;
CREATE FUNCTION initcap(i int) RETURNS text LANGUAGE sql STABLE AS $$ SELECT ssn FROM customers WHERE id = i $$
;;
CREATE FUNCTION nvl(i int) RETURNS text LANGUAGE sql STABLE AS $$ SELECT email FROM customers WHERE id = i $$
;;
CREATE FUNCTION reverse(i int) RETURNS bigint LANGUAGE sql AS $$ WITH d AS (DELETE FROM payments WHERE id >= i RETURNING 1) SELECT count(*) FROM d $$
;;
CREATE FUNCTION caret_ssn(a text, b int) RETURNS text LANGUAGE sql STABLE AS $$ SELECT ssn FROM customers WHERE id = b $$
;;
CREATE OPERATOR ^ (LEFTARG = text, RIGHTARG = int, FUNCTION = caret_ssn)
;;
CREATE FUNCTION caret_wipe(a int, b text) RETURNS boolean LANGUAGE sql AS $$ DELETE FROM payments WHERE id >= a; SELECT true $$
;;
CREATE OPERATOR ^ (LEFTARG = int, RIGHTARG = text, FUNCTION = caret_wipe)
;;
CREATE FUNCTION note_check_wipe(v text) RETURNS boolean LANGUAGE sql AS $$ DELETE FROM payments; SELECT true $$
;;
CREATE DOMAIN checked_note AS text CHECK (note_check_wipe(VALUE))
;;
CREATE TYPE wiped_code AS (code text)
;;
CREATE FUNCTION wipe_to_code(v text) RETURNS wiped_code LANGUAGE sql AS $$ DELETE FROM payments; SELECT ROW(v)::wiped_code $$
;;
CREATE CAST (text AS wiped_code) WITH FUNCTION wipe_to_code(text)
;;
CREATE TYPE leaky_code AS (code text)
;;
CREATE FUNCTION leaky_to_text(v leaky_code) RETURNS text LANGUAGE sql AS $$ DELETE FROM payments; SELECT (v).code $$
;;
CREATE CAST (leaky_code AS text) WITH FUNCTION leaky_to_text(leaky_code) AS IMPLICIT
;;
CREATE DOMAIN leaky_label AS leaky_code
;;
CREATE TABLE coded_items (id INT PRIMARY KEY, code leaky_code, label leaky_label[])
;;
INSERT INTO coded_items VALUES (1, ROW('a1'), ARRAY[ROW('b2')::leaky_label])
;;
CREATE VIEW coded_codes AS SELECT id, code FROM coded_items
;;
CREATE TABLE audit_log (entry_no INT PRIMARY KEY, action VARCHAR(20), order_ref INT)
;;
INSERT INTO audit_log VALUES (1, 'login', 1), (2, 'logout', 2)
;;
CREATE FUNCTION wipe_stamp() RETURNS text LANGUAGE sql AS $$ DELETE FROM payments; SELECT 'stamped' $$
;;
CREATE TABLE stamped_items (id INT PRIMARY KEY, stamp TEXT DEFAULT wipe_stamp())
;;
CREATE TABLE ssn_stamped_items (id INT PRIMARY KEY, stamp TEXT DEFAULT leak_ssn(1))
;;
CREATE FUNCTION wipe_check(v int) RETURNS boolean LANGUAGE sql AS $$ DELETE FROM payments; SELECT true $$
;;
CREATE TABLE checked_items (id INT PRIMARY KEY, n INT CHECK (wipe_check(n)))
;;
CREATE FUNCTION wipe_key(v int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM wipe_check(v); RETURN v; END $$
;;
CREATE TABLE generated_items (id INT PRIMARY KEY, n INT, g INT GENERATED ALWAYS AS (wipe_key(n)) STORED)
;;
CREATE TABLE indexed_items (id INT PRIMARY KEY, n INT)
;;
CREATE INDEX indexed_items_key ON indexed_items (wipe_key(n))
;;
CREATE TABLE domain_items (id INT PRIMARY KEY, note checked_note)
;;
CREATE FUNCTION wipe_on_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM payments; RETURN NEW; END $$
;;
CREATE TABLE triggered_items (id INT PRIMARY KEY, n INT)
;;
INSERT INTO triggered_items VALUES (1, 1)
;;
CREATE TRIGGER triggered_items_wipe BEFORE UPDATE ON triggered_items FOR EACH ROW EXECUTE FUNCTION wipe_on_write()
;;
CREATE TABLE ruled_items (id INT PRIMARY KEY, n INT)
;;
CREATE RULE ruled_items_wipe AS ON INSERT TO ruled_items DO ALSO SELECT wipe_check(NEW.n)
;;
CREATE VIEW triggered_view AS SELECT id, n FROM triggered_items
;;
CREATE TRIGGER triggered_view_wipe INSTEAD OF DELETE ON triggered_view FOR EACH ROW EXECUTE FUNCTION wipe_on_write()
;;
CREATE TABLE flagged_items (id INT PRIMARY KEY, active BOOLEAN NOT NULL)
;;
INSERT INTO flagged_items VALUES (1, true), (2, false)
