ALTER TABLE account ADD COLUMN region_id INT;
ALTER TABLE account ADD CONSTRAINT fk_account_region FOREIGN KEY (region_id) REFERENCES region (id);
ALTER TABLE account MODIFY COLUMN name VARCHAR(200);
ALTER TABLE region RENAME COLUMN label TO region_label;
ALTER TABLE account COMMENT = 'customer accounts';
CREATE INDEX account_email ON account (email);
DROP TABLE IF EXISTS legacy_account;
