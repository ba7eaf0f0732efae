CREATE TABLE account (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100));
CREATE TABLE legacy_account (id INT PRIMARY KEY);
CREATE TABLE region (id INT PRIMARY KEY, label VARCHAR(40));
INSERT INTO region (id, label) VALUES (1, 'north');
INSERT INTO account (id, name, email) VALUES (1, 'Ada', 'ada@example.com');
INSERT INTO account (id, name, email) VALUES (2, 'Grace', 'grace@example.com');
