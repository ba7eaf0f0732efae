CREATE INDEX app2_invoice_customer ON app2_invoice (customer_id);
ALTER TABLE app2_customer ALTER COLUMN name TYPE VARCHAR(150);
