-- File and host functions, and Unicode-escaped identifiers.
-- case: file-read
-- expect: refused
-- why: FILE_READ reads a host file
SELECT FILE_READ('/etc/hostname')
-- case: file-read-as-text
-- expect: refused
-- why: FILE_READ with a character set
SELECT FILE_READ('/etc/hostname', NULL)
-- case: file-write
-- expect: refused
-- why: FILE_WRITE writes a host file
SELECT FILE_WRITE(STRINGTOUTF8('pwned'), '/tmp/governed-jdbc-pwned')
-- case: call-file-write
-- expect: refused
-- why: CALL FILE_WRITE
CALL FILE_WRITE(STRINGTOUTF8('pwned'), '/tmp/governed-jdbc-pwned')
-- case: csvwrite
-- expect: refused
-- why: CSVWRITE dumps a query to a host file
CALL CSVWRITE('/tmp/governed-jdbc-dump.sql', 'SELECT ssn FROM customers')
-- case: csvwrite-in-select
-- expect: refused
-- why: CSVWRITE in a select list
SELECT CSVWRITE('/tmp/governed-jdbc-dump.sql', 'SELECT * FROM customers')
-- case: csvread
-- expect: refused
-- why: CSVREAD reads a host file as a table
SELECT * FROM CSVREAD('/etc/hostname')
-- case: csvread-in-insert
-- expect: refused
-- why: a host file copied into a table
INSERT INTO orders (id, customer_id, total, status) SELECT 900, 1, 1, 'x' FROM CSVREAD('/etc/hostname')
-- case: link-schema
-- expect: refused
-- why: LINK_SCHEMA links another database's tables
SELECT * FROM LINK_SCHEMA('ADV_LINK', '', 'jdbc:h2:mem:adversarial', '', '', 'PUBLIC')
-- case: create-linked-table
-- expect: refused
-- why: a linked table reaches another database
CREATE LINKED TABLE adv_linked('', 'jdbc:h2:mem:adversarial', '', '', 'CUSTOMERS')
-- case: script-to-file
-- expect: refused
-- why: SCRIPT TO writes the database to a host file
SCRIPT NODATA TO '/tmp/governed-jdbc-dump.sql'
-- case: script-to-file-compressed
-- expect: refused
-- why: SCRIPT TO with compression
SCRIPT TO '/tmp/governed-jdbc-dump.sql' COMPRESSION DEFLATE
-- case: backup-to
-- expect: refused
-- why: BACKUP TO writes a host file
BACKUP TO '/tmp/governed-jdbc-dump.sql'
-- case: runscript-from
-- expect: refused
-- why: RUNSCRIPT FROM a host file
RUNSCRIPT FROM '/etc/hostname'
-- case: unicode-ssn
-- expect: masked
-- why: U&"\0053SN" is SSN
SELECT U&"\0053SN" FROM customers
-- case: unicode-email-aliased
-- expect: masked
-- why: U&"\0045MAIL" is EMAIL
SELECT U&"\0045MAIL" AS x FROM customers
-- case: unicode-uescape
-- expect: masked
-- why: a UESCAPE character
SELECT U&"!0053SN" UESCAPE '!' FROM customers
-- case: unicode-api-key
-- expect: masked
-- why: a qualified escaped column
SELECT c.U&"\0041PI_KEY" FROM customers c
-- case: unicode-vault-schema
-- expect: refused
-- as: analyst, agent
-- why: an escaped schema name outside PUBLIC
SELECT body FROM U&"\0041DV_VAULT".NOTES
