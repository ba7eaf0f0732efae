-- H2 values that are not sensitive come back exactly as through the raw driver.
-- case: h2version
-- expect: clear
-- why: H2VERSION()
SELECT H2VERSION()
-- case: system-range
-- expect: clear
-- why: SYSTEM_RANGE of literals
SELECT X FROM SYSTEM_RANGE(1, 3)
-- case: database-name
-- expect: clear
-- why: DATABASE()
SELECT DATABASE()
-- case: setting-mode
-- expect: clear
-- why: a database setting
SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'
-- case: unnest-literal-array
-- expect: clear
-- why: UNNEST of a literal array
SELECT * FROM UNNEST(ARRAY[1, 2])
-- case: listagg-clear
-- expect: clear
-- why: LISTAGG over a clear column
SELECT LISTAGG(name, ',') WITHIN GROUP (ORDER BY id) FROM customers
-- case: array-agg-clear
-- expect: clear
-- why: ARRAY_AGG over a clear column
SELECT ARRAY_AGG(city ORDER BY id) FROM customers
-- case: json-object-clear
-- expect: clear
-- why: JSON_OBJECT of a clear column
SELECT JSON_OBJECT('n': name) FROM customers ORDER BY id
-- case: current-schema
-- expect: clear
-- why: CURRENT_SCHEMA
SELECT CURRENT_SCHEMA
-- case: cast-id
-- expect: clear
-- why: CAST of a clear column
SELECT CAST(id AS VARCHAR) FROM customers ORDER BY id
-- case: formatdatetime
-- expect: clear
-- why: FORMATDATETIME over a clear date
SELECT FORMATDATETIME(signed_up, 'yyyy') FROM customers ORDER BY id
-- case: table-function-literals
-- expect: clear
-- why: TABLE(…) of literals
SELECT * FROM TABLE(x INT = ARRAY[1, 2, 3])
-- case: row-of-clear
-- expect: clear
-- why: ROW(…) of clear columns
SELECT ROW(id, name) FROM customers ORDER BY id
-- case: view-clear-columns
-- expect: clear
-- why: the columns of a view that come from clear columns stay clear
SELECT id, name FROM contact_aliases ORDER BY id
-- case: sequence-values-clear
-- expect: clear
-- as: service
-- why: a sequence's values come back as they are to an identity that may insert (advancing a sequence is an insert): an id generator's NEXTVAL('…') read as masked would give every new row the same id (each run's values differ, so what is compared is computed from them)
SELECT NEXTVAL('customers_id_seq')
-- next
SELECT CURRVAL('customers_id_seq') >= 1000, NEXTVAL('customers_id_seq') - CURRVAL('customers_id_seq'), NEXT VALUE FOR customers_id_seq > 1000
