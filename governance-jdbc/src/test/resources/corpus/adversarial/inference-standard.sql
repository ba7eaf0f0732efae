-- Inference and copy-out. An agent may not filter, join, group or sort on a masked column (the
-- masks' default deny-inference); whoever sees a column masked may not copy it elsewhere in clear.
-- case: count-filter-where
-- expect: refused
-- as: agent
-- why: FILTER (WHERE …) on a masked column counts matching values
SELECT COUNT(*) FILTER (WHERE ssn LIKE '1%') FROM customers
-- case: count-case-predicate
-- expect: refused
-- as: agent
-- why: count over a CASE whose condition tests a masked column
SELECT COUNT(CASE WHEN ssn LIKE '1%' THEN 1 END) FROM customers
-- case: sum-case-predicate
-- expect: refused
-- as: agent
-- why: a sum of a CASE on a masked column
SELECT SUM(CASE WHEN email LIKE 'a%' THEN 1 ELSE 0 END) FROM customers
-- case: correlated-exists
-- expect: refused
-- as: agent
-- why: a correlated subquery filters on a masked column
SELECT o.id FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id AND c.ssn LIKE '1%')
-- case: scalar-subquery-predicate
-- expect: refused
-- as: agent
-- why: a scalar subquery returning the masked column is compared in WHERE
SELECT id FROM customers c WHERE (SELECT c.ssn) LIKE '1%'
-- case: order-by-expression
-- expect: refused
-- as: agent
-- why: ORDER BY an expression over a masked column
SELECT id FROM customers ORDER BY SUBSTRING(ssn, 1, 1), id
-- case: order-by-position
-- expect: refused
-- as: agent
-- why: ORDER BY a position that names a masked column
SELECT id, ssn FROM customers ORDER BY 2
-- case: order-by-alias
-- expect: refused
-- as: agent
-- why: ORDER BY an alias of a masked column
SELECT id, email AS e FROM customers ORDER BY e
-- case: group-by-expression
-- expect: refused
-- as: agent
-- why: GROUP BY an expression over a masked column
SELECT city, COUNT(*) FROM customers GROUP BY city, SUBSTRING(ssn, 1, 3)
-- case: in-subquery-on-masked
-- expect: refused
-- as: agent
-- why: IN over a subquery that filters on a masked column
SELECT id FROM customers WHERE id IN (SELECT id FROM customers WHERE ssn > '5')
-- case: join-condition
-- expect: refused
-- as: agent
-- why: a join condition testing a masked column
SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id AND c.email LIKE 'o%'
-- case: position-in-predicate
-- expect: refused
-- as: agent
-- why: POSITION(a IN x) in WHERE
SELECT id FROM customers WHERE POSITION('1' IN ssn) = 1
-- case: substring-from-predicate
-- expect: refused
-- as: agent
-- why: SUBSTRING(x FROM a FOR b) in WHERE
SELECT id FROM customers WHERE SUBSTRING(ssn FROM 1 FOR 1) = '1'
-- case: case-in-where
-- expect: refused
-- as: agent
-- why: CASE in WHERE over a masked column
SELECT id FROM customers WHERE CASE WHEN ssn LIKE '1%' THEN TRUE ELSE FALSE END
-- case: having-on-masked
-- expect: refused
-- as: agent
-- why: HAVING over an aggregate of a masked column
SELECT city FROM customers GROUP BY city HAVING MAX(ssn) > '5'
-- case: between-on-masked
-- expect: refused
-- as: agent
-- why: BETWEEN on a masked column
SELECT id FROM customers WHERE ssn BETWEEN '1' AND '2'
-- case: coalesce-in-where
-- expect: refused
-- as: agent
-- why: COALESCE over a masked column in WHERE
SELECT id FROM customers WHERE COALESCE(email, '') LIKE '%a%'
-- case: window-order-by
-- expect: refused
-- as: agent
-- why: a window ordered by a masked column ranks its values
SELECT id, ROW_NUMBER() OVER (ORDER BY ssn) AS r FROM customers
-- case: window-partition-by
-- expect: refused
-- as: agent
-- why: a window partitioned by an expression of a masked column
SELECT id, COUNT(*) OVER (PARTITION BY SUBSTRING(email, 1, 1)) AS n FROM customers
-- case: row-value-comparison
-- expect: refused
-- as: agent
-- why: a row value holding a masked column compared in WHERE
SELECT id FROM customers WHERE (ssn, id) = ('x', 1)
-- case: values-in-subquery
-- expect: refused
-- as: agent
-- why: a masked column compared with a VALUES subquery
SELECT id FROM customers WHERE ssn IN (VALUES ('x'), ('y'))
-- case: count-distinct-of-two-rows
-- expect: refused
-- as: agent
-- why: a count of the distinct SSNs of two rows is 1 exactly when they are equal; with a row of its own holding a guess, the agent tests the guess
SELECT COUNT(DISTINCT ssn) FROM customers WHERE id IN (1, 2)
-- case: count-distinct-case
-- expect: refused
-- as: agent
-- why: a count of a CASE over a card number
SELECT COUNT(DISTINCT CASE WHEN card_number LIKE '4%' THEN id END) FROM payments
-- case: min-filter-on-masked
-- expect: refused
-- as: agent
-- why: an aggregate of a clear column filtered by a masked column
SELECT MIN(id) FILTER (WHERE email LIKE 'o%') FROM customers
-- case: insert-values-subquery
-- expect: refused
-- as: service
-- why: INSERT … VALUES ((SELECT masked)) copies a masked value into a clear column
INSERT INTO orders (id, customer_id, total, status) VALUES (100, 1, 1, (SELECT ssn FROM customers WHERE id = 1))
-- case: update-set-correlated-subquery
-- expect: refused
-- as: service
-- why: UPDATE … SET clear = (SELECT masked …)
UPDATE orders SET status = (SELECT ssn FROM customers c WHERE c.id = orders.customer_id) WHERE id = 1
-- case: update-set-function-of-masked
-- expect: refused
-- as: service
-- why: UPDATE … SET x = f(masked)
UPDATE customers SET city = SUBSTRING(ssn, 1, 11) WHERE id = 1
-- case: update-set-upper-email
-- expect: refused
-- as: service
-- why: UPDATE … SET x = UPPER(email)
UPDATE customers SET city = UPPER(email) WHERE id = 1
-- case: update-set-coalesce
-- expect: refused
-- as: service
-- why: UPDATE … SET x = COALESCE(masked, …)
UPDATE customers SET city = COALESCE(ssn, '') WHERE id = 1
-- case: update-set-case
-- expect: refused
-- as: service
-- why: UPDATE … SET x = CASE … THEN masked
UPDATE customers SET city = CASE WHEN id > 0 THEN ssn END WHERE id = 1
-- case: update-set-trim-from
-- expect: refused
-- as: service
-- why: UPDATE … SET x = TRIM(BOTH FROM masked)
UPDATE customers SET name = TRIM(BOTH ' ' FROM email) WHERE id = 2
-- case: update-set-substring-from-for
-- expect: refused
-- as: service
-- why: UPDATE … SET x = SUBSTRING(masked FROM … FOR …)
UPDATE customers SET city = SUBSTRING(ssn FROM 1 FOR 11) WHERE id = 3
-- case: insert-select-substring-from
-- expect: refused
-- as: service
-- why: INSERT … SELECT of a special-form expression over a masked column
INSERT INTO orders SELECT 200 + id, id, 1, SUBSTRING(ssn FROM 1 FOR 11) FROM customers
-- case: insert-select-derived-alias
-- expect: refused
-- as: service
-- why: INSERT … SELECT of a masked column renamed by a derived table
INSERT INTO orders (id, customer_id, total, status) SELECT 300 + c.id, c.id, 1, x.s FROM customers c JOIN (SELECT id, ssn AS s FROM customers) x ON x.id = c.id
-- case: insert-select-alias-list
-- expect: refused
-- as: service
-- why: INSERT … SELECT through a derived table's column alias list
INSERT INTO orders (id, customer_id, total, status) SELECT 400 + a, a, 1, b FROM (SELECT id, ssn FROM customers) AS x(a, b)
-- case: update-set-max-email
-- expect: refused
-- as: service
-- why: UPDATE … SET x = (SELECT MAX(masked))
UPDATE customers SET city = (SELECT MAX(email) FROM customers) WHERE id = 1
-- case: update-amount-from-card
-- expect: refused
-- as: service
-- why: a card number's digits copied into a numeric clear column
UPDATE payments SET amount = CAST(SUBSTRING(card_number, 1, 6) AS DECIMAL(10, 2)) WHERE id = 1
-- case: insert-values-list-subquery
-- expect: refused
-- as: service
-- why: a masked subquery in the second row of a VALUES list
INSERT INTO orders (id, customer_id, total, status) VALUES (501, 1, 1, 'open'), (502, 1, 1, (SELECT MIN(ssn) FROM customers))
-- case: merge-set-masked
-- expect: refused
-- as: service
-- why: MERGE … UPDATE SET clear = masked
MERGE INTO orders o USING customers c ON (c.id = o.customer_id AND o.id = 1) WHEN MATCHED THEN UPDATE SET status = c.ssn
-- case: merge-insert-masked
-- expect: refused
-- as: service
-- why: MERGE … INSERT of a masked value
MERGE INTO orders o USING (SELECT 600 AS id, ssn FROM customers WHERE id = 1) s ON (o.id = s.id) WHEN NOT MATCHED THEN INSERT (id, customer_id, total, status) VALUES (s.id, 1, 1, s.ssn)
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
-- case: error-division-by-digit
-- expect: refused
-- as: agent
-- why: the division fails only when the first digit of the masked SSN is '1': the error is the answer
SELECT 1 / (ASCII(SUBSTRING(ssn, 1, 1)) - 49) FROM customers WHERE id = 1
-- case: error-cast-to-integer
-- expect: refused
-- as: agent
-- why: a cast of a piece of a masked column fails only when the piece is not a number
SELECT CAST(SUBSTRING(email, 1, 1) AS INTEGER) FROM customers WHERE id = 1
-- case: error-cast-to-date
-- expect: refused
-- as: agent
-- why: a cast of a masked column to a date fails or not depending on its value
SELECT CAST(ssn AS DATE) FROM customers WHERE id = 1
-- case: error-case-computed-branch
-- expect: refused
-- as: agent
-- why: the CASE tests a clear column, but its branch divides by a function of the masked column
SELECT CASE WHEN id = 1 THEN 1 / (ASCII(ssn) - 49) END FROM customers
-- case: error-count-of-expression
-- expect: refused
-- as: agent
-- why: count reveals no value, but computing its argument fails on some values of the masked column
SELECT COUNT(1 / (ASCII(ssn) - 49)) FROM customers
-- case: error-sum-of-cast
-- expect: refused
-- as: agent
-- why: an aggregate over a cast of a masked column fails when one value is not a number
SELECT SUM(CAST(SUBSTRING(ssn, 1, 3) AS INTEGER)) FROM customers
-- case: error-scalar-subquery-computes
-- expect: refused
-- as: agent
-- why: a scalar subquery computes on the masked column; the outer query only selects it
SELECT id, (SELECT 1 / (ASCII(c.ssn) - 49) FROM customers c WHERE c.id = 1) FROM orders
-- case: error-division-by-scalar-subquery
-- expect: refused
-- as: agent
-- why: the outer select list divides by a scalar subquery that returns the masked column's code
SELECT 1 / ((SELECT ASCII(ssn) FROM customers WHERE id = 1) - 49)
-- case: error-derived-table-computes
-- expect: refused
-- as: agent
-- why: the computation hides in a derived table whose column is selected as it is
SELECT x FROM (SELECT 1 / (ASCII(ssn) - 49) AS x FROM customers WHERE id = 1) t
-- case: error-cte-computes
-- expect: refused
-- as: agent
-- why: the computation hides in a CTE
WITH t AS (SELECT id, 1 / (ASCII(ssn) - 49) AS x FROM customers) SELECT id FROM t
-- case: error-union-branch-computes
-- expect: refused
-- as: agent
-- why: the computation hides in a UNION branch
SELECT id FROM customers UNION ALL SELECT 1 / (ASCII(ssn) - 49) FROM customers WHERE id = 1
-- case: error-window-sum-computes
-- expect: refused
-- as: agent
-- why: a window aggregate over a division by a function of the masked column
SELECT SUM(1 / (ASCII(ssn) - 49)) OVER () FROM customers
-- case: error-case-predicate-branch
-- expect: refused
-- as: agent
-- why: a CASE whose condition tests the masked column and whose branch raises an error
SELECT CASE WHEN ssn LIKE '1%' THEN 1 / 0 END FROM customers WHERE id = 1
-- case: error-negative-substring-length
-- expect: refused
-- as: agent
-- why: a substring whose length is computed from the masked column fails when the length is negative
SELECT SUBSTRING('abc', 1, ASCII(email) - 112) FROM customers WHERE id = 1
