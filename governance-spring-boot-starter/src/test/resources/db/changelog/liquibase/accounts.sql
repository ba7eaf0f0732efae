--liquibase formatted sql

--changeset accounts:2-legacy
CREATE TABLE legacy_note (id INT PRIMARY KEY, body VARCHAR(40));
INSERT INTO legacy_note (id, body) VALUES (1, 'old');

--changeset accounts:3-drop-legacy
DROP TABLE legacy_note;
--rollback CREATE TABLE legacy_note (id INT PRIMARY KEY, body VARCHAR(40));

--changeset accounts:4-nickname
ALTER TABLE account ADD nickname VARCHAR(50);
UPDATE account SET nickname = name;

--changeset accounts:5-rename
ALTER TABLE account RENAME COLUMN name TO full_name;
--rollback ALTER TABLE account RENAME COLUMN full_name TO name;
