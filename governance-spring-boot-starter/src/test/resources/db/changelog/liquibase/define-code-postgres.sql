--liquibase formatted sql

--changeset reports:1
CREATE TABLE report (id INT PRIMARY KEY);
CREATE FUNCTION report_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM report';
