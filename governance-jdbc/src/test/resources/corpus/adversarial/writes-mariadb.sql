-- Unbounded writes in MariaDB's own forms.
-- case: update-null-safe-itself
-- expect: refused
-- as: service, baseline
-- why: a <=> a holds for every row, NULL or not
UPDATE orders SET total = 0 WHERE id <=> id
-- case: delete-null-safe-itself
-- expect: refused
-- as: service, baseline
-- why: DELETE … WHERE a <=> a
DELETE FROM orders WHERE status <=> status
-- case: update-join-without-where
-- expect: refused
-- as: service, baseline
-- why: a multi-table UPDATE … JOIN without a WHERE
UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.total = 0
-- case: delete-join-without-where
-- expect: refused
-- as: service, baseline
-- why: a multi-table DELETE … JOIN without a WHERE
DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id
-- case: delete-two-tables-join
-- expect: refused
-- as: service, baseline
-- why: DELETE from two tables without a WHERE
DELETE orders, payments FROM orders JOIN payments ON payments.order_id = orders.id
-- case: replace-select-every-row
-- expect: refused
-- as: service, baseline
-- why: REPLACE INTO t SELECT … FROM t rewrites every row
REPLACE INTO orders SELECT * FROM orders
-- case: replace-select-columns
-- expect: refused
-- as: service, baseline
-- why: REPLACE … SELECT with a changed column
REPLACE INTO orders (id, customer_id, total, status) SELECT id, customer_id, 0, status FROM orders
-- case: upsert-every-row
-- expect: refused
-- as: service, baseline
-- why: INSERT … SELECT every row ON DUPLICATE KEY UPDATE rewrites them all
INSERT INTO orders SELECT * FROM orders ON DUPLICATE KEY UPDATE total = 0
-- case: delete-in-same-table-derived
-- expect: refused
-- as: service, baseline
-- why: the same table's keys through a derived table
DELETE FROM orders WHERE id IN (SELECT id FROM (SELECT id FROM orders) x)
-- case: delete-where-one
-- expect: refused
-- as: service, baseline
-- why: WHERE 1
DELETE FROM orders WHERE 1
-- case: update-where-two
-- expect: refused
-- as: service, baseline
-- why: WHERE 2 is true
UPDATE orders SET total = 0 WHERE 2
-- case: update-xor
-- expect: refused
-- as: service, baseline
-- why: TRUE XOR FALSE
UPDATE orders SET total = 0 WHERE TRUE XOR FALSE
-- case: delete-order-by-without-where
-- expect: refused
-- as: service, baseline
-- why: ORDER BY does not bound a DELETE
DELETE FROM orders ORDER BY id
-- case: update-ignore
-- expect: refused
-- as: service, baseline
-- why: UPDATE IGNORE without a WHERE
UPDATE IGNORE orders SET total = 0
-- case: delete-quick
-- expect: refused
-- as: service, baseline
-- why: DELETE QUICK without a WHERE
DELETE QUICK FROM orders
-- case: update-low-priority
-- expect: refused
-- as: service, baseline
-- why: UPDATE LOW_PRIORITY without a WHERE
UPDATE LOW_PRIORITY orders SET total = 0
-- case: delete-key-in-same-table
-- expect: refused
-- as: service, baseline
-- why: WHERE key IN (SELECT key FROM the same table)
DELETE FROM payments WHERE id IN (SELECT id FROM payments)
-- case: update-not-null-column
-- expect: refused
-- as: service, baseline
-- why: IS NOT NULL on a NOT NULL column
UPDATE orders SET total = 0 WHERE customer_id IS NOT NULL
-- case: delete-or-itself
-- expect: refused
-- as: service, baseline
-- why: a column equal to itself OR FALSE
DELETE FROM orders WHERE id = id OR FALSE
-- case: truncate-without-table
-- expect: refused
-- as: service, baseline
-- why: TRUNCATE without the TABLE keyword
TRUNCATE orders
-- case: no-backslash-escapes-hide-an-or
-- expect: refused
-- as: service, baseline
-- connect: sessionVariables=sql_mode='NO_BACKSLASH_ESCAPES'
-- why: under NO_BACKSLASH_ESCAPES the backslash is a character, so the string ends at the quote after it and OR 1=1 runs
DELETE FROM orders WHERE status = 'a\' OR 1=1 -- '
-- case: no-backslash-escapes-switched-on-in-the-session
-- expect: refused
-- as: service, baseline
-- why: the session switches the mode itself first (where a session SET of sql_mode is allowed), then the string ends early
SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'
-- next
UPDATE orders SET total = 0 WHERE status = 'a\' OR id > 0 -- '
-- case: no-backslash-escapes-double-quoted-string
-- expect: refused
-- as: service, baseline
-- connect: sessionVariables=sql_mode='NO_BACKSLASH_ESCAPES'
-- why: double-quoted strings are read the same way
DELETE FROM orders WHERE status = "a\" OR 1=1 -- "
-- case: create-or-replace-table-drops-it
-- expect: refused
-- as: service, baseline
-- why: MariaDB drops the existing table, rows and all, before it creates the new one
CREATE OR REPLACE TABLE orders (id INT PRIMARY KEY)
-- case: create-or-replace-database-drops-it
-- expect: refused
-- as: service, baseline
-- why: MariaDB drops the existing database with every table in it
CREATE OR REPLACE DATABASE governed_adv_vault
-- case: create-or-replace-view-redefines-it
-- expect: refused
-- as: service, baseline
-- why: the view's definition, and whatever it kept out, is replaced, as ALTER VIEW … AS would
CREATE OR REPLACE VIEW contact_cards AS SELECT id, email AS card FROM customers
-- case: delete-double-bar-is-or
-- expect: refused
-- as: service, baseline
-- why: || is OR under MariaDB's default sql_mode: id = 1 || 1 holds for every row
DELETE FROM orders WHERE id = 1 || 1
-- case: update-double-bar-is-or
-- expect: refused
-- as: service, baseline
-- why: UPDATE … WHERE id = 1 || 1, OR under the default sql_mode
UPDATE orders SET total = 0 WHERE id = 1 || 1
-- case: delete-double-bar-after-pipes-as-concat
-- expect: refused
-- as: service, baseline
-- why: a session may switch || to concatenation and back: neither reading is assumed
SET SESSION sql_mode = CONCAT(@@sql_mode, ',PIPES_AS_CONCAT')
-- next
DELETE FROM orders WHERE id = 1 || 1
-- case: delete-key-in-itself
-- expect: refused
-- as: service, baseline
-- why: a column IN a list that holds the column itself is true for every row
DELETE FROM orders WHERE id IN (id)
-- case: delete-not-null-safe-null
-- expect: refused
-- as: service, baseline
-- why: NOT (a <=> NULL) is a IS NOT NULL, true for every row of a NOT NULL column
DELETE FROM orders WHERE NOT (id <=> NULL)
-- case: delete-bang-binds-first
-- expect: refused
-- as: service, baseline
-- why: ! binds before IN: !id IN (0, 1) is (!id) IN (0, 1), true for every row
DELETE FROM orders WHERE !id IN (0, 1)
-- case: delete-not-under-high-not-precedence
-- expect: refused
-- as: service, baseline
-- why: under HIGH_NOT_PRECEDENCE, NOT id IN (0, 1) is (NOT id) IN (0, 1), true for every row
SET SESSION sql_mode = CONCAT(@@sql_mode, ',HIGH_NOT_PRECEDENCE')
-- next
DELETE FROM orders WHERE NOT id IN (0, 1)
-- case: update-join-on-always-true-where-joined
-- expect: refused
-- as: service, baseline
-- why: a WHERE on the joined table bounds nothing when the join's ON condition does not link it to the target
UPDATE orders o JOIN customers c ON 1 = 1 SET o.total = 0 WHERE c.id = 1
-- case: update-left-join-where-joined
-- expect: refused
-- as: service, baseline
-- why: a LEFT JOIN keeps every target row, matched or not
UPDATE orders o LEFT JOIN customers c ON c.id = o.customer_id SET o.total = 0 WHERE c.id IS NULL
-- case: update-join-where-joined-itself
-- expect: refused
-- as: service, baseline
-- why: c.id = c.id holds for every joined row
UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.total = 0 WHERE c.id = c.id
-- case: update-self-join-where-joined
-- expect: refused
-- as: service, baseline
-- why: the joined table is the target itself: o2.id > 0 may hold for every row
UPDATE orders o JOIN orders o2 ON o2.id = o.id SET o.total = 0 WHERE o2.id > 0
-- case: update-join-on-joined-only
-- expect: refused
-- as: service, baseline
-- why: an ON condition that reads only the joined table pairs every target row with the rows it keeps
UPDATE orders o JOIN customers c ON c.id > 0 SET o.total = 0 WHERE c.id = 1
-- case: delete-join-on-always-true-where-joined
-- expect: refused
-- as: service, baseline
-- why: a WHERE on the joined table bounds nothing when the join's ON condition does not link it to the target
DELETE o FROM orders o JOIN customers c ON 1 = 1 WHERE c.id = 1
-- case: delete-left-join-where-joined
-- expect: refused
-- as: service, baseline
-- why: a LEFT JOIN keeps every target row, matched or not
DELETE o FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL OR c.id > 0
-- case: delete-join-where-joined-itself
-- expect: refused
-- as: service, baseline
-- why: c.id = c.id holds for every joined row
DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id = c.id
-- case: delete-self-join-where-joined
-- expect: refused
-- as: service, baseline
-- why: the joined table is the target itself: o2.id > 0 may hold for every row
DELETE o FROM orders o JOIN orders o2 ON o2.id = o.id WHERE o2.id > 0
-- case: delete-join-on-joined-only
-- expect: refused
-- as: service, baseline
-- why: an ON condition that reads only the joined table pairs every target row with the rows it keeps
DELETE o FROM orders o JOIN customers c ON c.id > 0 WHERE c.id = 1
-- case: delete-join-comma-where-joined
-- expect: refused
-- as: service, baseline
-- why: a comma join links nothing in its ON: the WHERE's link and its bound are one condition the rule cannot split
DELETE o FROM orders o, customers c WHERE c.id > 0 OR c.id = o.customer_id
-- case: delete-join-two-targets-where-itself
-- expect: refused
-- as: service, baseline
-- why: deleting from both tables, a WHERE true for every pair bounds neither
DELETE o, c FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = o.id
-- case: delete-where-in-a-comment-the-server-skips
-- expect: refused
-- as: service, baseline
-- why: MariaDB skips a versioned executable comment above its version (and 50700 up): the WHERE bounds nothing
DELETE FROM orders /*!99999 WHERE id = 1 */
-- case: update-where-in-a-mariadb-only-comment-above-the-version
-- expect: refused
-- as: service, baseline
-- why: /*M!NNNNNN … */ runs only on a MariaDB of that version or later (and never on MySQL)
UPDATE orders SET total = 0 /*M!999999 WHERE id = 1 */
-- case: delete-where-in-a-mysql-57-comment
-- expect: refused
-- as: service, baseline
-- why: MariaDB skips /*!50700 … */ (MySQL 5.7 syntax) though its version is higher
DELETE FROM orders /*!50700 WHERE id = 1 */
-- case: delete-where-after-a-carriage-return-in-a-comment
-- expect: refused
-- as: service, baseline
-- why: MariaDB ends # and -- comments at a line feed only: the WHERE after a lone carriage return (a 0x0D byte in the line below) is comment there
DELETE FROM orders # the next line holds the bound WHERE id = 1
-- case: update-where-after-a-carriage-return-in-a-dash-comment
-- expect: refused
-- as: service, baseline
-- why: the same with a -- comment
UPDATE orders SET total = 0 -- the next line holds the bound WHERE id = 1
-- case: delete-key-equal-to-a-subquery-of-no-table
-- expect: refused
-- as: service, baseline
-- why: a subquery with no table of its own reads the name from the row being deleted: id = (SELECT id) holds for every row
DELETE FROM orders WHERE id = (SELECT id)
-- case: update-key-in-a-subquery-from-dual
-- expect: refused
-- as: service, baseline
-- why: FROM DUAL is no table either: id IN (SELECT id FROM DUAL) is id IN (id)
UPDATE orders SET total = 0 WHERE id IN (SELECT id FROM DUAL)
-- case: delete-key-equal-to-all-of-itself
-- expect: refused
-- as: service, baseline
-- why: = ALL over a subquery of the row's own key
DELETE FROM orders WHERE id = ALL (SELECT id)
-- case: delete-bare-name-missing-from-subquery-table
-- expect: refused
-- as: service, baseline
-- why: audit_log has no column id, so the bare id in the subquery is payments.id: id IN (SELECT id …) holds for every row
DELETE FROM payments WHERE id IN (SELECT id FROM audit_log)
-- case: update-bare-name-missing-from-subquery-table
-- expect: refused
-- as: service, baseline
-- why: the bare id of the subquery is the written table's own id
UPDATE payments SET amount = 0 WHERE id IN (SELECT id FROM audit_log)
-- case: delete-bare-name-exists-correlated-with-itself
-- expect: refused
-- as: service, baseline
-- why: the bare id inside EXISTS is payments.id, so id = payments.id holds for every row
DELETE FROM payments WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.entry_no = 1 AND id = payments.id)
-- case: analyze-delete
-- expect: refused
-- as: analyst, agent
-- why: ANALYZE DELETE runs the delete
ANALYZE DELETE FROM payments WHERE id > 0
-- case: analyze-update
-- expect: refused
-- as: analyst, agent
-- why: ANALYZE UPDATE runs the update
ANALYZE UPDATE orders SET status = 'x' WHERE id > 0
-- case: setval
-- expect: refused
-- as: analyst, agent
-- why: SETVAL changes a sequence
SELECT SETVAL(customers_id_seq, 5000)
-- case: handler-open
-- expect: refused
-- as: analyst, agent
-- why: HANDLER is not a read the policy knows
HANDLER payments OPEN
-- case: optimize
-- expect: refused
-- as: analyst, agent
-- why: OPTIMIZE TABLE rebuilds a table
OPTIMIZE TABLE payments
-- case: analyze-table-persistent
-- expect: refused
-- as: analyst, agent
-- why: ANALYZE TABLE writes statistics
ANALYZE TABLE payments PERSISTENT FOR ALL
-- case: do-setval-and-user-function
-- expect: refused
-- as: analyst
-- why: DO runs a write through a stored function
DO leak_ssn(1), SETVAL(customers_id_seq, 9000)
-- case: nextval-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: NEXTVAL(s) advances the sequence, a write that outlives the statement, by an identity whose policy permits only reads
SELECT NEXTVAL(customers_id_seq)
-- case: next-value-for-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: NEXT VALUE FOR advances the sequence
SELECT NEXT VALUE FOR customers_id_seq
-- case: for-update-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: a read that locks the rows it reads makes other sessions' writes wait while its transaction lasts
SELECT id FROM orders WHERE id = 1 FOR UPDATE
-- case: lock-in-share-mode-by-a-reader
-- expect: refused
-- as: analyst, agent
-- why: a shared row lock holds writers off as well
SELECT id FROM orders WHERE id = 1 LOCK IN SHARE MODE
-- case: delete-where-bare-key
-- expect: refused
-- as: service, baseline
-- why: MariaDB reads any column as a truth value, so WHERE id holds for every row whose key is not 0: all of them
DELETE FROM orders WHERE id
-- case: update-where-not-bare-text-column
-- expect: refused
-- as: service, baseline
-- why: a text column is a truth value too ('open' is 0), so NOT status holds for every row that does not start with a digit
UPDATE orders SET total = 0 WHERE NOT status
-- case: delete-where-key-or-bare-key
-- expect: refused
-- as: service, baseline
-- why: either term of an OR may hold for every row
DELETE FROM payments WHERE id = 1 OR id
-- case: delete-where-bare-key-is-true
-- expect: refused
-- as: service, baseline
-- why: IS TRUE of a number is true for every value but 0
DELETE FROM payments WHERE customer_id IS TRUE
-- case: update-second-table-of-a-comma-join
-- expect: refused
-- as: service, baseline
-- why: a multi-table UPDATE writes the tables its SET names, here the second one, which the WHERE does not bound
UPDATE audit_log a, orders SET orders.status = 'x' WHERE a.entry_no = 1
-- case: update-second-table-of-a-join
-- expect: refused
-- as: service, baseline
-- why: the joined table is the one written; ON and WHERE bound only the first
UPDATE audit_log a JOIN orders o ON a.entry_no > 0 SET o.status = 'x' WHERE a.entry_no = 1
-- case: update-unqualified-column-of-the-second-table
-- expect: refused
-- as: service, baseline
-- why: status is a column of orders only, so the unqualified SET writes orders, which the WHERE does not bound
UPDATE audit_log a, orders o SET status = 'x' WHERE a.entry_no = 1
-- case: update-table-name-beside-its-alias
-- expect: refused
-- as: service, baseline
-- why: once aliased o, the table's own name names the other instance of it, whose every row is written
UPDATE orders AS o, orders SET orders.status = 'x' WHERE o.id = 1
-- case: delete-alias-bounded-by-the-table-name
-- expect: refused
-- as: service, baseline
-- why: the WHERE bounds the unaliased instance, not o, whose every row is deleted
DELETE o FROM orders AS o, orders WHERE orders.id = 1
-- case: update-where-unqualified-column-of-the-joined-table
-- expect: refused
-- as: service, baseline
-- why: entry_no is a column of audit_log only, so the WHERE tests the joined row and every order is updated
UPDATE orders o, audit_log a SET o.status = 'x' WHERE entry_no = 1
-- case: delete-where-unqualified-column-of-the-joined-table
-- expect: refused
-- as: service, baseline
-- why: entry_no is audit_log's: the WHERE bounds the joined table, and every order is deleted
DELETE o FROM orders o, audit_log a WHERE entry_no = 1
-- case: delete-using-where-unqualified-column-of-another-table
-- expect: refused
-- as: service, baseline
-- why: the same through DELETE FROM … USING
DELETE FROM orders USING orders, audit_log WHERE entry_no = 1
-- case: delete-two-targets-where-one
-- expect: refused
-- as: service, baseline
-- why: deleting from both tables of a comma join, a WHERE on one bounds only that one: every audit_log row goes
DELETE o, a FROM orders o, audit_log a WHERE o.id = 5
-- case: delete-using-alias-of-two-targets-where-one
-- expect: refused
-- as: service, baseline
-- why: the same in the USING form, whose targets are the USING list's aliases
DELETE FROM o, a USING orders AS o, audit_log AS a WHERE o.id = 5
-- case: delete-comparison-tested-for-null
-- expect: refused
-- as: service, baseline
-- why: IS binds as loosely as =, so (id = 1) IS NOT NULL holds for every row
DELETE FROM orders WHERE id = 1 IS NOT NULL
-- case: update-comparison-is-not-true
-- expect: refused
-- as: service, baseline
-- why: (id = 1) IS NOT TRUE holds for every other row
UPDATE orders SET status = 'x' WHERE id = 1 IS NOT TRUE
-- case: delete-comparison-equal-to-zero
-- expect: refused
-- as: service, baseline
-- why: (id = 1) = 0 holds for every other row
DELETE FROM orders WHERE id = 1 = 0
-- case: delete-in-list-equal-to-zero
-- expect: refused
-- as: service, baseline
-- why: (id IN (1)) = 0
DELETE FROM orders WHERE id IN (1) = 0
-- case: delete-sounds-like-itself
-- expect: refused
-- as: service, baseline
-- why: x SOUNDS LIKE x
DELETE FROM orders WHERE status SOUNDS LIKE status
-- case: delete-row-equal-to-itself
-- expect: refused
-- as: service, baseline
-- why: a row constructor compared with itself
DELETE FROM orders WHERE (id, customer_id) = (id, customer_id)
-- case: delete-keys-from-json-table-over-itself
-- expect: refused
-- as: service, baseline
-- why: the keys come from the target itself through JSON_TABLE over a subquery
DELETE FROM orders WHERE id IN (SELECT j.i FROM JSON_TABLE((SELECT JSON_ARRAYAGG(id) FROM orders), '$[*]' COLUMNS (i INT PATH '$')) j)
-- case: delete-double-ampersand
-- expect: refused
-- as: service, baseline
-- why: && is AND
DELETE FROM orders WHERE TRUE && TRUE
-- case: rename-table
-- expect: refused
-- as: service, baseline
-- why: RENAME TABLE makes the table disappear under its name
RENAME TABLE orders TO orders_gone
-- case: delete-history
-- expect: refused
-- as: service, baseline
-- why: DELETE HISTORY of a table
DELETE HISTORY FROM orders
