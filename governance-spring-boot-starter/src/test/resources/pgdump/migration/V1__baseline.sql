--
-- PostgreSQL database dump
--

\restrict surP9mlNzQBlm5QqSDK0hC0YsZDYryBEkAAlAYAL2QpFGJbYjthfoUIFjnzYTsX

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: email_address; Type: DOMAIN; Schema: app; Owner: postgres
--

CREATE DOMAIN app.email_address AS text
	CONSTRAINT email_address_check CHECK ((VALUE ~~ '%@%'::text));


ALTER DOMAIN app.email_address OWNER TO postgres;

--
-- Name: order_status; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app.order_status AS ENUM (
    'new',
    'paid',
    'shipped'
);


ALTER TYPE app.order_status OWNER TO postgres;

--
-- Name: order_total_with_tax(numeric); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.order_total_with_tax(total numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT total * 1.2 $$;


ALTER FUNCTION app.order_total_with_tax(total numeric) OWNER TO postgres;

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;


ALTER FUNCTION app.touch_updated_at() OWNER TO postgres;

--
-- Name: FUNCTION touch_updated_at(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.touch_updated_at() IS 'Keeps updated_at current';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: events; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.events (
    id integer NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    payload text
);


ALTER TABLE app.events OWNER TO postgres;

--
-- Name: audit_events; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.audit_events (
    actor text
)
INHERITS (app.events);


ALTER TABLE app.audit_events OWNER TO postgres;

--
-- Name: customers; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.customers (
    id integer NOT NULL,
    tenant_id integer NOT NULL,
    email app.email_address NOT NULL,
    name text NOT NULL,
    ssn text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT customers_name_nonempty CHECK ((name <> ''::text))
);


ALTER TABLE app.customers OWNER TO postgres;

--
-- Name: TABLE customers; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.customers IS 'People who order';


--
-- Name: COLUMN customers.ssn; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.customers.ssn IS 'Social security number';


--
-- Name: orders; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.orders (
    id bigint NOT NULL,
    number bigint NOT NULL,
    customer_id integer NOT NULL,
    status app.order_status DEFAULT 'new'::app.order_status NOT NULL,
    total numeric(12,2) NOT NULL,
    note text,
    updated_at timestamp with time zone,
    CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric))
);


ALTER TABLE app.orders OWNER TO postgres;

--
-- Name: customer_totals; Type: VIEW; Schema: app; Owner: postgres
--

CREATE VIEW app.customer_totals AS
 SELECT c.id,
    c.name,
    sum(o.total) AS total
   FROM (app.customers c
     LEFT JOIN app.orders o ON ((o.customer_id = c.id)))
  GROUP BY c.id, c.name;


ALTER TABLE app.customer_totals OWNER TO postgres;

--
-- Name: customers_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

CREATE SEQUENCE app.customers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE app.customers_id_seq OWNER TO postgres;

--
-- Name: customers_id_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: postgres
--

ALTER SEQUENCE app.customers_id_seq OWNED BY app.customers.id;


--
-- Name: measurements; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.measurements (
    id integer NOT NULL,
    taken_on date NOT NULL,
    value numeric
)
PARTITION BY RANGE (taken_on);


ALTER TABLE app.measurements OWNER TO postgres;

--
-- Name: measurements_2024; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.measurements_2024 (
    id integer NOT NULL,
    taken_on date NOT NULL,
    value numeric
);


ALTER TABLE app.measurements_2024 OWNER TO postgres;

--
-- Name: order_counts; Type: MATERIALIZED VIEW; Schema: app; Owner: postgres
--

CREATE MATERIALIZED VIEW app.order_counts AS
 SELECT orders.customer_id,
    count(*) AS n
   FROM app.orders
  GROUP BY orders.customer_id
  WITH NO DATA;


ALTER TABLE app.order_counts OWNER TO postgres;

--
-- Name: order_number_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

CREATE SEQUENCE app.order_number_seq
    START WITH 1000
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE app.order_number_seq OWNER TO postgres;

--
-- Name: order_number_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: postgres
--

ALTER SEQUENCE app.order_number_seq OWNED BY app.orders.number;


--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: measurements_2024; Type: TABLE ATTACH; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.measurements ATTACH PARTITION app.measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: audit_events at; Type: DEFAULT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.audit_events ALTER COLUMN at SET DEFAULT now();


--
-- Name: customers id; Type: DEFAULT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.customers ALTER COLUMN id SET DEFAULT nextval('app.customers_id_seq'::regclass);


--
-- Name: orders number; Type: DEFAULT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders ALTER COLUMN number SET DEFAULT nextval('app.order_number_seq'::regclass);


--
-- Name: customers customers_email_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.customers
    ADD CONSTRAINT customers_email_key UNIQUE (email);


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: customers_lower_email_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX customers_lower_email_idx ON app.customers USING btree (lower((email)::text));


--
-- Name: measurements_taken_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX measurements_taken_idx ON ONLY app.measurements USING btree (taken_on);


--
-- Name: measurements_2024_taken_on_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX measurements_2024_taken_on_idx ON app.measurements_2024 USING btree (taken_on);


--
-- Name: orders_number_key; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX orders_number_key ON app.orders USING btree (number);


--
-- Name: orders_open_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX orders_open_idx ON app.orders USING btree (customer_id) WHERE (status <> 'shipped'::app.order_status);


--
-- Name: measurements_2024_taken_on_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.measurements_taken_idx ATTACH PARTITION app.measurements_2024_taken_on_idx;


--
-- Name: orders orders_touch; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: orders orders_customer_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES app.customers(id) ON DELETE CASCADE;


--
-- Name: SCHEMA app; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA app TO pgd_reader;


--
-- Name: TABLE orders; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT,INSERT ON TABLE app.orders TO pgd_reader;


--
-- Name: TABLE customer_totals; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.customer_totals TO pgd_reader;


--
-- PostgreSQL database dump complete
--

\unrestrict surP9mlNzQBlm5QqSDK0hC0YsZDYryBEkAAlAYAL2QpFGJbYjthfoUIFjnzYTsX

