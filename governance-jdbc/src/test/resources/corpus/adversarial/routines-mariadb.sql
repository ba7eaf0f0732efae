-- Code objects are an action of their own; calls to user routines are calls.
-- case: create-procedure
-- expect: refused
-- why: a procedure whose body empties a table
CREATE PROCEDURE adv_wipe() MODIFIES SQL DATA DELETE FROM payments
-- case: create-function
-- expect: refused
-- why: a stored function
CREATE FUNCTION adv_f() RETURNS INT DETERMINISTIC RETURN 1
-- case: create-or-replace-function
-- expect: refused
-- why: replacing a function the application calls
CREATE OR REPLACE FUNCTION leak_ssn(i INT) RETURNS VARCHAR(11) READS SQL DATA RETURN 'x'
-- case: create-trigger
-- expect: refused
-- why: a trigger runs code on every write
CREATE TRIGGER adv_trigger BEFORE INSERT ON orders FOR EACH ROW DELETE FROM payments
-- case: create-event
-- expect: refused
-- why: a scheduled event runs code later
CREATE EVENT adv_event ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 DAY DO DELETE FROM payments
-- case: create-definer-procedure
-- expect: refused
-- why: a procedure running with its definer's rights
CREATE DEFINER = CURRENT_USER PROCEDURE adv_definer() SQL SECURITY DEFINER SELECT 1
-- case: call-procedure
-- expect: refused
-- as: analyst, agent, service
-- why: CALL of a user procedure with a side effect
CALL wipe_payments()
-- case: call-procedure-qualified
-- expect: refused
-- as: analyst, agent, service
-- why: a database-qualified CALL
CALL governed_adv.wipe_payments()
-- case: call-escape
-- expect: refused
-- as: analyst, agent, service
-- why: the JDBC call escape
{call wipe_payments()}
-- case: routine-returning-masked
-- expect: masked
-- why: a user function returns a masked column the analysis cannot see
SELECT leak_ssn(1)
-- case: routine-returning-masked-aliased
-- expect: masked
-- why: the same for every customer under a harmless alias
SELECT id, leak_ssn(id) AS nickname FROM customers
-- case: routine-qualified
-- expect: masked
-- why: a database-qualified user function
SELECT governed_adv.leak_ssn(2)
-- case: set-role
-- expect: refused
-- why: SET ROLE changes privileges
SET ROLE NONE
-- case: update-catalog-rewrites-a-routine
-- expect: refused
-- as: service, baseline
-- why: mysql.proc holds routines' definitions: an UPDATE there alters a routine past every rule on alter and define-code
UPDATE mysql.proc SET security_type = 'INVOKER' WHERE db = 'governed_adv' AND name = 'leak_ssn'
-- case: update-catalog-grants-privileges
-- expect: refused
-- as: service, baseline
-- why: mysql.global_priv holds accounts' privileges, which the next FLUSH PRIVILEGES or restart applies
UPDATE mysql.global_priv SET Priv = '{"access":1073741823}' WHERE User = 'governed_nobody'
-- case: delete-from-catalog-quoted
-- expect: refused
-- as: service, baseline
-- why: a quoted name of mysql.plugin, whose rows are libraries the server loads when it starts
DELETE FROM `mysql`.`plugin` WHERE name = 'governed_nobody'
-- case: delete-from-catalog-through-a-using-alias
-- expect: refused
-- as: service, baseline
-- why: in DELETE FROM p USING mysql.plugin AS p the name after FROM is the USING list's alias, so it deletes from mysql.plugin
DELETE FROM p USING mysql.plugin AS p WHERE p.name = 'governed_nobody'
-- case: update-catalog-through-the-second-table
-- expect: refused
-- as: service, baseline
-- why: a multi-table UPDATE writes the table its SET names, here mysql.global_priv, not the first one
UPDATE audit_log a, mysql.global_priv g SET g.Priv = '{"access":1073741823}' WHERE g.User = 'governed_nobody' AND a.entry_no = 1
