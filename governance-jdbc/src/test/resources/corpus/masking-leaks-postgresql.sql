-- case: string_agg
SELECT string_agg(email, ',') FROM customers
-- case: array_agg
SELECT array_agg(ssn) FROM customers
-- case: cast shorthand
SELECT ssn::text FROM customers
-- case: json object
SELECT json_build_object('e', email) FROM customers
-- case: row value
SELECT ROW(id, ssn) FROM customers
-- case: whole-row reference
SELECT c FROM customers c
-- case: lateral
SELECT l.v FROM customers c, LATERAL (SELECT c.api_key AS v) l
-- case: values join
SELECT x.e FROM (VALUES (1)) v(n) JOIN LATERAL (SELECT email AS e FROM customers) x ON true
-- case: unnest over a subquery
SELECT * FROM unnest((SELECT array_agg(ssn) FROM customers))
-- case: unnest with an alias list
SELECT x FROM unnest((SELECT array_agg(email) FROM customers)) AS u(x)
-- case: overlay
SELECT OVERLAY(ssn PLACING '' FROM 1 FOR 0) FROM customers
-- case: whole row as text
SELECT c::text FROM customers c
-- case: whole row as json
SELECT to_jsonb(c) FROM customers c
-- case: row of a table star
SELECT ROW(c.*)::text FROM customers c
-- case: alias list on a base table
SELECT a, b, c, d FROM customers AS x(a, b, c, d)
-- case: json of a derived table row
SELECT to_jsonb(x) FROM (SELECT id, ssn FROM customers) x
-- case: distinct on
SELECT DISTINCT ON (id) ssn FROM customers
-- case: lateral subquery
SELECT l.s FROM orders o, LATERAL (SELECT ssn AS s FROM customers c WHERE c.id = o.customer_id) l
