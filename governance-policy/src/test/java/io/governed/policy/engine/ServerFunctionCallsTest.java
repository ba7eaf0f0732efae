package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.Resolution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * PostgreSQL finds an unqualified function in pg_catalog first unless the search path names pg_catalog later: with a
 * permit of call on the routines of schema s and a session whose path resolves names to s, SELECT pg_terminate_backend(0)
 * is the server's function, not s.pg_terminate_backend. It is judged as the server's (and, where s may hold a routine of
 * that name too, as each), so a permit on s does not cover it; a rule naming it (or pg_catalog.*) does. Built-ins that
 * only read (now(), lower()) pass as before.
 */
class ServerFunctionCallsTest {

    private static final Identity DAVE = human("dave", "devs");

    private static final String POLICY = """
            default: deny
            rules:
              - { id: devs-everything-in-schema, effect: permit, principals: {groups: [devs]}, actions: ["*"], resources: ["s.*"] }
            """;

    /**
     * Every unqualified name resolves to schema s, no relation has partitions or parents, and s's routines s_report and
     * pg_like_named are SQL reading nothing; no catalog tells the server's functions from the users'.
     */
    private static final NameResolver IN_S = NameResolver.withoutInheritance(new NameResolver() {
        @Override
        public Resolution resolve(String name) {
            return Resolution.in("s");
        }

        @Override
        public List<String> routineBodies(String schema, String name) {
            return Set.of("s_report", "pg_like_named").contains(name) && !"pg_catalog".equals(schema)
                    ? List.of("SELECT 1") : null;
        }
    });

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private Decision decide(String yaml, String sql, NameResolver names) {
        PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("calls.yaml", "version: 1\n" + yaml));
        return engine.decide(DAVE, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(names));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "SELECT pg_terminate_backend(0)",
        "SELECT pg_cancel_backend(0)",
        "SELECT pg_reload_conf()",
        "SELECT pg_rotate_logfile()",
        "SELECT lo_create(0)",
        "SELECT lo_unlink(12345)",
        "SELECT lo_import('/etc/hostname')",
        "SELECT set_config('app.x', 'y', false)",
        "SELECT setval('s.seq', 1)",
        "SELECT pg_notify('channel', 'payload')",
        "SELECT 1 FROM s.t WHERE pg_terminate_backend(0)",
    })
    void aPermitOfCallOnAUserSchemaDoesNotCoverTheServersFunctions(String sql) {
        Decision decision = decide(POLICY, sql, IN_S);
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isFalse();
        assertThat(decision.reason()).as(sql).contains("pg_catalog.").contains("resources");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "SELECT now()",
        "SELECT lower('A'), upper('b'), length('c')",
        "SELECT id FROM s.t WHERE created < now()",
        "SELECT s_report()",
        "SELECT s.pg_like_named()",
    })
    void readingBuiltInsAndTheSchemasOwnRoutinesPassAsBefore(String sql) {
        Decision decision = decide(POLICY, sql, IN_S);
        assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isTrue();
    }

    @Test
    void aRuleNamingTheServersFunctionPermitsItDeliberately() {
        String yaml = POLICY + """
                  - { id: ops-cancel, effect: permit, principals: {groups: [devs]}, actions: [call], resources: ["pg_catalog.pg_cancel_backend"] }
                """;
        assertThat(decide(yaml, "SELECT pg_cancel_backend(0)", IN_S).allowed()).isTrue();
        assertThat(decide(yaml, "SELECT pg_terminate_backend(0)", IN_S).allowed()).isFalse();
        String everything = POLICY + """
                  - { id: ops-server, effect: permit, principals: {groups: [devs]}, actions: [call], resources: ["pg_catalog.*"] }
                """;
        assertThat(decide(everything, "SELECT pg_terminate_backend(0)", IN_S).allowed()).isTrue();
    }

    /** A catalog that reads routines: s holds a user function of a server function's name, searched before pg_catalog. */
    private static final class Shadowing implements NameResolver {
        @Override
        public Resolution resolve(String name) {
            return Resolution.in("s");
        }

        @Override
        public List<io.governed.sql.TableRef> ancestors(String schema, String name) {
            return List.of();
        }

        @Override
        public List<io.governed.sql.TableRef> descendants(String schema, String name) {
            return List.of();
        }

        @Override
        public boolean readsRoutines() {
            return true;
        }

        @Override
        public List<String> routineBodies(String schema, String name) {
            if ("pg_catalog".equals(schema)) {
                return Set.of("pg_terminate_backend", "lo_create").contains(name) ? null : List.of();
            }
            return "pg_terminate_backend".equals(name) ? List.of("SELECT 1") : List.of();
        }
    }

    @Test
    void aNameThatMayBeTheServersOrTheSchemasFunctionIsAllowedOnlyWhereBothAre() {
        Decision decision = decide(POLICY, "SELECT pg_terminate_backend(0)", new Shadowing());
        assertThat(decision.allowed()).as(decision.reason()).isFalse();
        assertThat(decision.reason()).contains("pg_catalog.pg_terminate_backend");
        String both = POLICY + """
                  - { id: ops-server, effect: permit, principals: {groups: [devs]}, actions: [call], resources: ["pg_catalog.pg_terminate_backend"] }
                """;
        assertThat(decide(both, "SELECT pg_terminate_backend(0)", new Shadowing()).allowed()).isTrue();
        // the catalog says pg_catalog holds no such function, and s does: the schema's own routine
        assertThat(decide(POLICY, "SELECT s_report()", new Shadowing()).allowed()).isTrue();
        // and one only the server holds, with a catalog that reads routines: the server's alone
        assertThat(decide(POLICY, "SELECT lo_create(0)", new Shadowing()).allowed()).isFalse();
    }
}
