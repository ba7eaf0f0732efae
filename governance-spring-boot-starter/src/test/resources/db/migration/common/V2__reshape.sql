ALTER TABLE account ADD COLUMN region_id INT;
ALTER TABLE account ADD CONSTRAINT fk_account_region FOREIGN KEY (region_id) REFERENCES region (id);
ALTER TABLE account ALTER COLUMN name SET DATA TYPE VARCHAR(200);
ALTER TABLE region RENAME COLUMN label TO region_label;
COMMENT ON TABLE account IS 'customer accounts';
CREATE INDEX ON account (email);
DROP TABLE IF EXISTS legacy_account;
