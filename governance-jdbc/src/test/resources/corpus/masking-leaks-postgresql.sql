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
