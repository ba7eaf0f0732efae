ALTER TABLE customers ADD COLUMN created_on DATE;
COMMENT ON TABLE customers IS 'the customers of the app team';
DROP TABLE IF EXISTS import_staging;
