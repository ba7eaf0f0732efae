INSERT INTO region (id, label) VALUES (1, 'north');
INSERT INTO account (id, name, email, region_id) VALUES (1, 'Ada', 'ada@example.com', 1);
INSERT INTO account (id, name, email, region_id) VALUES (2, 'Grace', 'grace@example.com', 1);
