-- The current database is read, not assumed: analysts and agents may read governed_adv only, and
-- nothing of governed_adv_vault may reach them.
-- case: use-vault
-- expect: masked
-- as: analyst, agent
-- why: USE switches the database unqualified names resolve in
USE governed_adv_vault
-- next
SELECT body FROM notes
-- case: use-vault-shadowed
-- expect: masked
-- as: analyst, agent
-- why: orders exists in both databases; USE picks the vault's
USE governed_adv_vault
-- next
SELECT note FROM orders
-- case: use-vault-star
-- expect: masked
-- as: analyst, agent
-- why: a star over the shadowing table
USE governed_adv_vault
-- next
SELECT * FROM orders
-- case: use-backticks
-- expect: masked
-- as: analyst, agent
-- why: USE with a quoted name
USE `governed_adv_vault`
-- next
SELECT MAX(body) FROM notes
-- case: qualified-vault
-- expect: masked
-- as: analyst, agent
-- why: a qualified name outside the permitted database
SELECT body FROM governed_adv_vault.notes
-- case: quoted-qualified-vault
-- expect: masked
-- as: analyst, agent
-- why: a backtick-quoted qualified name
SELECT body FROM `governed_adv_vault`.`notes`
-- case: spaced-qualified-vault
-- expect: masked
-- as: analyst, agent
-- why: spaces around the dot
SELECT note FROM governed_adv_vault . orders
-- case: use-then-join
-- expect: masked
-- as: analyst, agent
-- why: a qualified permitted table joined with the shadowing one
USE governed_adv_vault
-- next
SELECT c.name, o.note FROM governed_adv.customers c JOIN orders o ON o.id = c.id
-- case: lock-tables-vault
-- expect: refused
-- why: a read lock on the database no one may read, after a table that may be read
LOCK TABLES customers READ, governed_adv_vault.notes READ LOCAL
