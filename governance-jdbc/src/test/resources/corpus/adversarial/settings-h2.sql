-- case: set-referential-integrity-false
-- expect: refused
-- why: turns foreign-key checks off for the whole database
SET REFERENTIAL_INTEGRITY FALSE
-- case: set-allow-literals-all
-- expect: refused
-- why: a database setting
SET ALLOW_LITERALS ALL
