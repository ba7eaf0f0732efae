DROP TABLE account IF EXISTS;
DROP TABLE region IF EXISTS;
CREATE TABLE region (id INT PRIMARY KEY, label VARCHAR(40));
CREATE TABLE account (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), region_id INT);
ALTER TABLE account ADD CONSTRAINT fk_account_region FOREIGN KEY (region_id) REFERENCES region (id);
COMMENT ON TABLE account IS 'customer accounts';
