-- MariaDB inference and copy-out forms.
-- case: count-if-predicate
-- expect: refused
-- as: agent
-- why: a count over IF on a masked column
SELECT COUNT(IF(ssn LIKE '1%', 1, NULL)) FROM customers
-- case: sum-of-comparison
-- expect: refused
-- as: agent
-- why: a sum of a boolean over a masked column
SELECT SUM(ssn LIKE '1%') FROM customers
-- case: null-safe-equal-predicate
-- expect: refused
-- as: agent
-- why: <=> on a masked column
SELECT id FROM customers WHERE ssn <=> '138-18-1624'
-- case: order-by-field
-- expect: refused
-- as: agent
-- why: ORDER BY an expression over a masked column
SELECT id FROM customers ORDER BY LEFT(ssn, 1), id
-- case: group-by-substring
-- expect: refused
-- as: agent
-- why: GROUP BY an expression over a masked column
SELECT COUNT(*) FROM customers GROUP BY SUBSTRING(email, 1, 1)
-- case: correlated-exists
-- expect: refused
-- as: agent
-- why: a correlated subquery filtering on a masked column
SELECT o.id FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id AND c.ssn LIKE '1%')
-- case: regexp-predicate
-- expect: refused
-- as: agent
-- why: REGEXP on a masked column
SELECT id FROM customers WHERE ssn REGEXP '^1'
-- case: select-into-variable
-- expect: masked
-- why: SELECT … INTO @v copies a masked value into a session variable
SELECT ssn INTO @x FROM customers WHERE id = 1
-- next
SELECT @x
-- case: set-variable-subquery
-- expect: masked
-- why: SET @v = (SELECT masked)
SET @y = (SELECT email FROM customers WHERE id = 2)
-- next
SELECT @y
-- case: assignment-then-read
-- expect: masked
-- why: := inside a select, then the variable read back
SELECT @z := ssn FROM customers WHERE id = 3
-- next
SELECT CONCAT('', @z)
-- case: update-join-copy-out
-- expect: refused
-- as: service
-- why: a multi-table UPDATE copies a masked column
UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.status = c.ssn WHERE o.id = 1
-- case: update-set-function
-- expect: refused
-- as: service
-- why: UPDATE … SET x = f(masked)
UPDATE customers SET city = LEFT(ssn, 11) WHERE id = 1
-- case: insert-select-copy-out
-- expect: refused
-- as: service
-- why: INSERT … SELECT of a masked column into a clear one
INSERT INTO orders (id, customer_id, total, status) SELECT 300 + id, id, 1, ssn FROM customers
-- case: insert-values-subquery
-- expect: refused
-- as: service
-- why: INSERT … VALUES ((SELECT masked))
INSERT INTO orders (id, customer_id, total, status) VALUES (100, 1, 1, (SELECT ssn FROM customers WHERE id = 1))
-- case: upsert-copy-out
-- expect: refused
-- as: service
-- why: ON DUPLICATE KEY UPDATE copies a masked value
INSERT INTO orders (id, customer_id, total, status) VALUES (1, 1, 1, 'x') ON DUPLICATE KEY UPDATE status = (SELECT ssn FROM customers WHERE id = 1)
-- case: assignment-in-subquery-then-read
-- expect: masked
-- why: := inside a derived table, then the variable read back in an expression
SELECT x.v FROM (SELECT @q := email AS v FROM customers WHERE id = 4) x
-- next
SELECT UPPER(@q)
-- case: view-column-insert-copy-out
-- expect: refused
-- as: service
-- why: a view's column that is a masked column under another name (tax_ref is ssn), copied into a clear column
INSERT INTO orders (id, customer_id, total, status) SELECT 804, 1, 1, tax_ref FROM customer_contacts WHERE id = 1
-- case: view-column-update-copy-out
-- expect: refused
-- as: service
-- why: UPDATE … SET from a view's column that is a masked column
UPDATE orders SET status = (SELECT tax_ref FROM customer_contacts WHERE id = 1) WHERE id = 1
-- case: view-column-predicate
-- expect: refused
-- as: agent
-- why: a view's column that is a masked column, probed in WHERE one question at a time
SELECT id FROM customer_contacts WHERE tax_ref LIKE '1%'
-- case: assignment-in-where-written-to-a-clear-column
-- expect: masked
-- as: service
-- why: := in a WHERE returns nothing, but leaves the SSN's digits in a variable an INSERT then writes into a clear column
SELECT id FROM customers WHERE id = 1 AND LENGTH(@k := REPLACE(ssn, '-', '')) > 0
-- next
INSERT INTO orders (id, customer_id, total, status) VALUES (900, 1, 1, @k)
-- next
SELECT status FROM orders WHERE id = 900
-- case: assignment-in-order-by-updated-into-a-clear-column
-- expect: masked
-- as: service
-- why: := in an ORDER BY, then an UPDATE copies the variable into a clear column
SELECT id FROM customers ORDER BY (@k := RIGHT(api_key, 12)) LIMIT 1
-- next
UPDATE orders SET status = @k WHERE id = 2
-- next
SELECT status FROM orders WHERE id = 2
-- case: assignment-in-having-inserted-with-select
-- expect: masked
-- as: service
-- why: := in a HAVING, then INSERT … SELECT of the variable
SELECT id FROM customers GROUP BY id HAVING id = 3 AND (@k := MAX(REPLACE(ssn, '-', ''))) IS NOT NULL
-- next
INSERT INTO orders (id, customer_id, total, status) SELECT 901, 1, 1, @k
-- next
SELECT status FROM orders WHERE id = 901
-- case: assignment-in-where-is-a-copy
-- expect: refused
-- as: analyst, agent, service
-- why: the assignment copies a masked value into a session variable, which no mask follows
SELECT id FROM customers WHERE id = 1 AND LENGTH(@k := REPLACE(ssn, '-', '')) > 0
-- case: assignment-in-select-probed-by-an-agent
-- expect: refused
-- as: agent
-- why: the select list's value is masked, but the variable holds the SSN for a WHERE to probe one question at a time
SELECT @k := ssn FROM customers WHERE id = 1
-- case: last-insert-id-keeps-a-value
-- expect: masked
-- why: LAST_INSERT_ID(x) returns x, masked, and keeps it as the session's last insert id, which LAST_INSERT_ID() returns unmasked
SELECT LAST_INSERT_ID(CAST(REPLACE(ssn, '-', '') AS UNSIGNED)) AS l FROM customers WHERE id = 1
-- next
SELECT LAST_INSERT_ID()
-- case: last-insert-id-in-where-keeps-a-card
-- expect: masked
-- why: LAST_INSERT_ID(card) in a WHERE returns nothing at all, and keeps the card number for LAST_INSERT_ID()
SELECT COUNT(*) FROM accounts WHERE LAST_INSERT_ID(card_number) > 0
-- next
SELECT LAST_INSERT_ID() AS k
-- case: warning-division-by-digit
-- expect: refused
-- as: agent
-- why: MariaDB returns NULL with a "Division by 0" warning only when the first digit is '1': the warning answers
SELECT 1 / (ASCII(ssn) - 49) FROM customers WHERE id = 1
-- case: error-double-out-of-range
-- expect: refused
-- as: agent
-- why: EXP overflows ("DOUBLE value is out of range") only for large enough codes of the masked value
SELECT EXP(ASCII(ssn) * 14.5) FROM customers WHERE id = 1
-- case: error-bigint-out-of-range
-- expect: refused
-- as: agent
-- why: BIGINT multiplication overflows or not depending on the masked value
SELECT (ASCII(ssn) - 49) * 9223372036854775807 FROM customers WHERE id = 1
-- case: warning-cast-signed
-- expect: refused
-- as: agent
-- why: a cast of the masked column warns of truncation only for values that are not numbers
SELECT CAST(SUBSTR(ssn, 4, 1) AS SIGNED) FROM customers WHERE id = 1
-- case: warning-plus-zero
-- expect: refused
-- as: agent
-- why: arithmetic converts the masked string with a truncation warning that depends on its value
SELECT SUBSTR(ssn, 1, 4) + 0 FROM customers WHERE id = 1
-- case: warning-json-value
-- expect: refused
-- as: agent
-- why: JSON functions warn on invalid JSON, which the masked value may or may not be
SELECT JSON_VALUE(ssn, '$') FROM customers WHERE id = 1
-- case: error-count-of-division
-- expect: refused
-- as: agent
-- why: count(expr) evaluates expr, and its overflow errors answer questions about the masked column
SELECT COUNT(EXP(ASCII(ssn) * 14.5)) FROM customers
-- case: lock-in-share-mode-filter-on-masked
-- expect: refused
-- as: agent
-- why: a locking clause read from tokens keeps the filter on a masked column
SELECT id FROM customers WHERE ssn LIKE '1%' LOCK IN SHARE MODE
-- case: select-alias-compared-in-a-subquery
-- expect: refused
-- as: agent
-- why: a subquery names the select-list alias of a masked column (MariaDB resolves it to the alias): its answer is a test of the value
SELECT id, ssn AS s, (SELECT s LIKE '1%') AS t FROM customers
-- case: select-alias-in-a-subquery-where
-- expect: refused
-- as: agent
-- why: the alias in the WHERE of a subquery of the select list
SELECT id, ssn AS s, (SELECT COUNT(*) FROM orders WHERE s LIKE '1%') AS t FROM customers
-- case: select-alias-in-an-exists-in-order-by
-- expect: refused
-- as: agent
-- why: ORDER BY a subquery that tests the alias two levels down
SELECT id, email AS e FROM customers ORDER BY (SELECT (SELECT e > 'm')), id
-- case: group-by-expression-of-a-column-an-alias-shadows
-- expect: refused
-- as: agent
-- why: GROUP BY reads ssn as the table's column, not the clear alias of that name: the counts answer for each prefix of the value
SELECT COUNT(*) AS n, 'x' AS ssn FROM customers GROUP BY LEFT(ssn, 3)
-- case: group-by-column-an-aggregate-alias-shadows
-- expect: refused
-- as: agent
-- why: an aggregate cannot be grouped by, so the name is the masked column
SELECT COUNT(*) AS n, MIN(id) AS email FROM customers GROUP BY SUBSTRING(email, 1, 1)
-- case: natural-join-compares-a-masked-column
-- expect: refused
-- as: agent
-- why: a NATURAL JOIN compares every column the two sides share, here ssn with a guess: the rows that come back answer it, as JOIN … USING (ssn) would
SELECT id FROM customers NATURAL JOIN (SELECT '138-18-1624' AS ssn) t
-- case: natural-join-of-tables-compares-a-masked-column
-- expect: refused
-- as: agent
-- why: the columns two tables share are not written anywhere in the statement: a view's tax_ref and a table's ssn under that name meet by name alone
SELECT c.id FROM customer_contacts c NATURAL JOIN (SELECT id, name, CAST('138-18-1624' AS CHAR) AS tax_ref FROM customers) g
-- case: except-compares-with-a-guess
-- expect: refused
-- as: agent
-- why: EXCEPT compares each row of its first branch with the second's: the count says whether the SSN equals the guess
SELECT COUNT(*) FROM (SELECT ssn FROM customers WHERE id = 1 EXCEPT SELECT '138-18-1624') x
-- case: union-removes-a-guess-equal-to-the-value
-- expect: refused
-- as: agent
-- why: UNION (DISTINCT) keeps one of two equal rows: one row back means the guess was right
SELECT COUNT(*) FROM (SELECT email FROM customers WHERE id = 1 UNION SELECT 'olivia.king1@example.org') x
-- case: intersect-keeps-a-guess-equal-to-the-value
-- expect: refused
-- as: agent
-- why: INTERSECT returns the (masked) value only when it equals the guess: that a row comes back answers
SELECT ssn FROM customers WHERE id = 1 INTERSECT SELECT '138-18-1624'
-- case: distinct-over-a-union-all-with-a-guess
-- expect: refused
-- as: agent
-- why: UNION ALL puts the guess in the SSN's column, and DISTINCT compares them there
SELECT COUNT(*) FROM (SELECT DISTINCT x FROM (SELECT ssn AS x FROM customers WHERE id = 1 UNION ALL SELECT '138-18-1624') u) d
-- case: count-distinct-over-a-union-all-with-a-guess
-- expect: refused
-- as: agent
-- why: a count of distinct values is 1 when the guess UNION ALL put next to the SSN equals it, 2 otherwise
SELECT COUNT(DISTINCT x) FROM (SELECT ssn AS x FROM customers WHERE id = 1 UNION ALL SELECT '138-18-1624') u
-- case: count-distinct-over-values-with-a-guess
-- expect: refused
-- as: agent
-- why: a VALUES table of two rows, the card number and a guess, counted distinct
WITH v(c) AS (VALUES ((SELECT card_number FROM payments WHERE id = 1)), ('4111111111111111')) SELECT COUNT(DISTINCT c) FROM v
-- case: count-distinct-of-two-rows
-- expect: refused
-- as: agent
-- why: a count of the distinct SSNs of two rows is 1 exactly when they are equal; with a row of its own holding a guess, the agent tests the guess
SELECT COUNT(DISTINCT ssn) FROM customers WHERE id IN (1, 2)
-- case: order-by-alias-shadowing
-- expect: refused
-- as: agent
-- why: ORDER BY resolves a name to the select list's alias first: ssn AS name sorts on ssn
SELECT ssn AS name, id FROM customers ORDER BY name
-- case: order-by-position
-- expect: refused
-- as: agent
-- why: ORDER BY a position that names a masked column
SELECT ssn, id FROM customers ORDER BY 1
-- case: group-by-position
-- expect: refused
-- as: agent
-- why: GROUP BY a position that names a masked column
SELECT LEFT(ssn, 1), COUNT(*) FROM customers GROUP BY 1
-- case: having-alias
-- expect: refused
-- as: agent
-- why: HAVING on an alias of a masked column
SELECT ssn AS x, id FROM customers HAVING x LIKE '1%'
-- case: analyze-select
-- expect: refused
-- as: agent
-- why: ANALYZE SELECT runs the statement and reports the rows a filter on a masked column kept
ANALYZE FORMAT=JSON SELECT id FROM customers WHERE ssn LIKE '1%'
-- case: find-in-set-in-select
-- expect: refused
-- as: agent
-- why: FIND_IN_SET answers whether a masked value equals a guess
SELECT id, FIND_IN_SET('138-18-1624', ssn) FROM customers
-- case: lag-window
-- expect: masked
-- why: LAG over rows carries a masked value
SELECT id, LAG(ssn) OVER (ORDER BY id) FROM customers
-- case: nth-value
-- expect: masked
-- why: NTH_VALUE carries a masked value
SELECT id, NTH_VALUE(email, 2) OVER (ORDER BY id) FROM customers
-- case: order-by-position-of-second-masked-column
-- expect: refused
-- as: agent
-- why: ORDER BY the position of the second of two masked columns
SELECT ssn, email FROM customers ORDER BY 2
-- case: window-partition-by-masked
-- expect: refused
-- as: agent
-- why: a window's PARTITION BY groups rows by a masked value, and the count per row tells which are equal
SELECT id, COUNT(*) OVER (PARTITION BY ssn) FROM customers
-- case: natural-join-to-a-guess
-- expect: refused
-- as: agent
-- why: NATURAL JOIN with a derived table of one guessed value filters on the masked column it shares by name
SELECT c.id FROM customers c NATURAL JOIN (SELECT '138-18-1624' AS ssn) g
-- case: insert-set-subquery-copy-out
-- expect: refused
-- as: service
-- why: MariaDB's INSERT … SET form with a subquery of a masked column
INSERT INTO orders SET id = 101, customer_id = 1, total = 0, status = (SELECT ssn FROM customers WHERE id = 1)
-- case: update-comma-join-derived-copy-out
-- expect: refused
-- as: service
-- why: a multi-table UPDATE over a derived table of masked values
UPDATE orders, (SELECT id, ssn FROM customers) d SET orders.status = d.ssn WHERE orders.id = d.id AND orders.id = 3
-- case: insert-with-recursive-cte-copy-out
-- expect: refused
-- as: service
-- why: INSERT … WITH RECURSIVE … SELECT whose rounds move the SSN into the copied column
INSERT INTO orders (id, customer_id, total, status) WITH RECURSIVE t(n, a, b) AS (SELECT 1, city, ssn FROM customers WHERE id = 5 UNION ALL SELECT n + 1, b, a FROM t WHERE n < 2) SELECT 300 + n, 1, 0, a FROM t
-- case: upsert-update-copies-own-masked-column
-- expect: refused
-- as: service
-- why: ON DUPLICATE KEY UPDATE copies the existing row's SSN into a clear column of the same row
INSERT INTO customers (id, name, signed_up) VALUES (1, 'x', NOW()) ON DUPLICATE KEY UPDATE city = ssn
-- case: email-column-keeps-what-follows-the-at
-- expect: refused
-- as: service
-- why: copying an SSN behind an '@' into the e-mail column, whose mask keeps what follows the '@'
UPDATE customers SET email = CONCAT('a@', ssn) WHERE id = 1
-- case: recursive-cte-filter-on-a-rotated-column
-- expect: refused
-- as: agent
-- why: an agent filters, in the recursive step, on a column the SSN reaches in the second round
WITH RECURSIVE t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4 AND a LIKE '1%') SELECT n FROM t
-- case: cte-column-list-over-star-renames-a-masked-column
-- expect: refused
-- as: agent
-- why: a CTE's column list over SELECT * names the SSN column d: a filter on d is a filter on the SSN
WITH x(a, b, c, d, e, f, g) AS (SELECT * FROM customers) SELECT a FROM x WHERE d LIKE '1%'
-- case: update-second-table-copy-out
-- expect: refused
-- as: service
-- why: a multi-table UPDATE whose SET writes the second table copies a masked column into a clear one
UPDATE audit_log a, customers c SET c.city = c.ssn WHERE c.id = 1 AND a.entry_no = 1
-- case: group-concat-ordered-by-masked
-- expect: refused
-- as: agent
-- why: GROUP_CONCAT's ORDER BY gives away how masked values sort
SELECT GROUP_CONCAT(id ORDER BY ssn SEPARATOR ',') FROM customers
-- case: named-window-ordered-by-masked
-- expect: refused
-- as: agent
-- why: a WINDOW clause ordering by a masked column
SELECT id, ROW_NUMBER() OVER w FROM customers WINDOW w AS (ORDER BY ssn)
-- case: listed-setting-set-from-a-card
-- expect: masked
-- why: a listed numeric setting set from a masked value, read back with @@
SET SESSION sql_select_limit = (SELECT card_number FROM accounts WHERE id = 1)
-- next
SELECT @@sql_select_limit
-- case: user-variables-table
-- expect: masked
-- why: information_schema.USER_VARIABLES lists the session's variables
SELECT ssn INTO @uv FROM customers WHERE id = 1
-- next
SELECT VARIABLE_VALUE FROM information_schema.USER_VARIABLES
-- case: show-user-variables
-- expect: masked
-- why: SHOW USER_VARIABLES
SELECT ssn INTO @uv FROM customers WHERE id = 1
-- next
SHOW USER_VARIABLES
-- case: variable-read-in-another-case
-- expect: masked
-- why: user variable names are case-insensitive
SELECT ssn INTO @abc FROM customers WHERE id = 1
-- next
SELECT @ABC
-- case: variable-read-quoted
-- expect: masked
-- why: a quoted user variable name (back quotes, single and double quotes)
SELECT ssn INTO @abc FROM customers WHERE id = 1
-- next
SELECT @`abc`, @'abc', @"abc"
-- case: variable-copied-to-another
-- expect: masked
-- why: a variable set from another one
SELECT ssn INTO @a1 FROM customers WHERE id = 1
-- next
SET @a2 = CONCAT(@a1, '')
-- next
SELECT @a2
-- case: into-after-where
-- expect: masked
-- why: INTO after FROM and WHERE, into a list of variables
SELECT id, ssn FROM customers WHERE id = 1 INTO @i, @s
-- next
SELECT @s
-- case: last-insert-id-through-system-variables
-- expect: masked
-- why: @@last_insert_id, @@identity and @@insert_id after LAST_INSERT_ID(x)
SELECT COUNT(*) FROM accounts WHERE id = 1 AND LAST_INSERT_ID(card_number) > 0
-- next
SELECT @@last_insert_id, @@identity, @@insert_id
-- case: field-in-select
-- expect: refused
-- as: agent
-- why: FIELD tests a masked value against a guess
SELECT id, FIELD(ssn, '138-18-1624') FROM customers
-- case: strcmp-in-select
-- expect: refused
-- as: agent
-- why: STRCMP compares a masked value with a guess
SELECT id, STRCMP(ssn, '5') FROM customers
-- case: comparison-in-select
-- expect: refused
-- as: agent
-- why: a comparison in the select list
SELECT id, ssn > '5' FROM customers
-- case: json-contains-in-where
-- expect: refused
-- as: agent
-- why: JSON_CONTAINS filters on a masked value
SELECT id FROM customers WHERE JSON_CONTAINS(JSON_ARRAY(ssn), '"138-18-1624"')
-- case: sounds-like-in-where
-- expect: refused
-- as: agent
-- why: SOUNDS LIKE
SELECT id FROM customers WHERE email SOUNDS LIKE 'olivia'
-- case: order-by-in-a-derived-table-with-limit
-- expect: refused
-- as: agent
-- why: the first row by a masked order
SELECT id FROM (SELECT id FROM customers ORDER BY ssn LIMIT 1) x
-- case: variable-of-masked-in-where
-- expect: refused
-- as: agent
-- why: a masked value kept in a variable, then compared
SELECT ssn INTO @g FROM customers WHERE id = 1
-- next
SELECT 1 FROM DUAL WHERE @g LIKE '1%'
-- case: json-search-of-a-guess
-- expect: refused
-- as: agent
-- why: JSON_SEARCH finds where a guess is among masked values
SELECT JSON_SEARCH(JSON_ARRAYAGG(ssn), 'one', '138-18-1624') FROM customers
-- case: convert-to-a-type-in-where
-- expect: refused
-- as: agent
-- why: CONVERT(value, type) in a condition filters by the SSN the parser took for a type
SELECT id FROM customers WHERE CONVERT(ssn, CHAR) LIKE '1%'
