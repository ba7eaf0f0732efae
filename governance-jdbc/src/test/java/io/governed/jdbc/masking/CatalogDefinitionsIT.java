package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * The definitions the database keeps of defaults, checks, views, indexes, triggers, policies, routines and partitions
 * hold the literals written in them: a default 'sk-...' is in pg_attrdef.adbin as a node tree whose constants are byte
 * lists (":constvalue 8 [ 32 0 0 0 115 107 45 49 ]"), in pg_get_expr's text, in information_schema.columns.column_default,
 * in a view's stored tree and printed definition, in a function's body. A caller a mask applies to (an analyst, an
 * agent) reads each of them through every getter, through a cast to text, through a view or a CTE over them, and must
 * never see such a literal, in text or as the bytes of a node tree; the database is checked raw to hold it, and a
 * caller no mask applies to reads the database's own text.
 */
@ServerWide("MariaDB schemas (databases), server catalogs")
class CatalogDefinitionsIT {
    private static final String SECRET = "sk-ntrQ7secretZ";
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: deny",
            "classification:",
            "  auto-detect: false",
            "  tags:",
            "    pii.email: [\"*.email\"]",
            "rules:",
            "  - id: read-everything",
            "    effect: permit",
            "    actions: [select, call]",
            "    resources: [\"*\"]",
            "masks:",
            "  - id: mask-email",
            "    columns: { tags: [pii.email] }",
            "    function: email",
            "    unless: { groups: [pii-readers] }",
            "");
    /** A mask applies. */
    private static final Identity ANALYST = Identity.builder("ann").groups("analysts").build();
    /** A mask applies, and its deny-inference (agents, by default) names the caller's kind. */
    private static final Identity AGENT = Identity.builder("bot").kind(io.governed.identity.IdentityKind.AGENT)
            .groups("analysts").build();
    /** No mask applies. */
    private static final Identity READER = Identity.builder("pat").groups("pii-readers").build();

    /** The secret as text, and as the decimal bytes a node tree prints a constant's datum in. */
    static List<String> forms() {
        StringBuilder bytes = new StringBuilder();
        for (byte b : SECRET.getBytes(StandardCharsets.UTF_8)) {
            bytes.append(bytes.length() == 0 ? "" : " ").append(b & 0xff);
        }
        // a fragment long enough to be the secret, short enough to survive a datum's header around it
        return List.of(SECRET, SECRET.substring(3), bytes.toString());
    }

    static boolean holdsSecret(String text) {
        if (text == null) {
            return false;
        }
        for (String form : forms()) {
            if (text.contains(form)) {
                return true;
            }
        }
        return false;
    }

    abstract static class OnServer {
        final String schema = UniqueNames.of("ntr_defs");
        Connection raw;
        GovernedDataSource governed;

        abstract TestDatabase database();

        abstract DataSource dataSource();

        abstract void create(Statement s) throws SQLException;

        abstract void dropAll(Statement s) throws SQLException;

        /** Label to query (with %s for the schema) reading a definition that holds the secret. */
        abstract Map<String, String> definitionQueries();

        @BeforeEach
        void objects() throws Exception {
            TestDatabase db = database();
            raw = DriverManager.getConnection(db.rawUrl(), db.user(), db.password());
            try (Statement s = raw.createStatement()) {
                create(s);
            }
            governed = new GovernedDataSource(dataSource(), Governance.builder().withoutAudit()
                    .policy(PolicyLoader.fromString("catalog-definitions.yaml", POLICY)).build());
        }

        @AfterEach
        void drop() throws SQLException {
            try (Statement s = raw.createStatement()) {
                dropAll(s);
            }
            raw.close();
        }

        String sql(String query) {
            return query.replace("%s", schema);
        }

        /** Every value every getter returns, as text (bytes as UTF-8). */
        static List<String> everyGetter(Connection c, String sql) throws SQLException, IOException {
            List<String> seen = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        seen.add(rs.getString(i));
                        Object o = rs.getObject(i);
                        seen.add(o == null ? null : o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                                : o instanceof Object[] a ? java.util.Arrays.deepToString(a)
                                : o instanceof java.sql.Array a ? java.util.Arrays.deepToString((Object[]) a.getArray())
                                : o.toString());
                        try {
                            byte[] b = rs.getBytes(i);
                            seen.add(b == null ? null : new String(b, StandardCharsets.UTF_8));
                        } catch (SQLException notBytes) {
                            // the type has no bytes form on this driver
                        }
                        try (Reader r = rs.getCharacterStream(i)) {
                            if (r != null) {
                                StringBuilder text = new StringBuilder();
                                char[] buf = new char[4096];
                                for (int n; (n = r.read(buf)) > 0; ) {
                                    text.append(buf, 0, n);
                                }
                                seen.add(text.toString());
                            }
                        } catch (SQLException notText) {
                            // no character stream of this type
                        }
                        try (InputStream in = rs.getAsciiStream(i)) {
                            if (in != null) {
                                seen.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                            }
                        } catch (SQLException notText) {
                            // no ASCII stream of this type
                        }
                    }
                }
            }
            return seen;
        }

        /** What {@code identity} reads of {@code sql}: its values, or the refusal's SQLState prefixed with "refused ". */
        List<String> readAs(Identity identity, String sql) throws SQLException {
            List<List<String>> out = new ArrayList<>();
            IdentityContext.runAs(identity, () -> {
                try (Connection c = governed.getConnection()) {
                    out.add(everyGetter(c, sql));
                } catch (SQLException e) {
                    assertThat(e.getMessage()).as("the refusal's message").satisfies(m -> assertThat(holdsSecret(m)).isFalse());
                    out.add(List.of("refused " + e.getSQLState()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            return out.get(0);
        }

        @Test
        void noDefinitionHandsALiteralToAMaskedCallerAndTheUnmaskedReadTheDatabasesOwn() throws Exception {
            Map<String, String> leaks = new LinkedHashMap<>();
            List<String> unmaskedMissing = new ArrayList<>();
            for (Map.Entry<String, String> q : definitionQueries().entrySet()) {
                String query = sql(q.getValue());
                List<String> truth = everyGetter(raw, query);
                assertThat(truth.stream().anyMatch(CatalogDefinitionsIT::holdsSecret)).as("the database holds the secret in "
                        + q.getKey() + ": " + query).isTrue();
                List<String> masked = readAs(ANALYST, query);
                if (masked.stream().anyMatch(CatalogDefinitionsIT::holdsSecret)) {
                    leaks.put(q.getKey(), query);
                }
                List<String> unmasked = readAs(READER, query);
                if (unmasked.stream().noneMatch(CatalogDefinitionsIT::holdsSecret)) {
                    unmaskedMissing.add(q.getKey() + " " + unmasked);
                }
            }
            System.out.println("[" + getClass().getSimpleName() + "] leaked to the masked caller: " + leaks.keySet()
                    + "; not shown to the unmasked caller: " + unmaskedMissing);
            assertThat(leaks).as("definitions that hand a literal to a caller a mask applies to").isEmpty();
            assertThat(unmaskedMissing).as("a caller no mask applies to reads the database's own definitions").isEmpty();
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.POSTGRESQL)
    class PostgreSql extends OnServer {
        @Override
        TestDatabase database() {
            return TestDatabase.POSTGRESQL;
        }

        @Override
        DataSource dataSource() {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(database().rawUrl());
            pg.setUser(database().user());
            return pg;
        }

        @Override
        void create(Statement s) throws SQLException {
            String l = "'" + SECRET + "'";
            s.execute("CREATE SCHEMA " + schema);
            String t = schema + ".t";
            s.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, email text, note text DEFAULT " + l
                    + " CHECK (note <> " + l + " || 'x'))");
            s.execute("INSERT INTO " + t + " VALUES (1, 'a@b.example', 'n')");
            s.execute("ALTER TABLE " + t + " ADD COLUMN late text DEFAULT " + l);
            s.execute("CREATE INDEX ON " + t + " ((note || " + l + ")) WHERE note <> " + l);
            s.execute("CREATE VIEW " + schema + ".v AS SELECT id FROM " + t + " WHERE note = " + l);
            s.execute("CREATE RULE r AS ON UPDATE TO " + t + " WHERE new.note = " + l + " DO INSTEAD NOTHING");
            s.execute("CREATE FUNCTION " + schema + ".trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF new.note = " + l + " THEN RETURN NULL; END IF; RETURN new; END $$");
            s.execute("CREATE TRIGGER tg BEFORE UPDATE ON " + t + " FOR EACH ROW WHEN (new.note = " + l
                    + ") EXECUTE FUNCTION " + schema + ".trg()");
            s.execute("CREATE POLICY p ON " + t + " USING (note <> " + l + ") WITH CHECK (email <> " + l + ")");
            s.execute("CREATE FUNCTION " + schema + ".f(a text DEFAULT " + l + ") RETURNS text LANGUAGE sql RETURN a || "
                    + l);
            s.execute("CREATE STATISTICS " + schema + ".st ON (note || " + l + "), id FROM " + t);
            s.execute("CREATE TABLE " + schema + ".pt (k text) PARTITION BY LIST ((k || " + l + "))");
            s.execute("CREATE TABLE " + schema + ".pt1 PARTITION OF " + schema + ".pt FOR VALUES IN (" + l + ")");
            s.execute("CREATE DOMAIN " + schema + ".sdom AS text DEFAULT " + l + " CHECK (VALUE <> " + l + " || 'y')");
            s.execute("CREATE AGGREGATE " + schema + ".agg(text) (sfunc = textcat, stype = text, initcond = " + l + ")");
        }

        @Override
        void dropAll(Statement s) throws SQLException {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }

        @Override
        Map<String, String> definitionQueries() {
            String rel = "'%s.t'::regclass";
            Map<String, String> q = new LinkedHashMap<>();
            q.put("pg_attrdef.adbin", "SELECT adbin FROM pg_catalog.pg_attrdef WHERE adrelid = " + rel);
            q.put("pg_attrdef.adbin unqualified", "SELECT adbin FROM pg_attrdef WHERE adrelid = " + rel);
            q.put("pg_attrdef *", "SELECT * FROM pg_catalog.pg_attrdef WHERE adrelid = " + rel);
            q.put("adbin::text", "SELECT adbin::text FROM pg_catalog.pg_attrdef WHERE adrelid = " + rel);
            q.put("CAST(adbin AS varchar)", "SELECT CAST(adbin AS varchar) AS x FROM pg_catalog.pg_attrdef WHERE adrelid = " + rel);
            q.put("upper(adbin::text)", "SELECT lower(upper(adbin::text)) FROM pg_catalog.pg_attrdef WHERE adrelid = " + rel);
            q.put("adbin through a CTE", "WITH cte_defaults AS (SELECT adbin AS x FROM pg_catalog.pg_attrdef WHERE adrelid = " + rel
                    + ") SELECT x FROM cte_defaults");
            q.put("adbin through a derived table", "SELECT x FROM (SELECT adbin AS x, adrelid FROM pg_catalog.pg_attrdef) derived"
                    + " WHERE adrelid = " + rel);
            q.put("adbin through a view", "SELECT x FROM %s.defs");
            q.put("pg_get_expr", "SELECT pg_get_expr(adbin, adrelid) FROM pg_catalog.pg_attrdef WHERE adrelid = " + rel);
            q.put("information_schema.columns.column_default", "SELECT column_default FROM information_schema.columns"
                    + " WHERE table_schema = '%s' AND table_name = 't' AND column_name = 'note'");
            q.put("pg_attribute.attmissingval", "SELECT attmissingval FROM pg_catalog.pg_attribute WHERE attrelid = " + rel
                    + " AND attname = 'late'");
            q.put("pg_constraint.conbin", "SELECT conbin FROM pg_catalog.pg_constraint WHERE conrelid = " + rel
                    + " AND contype = 'c'");
            q.put("pg_get_constraintdef", "SELECT pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE conrelid = "
                    + rel + " AND contype = 'c'");
            q.put("information_schema.check_constraints", "SELECT check_clause FROM information_schema.check_constraints"
                    + " WHERE constraint_schema = '%s'");
            q.put("pg_index.indexprs", "SELECT indexprs FROM pg_catalog.pg_index WHERE indrelid = " + rel
                    + " AND indexprs IS NOT NULL");
            q.put("pg_index.indpred", "SELECT indpred FROM pg_catalog.pg_index WHERE indrelid = " + rel
                    + " AND indpred IS NOT NULL");
            q.put("pg_get_indexdef", "SELECT pg_get_indexdef(indexrelid) FROM pg_catalog.pg_index WHERE indrelid = " + rel
                    + " AND indpred IS NOT NULL");
            q.put("pg_indexes.indexdef", "SELECT indexdef FROM pg_catalog.pg_indexes WHERE schemaname = '%s'");
            q.put("pg_rewrite.ev_action", "SELECT ev_action FROM pg_catalog.pg_rewrite WHERE ev_class = '%s.v'::regclass");
            q.put("pg_rewrite.ev_qual", "SELECT ev_qual FROM pg_catalog.pg_rewrite WHERE ev_class = " + rel);
            q.put("pg_rules.definition", "SELECT definition FROM pg_catalog.pg_rules WHERE schemaname = '%s'");
            q.put("pg_views.definition", "SELECT definition FROM pg_catalog.pg_views WHERE schemaname = '%s'");
            q.put("pg_get_viewdef", "SELECT pg_get_viewdef('%s.v'::regclass)");
            q.put("pg_get_viewdef by name", "SELECT pg_get_viewdef('%s.v')");
            q.put("information_schema.views", "SELECT view_definition FROM information_schema.views WHERE table_schema = '%s'");
            q.put("pg_trigger.tgqual", "SELECT tgqual FROM pg_catalog.pg_trigger WHERE tgrelid = " + rel);
            q.put("pg_get_triggerdef", "SELECT pg_get_triggerdef(oid) FROM pg_catalog.pg_trigger WHERE tgrelid = " + rel);
            q.put("information_schema.triggers", "SELECT action_condition FROM information_schema.triggers"
                    + " WHERE trigger_schema = '%s'");
            q.put("pg_policy.polqual", "SELECT polqual FROM pg_catalog.pg_policy WHERE polrelid = " + rel);
            q.put("pg_policy.polwithcheck", "SELECT polwithcheck FROM pg_catalog.pg_policy WHERE polrelid = " + rel);
            q.put("pg_policies.qual", "SELECT qual, with_check FROM pg_catalog.pg_policies WHERE schemaname = '%s'");
            q.put("pg_proc.proargdefaults", "SELECT proargdefaults FROM pg_catalog.pg_proc WHERE oid = '%s.f'::regproc");
            q.put("pg_proc.prosqlbody", "SELECT prosqlbody FROM pg_catalog.pg_proc WHERE oid = '%s.f'::regproc");
            q.put("pg_proc.prosrc", "SELECT prosrc FROM pg_catalog.pg_proc WHERE oid = '%s.trg'::regproc");
            q.put("pg_get_functiondef", "SELECT pg_get_functiondef('%s.trg'::regproc)");
            q.put("pg_get_function_arguments", "SELECT pg_get_function_arguments('%s.f'::regproc)");
            q.put("information_schema.routines", "SELECT routine_definition FROM information_schema.routines"
                    + " WHERE routine_schema = '%s' AND routine_name = 'trg'");
            q.put("information_schema.parameters", "SELECT parameter_default FROM information_schema.parameters"
                    + " WHERE specific_schema = '%s'");
            q.put("pg_statistic_ext.stxexprs", "SELECT stxexprs FROM pg_catalog.pg_statistic_ext WHERE stxrelid = " + rel);
            q.put("pg_get_statisticsobjdef", "SELECT pg_get_statisticsobjdef(oid) FROM pg_catalog.pg_statistic_ext"
                    + " WHERE stxrelid = " + rel);
            q.put("pg_partitioned_table.partexprs", "SELECT partexprs FROM pg_catalog.pg_partitioned_table"
                    + " WHERE partrelid = '%s.pt'::regclass");
            q.put("pg_get_partkeydef", "SELECT pg_get_partkeydef('%s.pt'::regclass)");
            q.put("pg_class.relpartbound", "SELECT relpartbound FROM pg_catalog.pg_class WHERE oid = '%s.pt1'::regclass");
            q.put("pg_get_expr(relpartbound)", "SELECT pg_get_expr(relpartbound, oid) FROM pg_catalog.pg_class"
                    + " WHERE oid = '%s.pt1'::regclass");
            q.put("pg_type.typdefaultbin", "SELECT typdefaultbin FROM pg_catalog.pg_type WHERE typtype = 'd'"
                    + " AND typnamespace = '%s'::regnamespace");
            q.put("pg_type.typdefault", "SELECT typdefault FROM pg_catalog.pg_type WHERE typtype = 'd'"
                    + " AND typnamespace = '%s'::regnamespace");
            q.put("information_schema.domains", "SELECT domain_default FROM information_schema.domains"
                    + " WHERE domain_schema = '%s'");
            q.put("pg_constraint.conbin of a domain", "SELECT conbin FROM pg_catalog.pg_constraint WHERE contypid <> 0"
                    + " AND connamespace = '%s'::regnamespace");
            q.put("pg_aggregate.agginitval", "SELECT agginitval FROM pg_catalog.pg_aggregate WHERE aggfnoid = '%s.agg'::regproc");
            return q;
        }

        /**
         * A masked agent that cannot read the definition asks about it instead: a condition on the node tree's text that
         * holds only for the right guess. Its mask's deny-inference refuses it, or it answers the right guess as the
         * wrong one (a human analyst, whom deny-inference does not name, may filter on a masked column as on any).
         */
        @Test
        void aConditionOnANodeTreeDoesNotTellTheLiteral() throws Exception {
            String bytes = forms().get(2);
            String ask = "SELECT count(*) FROM pg_catalog.pg_attrdef WHERE adrelid = '" + schema + ".t'::regclass"
                    + " AND adbin::text LIKE '%%%s%%'";
            String right = String.format(ask, bytes);
            String wrong = String.format(ask, bytes.replace(' ', '_').replace("1", "2").replace('_', ' '));
            assertThat(everyGetter(raw, right)).as("raw: the right guess finds the defaults").doesNotContain("0");
            assertThat(everyGetter(raw, wrong)).as("raw: a wrong guess finds none").contains("0");
            List<String> rightAnswer = readAs(AGENT, right);
            List<String> wrongAnswer = readAs(AGENT, wrong);
            System.out.println("[condition on adbin] right guess: " + rightAnswer + ", wrong guess: " + wrongAnswer);
            assertThat(rightAnswer).as("the masked agent's answer to the right guess").isEqualTo(wrongAnswer);
            assertThat(readAs(READER, right)).as("no mask applies").isEqualTo(everyGetter(raw, right));
        }

        @Override
        @BeforeEach
        void objects() throws Exception {
            super.objects();
            try (Statement s = raw.createStatement()) {
                // a view a careless migration (or the caller) made over the catalog
                s.execute("CREATE VIEW " + schema + ".defs AS SELECT adbin AS x FROM pg_catalog.pg_attrdef WHERE adrelid = '"
                        + schema + ".t'::regclass");
            }
        }
    }

    /**
     * Every column of the server's catalog that holds expressions as node trees (pg_node_tree), or literals of any type
     * (anyarray), is known to SystemRelations as holding definitions, unless its relation counts as holding values:
     * a column a later server version adds fails here rather than being read as holding none.
     */
    @Nested
    @RequiresDatabase(TestDatabase.POSTGRESQL)
    class PostgreSqlCatalog {
        @Test
        void everyNodeTreeColumnOfTheCatalogIsADefinition() throws SQLException {
            TestDatabase db = TestDatabase.POSTGRESQL;
            List<String> unknown = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(db.rawUrl(), db.user(), db.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT n.nspname, cl.relname, a.attname FROM pg_catalog.pg_attribute a"
                         + " JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid JOIN pg_catalog.pg_namespace n"
                         + " ON n.oid = cl.relnamespace WHERE n.nspname IN ('pg_catalog', 'information_schema')"
                         + " AND a.attnum > 0 AND NOT a.attisdropped AND cl.relkind IN ('r', 'v', 'm', 'p')"
                         + " AND a.atttypid IN ('pg_catalog.pg_node_tree'::regtype, 'pg_catalog.anyarray'::regtype)")) {
                while (rs.next()) {
                    io.governed.sql.TableRef relation = new io.governed.sql.TableRef(rs.getString(1), rs.getString(2));
                    if (!io.governed.sql.SystemRelations.holdsDefinitions(io.governed.sql.Dialect.POSTGRESQL,
                            rs.getString(1), rs.getString(2), rs.getString(3))
                            && !io.governed.sql.SystemRelations.mayHoldValues(io.governed.sql.Dialect.POSTGRESQL, relation)) {
                        unknown.add(relation.qualifiedName() + "." + rs.getString(3));
                    }
                }
            }
            assertThat(unknown).as("node-tree and anyarray columns of the catalog not known to hold definitions").isEmpty();
        }
    }

    @Nested
    @RequiresDatabase(TestDatabase.MARIADB)
    class MariaDb extends OnServer {
        @Override
        TestDatabase database() {
            return TestDatabase.MARIADB;
        }

        @Override
        DataSource dataSource() {
            try {
                MariaDbDataSource maria = new MariaDbDataSource(database().rawUrl());
                maria.setUser(database().user());
                maria.setPassword(database().password());
                return maria;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void create(Statement s) throws SQLException {
            String l = "'" + SECRET + "'";
            String t = schema + "_t";
            s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, email VARCHAR(80), note VARCHAR(80) DEFAULT " + l
                    + " CHECK (note <> CONCAT(" + l + ", 'x')))");
            s.execute("CREATE VIEW " + schema + "_v AS SELECT id FROM " + t + " WHERE note = " + l);
            s.execute("CREATE FUNCTION " + schema + "_f(a VARCHAR(80)) RETURNS VARCHAR(80) DETERMINISTIC RETURN CONCAT(a, "
                    + l + ")");
            s.execute("CREATE TRIGGER " + schema + "_tg BEFORE UPDATE ON " + t + " FOR EACH ROW SET NEW.note = IF(NEW.note = "
                    + l + ", NULL, NEW.note)");
        }

        @Override
        void dropAll(Statement s) throws SQLException {
            s.execute("DROP TRIGGER IF EXISTS " + schema + "_tg");
            s.execute("DROP FUNCTION IF EXISTS " + schema + "_f");
            s.execute("DROP VIEW IF EXISTS " + schema + "_v");
            s.execute("DROP TABLE IF EXISTS " + schema + "_t");
        }

        @Override
        Map<String, String> definitionQueries() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("COLUMNS.COLUMN_DEFAULT", "SELECT COLUMN_DEFAULT FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s_t' AND COLUMN_NAME = 'note'");
            q.put("COLUMNS *", "SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s_t'");
            q.put("CHECK_CONSTRAINTS.CHECK_CLAUSE", "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = '%s_t'");
            q.put("VIEWS.VIEW_DEFINITION", "SELECT VIEW_DEFINITION FROM information_schema.VIEWS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s_v'");
            q.put("ROUTINES.ROUTINE_DEFINITION", "SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES"
                    + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = '%s_f'");
            q.put("ROUTINES.ROUTINE_DEFINITION through a CTE", "WITH r AS (SELECT ROUTINE_DEFINITION AS x, ROUTINE_NAME AS n"
                    + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()) SELECT x FROM r WHERE n = '%s_f'");
            q.put("mysql.proc.body", "SELECT body FROM mysql.proc WHERE db = DATABASE() AND name = '%s_f'");
            q.put("mysql.proc.body_utf8", "SELECT body_utf8 FROM mysql.proc WHERE db = DATABASE() AND name = '%s_f'");
            q.put("TRIGGERS.ACTION_STATEMENT", "SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS"
                    + " WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = '%s_tg'");
            return q;
        }
    }

    @Nested
    class H2 extends OnServer {
        @Override
        TestDatabase database() {
            return TestDatabase.H2;
        }

        @Override
        DataSource dataSource() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(database().rawUrl());
            h2.setUser(database().user());
            return h2;
        }

        @Override
        void create(Statement s) throws SQLException {
            String l = "'" + SECRET + "'";
            String t = schema + "_T";
            s.execute("CREATE TABLE " + t + " (ID INT PRIMARY KEY, EMAIL VARCHAR(80), NOTE VARCHAR(80) DEFAULT " + l
                    + " CHECK (NOTE <> CONCAT(" + l + ", 'x')))");
            s.execute("CREATE VIEW " + schema + "_V AS SELECT ID FROM " + t + " WHERE NOTE = " + l);
            s.execute("CREATE DOMAIN " + schema + "_D AS VARCHAR(80) DEFAULT " + l);
        }

        @Override
        void dropAll(Statement s) throws SQLException {
            s.execute("DROP VIEW IF EXISTS " + schema + "_V");
            s.execute("DROP TABLE IF EXISTS " + schema + "_T");
            s.execute("DROP DOMAIN IF EXISTS " + schema + "_D");
        }

        @Override
        Map<String, String> definitionQueries() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("COLUMNS.COLUMN_DEFAULT", "SELECT COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = "
                    + "UPPER('%s_t') AND COLUMN_NAME = 'NOTE'");
            q.put("CHECK_CONSTRAINTS.CHECK_CLAUSE", "SELECT CHECK_CLAUSE FROM INFORMATION_SCHEMA.CHECK_CONSTRAINTS");
            q.put("VIEWS.VIEW_DEFINITION", "SELECT VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_NAME = "
                    + "UPPER('%s_v')");
            q.put("DOMAINS.DOMAIN_DEFAULT", "SELECT DOMAIN_DEFAULT FROM INFORMATION_SCHEMA.DOMAINS WHERE DOMAIN_NAME = "
                    + "UPPER('%s_d')");
            return q;
        }
    }
}
