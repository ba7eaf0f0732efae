-- MariaDB's own masking corpus: its || is OR, so concatenation is CONCAT; every value must come back masked.
-- case: plain-ssn
-- expect: masked
-- why: the column itself
SELECT ssn FROM customers
-- case: backticks
-- expect: masked
-- why: a backtick-quoted column and table
SELECT `ssn` FROM `customers`
-- case: database-qualified
-- expect: masked
-- why: a database-qualified column
SELECT governed_adv.customers.email FROM governed_adv.customers
-- case: concat
-- expect: masked
-- why: CONCAT
SELECT CONCAT('ssn:', ssn) FROM customers
-- case: concat-ws
-- expect: masked
-- why: CONCAT_WS
SELECT CONCAT_WS(',', name, email) FROM customers
-- case: substring-from-for
-- expect: masked
-- why: SUBSTRING(x FROM a FOR b)
SELECT SUBSTRING(ssn FROM 1 FOR 11) FROM customers
-- case: substr
-- expect: masked
-- why: SUBSTR
SELECT SUBSTR(card_number, 1, 16) FROM payments
-- case: mid
-- expect: masked
-- why: MID
SELECT MID(ssn, 1, 11) FROM customers
-- case: left
-- expect: masked
-- why: LEFT
SELECT LEFT(email, 40) FROM customers
-- case: lpad
-- expect: masked
-- why: LPAD
SELECT LPAD(ssn, 14, '*') FROM customers
-- case: trim-both-from
-- expect: masked
-- why: TRIM(BOTH … FROM x)
SELECT TRIM(BOTH ' ' FROM ssn) FROM customers
-- case: upper
-- expect: masked
-- why: UPPER, lowered again
SELECT LOWER(UPPER(email)) FROM customers
-- case: replace
-- expect: masked
-- why: REPLACE
SELECT REPLACE(ssn, '-', '') FROM customers
-- case: insert-function
-- expect: masked
-- why: INSERT(x, pos, len, s)
SELECT INSERT(ssn, 1, 0, 'x') FROM customers
-- case: group-concat
-- expect: masked
-- why: GROUP_CONCAT
SELECT GROUP_CONCAT(ssn ORDER BY id SEPARATOR ';') FROM customers
-- case: json-object
-- expect: masked
-- why: JSON_OBJECT
SELECT JSON_OBJECT('k', ssn) FROM customers
-- case: json-array
-- expect: masked
-- why: JSON_ARRAY
SELECT JSON_ARRAY(email) FROM customers
-- case: json-arrayagg
-- expect: masked
-- why: JSON_ARRAYAGG
SELECT JSON_ARRAYAGG(card_number) FROM payments
-- case: json-value-round-trip
-- expect: masked
-- why: JSON_VALUE of a JSON_OBJECT
SELECT JSON_VALUE(JSON_OBJECT('k', ssn), '$.k') FROM customers
-- case: cast-char
-- expect: masked
-- why: CAST AS CHAR
SELECT CAST(ssn AS CHAR) FROM customers
-- case: convert-using
-- expect: masked
-- why: CONVERT(x USING charset)
SELECT CONVERT(ssn USING utf8mb4) FROM customers
-- case: convert-type
-- expect: masked
-- why: CONVERT(x, type)
SELECT CONVERT(email, CHAR) FROM customers
-- case: cast-binary
-- expect: masked
-- why: CAST AS BINARY
SELECT CAST(ssn AS BINARY) FROM customers
-- case: binary-operator
-- expect: masked
-- why: the BINARY operator
SELECT BINARY ssn FROM customers
-- case: collate
-- expect: masked
-- why: COLLATE
SELECT ssn COLLATE utf8mb4_bin FROM customers
-- case: if-function
-- expect: masked
-- why: IF(c, a, b)
SELECT IF(id > 0, ssn, '') FROM customers
-- case: ifnull
-- expect: masked
-- why: IFNULL
SELECT IFNULL(email, '') FROM customers
-- case: elt
-- expect: masked
-- why: ELT picks an argument
SELECT ELT(1, ssn, name) FROM customers
-- case: make-set
-- expect: masked
-- why: MAKE_SET
SELECT MAKE_SET(1, ssn, name) FROM customers
-- case: quote
-- expect: masked
-- why: QUOTE
SELECT QUOTE(ssn) FROM customers
-- case: unhex-hex
-- expect: masked
-- why: a hex round trip
SELECT UNHEX(HEX(ssn)) FROM customers
-- case: base64-round-trip
-- expect: masked
-- why: a base64 round trip
SELECT FROM_BASE64(TO_BASE64(email)) FROM customers
-- case: aes-round-trip
-- expect: masked
-- why: encryption and decryption with a known key
SELECT AES_DECRYPT(AES_ENCRYPT(ssn, 'k'), 'k') FROM customers
-- case: regexp-replace
-- expect: masked
-- why: REGEXP_REPLACE
SELECT REGEXP_REPLACE(ssn, '-', '') FROM customers
-- case: regexp-substr
-- expect: masked
-- why: REGEXP_SUBSTR
SELECT REGEXP_SUBSTR(email, '[^@]+') FROM customers
-- case: substring-index
-- expect: masked
-- why: SUBSTRING_INDEX
SELECT SUBSTRING_INDEX(email, '@', 1) FROM customers
-- case: derived-table
-- expect: masked
-- why: a derived table renaming the column
SELECT d.x FROM (SELECT ssn AS x FROM customers) d
-- case: derived-star
-- expect: masked
-- why: star over a derived table
SELECT * FROM (SELECT id, email FROM customers) d
-- case: cte-column-list
-- expect: masked
-- why: a CTE column list renaming ssn to id
WITH c(id, n) AS (SELECT ssn, id FROM customers) SELECT id FROM c
-- case: union
-- expect: masked
-- why: UNION's second branch
SELECT name FROM customers UNION SELECT ssn FROM customers
-- case: select-star
-- expect: masked
-- why: SELECT *
SELECT * FROM customers
-- case: view-star
-- expect: masked
-- why: the masking fixture's view
SELECT * FROM customer_contacts
-- case: view-concat
-- expect: masked
-- why: a view column concatenating two masked columns
SELECT card FROM contact_cards
-- case: first-value-window
-- expect: masked
-- why: FIRST_VALUE over a window
SELECT FIRST_VALUE(ssn) OVER (ORDER BY id) FROM customers
-- case: percentile-disc-window
-- expect: masked
-- why: PERCENTILE_DISC over a window returns a value of its ORDER BY
SELECT PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY ssn) OVER () FROM customers
-- case: scalar-subquery
-- expect: masked
-- why: a scalar subquery
SELECT (SELECT MAX(ssn) FROM customers)
-- case: variable-assignment-in-select
-- expect: masked
-- why: := assigns and returns the value
SELECT @v := ssn FROM customers
-- case: select-modifiers
-- expect: masked
-- why: SELECT modifiers before the list
SELECT SQL_NO_CACHE HIGH_PRIORITY DISTINCTROW ssn FROM customers
-- case: greatest
-- expect: masked
-- why: GREATEST
SELECT GREATEST(ssn, '0') FROM customers
-- case: alias-as-clear-name
-- expect: masked
-- why: an alias named like a clear column
SELECT ssn AS `id`, id AS ssn FROM customers
-- case: values-derived
-- expect: masked
-- why: a VALUES derived table holding a masked subquery
SELECT * FROM (VALUES ((SELECT MAX(email) FROM customers))) AS v
-- case: json-table
-- expect: masked
-- why: JSON_TABLE over a JSON array of masked values
SELECT t.x FROM JSON_TABLE((SELECT JSON_ARRAYAGG(ssn) FROM customers), '$[*]' COLUMNS (x VARCHAR(20) PATH '$')) AS t
-- case: char-of-ascii
-- expect: masked
-- why: a value rebuilt character by character
SELECT CONCAT(CHAR(ASCII(SUBSTRING(ssn, 1, 1))), SUBSTRING(ssn, 2)) FROM customers
-- case: lower-of-concat
-- expect: masked
-- why: a function of a concatenation
SELECT LOWER(CONCAT(email, '')) FROM customers
-- case: numeric-card-plus-zero
-- expect: masked
-- why: arithmetic on a numeric card
SELECT card_number + 0 FROM accounts
-- case: view-renamed-column
-- expect: masked
-- why: a view renames a masked column; its definition says which
SELECT contact FROM contact_aliases
-- case: view-computed-column
-- expect: masked
-- why: a view column computed from a masked column
SELECT code FROM contact_aliases
-- case: view-over-view
-- expect: masked
-- why: a view over a view whose column concatenates masked columns
SELECT badge FROM contact_badges
-- case: view-over-view-star
-- expect: masked
-- why: star over a view over a view
SELECT * FROM contact_badges
-- case: double-bar-either-reading
-- expect: refused
-- why: || is OR or concatenation by the session's sql_mode, which the analysis cannot know: refused, not guessed
SELECT ssn || name FROM customers ORDER BY id
-- case: ansi-quotes-make-a-string-a-column
-- expect: masked
-- connect: sessionVariables=sql_mode='ANSI_QUOTES'
-- why: under the ANSI_QUOTES SQL mode "ssn" names the column; read as a string it is a constant no mask follows
SELECT "ssn" FROM customers
-- case: ansi-quotes-switched-on-in-the-session
-- expect: masked
-- why: the session switches the mode itself first (SET is allowed), then "ssn" names the column
SET SESSION sql_mode = 'ANSI_QUOTES'
-- next
SELECT "email", "ssn" AS x FROM customers
-- case: procedure-analyse
-- expect: masked
-- why: PROCEDURE ANALYSE replaces the result with statistics of each column: its smallest and largest values, and every value in the ENUM it suggests
SELECT ssn FROM customers PROCEDURE ANALYSE()
-- case: procedure-analyse-of-a-card
-- expect: masked
-- why: the same over a numeric card number, whose average is a value too
SELECT card_number, id FROM accounts PROCEDURE ANALYSE(10, 2000)
-- case: lock-in-share-mode-masked
-- expect: masked
-- why: a locking clause read from tokens keeps the query's masks
SELECT id, ssn, email FROM customers WHERE id = 1 LOCK IN SHARE MODE
-- case: outer-view-column-named-bare-in-a-subquery
-- expect: masked
-- why: orders has no card, so the subquery's bare card is the enclosing view's column (email and SSN)
SELECT id, (SELECT card FROM orders LIMIT 1) AS x FROM contact_cards
-- case: outer-column-named-bare-in-a-correlated-subquery
-- expect: masked
-- why: the same, correlated, under a function
SELECT c.id, (SELECT REPLACE(badge, '-', '') FROM orders o WHERE o.id = c.id) AS x FROM contact_badges c
-- case: handler-read
-- expect: masked
-- why: HANDLER … READ reads a table's rows outside SELECT
HANDLER customers OPEN
-- next
HANDLER customers READ FIRST
-- case: weight-string
-- expect: masked
-- why: WEIGHT_STRING of a masked value is its collation key, readable back to the value
SELECT WEIGHT_STRING(ssn) FROM customers
-- case: dynamic-columns
-- expect: masked
-- why: a dynamic column blob carries the value
SELECT COLUMN_GET(COLUMN_CREATE('a', ssn), 'a' AS CHAR) FROM customers
-- case: dynamic-columns-json
-- expect: masked
-- why: COLUMN_JSON of a dynamic column blob
SELECT COLUMN_JSON(COLUMN_CREATE('a', email)) FROM customers
-- case: extractvalue
-- expect: masked
-- why: EXTRACTVALUE over XML built from a masked value
SELECT EXTRACTVALUE(CONCAT('<a>', ssn, '</a>'), '/a') FROM customers
-- case: updatexml
-- expect: masked
-- why: UPDATEXML puts a masked value into XML
SELECT UPDATEXML('<a>x</a>', '/a', CONCAT('<b>', ssn, '</b>')) FROM customers
-- case: json-objectagg
-- expect: masked
-- why: JSON_OBJECTAGG with a masked key
SELECT JSON_OBJECTAGG(ssn, name) FROM customers
-- case: sformat
-- expect: masked
-- why: SFORMAT formats a masked value
SELECT SFORMAT('{} {}', ssn, email) FROM customers
-- case: convert-using-latin1-and-binary
-- expect: masked
-- why: CONVERT … USING another character set, and the BINARY operator
SELECT CONVERT(ssn USING latin1), BINARY email FROM customers
-- case: uncompress
-- expect: masked
-- why: COMPRESS then UNCOMPRESS
SELECT UNCOMPRESS(COMPRESS(ssn)) FROM customers
-- case: column-stats
-- expect: masked
-- as: service
-- why: engine-independent statistics hold a column's smallest and largest values
ANALYZE TABLE customers PERSISTENT FOR ALL
-- next
SELECT min_value, max_value FROM mysql.column_stats WHERE table_name = 'customers'
-- case: column-stats-histogram
-- expect: masked
-- as: service
-- why: information_schema has no values, mysql.column_stats does
ANALYZE TABLE customers PERSISTENT FOR COLUMNS (ssn, email) INDEXES ()
-- next
SELECT * FROM mysql.column_stats
-- case: values-table
-- expect: masked
-- why: a VALUES table over a subquery
SELECT * FROM (VALUES ((SELECT ssn FROM customers WHERE id = 1))) AS v
-- case: diagnostics
-- expect: masked
-- why: GET DIAGNOSTICS reads a warning's text
SELECT CAST(ssn AS INT) FROM customers
-- next
GET DIAGNOSTICS CONDITION 1 @m = MESSAGE_TEXT
-- next
SELECT @m
-- case: show-warnings-after-cast
-- expect: masked
-- why: SHOW WARNINGS after a cast quotes the value
SELECT CAST(email AS DOUBLE) FROM customers
-- next
SHOW WARNINGS
-- case: recursive-cte-rotates-columns
-- expect: masked
-- why: each round of a recursive CTE moves every value one column left, so the anchor's SSN reaches a in two rounds (one customer, whose name fits the SSN's column)
WITH RECURSIVE t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4) SELECT n, a FROM t
-- case: recursive-cte-rotates-columns-four-rounds
-- expect: masked
-- why: the same, the SSN four columns away: it reaches a in the fourth round
WITH RECURSIVE t(n, a, b, c, d) AS (SELECT 1, name, city, name, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, b, c, d, a FROM t WHERE n < 6) SELECT n, a FROM t
-- case: recursive-cte-after-another-cte
-- expect: masked
-- why: RECURSIVE written before the first CTE of the list makes the second one recursive
WITH RECURSIVE x(k) AS (SELECT 1), t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4) SELECT n, a FROM t
-- case: recursive-cte-rotates-columns-star
-- expect: masked
-- why: the rotation read through *
WITH RECURSIVE t(n, a, b, c) AS (SELECT 1, name, city, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, b, c, a FROM t WHERE n < 4) SELECT * FROM t
-- case: recursive-ctes-reading-each-other
-- expect: masked
-- why: in a WITH RECURSIVE list CTEs may read each other: a's rounds take b's SSN
WITH RECURSIVE a(n, v) AS (SELECT 1, name FROM customers WHERE id = 1 UNION ALL SELECT n + 1, w FROM b WHERE n < 3), b(n, w) AS (SELECT n, v FROM a UNION ALL SELECT 0, ssn FROM customers WHERE id = 2) SELECT n, v FROM a
-- case: recursive-cte-reading-one-defined-after-it
-- expect: masked
-- why: the same with b first, naming a before a is defined
WITH RECURSIVE b(n, w) AS (SELECT n, v FROM a UNION ALL SELECT 0, ssn FROM customers WHERE id = 2), a(n, v) AS (SELECT 1, name FROM customers WHERE id = 1 UNION ALL SELECT n + 1, w FROM b WHERE n < 3) SELECT n, v FROM a
-- case: derived-union-star
-- expect: masked
-- why: a * over a derived UNION ALL whose first branch is a clear column: the driver names that column for every row
SELECT * FROM (SELECT name FROM customers UNION ALL SELECT ssn FROM customers) t
-- case: derived-column-named-by-its-text
-- expect: masked
-- why: an outer query names a derived table's unaliased column by the text the server labels it with
SELECT x.`CONCAT(ssn)` FROM (SELECT CONCAT(ssn) FROM customers) x
-- case: with-rollup
-- expect: masked
-- why: WITH ROLLUP adds subtotal rows to a grouping by the masked column
SELECT city, ssn, COUNT(*) FROM customers GROUP BY city, ssn WITH ROLLUP
-- case: lead-window
-- expect: masked
-- why: LEAD shows the next row's value
SELECT id, LEAD(ssn) OVER (ORDER BY id) FROM customers
-- case: conv-there-and-back
-- expect: masked
-- why: CONV writes a card number in another base and back
SELECT CONV(CONV(card_number, 10, 16), 16, 10) FROM accounts
-- case: skip-locked
-- expect: masked
-- why: FOR UPDATE SKIP LOCKED is a locking clause after the select list
SELECT ssn FROM customers FOR UPDATE SKIP LOCKED
-- case: nested-join-parentheses
-- expect: masked
-- why: a join written in parentheses in FROM, the masked column named bare
SELECT ssn FROM (orders o JOIN (customers t JOIN accounts a ON a.id = t.id) ON o.id = t.id)
-- case: odbc-outer-join-escape
-- expect: masked
-- why: the ODBC { OJ … } escape around a join
SELECT ssn FROM { OJ customers LEFT OUTER JOIN orders ON orders.id = customers.id }
-- case: json-table-over-a-column-of-an-earlier-table
-- expect: masked
-- why: JSON_TABLE reading a column of a table before it in the FROM list
SELECT j.x FROM customers c, JSON_TABLE(JSON_ARRAY(c.ssn), '$[*]' COLUMNS (x VARCHAR(20) PATH '$')) AS j
-- case: json-table-joined-over-a-column
-- expect: masked
-- why: JSON_TABLE joined to the table whose column it reads
SELECT j.x FROM customers c JOIN JSON_TABLE(JSON_OBJECT('a', c.email), '$' COLUMNS (x VARCHAR(200) PATH '$.a')) j ON 1
-- case: json-keys-of-masked-keys
-- expect: masked
-- why: JSON_KEYS of an object whose keys are masked values
SELECT JSON_KEYS(JSON_OBJECTAGG(ssn, id)) FROM customers
-- case: json-detailed
-- expect: masked
-- why: JSON_DETAILED, on the list of built-ins but not of pure ones
SELECT JSON_DETAILED(JSON_OBJECT('a', ssn)) FROM customers
-- case: json-set-and-merge-patch
-- expect: masked
-- why: JSON_SET and JSON_MERGE_PATCH
SELECT JSON_SET('{}', '$.a', ssn), JSON_MERGE_PATCH('{}', JSON_OBJECT('a', email)) FROM customers
-- case: export-set
-- expect: masked
-- why: EXPORT_SET with a masked value as its "on" string
SELECT EXPORT_SET(1, ssn, 'x', ',', 1) FROM customers
-- case: char-using-binary-and-back
-- expect: masked
-- why: CHAR(n USING binary) of a card number, back through HEX and CONV
SELECT CONV(HEX(CHAR(card_number USING binary)), 16, 10) FROM accounts
-- case: fetch-with-ties
-- expect: masked
-- why: OFFSET … FETCH FIRST … WITH TIES
SELECT ssn FROM customers ORDER BY id OFFSET 1 ROWS FETCH FIRST 2 ROWS WITH TIES
-- case: limit-rows-examined
-- expect: masked
-- why: LIMIT ROWS EXAMINED
SELECT ssn FROM customers LIMIT ROWS EXAMINED 1000
-- case: straight-join
-- expect: masked
-- why: STRAIGHT_JOIN as a select option and as a join
SELECT STRAIGHT_JOIN c.ssn FROM customers c STRAIGHT_JOIN orders o ON o.customer_id = c.id
-- case: named-window
-- expect: masked
-- why: a WINDOW clause
SELECT FIRST_VALUE(ssn) OVER w FROM customers WINDOW w AS (ORDER BY id)
-- case: except-all
-- expect: masked
-- why: EXCEPT ALL
SELECT ssn FROM customers EXCEPT ALL SELECT 'x'
-- case: values-statement-of-a-subquery
-- expect: masked
-- why: VALUES as a statement of its own
VALUES ((SELECT ssn FROM customers WHERE id = 1))
-- case: handler-aliased-index-read
-- expect: masked
-- why: HANDLER opened under an alias, read by the unique index on ssn
HANDLER customers OPEN AS h
-- next
HANDLER h READ customers_ssn_key FIRST
-- case: prepare-from-text
-- expect: masked
-- why: a statement prepared by name
PREPARE s1 FROM 'SELECT ssn FROM customers'
-- next
EXECUTE s1
-- case: prepare-from-variable
-- expect: masked
-- why: a statement prepared from a variable's text
SET @q = 'SELECT ssn FROM customers'
-- next
PREPARE s2 FROM @q
-- next
EXECUTE s2
-- case: execute-immediate
-- expect: masked
-- why: EXECUTE IMMEDIATE
EXECUTE IMMEDIATE 'SELECT ssn FROM customers'
-- case: explain-extended-shows-a-const-table
-- expect: masked
-- why: the query EXPLAIN EXTENDED rewrites (Note 1003) shows a const table's values
EXPLAIN EXTENDED SELECT ssn, email FROM customers WHERE id = 1
-- next
SHOW WARNINGS
-- case: explain-json-substitutes-a-const-table
-- expect: masked
-- why: the attached condition of EXPLAIN FORMAT=JSON holds the const table's value
EXPLAIN FORMAT=JSON SELECT o.id FROM customers c JOIN orders o ON o.status = c.ssn WHERE c.id = 1
-- case: optimizer-trace
-- expect: masked
-- why: an optimizer_* setting turns the trace on, whose conditions hold a const table's values
SET optimizer_trace = 'enabled=on'
-- next
SELECT o.id FROM customers c JOIN orders o ON o.status = c.ssn WHERE c.id = 1
-- next
SELECT TRACE FROM information_schema.OPTIMIZER_TRACE
-- case: convert-to-a-type
-- expect: masked
-- why: CONVERT(value, type), which the parser reads as SQL Server's CONVERT(type, value): the value it took for a type is the SSN, returned as it is
SELECT CONVERT(ssn, CHAR) FROM customers
-- case: convert-to-a-sized-type
-- expect: masked
-- why: the same with a length, qualified, next to a clear column
SELECT c.id, CONVERT(c.ssn, CHAR(20)) AS v FROM customers c
