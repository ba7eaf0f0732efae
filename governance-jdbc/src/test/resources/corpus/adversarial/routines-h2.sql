-- Code objects are an action of their own; calls to user routines are calls; user changes are privilege changes.
-- case: create-alias-for-method
-- expect: refused
-- why: an alias for a Java method is code
CREATE ALIAS adv_prop FOR 'java.lang.System.getProperty'
-- case: create-alias-source
-- expect: refused
-- why: an alias compiled from Java source
CREATE ALIAS adv_src AS 'String f() { return "x"; }'
-- case: create-alias-if-not-exists
-- expect: refused
-- why: IF NOT EXISTS does not make an alias less of a code object
CREATE ALIAS IF NOT EXISTS adv_prop2 FOR 'java.lang.Math.abs'
-- case: create-trigger
-- expect: refused
-- why: a trigger runs code on every write
CREATE TRIGGER adv_trigger BEFORE INSERT ON orders FOR EACH ROW CALL 'io.governed.jdbc.corpus.H2Routines'
-- case: create-aggregate
-- expect: refused
-- why: a user-defined aggregate is code
CREATE AGGREGATE adv_agg FOR 'io.governed.jdbc.corpus.H2Routines'
-- case: create-user
-- expect: refused
-- why: creating an administrator
CREATE USER adv_admin PASSWORD 'x' ADMIN
-- case: alter-user-admin
-- expect: refused
-- why: making a user an administrator
ALTER USER SA ADMIN TRUE
-- case: call-user-routine
-- expect: refused
-- as: analyst, agent, service
-- why: CALL of a user routine with a side effect
CALL wipe_payments()
-- case: select-user-routine
-- expect: refused
-- as: analyst, agent, service
-- why: a user routine in a select list
SELECT wipe_payments()
-- case: user-routine-in-where
-- expect: refused
-- as: analyst, agent, service
-- why: a user routine in WHERE
SELECT COUNT(*) FROM orders WHERE wipe_payments() > 0
-- case: user-routine-qualified
-- expect: refused
-- as: analyst, agent, service
-- why: a schema-qualified user routine
SELECT PUBLIC.WIPE_PAYMENTS()
-- case: routine-returning-masked
-- expect: masked
-- why: a user routine returns a masked column the analysis cannot see
SELECT leak_ssn(1)
-- case: routine-returning-masked-aliased
-- expect: masked
-- why: the same under a harmless alias, for every customer
SELECT id, leak_ssn(id) AS nickname FROM customers
-- case: call-routine-returning-masked
-- expect: masked
-- why: CALL of a routine returning a masked value
CALL leak_ssn(2)
-- case: routine-in-values
-- expect: masked
-- why: a user routine in VALUES
VALUES (leak_ssn(3))
-- case: execute-immediate
-- expect: refused
-- as: analyst, agent, service
-- why: EXECUTE IMMEDIATE runs a text the gate sees only as a string
EXECUTE IMMEDIATE 'DELETE FROM payments'
