CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, email VARCHAR(80), country VARCHAR(2), created DATE)
CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL, status VARCHAR(10), placed DATE)
CREATE TABLE orders_archive (id INT PRIMARY KEY, customer_id INT, total DECIMAL(10,2))
CREATE VIEW order_totals AS SELECT customer_id, SUM(total) AS total FROM orders GROUP BY customer_id
CREATE INDEX orders_total_idx ON orders (total)
CREATE SEQUENCE order_numbers
CREATE TABLE app.config_entries (name VARCHAR(40) PRIMARY KEY, setting_value VARCHAR(80))
INSERT INTO customers VALUES (1, 'Ada Lovelace', 'ada@example.com', 'GB', DATE '2023-01-01'), (2, 'Alan Turing', 'alan@example.com', 'GB', DATE '2023-02-01'), (3, 'Anke Weber', NULL, 'DE', DATE '2023-03-01'), (4, 'Bruno Roy', 'bruno@example.com', 'FR', DATE '2023-04-01'), (5, 'Chen Wu', 'chen@example.com', 'CN', DATE '2023-05-01'), (6, 'Dana Levi', NULL, 'IL', DATE '2023-06-01')
INSERT INTO orders VALUES (1, 1, 120.50, 'new', DATE '2024-01-05'), (2, 1, 15.00, 'shipped', DATE '2024-01-09'), (3, 2, 300.00, 'new', DATE '2024-02-11'), (4, 3, 45.25, 'shipped', DATE '2024-02-12'), (5, 3, 99.99, 'new', DATE '2024-03-01'), (6, 4, 250.00, 'shipped', DATE '2024-03-03'), (7, 4, 12.00, 'new', DATE '2024-03-04'), (8, 5, 75.00, 'new', DATE '2024-03-15'), (9, 5, 310.00, 'shipped', DATE '2024-04-01'), (10, 1, 60.00, 'new', DATE '2024-04-02'), (11, 2, 18.00, 'new', DATE '2024-04-03'), (12, 3, 140.00, 'shipped', DATE '2024-04-20'), (13, 4, 55.00, 'new', DATE '2024-05-01'), (14, 5, 20.00, 'new', DATE '2024-05-02'), (15, 1, 205.00, 'shipped', DATE '2024-05-03'), (16, 2, 33.00, 'new', DATE '2024-05-04'), (17, 3, 88.00, 'new', DATE '2024-05-05'), (18, 4, 101.00, 'shipped', DATE '2024-05-06'), (19, 5, 5.00, 'new', DATE '2024-05-07'), (20, 1, 150.00, 'new', DATE '2024-05-08')
INSERT INTO app.config_entries VALUES ('currency', 'EUR'), ('region', 'eu-west')
