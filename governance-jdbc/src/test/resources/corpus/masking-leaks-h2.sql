-- case: listagg
SELECT LISTAGG(email, ',') WITHIN GROUP (ORDER BY id) FROM customers
-- case: array_agg
SELECT ARRAY_AGG(ssn) FROM customers
-- case: cast shorthand
SELECT ssn::VARCHAR FROM customers
-- case: unnest over a subquery
SELECT * FROM UNNEST((SELECT ARRAY_AGG(ssn) FROM customers))
-- case: table function column over a subquery
SELECT x FROM UNNEST((SELECT ARRAY_AGG(email) FROM customers)) AS u(x)
