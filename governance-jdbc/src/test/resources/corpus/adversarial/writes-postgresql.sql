-- Unbounded writes in PostgreSQL's own forms.
-- case: update-from-without-where
-- expect: refused
-- as: service, baseline
-- why: UPDATE … FROM without a WHERE updates every row
UPDATE orders o SET total = 0 FROM customers c
-- case: delete-using-without-where
-- expect: refused
-- as: service, baseline
-- why: DELETE … USING without a WHERE
DELETE FROM orders o USING customers c
-- case: delete-ctid-itself
-- expect: refused
-- as: service, baseline
-- why: ctid = ctid
DELETE FROM orders WHERE ctid = ctid
-- case: delete-any-array-same-table
-- expect: refused
-- as: service, baseline
-- why: key = ANY(ARRAY(SELECT key FROM the same table))
DELETE FROM orders WHERE id = ANY(ARRAY(SELECT id FROM orders))
-- case: cte-then-delete-same-table
-- expect: refused
-- as: service, baseline
-- why: a CTE of the same table's keys
WITH x AS (SELECT id FROM orders) DELETE FROM orders WHERE id IN (SELECT id FROM x)
-- case: delete-whole-row-not-null
-- expect: refused
-- as: service, baseline
-- why: a whole row of NOT NULL columns IS NOT NULL
DELETE FROM orders WHERE orders IS NOT NULL
-- case: update-only-in-same-table
-- expect: refused
-- as: service, baseline
-- why: UPDATE ONLY with a same-table subquery
UPDATE ONLY orders SET total = 0 WHERE id IN (SELECT id FROM ONLY orders)
-- case: delete-exists-correlated-itself
-- expect: refused
-- as: service, baseline
-- why: EXISTS correlated on the row's own key
DELETE FROM orders o WHERE EXISTS (SELECT 1 FROM orders p WHERE p.id = o.id)
-- case: delete-is-true-not-null
-- expect: refused
-- as: service, baseline
-- why: (key IS NOT NULL) IS TRUE
DELETE FROM orders WHERE (id IS NOT NULL) IS TRUE
-- case: delete-data-modifying-cte-same-table
-- expect: refused
-- as: service, baseline
-- why: a data-modifying CTE whose delete is bounded by a same-table subquery
WITH d AS (DELETE FROM payments WHERE id IN (SELECT id FROM payments) RETURNING id) SELECT count(*) FROM d
-- case: string-escapes-off-hide-an-or
-- expect: refused
-- as: service, baseline
-- connect: options=-c standard_conforming_strings=off
-- why: with standard_conforming_strings off a backslash escapes the quote, so the string ends later and OR true runs
DELETE FROM orders WHERE status = '\'' OR true --'
-- case: string-escapes-off-hide-a-drop
-- expect: refused
-- as: service, baseline
-- connect: options=-c standard_conforming_strings=off
-- why: read with standard strings this is one SELECT of a literal; the server reads a SELECT and a DROP TABLE
SELECT '\'' ; DROP TABLE orders ; -- '
-- case: string-escapes-switched-off-in-the-session
-- expect: refused
-- as: baseline
-- why: the session would switch the reading itself, so that a later string ends later; standard_conforming_strings is not a listed setting
SET standard_conforming_strings = off
-- case: string-escapes-on-hide-an-or-that-escapes-would-show
-- expect: refused
-- as: service, baseline
-- why: read with escapes the quote after the backslash is part of the string; the server with standard strings ends it there
DELETE FROM orders WHERE status = 'x\' OR true OR status = '
-- case: string-escapes-switched-off-earlier-in-the-same-text
-- expect: refused
-- as: service, baseline
-- why: the SET runs before the server reads the next statement, so the string after it ends later, although the session read strings the usual way when the text was checked
SET standard_conforming_strings = off; DELETE FROM orders WHERE status = '\'' OR id > 0 --'
-- case: create-or-replace-view-redefines-it
-- expect: refused
-- as: service, baseline
-- why: the view's definition is replaced (PostgreSQL lets it add columns), as ALTER VIEW … AS would
CREATE OR REPLACE VIEW contact_cards AS SELECT c.id, c.email || ' ' || c.ssn AS card, c.name AS extra FROM customers c
-- case: nextval-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: nextval advances the sequence, a write that outlives the statement, by an identity whose policy permits only reads
SELECT nextval('customers_id_seq')
-- case: nextval-beside-a-read
-- expect: refused
-- as: analyst, agent
-- why: a read that advances a sequence once per row
SELECT id, nextval('customers_id_seq') FROM customers
-- case: select-into-creates-a-table
-- expect: refused
-- as: analyst, agent, service
-- why: SELECT … INTO creates the table it names and fills it, as CREATE TABLE … AS does; read as a query it was a select on the new table, which a read-only identity may run
SELECT id, name INTO customer_names FROM customers
-- case: select-into-temporary-table-in-a-union
-- expect: refused
-- as: analyst, agent, service
-- why: the same from the first branch of a union, into a table of the session's temporary schema
SELECT id INTO pg_temp.kept_ids FROM customers UNION SELECT id FROM orders
-- case: merge-from-a-masked-source
-- expect: refused
-- as: analyst, agent, service
-- why: a MERGE whose source reads a masked column into a clear one
MERGE INTO orders o USING (SELECT id, ssn FROM customers) c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET status = left(c.ssn, 20)
-- case: upsert-sets-excluded-masked-value
-- expect: refused
-- as: service
-- why: ON CONFLICT … DO UPDATE SET a clear column to EXCLUDED's masked column
INSERT INTO customers (id, name, email, ssn, api_key, city, signed_up) VALUES (1, 'x', 'x', 'x', 'x', 'x', now()) ON CONFLICT (id) DO UPDATE SET city = EXCLUDED.ssn
-- case: upsert-sets-existing-masked-value
-- expect: refused
-- as: service
-- why: ON CONFLICT … DO UPDATE SET a clear column to the existing row's masked column
INSERT INTO customers (id, name, email, ssn, api_key, city, signed_up) VALUES (1, 'x', 'x', 'x', 'x', 'x', now()) ON CONFLICT (id) DO UPDATE SET city = customers.ssn
-- case: upsert-from-every-row-of-the-table
-- expect: refused
-- as: service, baseline
-- why: an upsert whose rows are the table's own rows updates every row
INSERT INTO orders (id, customer_id, total, status) SELECT id, customer_id, total, 'z' FROM orders ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status
-- case: for-update-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: a read that locks the rows it reads makes other sessions' writes wait while its transaction lasts, which PostgreSQL itself lets only an identity that may update the table do
SELECT id FROM orders WHERE id = 1 FOR UPDATE
-- case: for-share-skip-locked-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: a shared row lock holds writers off as well
SELECT id FROM orders FOR SHARE SKIP LOCKED
-- case: jdbc-outer-join-escape-ends-at-a-brace-in-a-comment
-- expect: refused
-- why: the driver ends {oj …} at the '}' inside the comment, which then closes at '*/': the DELETE the analysis read as a comment runs
SELECT 1 FROM {oj customers c LEFT JOIN orders o ON true /* *}/ ; DELETE FROM payments; -- */ }
-- case: jdbc-function-escape-ends-at-a-brace-in-an-e-string
-- expect: refused
-- why: after {fn …}'s arguments the driver stops at the '}' of E'\}', leaving an escaped quote: the string the analysis read runs as code
SELECT {fn lower('x') || E'\}' } || '; DELETE FROM payments; -- '
-- case: jdbc-time-escape-ends-at-a-brace-in-a-dollar-tag
-- expect: refused
-- why: removing the '}' of $}a$ leaves $a$, which ends the dollar-quoted string the analysis read to its end
SELECT {t '10:00:00' || $a$ $}a$ ; DELETE FROM payments; -- $a$ }
-- case: unicode-space-glues-the-where-into-an-alias
-- expect: refused
-- why: PostgreSQL reads every character beyond ASCII as part of a name, so the EM SPACEs make WHERE … NULL the table's alias and the DELETE unbounded
DELETE FROM payments AS x WHERE amount IS NULL
-- case: explain-analyze-runs-an-unbounded-delete
-- expect: refused
-- as: service, baseline
-- why: EXPLAIN ANALYZE runs the statement it explains
EXPLAIN ANALYZE DELETE FROM payments
-- case: explain-analyze-runs-a-data-modifying-cte
-- expect: refused
-- as: service, baseline
-- why: EXPLAIN ANALYZE runs the DELETE of its WITH clause
EXPLAIN (ANALYZE, COSTS OFF) WITH d AS (DELETE FROM payments RETURNING 1) SELECT count(*) FROM d
-- case: delete-notnull-postfix
-- expect: refused
-- as: service, baseline
-- why: PostgreSQL's postfix NOTNULL is IS NOT NULL: true for every row of a NOT NULL key
DELETE FROM orders WHERE id NOTNULL
-- case: update-notnull-postfix
-- expect: refused
-- as: service, baseline
-- why: postfix NOTNULL on a NOT NULL column
UPDATE orders SET status = 'x' WHERE status NOTNULL
-- case: delete-isnull-or-notnull
-- expect: refused
-- as: service, baseline
-- why: ISNULL OR NOTNULL of one column holds for every row
DELETE FROM orders WHERE id ISNULL OR id NOTNULL
-- case: delete-regex-match-or-not-match
-- expect: refused
-- as: service, baseline
-- why: a pattern match OR its negation (~ and !~) holds for every non-null value
DELETE FROM orders WHERE status ~ 'a' OR status !~ 'a'
-- case: delete-like-operator-or-not
-- expect: refused
-- as: service, baseline
-- why: ~~ and !~~ are LIKE and NOT LIKE
DELETE FROM orders WHERE status ~~ 'a' OR status !~~ 'a'
-- case: delete-is-true-or-is-false
-- expect: refused
-- as: service, baseline
-- why: p IS TRUE OR p IS FALSE holds wherever p is not null
DELETE FROM orders WHERE (id = 1) IS TRUE OR (id = 1) IS FALSE
-- case: delete-comparison-written-backwards
-- expect: refused
-- as: service, baseline
-- why: id < 5 OR 5 <= id: the negation written with its sides swapped
DELETE FROM orders WHERE id < 5 OR 5 <= id
-- case: delete-trichotomy
-- expect: refused
-- as: service, baseline
-- why: =, < and > of one value cover every value
DELETE FROM orders WHERE id = 1 OR id < 1 OR id > 1
-- case: delete-ranges-that-overlap
-- expect: refused
-- as: service, baseline
-- why: a range open below and one open above that overlap
DELETE FROM orders WHERE id < 100 OR id > 0
-- case: delete-equal-or-not-in
-- expect: refused
-- as: service, baseline
-- why: = and NOT IN of the same value
DELETE FROM orders WHERE id = 1 OR id NOT IN (1)
-- case: delete-in-or-not-in-reordered
-- expect: refused
-- as: service, baseline
-- why: IN and NOT IN of the same list in another order
DELETE FROM orders WHERE id IN (1, 2) OR id NOT IN (2, 1)
-- case: delete-two-inequalities
-- expect: refused
-- as: service, baseline
-- why: id <> 1 OR id <> 2 holds for every row
DELETE FROM orders WHERE id <> 1 OR id <> 2
-- case: delete-negated-conjunction-of-two-points
-- expect: refused
-- as: service, baseline
-- why: NOT (id = 1 AND id = 2) holds for every row
DELETE FROM orders WHERE NOT (id = 1 AND id = 2)
-- case: delete-negation-through-collate
-- expect: refused
-- as: service, baseline
-- why: a COLLATE on one side hides the negation
DELETE FROM orders WHERE status = 'a' OR status COLLATE "C" <> 'a'
-- case: delete-negation-qualified-otherwise
-- expect: refused
-- as: service, baseline
-- why: the same column qualified by the table and by its alias
DELETE FROM orders o WHERE o.id = 1 OR orders.id <> 1
-- case: delete-any-or-all
-- expect: refused
-- as: service, baseline
-- why: = ANY and <> ALL of the same array
DELETE FROM orders WHERE id = ANY ('{1}') OR id <> ALL ('{1}')
-- case: delete-negation-inside-a-conjunction
-- expect: refused
-- as: service, baseline
-- why: the negation ANDed with a condition that restricts nothing
DELETE FROM orders WHERE id = 1 OR (id <> 1 AND id IS NOT NULL)
-- case: update-negation-through-arithmetic
-- expect: refused
-- as: service, baseline
-- why: a computation on the column hides the negation
UPDATE orders SET status = 'x' WHERE id + 0 = 1 OR id <> 1
-- case: delete-flag-or-flag-is-false
-- expect: refused
-- as: service, baseline
-- why: a boolean column OR the same column IS FALSE holds for every row where it is not null
DELETE FROM flagged_items WHERE active OR active IS FALSE
-- case: update-not-flag-or-flag-is-true
-- expect: refused
-- as: service, baseline
-- why: NOT flag OR flag = true holds for every row where it is not null
UPDATE flagged_items SET active = NOT active WHERE NOT active OR active = true
-- case: delete-exists-or-not-exists-under-another-alias
-- expect: refused
-- as: service, baseline
-- why: EXISTS OR NOT EXISTS of one correlated query, its table renamed in the second, holds for every row
DELETE FROM orders WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = orders.customer_id) OR NOT EXISTS (SELECT 1 FROM customers d WHERE d.id = orders.customer_id)
-- case: delete-in-or-not-in-of-two-subqueries
-- expect: refused
-- as: service, baseline
-- why: IN one subquery OR NOT IN another over the same table may hold for every row
DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers) OR customer_id NOT IN (SELECT id FROM customers WHERE id > 1)
