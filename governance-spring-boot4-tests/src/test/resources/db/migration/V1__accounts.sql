CREATE TABLE account (id INT PRIMARY KEY, name VARCHAR(50));
CREATE TABLE legacy (id INT PRIMARY KEY);
INSERT INTO account (id, name) VALUES (1, 'Ada');
