-- case: listagg
SELECT LISTAGG(email, ',') WITHIN GROUP (ORDER BY id) FROM customers
-- case: array_agg
SELECT ARRAY_AGG(ssn) FROM customers
-- case: cast shorthand
SELECT ssn::VARCHAR FROM customers
