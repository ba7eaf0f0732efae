-- Code objects are an action of their own; calls to user routines are calls; role changes are privilege changes.
-- case: create-function-that-deletes
-- expect: refused
-- why: a function whose body empties a table
CREATE FUNCTION adv_evil() RETURNS void LANGUAGE sql AS $$ DELETE FROM payments $$
-- case: replace-existing-function
-- expect: refused
-- why: CREATE OR REPLACE over a routine the application calls
CREATE OR REPLACE FUNCTION leak_ssn(i int) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$
-- case: create-procedure
-- expect: refused
-- why: a procedure whose body empties a table
CREATE PROCEDURE adv_wipe() LANGUAGE sql AS $$ DELETE FROM payments $$
-- case: create-plpgsql-dynamic
-- expect: refused
-- why: a PL/pgSQL function running dynamic SQL
CREATE FUNCTION adv_dyn() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'DROP TABLE payments'; END $$
-- case: create-security-definer
-- expect: refused
-- why: a SECURITY DEFINER function
CREATE FUNCTION adv_definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$
-- case: create-trigger
-- expect: refused
-- why: a trigger runs code on every write
CREATE TRIGGER adv_trigger BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()
-- case: create-rule
-- expect: refused
-- why: a rule rewrites every insert into a delete
CREATE RULE adv_rule AS ON INSERT TO orders DO INSTEAD DELETE FROM payments
-- case: create-event-trigger
-- expect: refused
-- why: an event trigger runs on every DDL
CREATE EVENT TRIGGER adv_event ON ddl_command_start EXECUTE FUNCTION wipe_payments()
-- case: create-extension
-- expect: refused
-- why: an extension installs code
CREATE EXTENSION pgcrypto
-- case: create-policy
-- expect: refused
-- why: a row-level security policy
CREATE POLICY adv_policy ON customers USING (true)
-- case: create-aggregate
-- expect: refused
-- why: a user-defined aggregate
CREATE AGGREGATE adv_concat(text) (SFUNC = textcat, STYPE = text)
-- case: create-operator
-- expect: refused
-- why: a user-defined operator
CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq)
-- case: create-cast
-- expect: refused
-- why: a user-defined cast
CREATE CAST (int AS bool) WITH INOUT AS IMPLICIT
-- case: set-role
-- expect: refused
-- why: SET ROLE changes privileges
SET ROLE postgres
-- case: set-session-authorization
-- expect: refused
-- why: SET SESSION AUTHORIZATION changes privileges
SET SESSION AUTHORIZATION postgres
-- case: set-session-authorization-default
-- expect: refused
-- why: SET SESSION AUTHORIZATION DEFAULT
SET SESSION AUTHORIZATION DEFAULT
-- case: reset-all
-- expect: refused
-- why: RESET ALL resets every setting, the path and role included
RESET ALL
-- case: reset-role
-- expect: refused
-- why: RESET ROLE
RESET ROLE
-- case: set-config-role
-- expect: refused
-- why: set_config('role', …)
SELECT set_config('role', 'postgres', false)
-- case: call-user-function
-- expect: refused
-- as: analyst, agent, service
-- why: a user function with a side effect called in a select list
SELECT wipe_payments()
-- case: call-user-function-in-from
-- expect: refused
-- as: analyst, agent, service
-- why: a user function called in FROM
SELECT * FROM wipe_payments()
-- case: call-user-function-in-where
-- expect: refused
-- as: analyst, agent, service
-- why: a user function called in WHERE
SELECT count(*) FROM orders WHERE wipe_payments() IS NULL
-- case: call-user-function-qualified
-- expect: refused
-- as: analyst, agent, service
-- why: a schema-qualified user function
SELECT public.wipe_payments()
-- case: call-user-function-quoted
-- expect: refused
-- as: analyst, agent, service
-- why: a quoted user function name
SELECT "wipe_payments"()
-- case: call-user-function-in-values
-- expect: refused
-- as: analyst, agent, service
-- why: a user function in VALUES
VALUES (wipe_payments())
-- case: call-user-function-in-cte
-- expect: refused
-- as: analyst, agent, service
-- why: a user function in a CTE
WITH w AS (SELECT wipe_payments()) SELECT 1 FROM w
-- case: routine-returning-masked
-- expect: masked
-- why: a user function returns a masked column the analysis cannot see
SELECT leak_ssn(1)
-- case: routine-returning-masked-aliased
-- expect: masked
-- why: the same under a harmless alias, for every customer
SELECT id, leak_ssn(id) AS nickname FROM customers
-- case: set-returning-routine-star
-- expect: masked
-- why: a set-returning user function over the sensitive table
SELECT * FROM every_customer()
-- case: set-returning-routine-field
-- expect: masked
-- why: a field of a user function's composite result
SELECT (every_customer()).email
-- case: routine-in-values
-- expect: masked
-- why: a user function in VALUES
VALUES (leak_ssn(2))
-- case: routine-in-from
-- expect: masked
-- why: a user function in FROM with a column alias
SELECT x FROM leak_ssn(3) AS x
-- case: quoted-any-is-a-routine
-- expect: refused
-- why: a quoted "any"(…) names a routine, not the array comparison
SELECT id FROM customers WHERE id = "any"(ARRAY[1, 2])
-- case: built-in-name-overloaded-in-public
-- expect: masked
-- why: public.initcap(int) overloads the built-in initcap(text); PostgreSQL picks the overload by argument type whatever
-- the search path's order, so initcap(1) runs a user function that reads ssn, not the built-in
SELECT initcap(1)
-- case: listed-name-absent-from-pg-catalog
-- expect: masked
-- why: nvl is on the analyser's list of built-ins but PostgreSQL has no pg_catalog.nvl, so nvl(1) is public.nvl, a user
-- function that reads email
SELECT nvl(1)
-- case: built-in-name-overloaded-with-a-write
-- expect: refused
-- as: analyst, agent
-- why: public.reverse(int) deletes payments; reverse(1) runs it for an identity that may only read
SELECT reverse(1)
-- case: built-in-name-overloaded-with-a-write-in-where
-- expect: refused
-- as: analyst, agent, service
-- why: the overload with a write in a condition
SELECT id FROM orders WHERE reverse(id) > 0
-- case: operator-overloaded-in-public
-- expect: masked
-- why: public.^(text, int) overloads the built-in ^; PostgreSQL picks it by the operands' types, so the "arithmetic"
-- runs a user function that reads ssn
SELECT 'a'::text ^ 1
-- case: operator-overloaded-with-a-write
-- expect: refused
-- as: analyst, agent
-- why: public.^(int, text) deletes payments; 1 ^ 'x'::text runs it for an identity that may only read
SELECT 1 ^ 'x'::text
-- case: cast-to-domain-with-a-check-that-writes
-- expect: refused
-- as: analyst, agent
-- why: casting to the domain checked_note runs its CHECK, whose user function deletes payments; the analysis sees a cast
SELECT 'x'::checked_note
-- case: cast-column-to-domain-with-a-check-that-writes
-- expect: refused
-- as: analyst, agent
-- why: the same with CAST over a column
SELECT CAST(name AS checked_note) FROM customers
-- case: cast-to-type-with-a-user-cast-that-writes
-- expect: refused
-- as: analyst, agent
-- why: the user cast from text to wiped_code runs wipe_to_code, which deletes payments; the analysis sees a cast
SELECT 'x'::text::wiped_code
-- case: cast-column-to-type-with-a-user-cast-that-writes
-- expect: refused
-- as: analyst, agent
-- why: the same with CAST over a column
SELECT CAST(name::text AS wiped_code) FROM customers
-- case: implicit-user-cast-on-a-column-that-writes
-- expect: refused
-- as: analyst, agent
-- why: the implicit cast from leaky_code to text runs leaky_to_text, which deletes payments; upper(code) names neither
-- the type nor the cast, and the analysis sees a built-in over a column
SELECT upper(code) FROM coded_items
-- case: implicit-user-cast-in-a-condition-that-writes
-- expect: refused
-- as: analyst, agent
-- why: the same cast makes code comparable to text in a WHERE
SELECT id FROM coded_items WHERE code = 'a1'::text
-- case: explicit-user-cast-of-a-column-to-a-system-type
-- expect: refused
-- as: analyst, agent
-- why: code::text names only text, a system type, and runs the user cast
SELECT code::text FROM coded_items
-- case: implicit-user-cast-through-a-view
-- expect: refused
-- as: analyst, agent
-- why: the view's column is of the type; the statement names the view only
SELECT length(code) FROM coded_codes
-- case: implicit-user-cast-through-a-domain-array-element
-- expect: refused
-- as: analyst, agent
-- why: label is an array of a domain over the type; a cast from a domain is its base type's cast
SELECT upper(label[1]) FROM coded_items
-- case: implicit-user-cast-of-a-value-made-with-a-domain
-- expect: refused
-- as: analyst, agent
-- why: names the domain over the type, not the type the cast converts
SELECT upper(ROW('x')::leaky_label)
-- case: insert-runs-a-column-default-routine-that-deletes
-- expect: refused
-- as: analyst, agent, service
-- why: stamp's DEFAULT calls wipe_stamp(), which deletes payments; the INSERT names no routine, yet runs one that no
-- rule permits calling, as SELECT wipe_stamp() would
INSERT INTO stamped_items (id) VALUES (1)
-- case: insert-returns-a-column-default-routine-reading-a-masked-column
-- expect: masked
-- why: stamp's DEFAULT is leak_ssn(1), which reads ssn; RETURNING hands back what the routine read
INSERT INTO ssn_stamped_items (id) VALUES (1) RETURNING stamp
-- case: insert-runs-a-check-constraint-routine-that-deletes
-- expect: refused
-- as: analyst, agent, service
-- why: the CHECK of n calls wipe_check(n), which deletes payments
INSERT INTO checked_items VALUES (1, 1)
-- case: insert-runs-a-generated-column-routine-that-deletes
-- expect: refused
-- as: analyst, agent, service
-- why: the generated column g is wipe_key(n) (declared immutable, which PostgreSQL takes on trust), which calls
-- wipe_check, which deletes payments
INSERT INTO generated_items (id, n) VALUES (1, 1)
-- case: insert-runs-an-index-expression-routine-that-deletes
-- expect: refused
-- as: analyst, agent, service
-- why: the index on wipe_key(n) (declared immutable, which PostgreSQL takes on trust) computes its key for the new
-- row, and wipe_key calls wipe_check, which deletes payments
INSERT INTO indexed_items VALUES (1, 1)
-- case: insert-runs-a-domain-check-routine-that-deletes
-- expect: refused
-- as: analyst, agent, service
-- why: note is of the domain checked_note, whose CHECK calls note_check_wipe, which deletes payments; the INSERT
-- names neither the domain nor the routine
INSERT INTO domain_items VALUES (1, 'x')
-- case: update-runs-a-trigger-routine-that-deletes
-- expect: refused
-- as: analyst, agent, service
-- why: a BEFORE UPDATE trigger on triggered_items runs wipe_on_write(), which deletes payments
UPDATE triggered_items SET n = 2 WHERE id = 1
-- case: insert-runs-a-rule-routine-that-deletes
-- expect: refused
-- as: analyst, agent, service
-- why: a DO ALSO rule on ruled_items calls wipe_check(NEW.n), which deletes payments
INSERT INTO ruled_items VALUES (1, 1)
-- case: delete-from-a-view-runs-an-instead-of-trigger-routine
-- expect: refused
-- as: analyst, agent, service
-- why: an INSTEAD OF DELETE trigger on the view runs wipe_on_write(), which deletes payments
DELETE FROM triggered_view WHERE id = 1
