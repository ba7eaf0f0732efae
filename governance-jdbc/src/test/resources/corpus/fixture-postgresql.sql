CREATE TABLE events (id INT PRIMARY KEY, payload JSONB)
INSERT INTO events VALUES (1, '{"kind": "click", "meta": {"source": "web"}, "tags": ["a", "b"]}'), (2, '{"kind": "view", "meta": {"source": "app"}, "tags": "none"}'), (3, '{"kind": "click", "meta": {"source": "app"}, "tags": []}')
CREATE FUNCTION wipe_orders() RETURNS void LANGUAGE sql AS 'DELETE FROM orders'
