--liquibase formatted sql

--changeset accounts:6-contact
ALTER TABLE account ADD contact VARCHAR(100);
UPDATE account SET contact = email;
