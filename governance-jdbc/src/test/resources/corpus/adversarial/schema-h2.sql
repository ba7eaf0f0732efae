-- The current schema is read, not assumed: analysts and agents may read PUBLIC only, and nothing of
-- ADV_VAULT may reach them, whether the statement is refused or the name resolves to PUBLIC.
-- case: set-schema
-- expect: masked
-- as: analyst, agent
-- why: SET SCHEMA then an unqualified name
SET SCHEMA adv_vault
-- next
SELECT body FROM notes
-- case: set-schema-shadowed
-- expect: masked
-- as: analyst, agent
-- why: orders exists in PUBLIC and adv_vault; the current schema picks adv_vault
SET SCHEMA adv_vault
-- next
SELECT note FROM orders
-- case: set-schema-star
-- expect: masked
-- as: analyst, agent
-- why: a star over the shadowing table: its columns are those of adv_vault's orders when the SET SCHEMA runs, of PUBLIC's when it is refused
SET SCHEMA adv_vault
-- next
SELECT * FROM orders
-- case: schema-search-path
-- expect: masked
-- as: analyst, agent
-- why: SET SCHEMA_SEARCH_PATH
SET SCHEMA_SEARCH_PATH adv_vault, PUBLIC
-- next
SELECT body FROM notes
-- case: schema-url-setting
-- expect: masked
-- as: analyst, agent
-- connect: SCHEMA=ADV_VAULT
-- why: SCHEMA= in the connection settings
SELECT note FROM orders
-- case: set-schema-aggregate
-- expect: masked
-- as: analyst, agent
-- why: an aggregate over the shadowing table
SET SCHEMA adv_vault
-- next
SELECT COUNT(*), MAX(note) FROM orders
-- case: set-schema-cte
-- expect: masked
-- as: analyst, agent
-- why: the shadowing table in a CTE
SET SCHEMA adv_vault
-- next
WITH x AS (SELECT note FROM orders) SELECT * FROM x
-- case: set-schema-join
-- expect: masked
-- as: analyst, agent
-- why: a qualified PUBLIC table joined with the shadowing one
SET SCHEMA adv_vault
-- next
SELECT c.name, o.note FROM PUBLIC.customers c JOIN orders o ON o.id = c.id
-- case: catalog-qualified
-- expect: masked
-- as: analyst, agent
-- why: a three-part name
SELECT body FROM ADVERSARIAL.ADV_VAULT.NOTES
-- case: quoted-qualified
-- expect: masked
-- as: analyst, agent
-- why: a quoted schema
SELECT body FROM "ADV_VAULT"."NOTES"
-- case: set-schema-quoted
-- expect: masked
-- as: analyst, agent
-- why: SET SCHEMA with a quoted name
SET SCHEMA "ADV_VAULT"
-- next
SELECT body FROM notes
-- case: search-path-subquery
-- expect: masked
-- as: analyst, agent
-- why: the shadowing table in a scalar subquery
SET SCHEMA_SEARCH_PATH adv_vault
-- next
SELECT (SELECT MAX(body) FROM notes)
