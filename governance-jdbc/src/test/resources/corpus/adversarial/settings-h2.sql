-- case: set-referential-integrity-false
-- expect: refused
-- why: turns foreign-key checks off for the whole database
SET REFERENTIAL_INTEGRITY FALSE
-- case: set-allow-literals-all
-- expect: refused
-- why: a database setting
SET ALLOW_LITERALS ALL
-- case: set-session-characteristics-then-referential-integrity
-- expect: refused
-- why: the session's isolation level first, then a database setting that turns foreign keys off
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED; SET REFERENTIAL_INTEGRITY FALSE
-- case: set-exclusive
-- expect: refused
-- as: analyst, agent, service
-- why: SET EXCLUSIVE 1 locks every other session out of the database
SET EXCLUSIVE 1
-- case: set-trace-level-system-out
-- expect: refused
-- as: analyst, agent, service
-- why: a trace level writes every statement, with its parameters' values, to standard output
SET TRACE_LEVEL_SYSTEM_OUT 3
