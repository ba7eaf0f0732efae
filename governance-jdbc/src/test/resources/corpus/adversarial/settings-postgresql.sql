-- case: set-session-replication-role
-- expect: refused
-- why: replica turns triggers off, foreign-key enforcement and audit triggers with them
SET session_replication_role = replica
-- case: set-session-replication-role-session-to
-- expect: refused
-- why: the same with SESSION and TO
SET SESSION session_replication_role TO 'replica'
-- case: set-local-session-replication-role
-- expect: refused
-- why: the same for the transaction only
SET LOCAL session_replication_role = replica
-- case: set-session-replication-role-quoted
-- expect: refused
-- why: a quoted name is the same setting
SET "session_replication_role" = replica
-- case: set-row-security-off
-- expect: refused
-- why: changes how row security policies apply to the session's queries
SET row_security = off
-- case: set-log-statement-none
-- expect: refused
-- why: hides the session's statements from the server's log
SET log_statement = 'none'
-- case: set-log-min-duration-statement
-- expect: refused
-- why: another log_* setting
SET log_min_duration_statement = -1
-- case: set-default-transaction-read-only-off
-- expect: refused
-- why: undoes a read-only default a role or database was given
SET default_transaction_read_only = off
-- case: set-transaction-read-write
-- expect: refused
-- why: the same for the session's transactions
SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE
-- case: set-backslash-quote-on
-- expect: refused
-- why: changes how the server reads strings
SET backslash_quote = on
-- case: set-check-function-bodies-off
-- expect: refused
-- why: lets a function be created whose body is not checked
SET check_function_bodies = off
-- case: set-custom-setting
-- expect: refused
-- why: a custom setting, the kind a row security policy reads to tell tenants apart
SET app.tenant = '42'
-- case: reset-session-replication-role
-- expect: refused
-- why: RESET of a setting that is not listed
RESET session_replication_role
-- case: set-listed-then-unlisted
-- expect: refused
-- why: a listed setting first does not make the next statement listed
SET statement_timeout = 0
-- next
SET session_replication_role = replica
-- case: set-transaction-isolation-then-drop
-- expect: refused
-- why: a listed transaction form first, then a second statement in the same text
SET TRANSACTION ISOLATION LEVEL READ COMMITTED; DROP TABLE customers
-- case: set-transaction-isolation-and-read-write
-- expect: refused
-- why: a listed isolation level does not cover READ WRITE after it
SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE
-- case: set-transaction-snapshot
-- expect: refused
-- why: SET TRANSACTION SNAPSHOT is not a transaction mode: it takes another session's snapshot
SET TRANSACTION SNAPSHOT '00000003-0000001B-1'
-- case: set-constraints-with-a-query-after
-- expect: refused
-- why: SET CONSTRAINTS with anything after its mode is not that form
SET CONSTRAINTS ALL DEFERRED, (SELECT ssn FROM customers)
-- case: set-constraints-naming-a-query
-- expect: refused
-- why: the constraints named must be names
SET CONSTRAINTS (SELECT ssn FROM customers) DEFERRED
-- case: set-constraints-then-replication-role
-- expect: refused
-- why: SET CONSTRAINTS first, then a setting that turns triggers off, in one text
SET CONSTRAINTS ALL DEFERRED; SET session_replication_role = replica
-- case: update-pg-settings
-- expect: refused
-- as: service
-- why: an UPDATE of pg_settings sets a setting as SET does; transform_null_equals turns NOT (id = NULL) into a condition true for every row
UPDATE pg_settings SET setting = 'on' WHERE name = 'transform_null_equals'
