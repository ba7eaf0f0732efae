CREATE OR REPLACE VIEW app2_customer_names AS SELECT id, name FROM app2_customer;
