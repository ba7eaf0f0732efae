GRANT SELECT ON app2_customer_names TO PUBLIC;
