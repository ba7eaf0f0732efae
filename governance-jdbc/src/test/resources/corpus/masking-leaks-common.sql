-- Queries an analyst may run over sensitive columns: every value that comes back, through every
-- getter, must be masked. Written to run on H2 and PostgreSQL alike.
-- case: plain email
SELECT email FROM customers
-- case: plain ssn
SELECT ssn FROM customers
-- case: plain api key
SELECT api_key FROM customers
-- case: plain card number
SELECT card_number FROM payments
-- case: numeric card number
SELECT card_number FROM accounts
-- case: alias
SELECT email AS e FROM customers
-- case: qualified alias
SELECT c.ssn AS x FROM customers c
-- case: quoted alias
SELECT api_key AS "Harmless" FROM customers
-- case: upper
SELECT UPPER(email) FROM customers
-- case: lower with alias
SELECT LOWER(email) AS m FROM customers
-- case: trim
SELECT TRIM(ssn) FROM customers
-- case: substring window
SELECT SUBSTRING(ssn, 5, 6) FROM customers
-- case: substring of a card
SELECT SUBSTRING(card_number, 1, 12) AS head FROM payments
-- case: replace separators
SELECT REPLACE(ssn, '-', '') FROM customers
-- case: cast to text
SELECT CAST(ssn AS VARCHAR(20)) FROM customers
-- case: cast a numeric card to text
SELECT CAST(card_number AS VARCHAR(30)) FROM accounts
-- case: arithmetic on a numeric card
SELECT card_number + 0 AS n FROM accounts
-- case: concatenation
SELECT 'ssn:' || ssn FROM customers
-- case: concatenation of several columns
SELECT name || ' <' || email || '>' FROM customers
-- case: concat function
SELECT CONCAT(name, email) FROM customers
-- case: coalesce
SELECT COALESCE(email, 'none') FROM customers
-- case: coalesce with null first
SELECT COALESCE(NULL, ssn) FROM customers
-- case: nullif
SELECT NULLIF(ssn, 'x') FROM customers
-- case: case expression
SELECT CASE WHEN id > 0 THEN ssn ELSE 'n/a' END FROM customers
-- case: case mixing columns
SELECT id, CASE WHEN MOD(id, 2) = 0 THEN email ELSE ssn END AS mixed FROM customers
-- case: max
SELECT MAX(ssn) FROM customers
-- case: min
SELECT MIN(email) FROM customers
-- case: max with alias and group
SELECT o.customer_id, MAX(p.card_number) AS top FROM payments p JOIN orders o ON o.id = p.order_id GROUP BY o.customer_id
-- case: count next to max
SELECT COUNT(*), MAX(email) FROM customers
-- case: scalar subquery
SELECT (SELECT email FROM customers c WHERE c.id = o.customer_id) AS buyer FROM orders o
-- case: scalar aggregate subquery
SELECT o.id, (SELECT MAX(ssn) FROM customers) AS m FROM orders o
-- case: derived table
SELECT x FROM (SELECT email AS x FROM customers) d
-- case: derived table star
SELECT d.* FROM (SELECT id, ssn FROM customers) d
-- case: star over derived table
SELECT * FROM (SELECT email, api_key FROM customers) t
-- case: derived table star with swapped aliases
SELECT d.* FROM (SELECT ssn AS id, id AS ssn_id FROM customers) d
-- case: derived table star with a harmless-looking alias
SELECT d.* FROM (SELECT id, email AS nickname FROM customers) d
-- case: two stars around a column
SELECT o.*, c.id AS cid, d.* FROM orders o JOIN customers c ON c.id = o.customer_id JOIN (SELECT id AS k, api_key AS note FROM customers) d ON d.k = c.id
-- case: derived table of an expression
SELECT d.* FROM (SELECT id, UPPER(email) AS u FROM customers) d
-- case: cte
WITH c AS (SELECT id, ssn FROM customers) SELECT ssn FROM c
-- case: cte with renamed column
WITH c AS (SELECT id, email AS addr FROM customers) SELECT c.addr FROM c
-- case: cte star
WITH c AS (SELECT * FROM customers) SELECT * FROM c
-- case: recursive cte
WITH RECURSIVE r(n, v) AS (SELECT 1, ssn FROM customers WHERE id = 1 UNION ALL SELECT n + 1, v FROM r WHERE n < 3) SELECT v FROM r
-- case: union second branch
SELECT name FROM customers UNION SELECT email FROM customers
-- case: union all first branch
SELECT email FROM customers UNION ALL SELECT name FROM customers
-- case: intersect
SELECT ssn FROM customers INTERSECT SELECT ssn FROM customers
-- case: except
SELECT ssn FROM customers EXCEPT SELECT name FROM customers
-- case: select star
SELECT * FROM customers
-- case: table star
SELECT c.* FROM customers c
-- case: two table stars
SELECT c.*, o.* FROM customers c JOIN orders o ON o.customer_id = c.id
-- case: two table stars the other way
SELECT o.*, c.* FROM orders o JOIN customers c ON o.customer_id = c.id
-- case: column and table star
SELECT o.id, c.* FROM orders o JOIN customers c ON c.id = o.customer_id
-- case: star of payments with a column
SELECT p.*, o.total FROM payments p JOIN orders o ON o.id = p.order_id
-- case: star of a join
SELECT * FROM payments p JOIN orders o ON o.id = p.order_id
-- case: view star
SELECT * FROM customer_contacts
-- case: view columns renamed
SELECT contact, tax_ref, credential FROM customer_contacts
-- case: view column qualified
SELECT v.contact, v.tax_ref FROM customer_contacts v
-- case: view column through an expression
SELECT LOWER(contact) AS c FROM customer_contacts
-- case: every sensitive column at once
SELECT id, email, ssn, api_key FROM customers ORDER BY id
-- case: join across three tables
SELECT c.name, p.card_number FROM customers c JOIN orders o ON o.customer_id = c.id JOIN payments p ON p.order_id = o.id
-- case: numeric card with other columns
SELECT a.id, a.card_number, c.name FROM accounts a JOIN customers c ON c.id = a.customer_id
-- case: special form substring from for
SELECT SUBSTRING(ssn FROM 1 FOR 7) FROM customers
-- case: special form trim both from
SELECT TRIM(BOTH ' ' FROM ssn) FROM customers
-- case: values list of a scalar subquery
SELECT x FROM (VALUES ((SELECT ssn FROM customers WHERE id = 1))) AS v(x)
-- case: values list in a scalar subquery
SELECT (SELECT x FROM (VALUES ((SELECT email FROM customers WHERE id = 1))) AS v(x)) FROM orders
-- case: alias list renaming a sensitive column
SELECT b FROM (SELECT id, ssn FROM customers) AS t(a, b)
-- case: star over an alias list
SELECT * FROM (SELECT id, ssn FROM customers) AS t(a, b)
-- case: column through a table star of a derived table
SELECT v FROM (SELECT 1 AS k, d.* FROM (SELECT ssn AS v FROM customers) d) e
-- case: cte with an alias list
WITH c(a, b) AS (SELECT id, email FROM customers) SELECT b FROM c
-- case: window function over a sensitive column
SELECT FIRST_VALUE(ssn) OVER (ORDER BY id) FROM customers
-- case: distinct over a sensitive column
SELECT DISTINCT api_key FROM customers
-- case: case over a predicate on a sensitive column
SELECT CASE WHEN ssn LIKE '%' THEN ssn END FROM customers
