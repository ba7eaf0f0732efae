-- case: set-sql-log-bin-off
-- expect: refused
-- why: keeps the session's changes out of the binary log (replicas and audits never see them)
SET SESSION sql_log_bin = 0
-- case: set-sql-log-bin-at-at-session
-- expect: refused
-- why: the same through @@session.
SET @@session.sql_log_bin = 0
-- case: set-sql-log-bin-at-at
-- expect: refused
-- why: the same through @@
SET @@sql_log_bin = OFF
-- case: set-foreign-key-checks-off
-- expect: refused
-- why: rows that break foreign keys may be written
SET foreign_key_checks = 0
-- case: set-unlisted-after-listed-in-a-list
-- expect: refused
-- why: a listed setting first in a list does not cover the rest
SET time_zone = '+00:00', foreign_key_checks = 0
-- case: set-unlisted-after-user-variable
-- expect: refused
-- why: a user variable whose value holds a comma, then a setting
SET @x = (SELECT 1), sql_safe_updates = 0
-- case: set-unlisted-after-names
-- expect: refused
-- why: NAMES first, then a setting
SET NAMES utf8mb4, unique_checks = 0
-- case: set-sql-mode-oracle
-- expect: refused
-- why: sql_mode changes how the server parses statements
SET SESSION sql_mode = 'ORACLE'
-- case: set-statement-for
-- expect: refused
-- why: SET STATEMENT sets a variable for one statement
SET STATEMENT foreign_key_checks = 0 FOR SELECT 1
-- case: reset-query-cache
-- expect: refused
-- why: MariaDB's RESET acts on the server
RESET QUERY CACHE
-- case: set-transaction-isolation-then-foreign-key-checks
-- expect: refused
-- why: a listed transaction form first, then a second statement in the same text
SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SET foreign_key_checks = 0
-- case: set-session-transaction-read-write
-- expect: refused
-- why: READ WRITE undoes a read-only default
SET SESSION TRANSACTION READ WRITE
-- case: set-character-set-then-unlisted
-- expect: refused
-- why: CHARACTER SET first, then a setting that is not listed
SET CHARACTER SET utf8mb4, unique_checks = 0
-- case: set-character-set-of-a-query
-- expect: refused
-- why: the character set must be a name
SET CHARACTER SET (SELECT ssn FROM customers LIMIT 1)
-- case: set-names-then-variable-of-masked
-- expect: refused
-- as: analyst, agent, service
-- why: NAMES first, then a user variable that keeps a masked value in the session
SET NAMES utf8mb4, @v := (SELECT ssn FROM customers WHERE id = 1)
