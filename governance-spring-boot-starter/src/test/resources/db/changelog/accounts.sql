--liquibase formatted sql

--changeset accounts:1
CREATE TABLE account (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100));
INSERT INTO account (id, name, email) VALUES (1, 'Ada', 'ada@example.com');

--changeset accounts:2
DROP TABLE IF EXISTS legacy_account;
