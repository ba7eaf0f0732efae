-- The search path is read, not assumed: analysts and agents may read public only, and nothing of
-- adv_vault may reach them, whether the statement is refused or the name resolves to public.
-- case: current-schema-url
-- expect: masked
-- as: analyst, agent
-- connect: currentSchema=adv_vault
-- why: currentSchema= in the connection makes an unqualified name resolve to adv_vault
SELECT body FROM notes
-- case: current-schema-url-shadowed
-- expect: masked
-- as: analyst, agent
-- connect: currentSchema=adv_vault,public
-- why: orders exists in public and adv_vault; the path picks adv_vault
SELECT note FROM orders
-- case: options-search-path
-- expect: masked
-- as: analyst, agent
-- connect: options=-c search_path=adv_vault
-- why: options=-c search_path= in the connection
SELECT note FROM orders
-- case: set-search-path
-- expect: masked
-- as: analyst, agent
-- why: SET search_path then an unqualified name
SET search_path TO adv_vault
-- next
SELECT note FROM orders
-- case: set-search-path-equals
-- expect: masked
-- as: analyst, agent
-- why: SET search_path = list then a star
SET search_path = adv_vault, public
-- next
SELECT * FROM orders
-- case: set-session-search-path
-- expect: masked
-- as: analyst, agent
-- why: SET SESSION search_path
SET SESSION search_path TO adv_vault
-- next
SELECT body FROM notes
-- case: set-config-search-path
-- expect: masked
-- as: analyst, agent
-- why: set_config('search_path', …) in a select
SELECT set_config('search_path', 'adv_vault', false)
-- next
SELECT note FROM orders
-- case: qualified-set-config
-- expect: masked
-- as: analyst, agent
-- why: pg_catalog.set_config with a path list
SELECT pg_catalog.set_config('search_path', 'adv_vault,public', false)
-- next
SELECT o.* FROM orders o
-- case: set-schema
-- expect: masked
-- as: analyst, agent
-- why: SET SCHEMA is SET search_path
SET SCHEMA 'adv_vault'
-- next
SELECT body FROM notes
-- case: user-then-vault
-- expect: masked
-- as: analyst, agent
-- why: "$user" first, which does not exist, then adv_vault
SET search_path TO "$user", adv_vault
-- next
SELECT note FROM orders
-- case: search-path-aggregate
-- expect: masked
-- as: analyst, agent
-- why: an aggregate over the shadowing table
SET search_path TO adv_vault
-- next
SELECT count(*), max(note) FROM orders
-- case: search-path-cte
-- expect: masked
-- as: analyst, agent
-- why: the shadowing table inside a CTE
SET search_path TO adv_vault
-- next
WITH x AS (SELECT note FROM orders) SELECT * FROM x
-- case: search-path-subquery
-- expect: masked
-- as: analyst, agent
-- why: the shadowing table inside a scalar subquery
SET search_path TO adv_vault
-- next
SELECT (SELECT max(body) FROM notes)
-- case: search-path-join
-- expect: masked
-- as: analyst, agent
-- why: a qualified public table joined with the shadowing one
SET search_path TO adv_vault
-- next
SELECT c.name, o.note FROM public.customers c JOIN orders o ON o.id = c.id
-- case: catalog-qualified
-- expect: masked
-- as: analyst, agent
-- why: a three-part name
SELECT body FROM governed_adversarial.adv_vault.notes
-- case: qualified-vault
-- expect: masked
-- as: analyst, agent
-- why: a plainly qualified name outside public
SELECT body FROM adv_vault.notes
-- case: quoted-qualified-vault
-- expect: masked
-- as: analyst, agent
-- why: a quoted schema
SELECT body FROM "adv_vault"."notes"
-- case: set-local-in-transaction
-- expect: masked
-- as: analyst, agent
-- why: set_config with is_local false inside a function call in FROM
SELECT * FROM set_config('search_path', 'adv_vault', false)
-- next
SELECT note FROM orders
-- case: lock-vault-table
-- expect: refused
-- why: a lock on a table of the schema no one may read, named by the lock's own grammar (ONLY, several tables)
LOCK TABLE ONLY public.orders, adv_vault.notes IN ACCESS SHARE MODE NOWAIT
-- case: lock-after-search-path
-- expect: refused
-- as: analyst, agent, service
-- why: an unqualified name after SET search_path names adv_vault's orders
SET search_path TO adv_vault
-- next
LOCK orders
-- case: temporary-sequence-shadowing
-- expect: refused
-- as: analyst, agent, service
-- why: a temporary sequence outlives the statement in the session and comes before public's sequences in the search path
CREATE TEMP SEQUENCE customers_id_seq START 1
