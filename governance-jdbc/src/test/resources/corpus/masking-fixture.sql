DROP VIEW IF EXISTS customer_contacts
DROP TABLE IF EXISTS payments
DROP TABLE IF EXISTS accounts
DROP TABLE IF EXISTS orders
DROP TABLE IF EXISTS customers
CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200), ssn VARCHAR(11), api_key VARCHAR(64), city VARCHAR(50), signed_up DATE NOT NULL)
CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10, 2) NOT NULL, status VARCHAR(20) NOT NULL)
CREATE TABLE payments (id INT PRIMARY KEY, order_id INT NOT NULL, card_number VARCHAR(19) NOT NULL, amount DECIMAL(10, 2) NOT NULL)
CREATE TABLE accounts (id INT PRIMARY KEY, customer_id INT NOT NULL, card_number BIGINT NOT NULL, opened_on DATE)
CREATE VIEW customer_contacts AS SELECT id, name, email AS contact, ssn AS tax_ref, api_key AS credential FROM customers
