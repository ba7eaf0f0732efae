--liquibase formatted sql

--changeset reports:1
CALL CSVWRITE('lqb-accounts.csv', 'SELECT * FROM account');
