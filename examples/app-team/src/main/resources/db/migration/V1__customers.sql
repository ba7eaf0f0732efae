CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL);
CREATE TABLE import_staging (id INT PRIMARY KEY, payload VARCHAR(200));
INSERT INTO customers (id, name, email) VALUES (1, 'Ada Lovelace', 'ada@example.com');
INSERT INTO customers (id, name, email) VALUES (2, 'Grace Hopper', 'grace@example.com');
