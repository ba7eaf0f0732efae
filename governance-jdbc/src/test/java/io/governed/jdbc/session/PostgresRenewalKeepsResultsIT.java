package io.governed.jdbc.session;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.gate.SqlText;
import io.governed.jdbc.support.RequiresDatabase;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import io.governed.jdbc.wrapper.GovernedConnection;
import io.governed.policy.Decision;
import io.governed.policy.engine.DecisionContext;
import io.governed.policy.engine.PolicyEngine;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.TableRef;
import io.governed.sql.names.NameResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection reads its session again every few seconds to see what other sessions changed. When the new reading
 * answers every question the last one was asked as it answered them (the same search path, the same relations under
 * the names used, with the same object ids, kinds, definitions and code they run), what prepared texts remembered
 * (their name resolution and decision) is kept, with no catalog query beyond the renewal's own; anything that changed
 * under a name used (a trigger, a view replaced, a relation in a schema searched first, a relation made again, row
 * security) makes the next statement be resolved and decided again, as before.
 */
@RequiresDatabase(TestDatabase.POSTGRESQL)
class PostgresRenewalKeepsResultsIT {
    private static final String SCHEMA = UniqueNames.of("pt_early");
    private static final String STOCK = UniqueNames.of("pt_stock");
    private static final String TRIGGERED = UniqueNames.of("pt_triggered");
    private static final String SHADOWED = UniqueNames.of("pt_shadowed");
    private static final String REMADE = UniqueNames.of("pt_remade");
    private static final String SECURED = UniqueNames.of("pt_secured");
    private static final String VIEWED = UniqueNames.of("pt_viewed");
    private static final String VIEW = UniqueNames.of("pt_view");
    private static final String LATE = UniqueNames.of("pt_late");
    private static final List<String> TABLES = List.of(STOCK, TRIGGERED, SHADOWED, REMADE, SECURED, VIEWED, LATE);
    private static final String POLICY = """
            version: 1
            default: deny
            classification: { tags: { pii.email: ["*.email"] } }
            rules:
              - { id: work, effect: permit, actions: [select, update, insert], resources: ["*.pt_*"] }
            masks:
              - { id: mask-email, columns: { tags: [pii.email] }, function: partial, keep-last: 4 }
            """;
    private static final Identity AGENT = Identity.builder("pt-agent").kind(IdentityKind.AGENT).build();

    @BeforeAll
    static void tables() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            for (String table : TABLES) {
                s.execute("CREATE TABLE public." + table + " (id int PRIMARY KEY, email text, note text)");
                s.execute("INSERT INTO public." + table + " VALUES (1, 'ann@example.com', 'one')");
            }
            s.execute("CREATE VIEW public." + VIEW + " AS SELECT id, note FROM public." + VIEWED);
            s.execute("CREATE FUNCTION public.pt_touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS public." + VIEW);
            for (String table : TABLES) {
                s.execute("DROP TABLE IF EXISTS public." + table);
            }
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("DROP FUNCTION IF EXISTS public.pt_touch()");
        }
    }

    @BeforeEach
    void noNamesInUseYet() {
        PostgresSessionReader.forgetNamesInUse();
    }

    /** One session, with what the pipeline does for a prepared text (resolve, decide, remember), counted. */
    private static final class Session implements AutoCloseable {
        final Connection raw;
        final SessionState state;
        final PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("pt.yaml", POLICY));
        final SqlAnalyzer analyzer = new SqlAnalyzer();
        /** The statements the governance's own catalog reads sent on the session. */
        final List<String> catalogStatements = new CopyOnWriteArrayList<>();
        int resolutions;
        int decisions;

        Session() throws SQLException {
            raw = TestDatabase.POSTGRESQL.connectRaw();
            try (Statement s = raw.createStatement()) {
                s.execute("SET search_path TO " + SCHEMA + ", public");
            }
            state = new SessionState(counting(raw, catalogStatements), Dialect.POSTGRESQL);
        }

        /** Resolves and decides {@code sql} as the pipeline does for a text prepared again; the resolved analysis. */
        SqlAnalysis run(String sql) {
            return run(sql, state.current());
        }

        /** As {@link #run(String)}, under {@code current}: a reading another thread took before the last renewal, say. */
        SqlAnalysis run(String sql, NameResolver current) {
            SqlText text = state.preparedText(sql);
            SqlAnalysis analysis = text.analysis(analyzer, Dialect.POSTGRESQL);
            SqlAnalysis resolved = text.rememberedResolution(engine, analysis, current);
            if (resolved == null) {
                resolutions++;
                resolved = engine.resolved(analysis, DecisionContext.of(current));
                text.rememberResolution(engine, analysis, current, resolved);
            }
            Decision decision = text.rememberedDecision(engine, AGENT, current, null);
            if (decision == null) {
                decisions++;
                DecisionContext context = DecisionContext.of(current);
                decision = engine.check(AGENT, analysis, context);
                if (engine.reusable(decision, analysis, context)) {
                    text.rememberDecision(engine, AGENT, current, null, decision);
                }
            }
            return resolved;
        }

        @Override
        public void close() throws SQLException {
            raw.close();
        }
    }

    private static String select(String table) {
        return "SELECT email, note FROM " + table + " WHERE id = ?";
    }

    private static String update(String table) {
        return "UPDATE " + table + " SET note = ? WHERE id = ?";
    }

    private static void other(String... ddl) throws SQLException {
        try (Connection c = TestDatabase.POSTGRESQL.connectRaw(); Statement s = c.createStatement()) {
            for (String statement : ddl) {
                s.execute(statement);
            }
        }
    }

    @Test
    void aRenewalWithNothingChangedKeepsEveryResolutionAndDecisionInItsOwnRoundTrip() throws SQLException {
        try (Session session = new Session()) {
            session.run(select(STOCK));
            session.run(update(STOCK));
            session.run(select(STOCK));
            assertThat(session.resolutions).as("resolutions before the renewal").isEqualTo(2);
            assertThat(session.decisions).as("decisions before the renewal").isEqualTo(2);

            for (int renewal = 1; renewal <= 3; renewal++) {
                NameResolver before = session.state.current();
                session.catalogStatements.clear();
                session.state.renewAsAged();
                assertThat(session.state.current()).as("a new reading").isNotSameAs(before);
                session.run(select(STOCK));
                session.run(update(STOCK));
                assertThat(session.resolutions).as("resolutions after renewal " + renewal).isEqualTo(2);
                assertThat(session.decisions).as("decisions after renewal " + renewal).isEqualTo(2);
                assertThat(session.catalogStatements).as("catalog statements of renewal " + renewal + ": the reading's one")
                        .hasSize(1);
            }
        }
    }

    @Test
    void aTriggerCreatedByAnotherSessionIsSeenByTheNextStatement() throws SQLException {
        try (Session session = new Session()) {
            session.run(update(TRIGGERED));
            other("CREATE TRIGGER pt_touching BEFORE UPDATE ON public." + TRIGGERED
                    + " FOR EACH ROW EXECUTE FUNCTION public.pt_touch()");
            session.state.renewAsAged();
            session.run(update(TRIGGERED));
            assertThat(session.resolutions).as("resolved again").isEqualTo(2);
            assertThat(session.decisions).as("decided again").isEqualTo(2);
            assertThat(session.state.mayRunCodeThroughRelations(session.run(update(TRIGGERED))))
                    .as("the write now runs the trigger").isTrue();
        }
    }

    @Test
    void aTableCreatedInASchemaSearchedFirstIsWhereTheNameResolvesNext() throws SQLException {
        try (Session session = new Session()) {
            assertThat(tablesRead(session.run(select(SHADOWED)))).containsExactly(new TableRef("public", SHADOWED));
            other("CREATE TABLE " + SCHEMA + "." + SHADOWED + " (id int PRIMARY KEY, email text, note text)");
            session.state.renewAsAged();
            assertThat(tablesRead(session.run(select(SHADOWED)))).containsExactly(new TableRef(SCHEMA, SHADOWED));
            assertThat(session.resolutions).isEqualTo(2);
            assertThat(session.decisions).isEqualTo(2);
        }
    }

    /**
     * A connection shared across threads: a thread that took the reading before a renewal asks it about a name after
     * the renewal's reading was compared with it. That name was not compared, so what was worked out with it is not
     * carried to the renewed reading: a table then made under that name in a schema searched first is where the name
     * resolves after the next renewal.
     */
    @Test
    void aNameAskedOfTheOldReadingAfterTheComparisonIsNotCarriedToTheRenewedOne() throws SQLException {
        try (Session session = new Session()) {
            session.run(select(STOCK));
            NameResolver old = session.state.current();
            session.state.renewAsAged();
            session.run(select(STOCK)); // the renewed reading read and compared with the old one
            assertThat(tablesRead(session.run(select(LATE), old))).containsExactly(new TableRef("public", LATE));
            other("CREATE TABLE " + SCHEMA + "." + LATE + " (id int PRIMARY KEY, email text, note text)");
            session.state.renewAsAged();
            assertThat(tablesRead(session.run(select(LATE)))).as("resolved where the name is now")
                    .containsExactly(new TableRef(SCHEMA, LATE));
        }
    }

    @Test
    void aTableDroppedAndMadeAgainUnderItsNameIsAnother() throws SQLException {
        try (Session session = new Session()) {
            session.run(select(REMADE));
            other("DROP TABLE public." + REMADE,
                    "CREATE TABLE public." + REMADE + " (id int PRIMARY KEY, email text, note text)");
            session.state.renewAsAged();
            session.run(select(REMADE));
            assertThat(session.resolutions).as("resolved again").isEqualTo(2);
            assertThat(session.decisions).as("decided again").isEqualTo(2);
        }
    }

    @Test
    void rowSecurityEnabledByAnotherSessionIsSeenByTheNextStatement() throws SQLException {
        try (Session session = new Session()) {
            SqlAnalysis first = session.run(select(SECURED));
            assertThat(session.state.mayRunCodeThroughRelations(first)).as("a plain table").isFalse();
            other("ALTER TABLE public." + SECURED + " ENABLE ROW LEVEL SECURITY");
            session.state.renewAsAged();
            SqlAnalysis again = session.run(select(SECURED));
            assertThat(session.resolutions).as("resolved again").isEqualTo(2);
            assertThat(session.decisions).as("decided again").isEqualTo(2);
            assertThat(session.state.mayRunCodeThroughRelations(again)).as("reading it runs row security").isTrue();
        }
    }

    /**
     * Through the driver: a view replaced by one whose column reads the masked column is masked at the next run of the
     * statement prepared before, after the reading is renewed; checked against the raw value.
     */
    @Test
    void aViewReplacedByOneReadingAMaskedColumnIsMaskedAtTheNextRun() throws SQLException {
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("pt.yaml", POLICY)).withoutAudit()
                .defaultIdentity(AGENT).build();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw();
             Connection c = new GovernedConnection(raw, governance, null, Dialect.POSTGRESQL);
             PreparedStatement ps = c.prepareStatement("SELECT note FROM " + VIEW + " WHERE id = ?")) {
            assertThat(single(ps)).isEqualTo("one");
            other("CREATE OR REPLACE VIEW public." + VIEW + " AS SELECT id, email AS note FROM public." + VIEWED);
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT note FROM " + VIEW)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the raw value").isEqualTo("ann@example.com");
            }
            SessionStates.of(raw, Dialect.POSTGRESQL).renewAsAged();
            assertThat(single(ps)).as("masked as the view now reads the email").isEqualTo("***********.com");
        }
    }

    private static String single(PreparedStatement ps) throws SQLException {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static Set<TableRef> tablesRead(SqlAnalysis resolved) {
        return resolved.statements().stream().flatMap(s -> s.tablesRead().stream()).collect(Collectors.toSet());
    }

    /** {@code raw}, counting the statements made on it (the governance's catalog reads: the test makes none through it). */
    private static Connection counting(Connection raw, List<String> statements) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") || method.getName().equals("prepareCall")) {
                        statements.add((String) args[0]);
                    } else if (method.getName().equals("createStatement")) {
                        statements.add("(a statement)");
                    }
                    try {
                        return method.invoke(raw, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
