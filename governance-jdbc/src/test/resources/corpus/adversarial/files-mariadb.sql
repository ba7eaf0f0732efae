-- File functions: reading and writing host files.
-- case: into-dumpfile
-- expect: refused
-- why: INTO DUMPFILE writes a host file
SELECT ssn FROM customers LIMIT 1 INTO DUMPFILE '/tmp/governed-jdbc-pwned'
-- case: into-dumpfile-before-from
-- expect: refused
-- why: INTO DUMPFILE before FROM
SELECT ssn INTO DUMPFILE '/tmp/governed-jdbc-pwned' FROM customers LIMIT 1
-- case: into-outfile
-- expect: refused
-- why: INTO OUTFILE writes a host file
SELECT * FROM customers INTO OUTFILE '/tmp/governed-jdbc-dump.sql'
-- case: into-outfile-options
-- expect: refused
-- why: INTO OUTFILE with field options
SELECT id, ssn INTO OUTFILE '/tmp/governed-jdbc-dump.sql' FIELDS TERMINATED BY ',' FROM customers
-- case: load-file
-- expect: refused
-- why: LOAD_FILE reads a host file
SELECT LOAD_FILE('/etc/hostname')
-- case: load-data-infile
-- expect: refused
-- why: LOAD DATA INFILE reads a host file into a table
LOAD DATA INFILE '/etc/hostname' INTO TABLE orders
-- case: load-data-local-infile
-- expect: refused
-- why: LOAD DATA LOCAL INFILE reads a client file
LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE orders
-- case: load-xml
-- expect: refused
-- why: LOAD XML reads a host file
LOAD XML INFILE '/etc/hostname' INTO TABLE orders
-- case: load-file-in-insert
-- expect: refused
-- as: service, baseline
-- why: a host file copied into a table
INSERT INTO orders (id, customer_id, total, status) VALUES (900, 1, 1, LOAD_FILE('/etc/hostname'))
