-- File and host functions, and Unicode-escaped identifiers.
-- case: pg-ls-dir
-- expect: refused
-- why: lists a server directory
SELECT pg_ls_dir('/tmp')
-- case: pg-ls-dir-in-from
-- expect: refused
-- why: pg_ls_dir as a table function
SELECT * FROM pg_ls_dir('.') AS f
-- case: pg-stat-file
-- expect: refused
-- why: reads a server file's metadata
SELECT pg_stat_file('/etc/hostname')
-- case: pg-read-file
-- expect: refused
-- why: reads a server file
SELECT pg_read_file('/etc/hostname')
-- case: pg-read-binary-file
-- expect: refused
-- why: reads a server file as bytes
SELECT pg_read_binary_file('/etc/hostname')
-- case: lo-import
-- expect: refused
-- why: imports a server file as a large object
SELECT lo_import('/etc/hostname')
-- case: lo-export
-- expect: refused
-- why: writes a large object to a server file
SELECT lo_export(lo_from_bytea(0, 'pwned'::bytea), '/tmp/governed-jdbc-pwned')
-- case: lo-from-bytea
-- expect: refused
-- why: creates a large object holding a masked value
SELECT lo_from_bytea(0, convert_to((SELECT ssn FROM customers WHERE id = 1), 'UTF8'))
-- case: copy-table-to-file
-- expect: refused
-- why: COPY a table to a server file
COPY customers TO '/tmp/governed-jdbc-dump.sql'
-- case: copy-query-to-file
-- expect: refused
-- why: COPY a query to a server file
COPY (SELECT ssn FROM customers) TO '/tmp/governed-jdbc-dump.sql'
-- case: copy-from-file
-- expect: refused
-- why: COPY a server file into a table
COPY orders (status) FROM '/etc/hostname'
-- case: pg-ls-logdir
-- expect: refused
-- why: lists the log directory
SELECT * FROM pg_ls_logdir()
-- case: pg-ls-waldir
-- expect: refused
-- why: lists the WAL directory
SELECT * FROM pg_ls_waldir()
-- case: pg-reload-conf
-- expect: refused
-- why: reloads the server configuration
SELECT pg_reload_conf()
-- case: pg-read-file-qualified
-- expect: refused
-- why: pg_catalog-qualified file read
SELECT pg_catalog.pg_read_file('/etc/hostname', 0, 10)
-- case: unicode-ssn
-- expect: masked
-- why: U&"\0073sn" is ssn
SELECT U&"\0073sn" FROM customers
-- case: unicode-email-aliased
-- expect: masked
-- why: U&"\0065mail" is email
SELECT U&"\0065mail" AS x FROM customers
-- case: unicode-uescape
-- expect: masked
-- why: a UESCAPE character
SELECT U&"!0073sn" UESCAPE '!' FROM customers
-- case: unicode-qualified-api-key
-- expect: masked
-- why: a qualified escaped column
SELECT c.U&"\0061pi_key" FROM customers c
-- case: unicode-card
-- expect: masked
-- why: every letter escaped
SELECT U&"\0063\0061\0072\0064\005f\006e\0075\006d\0062\0065\0072" FROM payments
-- case: unicode-vault-schema
-- expect: refused
-- as: analyst, agent
-- why: an escaped schema name outside public
SELECT body FROM U&"\0061dv_vault".notes
-- case: unicode-vault-table
-- expect: refused
-- as: analyst, agent
-- why: an escaped table name
SELECT note FROM adv_vault.U&"\006frders"
