-- SQL forms a masked agent and a row-filtered caller may use to walk around masks and row filters on
-- MariaDB, run by MariaDbSqlFormsCorpusIT under policies/sqlforms-policy-mariadb.yaml: the reference
-- masks, plus a row filter that shows every non-dba caller only the customers of Lyon. The names of the
-- other customers are forbidden text, like the masked values.
-- case: json-objectagg-key
-- expect: masked
-- why: the masked value becomes the key of a JSON object
SELECT JSON_OBJECTAGG(ssn, id) FROM customers
-- case: json-object-value
-- expect: masked
-- why: JSON_OBJECT with the masked value
SELECT JSON_OBJECT('k', ssn) FROM customers
-- case: json-value-roundtrip
-- expect: masked
-- why: JSON_VALUE picks the masked member back out of a JSON object
SELECT JSON_VALUE(JSON_OBJECT('k', ssn), '$.k') FROM customers
-- case: json-query-roundtrip
-- expect: masked
-- why: JSON_QUERY over an array aggregate
SELECT JSON_QUERY(JSON_ARRAYAGG(JSON_OBJECT('k', email)), '$[0]') FROM customers
-- case: json-unquote-extract
-- expect: masked
-- why: JSON_UNQUOTE(JSON_EXTRACT(...)) of an array of the masked values
SELECT JSON_UNQUOTE(JSON_EXTRACT(JSON_ARRAY(ssn, email), '$[0]')) FROM customers
-- case: json-detailed
-- expect: masked
-- why: JSON_DETAILED pretty-prints an object holding the masked value
SELECT JSON_DETAILED(JSON_OBJECT('k', card_number)) FROM payments
-- case: json-table-over-aggregate
-- expect: masked
-- why: JSON_TABLE over an aggregate of the masked values, with a harmless column name
SELECT jt.harmless FROM JSON_TABLE((SELECT JSON_ARRAYAGG(ssn) FROM customers), '$[*]' COLUMNS (harmless VARCHAR(20) PATH '$')) AS jt
-- case: dynamic-column
-- expect: masked
-- why: a dynamic column blob built from the masked value, read back as JSON and by name
SELECT COLUMN_JSON(COLUMN_CREATE('k', ssn)), COLUMN_GET(COLUMN_CREATE('k', ssn), 'k' AS CHAR) FROM customers
-- case: elt
-- expect: masked
-- why: ELT picks one of its arguments
SELECT ELT(1, ssn, 'x') FROM customers
-- case: make-set
-- expect: masked
-- why: MAKE_SET joins the arguments its bits select
SELECT MAKE_SET(1, email, 'x') FROM customers
-- case: insert-function
-- expect: masked
-- why: INSERT(str, pos, len, newstr), the string function
SELECT INSERT(ssn, 1, 0, 'x') FROM customers
-- case: char-of-ascii
-- expect: masked
-- why: the masked text spelled as codes and rebuilt with CHAR()
SELECT CHAR(ASCII(SUBSTRING(ssn, 1, 1)), ASCII(SUBSTRING(ssn, 2, 1)), ASCII(SUBSTRING(ssn, 3, 1)), ASCII(SUBSTRING(ssn, 5, 1)), ASCII(SUBSTRING(ssn, 6, 1)), ASCII(SUBSTRING(ssn, 8, 1))) FROM customers
-- case: unhex-hex
-- expect: masked
-- why: HEX then UNHEX
SELECT UNHEX(HEX(ssn)) FROM customers
-- case: binary-introducer
-- expect: masked
-- why: CAST AS BINARY and a charset conversion
SELECT CAST(ssn AS BINARY), CONVERT(email USING latin1) FROM customers
-- case: aes-roundtrip
-- expect: masked
-- why: encrypted and decrypted in the same statement
SELECT AES_DECRYPT(AES_ENCRYPT(ssn, 'k'), 'k') FROM customers
-- case: compress-roundtrip
-- expect: masked
-- why: compressed and uncompressed
SELECT UNCOMPRESS(COMPRESS(ssn)) FROM customers
-- case: values-table-joined
-- expect: masked
-- why: a VALUES table joined to the masked table
SELECT v.`1`, c.ssn FROM (VALUES (1), (2)) AS v JOIN customers c ON c.id = v.`1`
-- case: cte-column-list
-- expect: masked
-- why: a CTE's column list renames the masked column
WITH d(b, a) AS (SELECT id, ssn FROM customers) SELECT a FROM d
-- case: with-rollup
-- expect: masked
-- why: GROUP BY ... WITH ROLLUP over a clear column, max of the masked one
SELECT city, MAX(ssn) FROM customers GROUP BY city WITH ROLLUP
-- case: window-lag-named
-- expect: masked
-- why: LAG over a named window
SELECT id, LAG(ssn, 1) OVER w FROM customers WINDOW w AS (ORDER BY id)
-- case: nth-value
-- expect: masked
-- why: NTH_VALUE over a window
SELECT NTH_VALUE(email, 2) OVER (ORDER BY id) FROM customers
-- case: group-concat-ordered
-- expect: masked
-- why: GROUP_CONCAT with ORDER BY and a separator
SELECT GROUP_CONCAT(card_number ORDER BY id SEPARATOR '|') FROM payments
-- case: recursive-cte-concat
-- expect: masked
-- why: a recursive CTE that carries the masked values along
WITH RECURSIVE r(n, s) AS (SELECT 1, CAST(MIN(ssn) AS CHAR(200)) FROM customers UNION ALL SELECT n + 1, s FROM r WHERE n < 2) SELECT s FROM r
-- case: executable-comment
-- expect: masked
-- why: a MariaDB executable comment holds the real column
SELECT /*! ssn */ FROM customers
-- case: executable-comment-versioned
-- expect: masked
-- why: a versioned MariaDB executable comment holds the real column
SELECT id /*M!100000 , ssn */ FROM customers
-- case: executable-comment-alias
-- expect: masked
-- why: an executable comment renames the masked column
SELECT ssn /*! AS harmless */ FROM customers
-- case: ansi-quotes-alias
-- expect: masked
-- why: under ANSI_QUOTES a double-quoted word is a column, not a text
SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')
-- next
SELECT "ssn" FROM customers
-- case: backslash-in-string-comment
-- expect: masked
-- why: a backslash-escaped quote in a literal that hides a column when read as a standard literal
SELECT 'a\'', ssn, '\'' FROM customers
-- case: no-backslash-escapes-mode
-- expect: masked
-- why: NO_BACKSLASH_ESCAPES changes where a literal ends
SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')
-- next
SELECT 'a\', ssn, '\' FROM customers
-- case: user-variable-assign-in-select
-- expect: masked
-- why: an assignment inside a select list, then the variable
SELECT @asq_v := ssn FROM customers
-- next
SELECT @asq_v
-- case: select-into-variable
-- expect: masked
-- why: SELECT ... INTO @var then SELECT @var
SELECT ssn INTO @asq_w FROM customers LIMIT 1
-- next
SELECT @asq_w
-- case: set-variable-subquery
-- expect: masked
-- why: SET @v = (SELECT ...)
SET @asq_x = (SELECT GROUP_CONCAT(email) FROM customers)
-- next
SELECT @asq_x
-- case: handler-read
-- expect: masked
-- why: HANDLER reads rows without SELECT
HANDLER customers OPEN
-- next
HANDLER customers READ FIRST
-- case: column-statistics
-- expect: masked
-- why: engine-independent statistics keep each column's minimum and maximum value
ANALYZE TABLE customers PERSISTENT FOR ALL
-- next
SELECT min_value, max_value FROM mysql.column_stats WHERE table_name = 'customers'
-- case: filtered-name-plain
-- expect: masked
-- why: the row filter: only Lyon customers' names
SELECT name FROM customers
-- case: filtered-index-hint
-- expect: masked
-- why: an index hint after the table name
SELECT name FROM customers USE INDEX () WHERE id > 0
-- case: filtered-executable-comment-table
-- expect: masked
-- why: the table named only inside an executable comment
SELECT name FROM /*! customers */
-- case: filtered-executable-comment-union
-- expect: masked
-- why: an executable comment adds a union over the table
SELECT 'x' /*!, 1 UNION SELECT name, id FROM customers */
-- case: filtered-versioned-comment-where
-- expect: masked
-- why: a versioned executable comment adds OR true to the query the filter was added to
SELECT name FROM customers WHERE city = 'Lyon' /*M!100000 OR 1 = 1 */
-- case: filtered-json-table
-- expect: masked
-- why: JSON_TABLE over an aggregate of the filtered table
SELECT jt.n FROM JSON_TABLE((SELECT JSON_ARRAYAGG(name) FROM customers), '$[*]' COLUMNS (n VARCHAR(100) PATH '$')) AS jt
-- case: filtered-handler
-- expect: masked
-- why: HANDLER reads every row, past the filter
HANDLER customers OPEN
-- next
HANDLER customers READ FIRST
-- next
HANDLER customers READ NEXT
-- case: filtered-user-variable
-- expect: masked
-- why: the filtered rows copied into a variable
SET @asq_n = (SELECT GROUP_CONCAT(name) FROM customers)
-- next
SELECT @asq_n
-- case: filtered-show-create-view
-- expect: masked
-- why: a view's rows, read through a view over the filtered table
SELECT id, name FROM customer_contacts
-- case: filtered-ansi-quotes-table
-- expect: masked
-- why: under ANSI_QUOTES "customers" is the table
SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')
-- next
SELECT name FROM "customers"
-- case: filtered-statistics
-- expect: masked
-- why: column statistics hold the minimum and maximum name
ANALYZE TABLE customers PERSISTENT FOR ALL
-- next
SELECT min_value, max_value FROM mysql.column_stats WHERE table_name = 'customers' AND column_name = 'name'
-- case: inference-order-by-limit
-- expect: refused
-- as: agent
-- why: the first id in order of the masked column
SELECT id FROM customers ORDER BY ssn LIMIT 1
-- case: inference-like
-- expect: refused
-- as: agent
-- why: LIKE on the masked column
SELECT id FROM customers WHERE ssn LIKE '1%'
-- case: inference-comparison-in-select
-- expect: refused
-- as: agent
-- why: a comparison of the masked column returned as a column
SELECT id, ssn < '500' AS low FROM customers
-- case: inference-locate
-- expect: refused
-- as: agent
-- why: LOCATE of a digit in the masked column returned
SELECT id, LOCATE('1', ssn) FROM customers
-- case: inference-field
-- expect: refused
-- as: agent
-- why: FIELD() tests the masked value for equality with each argument
SELECT id FROM customers WHERE FIELD(ssn, '1', '2') > 0
-- case: copy-out-create-table-select
-- expect: refused
-- as: analyst, agent
-- why: CREATE TABLE ... SELECT copies the masked values into a table
CREATE TEMPORARY TABLE asq_copy SELECT id, ssn AS x FROM customers
-- case: copy-out-insert-select
-- expect: refused
-- as: analyst, agent
-- why: INSERT ... SELECT into another table
INSERT INTO orders (id, customer_id, total, status) SELECT id + 100, id, 1, ssn FROM customers
-- case: into-outfile
-- expect: refused
-- as: analyst, agent, service
-- why: SELECT ... INTO OUTFILE writes the values to the server's files
SELECT ssn FROM customers INTO OUTFILE '/tmp/asq-ssn.txt'
-- case: double-dash-without-space
-- expect: masked
-- why: --x without a space is minus minus x in MariaDB, not a comment: 0 - (-card_number) is the card number
SELECT 0 --card_number
FROM accounts
-- case: cte-named-like-the-table
-- expect: masked
-- why: a CTE named like the table puts ssn under the name of a clear column of the table
WITH customers AS (SELECT id, ssn AS name FROM asq_adv.customers) SELECT name FROM customers
-- case: derived-table-named-like-the-table
-- expect: masked
-- why: a derived table aliased with the table's name puts email under a clear column's name
SELECT customers.name FROM (SELECT id, email AS name FROM customers) AS customers
-- case: filtered-spaced-qualified-name
-- expect: masked
-- why: spaces around the dot of a qualified name
SELECT name FROM asq_adv . customers
-- case: filtered-executable-comment-join
-- expect: masked
-- why: an executable comment joins the table a second time
SELECT c2.name FROM (SELECT 1 AS k) x /*! JOIN customers c2 ON 1 = 1 */
-- case: filtered-double-dash-without-space
-- expect: masked
-- why: --x is not a comment in MariaDB: what follows on the line is code
SELECT 1 --1
, name FROM customers
-- case: filtered-hash-comment
-- expect: masked
-- why: a # comment ends at the line's end
SELECT name # , 'x' FROM orders
FROM customers
-- case: inference-order-by-ordinal
-- expect: refused
-- as: agent
-- why: ORDER BY the ordinal of the masked column
SELECT id, ssn FROM customers ORDER BY 2 LIMIT 1
-- case: inference-regexp
-- expect: refused
-- as: agent
-- why: REGEXP on the masked column
SELECT id FROM customers WHERE ssn REGEXP '^1'
-- case: inference-row-comparison
-- expect: refused
-- as: agent
-- why: a row-value comparison holding the masked column
SELECT id FROM customers WHERE (city, ssn) > ('Lyon', '5')
-- case: inference-cte-named-like-the-table
-- expect: refused
-- as: agent
-- why: a filter on a clear-looking column of a CTE named like the table that holds ssn
WITH customers AS (SELECT id, ssn AS name FROM asq_adv.customers) SELECT id FROM customers WHERE name LIKE '1%'
-- case: inference-double-dash
-- expect: refused
-- as: agent
-- why: the WHERE on the masked column hides behind --x, which MariaDB reads as code
SELECT id FROM customers WHERE id > 0 --1
AND ssn LIKE '1%'
-- case: cte-named-like-the-table-with-city
-- expect: masked
-- why: a CTE named like the filtered table, with a city column the filter can test, puts ssn under a clear name
WITH customers AS (SELECT id, ssn AS name, 'Lyon' AS city FROM asq_adv.customers) SELECT name FROM customers
-- case: filtered-cte-named-like-the-table-with-city
-- expect: masked
-- why: a CTE named like the filtered table whose city column is a constant the filter accepts
WITH customers AS (SELECT id, name, 'Lyon' AS city FROM asq_adv.customers) SELECT name FROM customers
-- case: filtered-cte-named-like-the-table-in-subquery
-- expect: masked
-- why: the shadowing CTE inside a derived table
SELECT s.name FROM (WITH customers AS (SELECT id, name, 'Lyon' AS city FROM asq_adv.customers) SELECT * FROM customers) s
-- case: recursive-cte-named-like-the-table
-- expect: masked
-- why: a recursive CTE named like the table
WITH RECURSIVE customers(id, name, city) AS (SELECT id, ssn, 'Lyon' FROM asq_adv.customers UNION ALL SELECT id, name, city FROM customers WHERE 1 = 0) SELECT name FROM customers
-- case: filtered-recursive-cte-named-like-the-table
-- expect: masked
-- why: a recursive CTE named like the filtered table, reading the qualified table and itself
WITH RECURSIVE customers(id, name, city) AS (SELECT id, name, 'Lyon' FROM asq_adv.customers UNION ALL SELECT id, name, city FROM customers WHERE 1 = 0) SELECT name FROM customers
