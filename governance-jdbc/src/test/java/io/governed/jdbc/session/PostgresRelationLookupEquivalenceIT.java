package io.governed.jdbc.session;

import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The relation lookup (PostgresSessionReader.RELATIONS) is rewritten for cost only: for every relation of a catalog
 * holding each kind of thing its answers describe (tables, views over views, a materialized view, partitions of
 * partitions, inheritance, triggers with conditions, rules, row security, domains over domains and arrays of them,
 * foreign keys with and without actions, defaults, generated columns, checks through a user operator, index
 * expressions, extended statistics, mixed-case names, dropped columns, a name in two schemas, the system's own
 * relations), its rows are those of the text it replaced, kept here as REFERENCE, column by column, on and off the
 * session's path.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRelationLookupEquivalenceIT {
    private static final String APP = UniqueNames.of("pr_rle_app");
    private static final String OTHER = UniqueNames.of("pr_rle_other");

    /** The lookup's text before its pg_constraint test was split in two (the reader's constants written out). */
    private static final String REFERENCE =
            "SELECT n.nspname, c.relname, CASE WHEN c.relkind OPERATOR(pg_catalog.=) ANY"
            + " ('{r,p,S}'::pg_catalog.\"char\"[]) THEN NOT c.relhasrules AND NOT c.relrowsecurity  WHEN"
            + " c.relkind OPERATOR(pg_catalog.=) 'm' THEN NOT c.relrowsecurity  ELSE false END AS read_plain,"
            + " c.relkind OPERATOR(pg_catalog.=) 'r' AND NOT c.relhasrules AND NOT c.relrowsecurity AND NOT"
            + " c.relhassubclass AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g WHERE g.tgrelid"
            + " OPERATOR(pg_catalog.=) c.oid AND NOT g.tgisinternal OFFSET 0) AND NOT EXISTS (SELECT 1 FROM"
            + " pg_catalog.pg_constraint f WHERE f.confrelid OPERATOR(pg_catalog.=) c.oid AND f.contype"
            + " OPERATOR(pg_catalog.=) 'f'   AND (NOT (f.confdeltype OPERATOR(pg_catalog.=) ANY"
            + " ('{a,r}'::pg_catalog.\"char\"[]))    OR NOT (f.confupdtype OPERATOR(pg_catalog.=) ANY"
            + " ('{a,r}'::pg_catalog.\"char\"[])))) AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN"
            + " pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid   WHERE a.attrelid"
            + " OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped AND"
            + " t.typtype OPERATOR(pg_catalog.=) 'd' OFFSET 0) AS write_plain, CASE WHEN m.meant THEN (SELECT"
            + " pg_catalog.string_agg(pg_catalog.pg_get_expr(d.adbin, d.adrelid), ' , ') FROM"
            + " pg_catalog.pg_attrdef d   WHERE d.adrelid OPERATOR(pg_catalog.=) c.oid) END AS defaults, CASE"
            + " WHEN m.meant THEN (SELECT pg_catalog.string_agg(pg_catalog.pg_get_constraintdef(k.oid), ' , ')"
            + " FROM pg_catalog.pg_constraint k   WHERE k.conrelid OPERATOR(pg_catalog.=) c.oid AND k.contype"
            + " OPERATOR(pg_catalog.=) 'c') END AS checks, CASE WHEN m.meant AND c.relkind"
            + " OPERATOR(pg_catalog.=) 'm' THEN pg_catalog.pg_get_viewdef(c.oid) END AS view_definition,"
            + " NULL::pg_catalog.text AS view_definitions, up.schemas, up.names, up.depth, down.schemas,"
            + " down.names, down.depth, w.schemas, w.names, EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite r"
            + " WHERE r.ev_class OPERATOR(pg_catalog.=) c.oid AND r.ev_type OPERATOR(pg_catalog.<>) '1' OFFSET"
            + " 0) AS write_rules, c.relkind, rs.schemas, rs.names, w.events, m.meant, c.oid FROM"
            + " pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=)"
            + " c.relnamespace CROSS JOIN LATERAL (SELECT n.nspname OPERATOR(pg_catalog.=) ANY"
            + " (pg_catalog.current_schemas(true))  OR n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY"
            + " (CAST((SELECT ?::pg_catalog.text[]) AS pg_catalog.text[])) AS meant) m LEFT JOIN LATERAL (WITH"
            + " RECURSIVE a(parent, depth) AS (   SELECT i.inhparent, 1 FROM pg_catalog.pg_inherits i WHERE"
            + " i.inhrelid OPERATOR(pg_catalog.=) c.oid   UNION ALL SELECT i.inhparent, a.depth"
            + " OPERATOR(pg_catalog.+) 1 FROM pg_catalog.pg_inherits i JOIN a ON i.inhrelid"
            + " OPERATOR(pg_catalog.=) a.parent   WHERE a.depth OPERATOR(pg_catalog.<) 32)  SELECT"
            + " pg_catalog.array_agg(pn.nspname::pg_catalog.text ORDER BY a.depth) AS schemas,  "
            + " pg_catalog.array_agg(pc.relname::pg_catalog.text ORDER BY a.depth) AS names,"
            + " pg_catalog.max(a.depth) AS depth  FROM a JOIN pg_catalog.pg_class pc ON pc.oid"
            + " OPERATOR(pg_catalog.=) a.parent  JOIN pg_catalog.pg_namespace pn ON pn.oid"
            + " OPERATOR(pg_catalog.=) pc.relnamespace) up ON true LEFT JOIN LATERAL (WITH RECURSIVE d(child,"
            + " depth) AS (   SELECT i.inhrelid, 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent"
            + " OPERATOR(pg_catalog.=) c.oid   UNION ALL SELECT i.inhrelid, d.depth OPERATOR(pg_catalog.+) 1"
            + " FROM pg_catalog.pg_inherits i JOIN d ON i.inhparent OPERATOR(pg_catalog.=) d.child   WHERE"
            + " d.depth OPERATOR(pg_catalog.<) 32)  SELECT pg_catalog.array_agg(dn.nspname::pg_catalog.text"
            + " ORDER BY d.depth) AS schemas,   pg_catalog.array_agg(dc.relname::pg_catalog.text ORDER BY"
            + " d.depth) AS names, pg_catalog.max(d.depth) AS depth  FROM d JOIN pg_catalog.pg_class dc ON"
            + " dc.oid OPERATOR(pg_catalog.=) d.child  JOIN pg_catalog.pg_namespace dn ON dn.oid"
            + " OPERATOR(pg_catalog.=) dc.relnamespace) down ON true LEFT JOIN LATERAL (WITH RECURSIVE ty(oid)"
            + " AS (   SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE a.attrelid"
            + " OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0   AND NOT a.attisdropped  "
            + " UNION SELECT CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN t.typbasetype ELSE t.typelem"
            + " END FROM pg_catalog.pg_type t   JOIN ty ON t.oid OPERATOR(pg_catalog.=) ty.oid WHERE t.typtype"
            + " OPERATOR(pg_catalog.=) 'd' OR t.typelem OPERATOR(pg_catalog.<>) 0),  code(classid, objid,"
            + " events) AS (   SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, ad.oid, 223 FROM"
            + " pg_catalog.pg_attrdef ad    WHERE ad.adrelid OPERATOR(pg_catalog.=) c.oid   UNION ALL SELECT"
            + " 'pg_catalog.pg_constraint'::pg_catalog.regclass, k.oid, 223    FROM pg_catalog.pg_constraint k"
            + " WHERE k.conrelid OPERATOR(pg_catalog.=) c.oid OR k.contypid OPERATOR(pg_catalog.=) ANY (SELECT"
            + " oid FROM ty)   UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, ty.oid, 223 FROM ty"
            + "   UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, i.indexrelid, 223    FROM"
            + " pg_catalog.pg_index i WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid OR i.indexrelid"
            + " OPERATOR(pg_catalog.=) c.oid   UNION ALL SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass,"
            + " g.oid, g.tgtype::int OPERATOR(pg_catalog.&) 60    OPERATOR(pg_catalog.|) 128 FROM"
            + " pg_catalog.pg_trigger g WHERE g.tgrelid OPERATOR(pg_catalog.=) c.oid   UNION ALL SELECT"
            + " 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, x.oid, 128    FROM"
            + " pg_catalog.pg_statistic_ext x WHERE x.stxrelid OPERATOR(pg_catalog.=) c.oid   UNION ALL SELECT"
            + " 'pg_catalog.pg_rewrite'::pg_catalog.regclass, r.oid, 223    FROM pg_catalog.pg_rewrite r WHERE"
            + " r.ev_class OPERATOR(pg_catalog.=) c.oid AND r.rulename OPERATOR(pg_catalog.<>) '_RETURN'), "
            + " used(oid, events) AS (   SELECT d.refobjid, code.events FROM pg_catalog.pg_depend d    JOIN"
            + " code ON d.classid OPERATOR(pg_catalog.=) code.classid AND d.objid OPERATOR(pg_catalog.=)"
            + " code.objid    WHERE d.refclassid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_proc'::pg_catalog.regclass   UNION SELECT o.oprcode::pg_catalog.oid,"
            + " code.events FROM pg_catalog.pg_depend d    JOIN code ON d.classid OPERATOR(pg_catalog.=)"
            + " code.classid AND d.objid OPERATOR(pg_catalog.=) code.objid    JOIN pg_catalog.pg_operator o ON"
            + " d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass     AND"
            + " o.oid OPERATOR(pg_catalog.=) d.refobjid   UNION SELECT g.tgfoid, g.tgtype::int"
            + " OPERATOR(pg_catalog.&) 60 FROM pg_catalog.pg_trigger g    WHERE g.tgrelid"
            + " OPERATOR(pg_catalog.=) c.oid)  SELECT pg_catalog.array_agg(wn.nspname::pg_catalog.text) AS"
            + " schemas, pg_catalog.array_agg(wp.proname::pg_catalog.text) AS names,  "
            + " pg_catalog.array_agg(CASE WHEN wp.prorettype OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.trigger'::pg_catalog.regtype    THEN u.events OPERATOR(pg_catalog.&) (-129) ELSE"
            + " u.events END) AS events  FROM (SELECT used.oid, pg_catalog.bit_or(used.events) AS events FROM"
            + " used GROUP BY used.oid) u  JOIN pg_catalog.pg_proc wp ON wp.oid OPERATOR(pg_catalog.=) u.oid"
            + " JOIN pg_catalog.pg_namespace wn ON wn.oid OPERATOR(pg_catalog.=) wp.pronamespace  WHERE wp.oid"
            + " OPERATOR(pg_catalog.>=) 16384) w ON true LEFT JOIN LATERAL (WITH pd(refclassid, refobjid) AS ("
            + "   SELECT d.refclassid, d.refobjid FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_depend d   "
            + " ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid"
            + " OPERATOR(pg_catalog.=) pol.oid   WHERE c.relrowsecurity AND pol.polrelid"
            + " OPERATOR(pg_catalog.=) c.oid)  SELECT pg_catalog.array_agg(sn.nspname::pg_catalog.text) AS"
            + " schemas, pg_catalog.array_agg(sp.proname::pg_catalog.text) AS names  FROM pg_catalog.pg_proc"
            + " sp JOIN pg_catalog.pg_namespace sn ON sn.oid OPERATOR(pg_catalog.=) sp.pronamespace  WHERE"
            + " sp.oid OPERATOR(pg_catalog.>=) 16384 AND sp.oid OPERATOR(pg_catalog.=) ANY (   SELECT"
            + " pd.refobjid FROM pd WHERE pd.refclassid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_proc'::pg_catalog.regclass   UNION SELECT o.oprcode::pg_catalog.oid FROM pd"
            + " JOIN pg_catalog.pg_operator o    ON pd.refclassid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid OPERATOR(pg_catalog.=) pd.refobjid))"
            + " rs ON true WHERE c.relname OPERATOR(pg_catalog.=) ANY (CAST((SELECT ?::pg_catalog.text[]) AS"
            + " pg_catalog.text[]))";
    @BeforeAll
    static void catalog() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + APP);
            s.execute("CREATE SCHEMA " + OTHER);
            String a = APP + ".";
            String o = OTHER + ".";
            s.execute("CREATE FUNCTION " + a + "f_pos(i INT) RETURNS BOOLEAN IMMUTABLE LANGUAGE sql AS 'SELECT i > 0'");
            s.execute("CREATE FUNCTION " + a + "f_twice(i INT) RETURNS INT IMMUTABLE LANGUAGE sql AS 'SELECT i * 2'");
            s.execute("CREATE FUNCTION " + a + "f_note() RETURNS TEXT LANGUAGE sql AS 'SELECT ''n'''");
            s.execute("CREATE FUNCTION " + a + "f_same(x INT, y INT) RETURNS BOOLEAN IMMUTABLE LANGUAGE sql"
                    + " AS 'SELECT x = y'");
            s.execute("CREATE OPERATOR " + a + "=== (LEFTARG = INT, RIGHTARG = INT, FUNCTION = " + a + "f_same)");
            s.execute("CREATE FUNCTION " + a + "f_trig() RETURNS TRIGGER LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'");
            s.execute("CREATE DOMAIN " + a + "pos AS INT CHECK (" + a + "f_pos(VALUE))");
            s.execute("CREATE DOMAIN " + a + "pos2 AS " + a + "pos CHECK (VALUE < 1000)");
            s.execute("CREATE TYPE " + a + "mood AS ENUM ('low', 'high')");
            s.execute("CREATE TYPE " + a + "pair AS (x INT, y " + a + "pos)");
            s.execute("CREATE TABLE " + a + "t (id INT PRIMARY KEY, note TEXT DEFAULT 'x')");
            s.execute("CREATE TABLE " + a + "\"MixedCase\" (id INT, gone INT, \"Note\" TEXT DEFAULT " + a + "f_note())");
            s.execute("ALTER TABLE " + a + "\"MixedCase\" DROP COLUMN gone");
            s.execute("CREATE TABLE " + a + "dom_t (id INT, p " + a + "pos, p2 " + a + "pos2, ps " + a + "pos[], m "
                    + a + "mood, pr " + a + "pair)");
            // a domain over a domain with two constraints, one added later (ALTER DOMAIN), in an array's element
            s.execute("CREATE DOMAIN " + a + "pos3 AS " + a + "pos2 CHECK (VALUE <> 5)");
            s.execute("ALTER DOMAIN " + a + "pos3 ADD CONSTRAINT pos3_twice CHECK (" + a + "f_twice(VALUE) > 0)");
            s.execute("CREATE TABLE " + a + "dom3_t (id INT, p " + a + "pos3[], d INT DEFAULT " + a + "f_twice(2))");
            s.execute("ALTER TABLE " + a + "dom3_t DROP COLUMN id");
            s.execute("ALTER TABLE " + a + "dom3_t ADD COLUMN e INT DEFAULT 3");
            s.execute("CREATE TABLE " + a + "fk_parent (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE " + a + "fk_cascade (id INT REFERENCES " + a + "fk_parent ON DELETE CASCADE)");
            s.execute("CREATE TABLE " + a + "fk_plain_parent (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE " + a + "fk_plain (id INT REFERENCES " + a + "fk_plain_parent)");
            // a self-referencing foreign key, a partitioned table's to a table of the other schema (its partition's
            // constraint row has conparentid), a foreign key to a partitioned table (one row per partition referenced)
            s.execute("CREATE TABLE " + a + "fk_self (id INT PRIMARY KEY, up INT REFERENCES " + a
                    + "fk_self ON DELETE SET NULL)");
            s.execute("CREATE TABLE " + o + "fk_far (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE " + a + "fk_part (id INT, far INT REFERENCES " + o
                    + "fk_far ON UPDATE CASCADE) PARTITION BY LIST (id)");
            s.execute("CREATE TABLE " + a + "fk_part_1 PARTITION OF " + a + "fk_part FOR VALUES IN (1)");
            s.execute("CREATE TABLE " + a + "fk_pparent (k INT PRIMARY KEY) PARTITION BY RANGE (k)");
            s.execute("CREATE TABLE " + a + "fk_pparent_1 PARTITION OF " + a + "fk_pparent FOR VALUES FROM (0) TO (10)");
            s.execute("CREATE TABLE " + a + "fk_to_part (k INT REFERENCES " + a + "fk_pparent ON DELETE CASCADE)");
            s.execute("CREATE TABLE " + a + "trig_t (id INT)");
            s.execute("CREATE TRIGGER trig_t_b BEFORE INSERT OR UPDATE ON " + a + "trig_t FOR EACH ROW WHEN ("
                    + a + "f_pos(NEW.id)) EXECUTE FUNCTION " + a + "f_trig()");
            s.execute("CREATE TABLE " + a + "rule_t (id INT)");
            s.execute("CREATE RULE rule_t_also AS ON INSERT TO " + a + "rule_t DO ALSO SELECT " + a + "f_twice(NEW.id)");
            s.execute("CREATE TABLE " + a + "rls_t (id INT)");
            s.execute("ALTER TABLE " + a + "rls_t ENABLE ROW LEVEL SECURITY");
            s.execute("CREATE POLICY rls_t_p ON " + a + "rls_t USING (" + a + "f_pos(id))");
            s.execute("CREATE TABLE " + a + "gen_t (id INT, d INT GENERATED ALWAYS AS (" + a + "f_twice(id)) STORED,"
                    + " CHECK (id OPERATOR(" + a + "===) id))");
            s.execute("CREATE TABLE " + a + "idx_t (id INT, note TEXT)");
            s.execute("CREATE INDEX idx_t_twice ON " + a + "idx_t ((" + a + "f_twice(id)))");
            s.execute("CREATE INDEX idx_t_part ON " + a + "idx_t (note) WHERE " + a + "f_pos(id)");
            s.execute("CREATE TABLE " + a + "stx_t (id INT, n INT)");
            s.execute("CREATE STATISTICS " + a + "stx_t_s ON (" + a + "f_twice(id)), n FROM " + a + "stx_t");
            s.execute("CREATE TABLE " + a + "part (id INT, k INT) PARTITION BY RANGE (k)");
            s.execute("CREATE TABLE " + a + "part_1 PARTITION OF " + a + "part FOR VALUES FROM (0) TO (10)");
            s.execute("CREATE TABLE " + a + "part_2 PARTITION OF " + a + "part FOR VALUES FROM (10) TO (20)"
                    + " PARTITION BY RANGE (id)");
            s.execute("CREATE TABLE " + a + "part_2a PARTITION OF " + a + "part_2 FOR VALUES FROM (0) TO (100)");
            s.execute("CREATE TABLE " + a + "inh_parent (id INT CHECK (id > 0))");
            s.execute("CREATE TABLE " + a + "inh_child (extra TEXT) INHERITS (" + a + "inh_parent)");
            s.execute("CREATE VIEW " + a + "v AS SELECT id, note FROM " + a + "t");
            s.execute("CREATE VIEW " + a + "vv AS SELECT id FROM " + a + "v");
            s.execute("CREATE VIEW " + a + "v_calls AS SELECT " + a + "f_twice(id) AS d FROM " + a + "t");
            s.execute("CREATE MATERIALIZED VIEW " + a + "mv AS SELECT id FROM " + a + "t");
            s.execute("CREATE SEQUENCE " + a + "seq");
            s.execute("CREATE TABLE " + o + "t (id INT DEFAULT " + a + "f_twice(1))");
            s.execute("CREATE VIEW " + o + "fk_parent AS SELECT 1 AS id");
            s.execute("CREATE TABLE " + o + "dom_t (p " + a + "pos2)");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + OTHER + ", " + APP + " CASCADE");
        }
    }

    @Test
    void everyRelationIsDescribedAsTheReferenceTextDescribesIt() throws SQLException {
        try (Connection c = raw()) {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN (?, ?)")) {
                s.setString(1, APP);
                s.setString(2, OTHER);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            names.addAll(List.of("pg_class", "pg_type", "pg_views", "tables", "no_such_relation"));
            for (List<String> schemas : List.of(List.<String>of(), List.of(OTHER), List.of(APP, OTHER))) {
                List<String> now = rows(c, PostgresSessionReader.RELATIONS, schemas, names);
                List<String> before = rows(c, REFERENCE, schemas, names);
                assertThat(now).containsExactlyElementsOf(before);
                // the relations of the two schemas (their indexes too) and the system's among them
                assertThat(before).hasSizeGreaterThan(names.size());
                assertThat(before).anyMatch(r -> r.startsWith(APP + "|MixedCase|"));
                assertThat(before).anyMatch(r -> r.startsWith("pg_catalog|pg_class|"));
            }
        }
    }

    /** {@code query}'s rows for {@code names}, each its columns' text joined by '|', sorted. */
    private static List<String> rows(Connection c, String query, List<String> schemas, List<String> names)
            throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(query)) {
            Array inSchemas = c.createArrayOf("text", schemas.toArray());
            Array array = c.createArrayOf("text", names.toArray());
            s.setArray(1, inSchemas);
            s.setArray(2, array);
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(i == 1 ? "" : "|").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    private static Connection raw() throws SQLException {
        Connection c = TestDatabase.POSTGRESQL.connectRaw();
        c.setSchema(APP); // the session's path: the lookup's "meant" relations are those of APP and pg_catalog
        return c;
    }
}
