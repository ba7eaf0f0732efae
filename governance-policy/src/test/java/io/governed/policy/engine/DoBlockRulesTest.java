package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.governed.policy.Identities.human;
import static org.assertj.core.api.Assertions.assertThat;

/*
 * A PostgreSQL DO block runs its code at once: it is judged as a call of a routine with that body. A LANGUAGE plpgsql
 * body (the default) that the analysis reads does what its statements do, each judged as the statement's own (a forbid
 * of drop covers a DROP inside, a rule on unbounded writes an unbounded DELETE inside, a permit of the update a bounded
 * UPDATE inside). A body that cannot be read (EXECUTE, another language, an unbalanced or unparseable body) may do
 * anything: every forbid covers it, and only a permit of every such action on every table permits it.
 */
class DoBlockRulesTest {

    private static final Identity DAVE = human("dave", "devs");

    private static final String POLICY = """
            default: deny
            rules:
              - { id: devs-everything-in-schema, effect: permit, principals: {groups: [devs]}, actions: ["*"], resources: ["s.*"] }
              - { id: no-destructive-ddl, effect: forbid, actions: [drop, truncate, alter], resources: ["*"], unless: {groups: [dba]} }
              - { id: no-unbounded-writes, effect: forbid, actions: [update, delete], when: { where: absent } }
            """;

    private final SqlAnalyzer analyzer = new SqlAnalyzer();
    private final CatalogStub session = new CatalogStub();

    private static PolicyEngine engine(String yaml) {
        return new PolicyEngine(PolicyLoader.fromString("do.yaml", "version: 1\n" + yaml));
    }

    private Decision decide(String yaml, String sql) {
        return engine(yaml).decide(DAVE, analyzer.analyze(sql, Dialect.POSTGRESQL), DecisionContext.of(session));
    }

    @Test
    void aStaticDropTruncateOrAlterInsideADoBlockIsForbiddenAsTheStatementsOwn() {
        for (String body : List.of("DROP TABLE s.victim;", "TRUNCATE s.t;", "ALTER TABLE s.t DROP COLUMN x;",
                "UPDATE s.t SET x = 1 WHERE id = 1; DROP TABLE IF EXISTS s.victim;")) {
            Decision decision = decide(POLICY, "DO $$ BEGIN " + body + " END $$");
            assertThat(decision.allowed()).as(body + ": " + decision.reason()).isFalse();
            assertThat(decision.rules()).as(body + ": " + decision.reason()).containsExactly("no-destructive-ddl");
            assertThat(decision.reason()).as(body).contains("DO block");
        }
    }

    @Test
    void aDoBlockRunningDynamicSqlMayDoAnythingSoEveryForbidCoversIt() {
        for (String body : List.of("EXECUTE 'DROP TABLE s.victim';", "EXECUTE 'DELETE FROM s.victim';",
                "EXECUTE 'TRUNCATE s.t';", "EXECUTE 'SELECT 1';", "EXECUTE format('SELECT %s', 1);",
                "EXECUTE 'DO $x$ BEGIN DROP TABLE s.victim; END $x$';")) {
            Decision decision = decide(POLICY, "DO $$ BEGIN " + body + " END $$");
            assertThat(decision.allowed()).as(body + ": " + decision.reason()).isFalse();
            assertThat(decision.rules()).as(body + ": " + decision.reason())
                    .containsExactlyInAnyOrder("no-destructive-ddl", "no-unbounded-writes");
            assertThat(decision.reason()).as(body).contains("DO block");
        }
    }

    @Test
    void anUnboundedWriteInsideADoBlockIsJudgedByTheRuleOnUnboundedWrites() {
        Decision delete = decide(POLICY, "DO $$ BEGIN DELETE FROM s.victim; END $$");
        assertThat(delete.allowed()).as(delete.reason()).isFalse();
        assertThat(delete.rules()).containsExactly("no-unbounded-writes");
        Decision update = decide(POLICY, "DO $$ BEGIN UPDATE s.t SET x = 1; END $$");
        assertThat(update.rules()).as(update.reason()).containsExactly("no-unbounded-writes");
    }

    @Test
    void aBoundedWriteInsideADoBlockNeedsThePermitItsStatementWouldNeed() {
        Decision permitted = decide(POLICY, "DO $$ BEGIN UPDATE s.t SET x = 1 WHERE id = 1; END $$");
        assertThat(permitted.allowed()).as(permitted.reason()).isTrue();
        assertThat(permitted.rules()).containsExactly("devs-everything-in-schema");
        Decision declared = decide(POLICY, """
                DO $body$
                DECLARE n integer := 1;
                BEGIN
                  UPDATE s.t SET x = n WHERE id = n;
                  PERFORM id FROM s.t WHERE id = n;
                END
                $body$""");
        assertThat(declared.allowed()).as(declared.reason()).isTrue();
        Decision elsewhere = decide(POLICY, "DO $$ BEGIN UPDATE other.t SET x = 1 WHERE id = 1; END $$");
        assertThat(elsewhere.allowed()).isFalse();
        assertThat(elsewhere.reason()).contains("update on other.t").contains("DO block");
    }

    @Test
    void theLanguageIsReadWhereverItStandsAndAnotherOneMayDoAnything() {
        for (String sql : List.of("DO LANGUAGE plpgsql $$ BEGIN DROP TABLE s.victim; END $$",
                "DO $$ BEGIN DROP TABLE s.victim; END $$ LANGUAGE plpgsql",
                "DO LANGUAGE \"plpgsql\" $$ BEGIN DROP TABLE s.victim; END $$")) {
            assertThat(decide(POLICY, sql).rules()).as(sql).containsExactly("no-destructive-ddl");
        }
        for (String sql : List.of("DO LANGUAGE plperlu $$ system('psql -c \"DROP TABLE s.victim\"'); $$",
                "DO $$ SELECT 1 $$ LANGUAGE sql", "DO LANGUAGE nosuchlanguage $$ BEGIN NULL; END $$",
                "DO LANGUAGE plpythonu $$ plpy.execute('DELETE FROM s.victim') $$",
                "DO LANGUAGE 'plpgsql' $$ BEGIN NULL; END $$")) {
            Decision decision = decide(POLICY, sql);
            assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isFalse();
            assertThat(decision.rules()).as(sql + ": " + decision.reason())
                    .containsExactlyInAnyOrder("no-destructive-ddl", "no-unbounded-writes");
        }
    }

    @Test
    void aBodyThatCannotBeReadMayDoAnything() {
        for (String sql : List.of(
                "DO $$ BEGIN DROP TABLE s.victim; $$", // no END: unbalanced
                "DO $$ BEGIN SELEC 1 FROM s.t; END $$", // not SQL
                "DO $$ BEGIN SET search_path = s; DELETE FROM victim WHERE id = 1; END $$", // a setting changed
                "DO $$ BEGIN PERFORM set_config('search_path', 's', true); END $$",
                "DO $$ #variable_conflict use_column\nBEGIN NULL; END $$",
                "DO E'BEGIN DROP TABLE s.victim; END'", // a string the session may read otherwise
                "DO 'BEGIN '\n'DROP TABLE s.victim; END'")) {
            Decision decision = decide(POLICY, sql);
            assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isFalse();
            assertThat(decision.rules()).as(sql + ": " + decision.reason())
                    .containsExactlyInAnyOrder("no-destructive-ddl", "no-unbounded-writes");
        }
        Decision unterminated = decide(POLICY, "DO $$ BEGIN DROP TABLE s.victim; END");
        assertThat(unterminated.allowed()).as(unterminated.reason()).isFalse();
    }

    @Test
    void aDoBlockIsRecognisedInAnyCaseAfterCommentsWithAnyTagAndAmongOtherStatements() {
        for (String sql : List.of("Do $$ BEGIN DROP TABLE s.victim; END $$",
                "do $$ begin drop table s.victim; end $$",
                "/* setup */ -- comment\n DO $body$ BEGIN DROP TABLE s.victim; END $body$",
                "DO 'BEGIN DROP TABLE s.victim; END'",
                "SELECT 1 FROM s.t; DO $a$ BEGIN DROP TABLE s.victim; END $a$",
                "DO $a$ BEGIN UPDATE s.t SET x = 1 WHERE id = 1; END $a$; DO $b$ BEGIN DROP TABLE s.victim; END $b$",
                "DO $a$ BEGIN DO $b$ BEGIN DROP TABLE s.victim; END $b$; END $a$")) {
            Decision decision = decide(POLICY, sql);
            assertThat(decision.allowed()).as(sql + ": " + decision.reason()).isFalse();
            assertThat(decision.rules()).as(sql + ": " + decision.reason()).contains("no-destructive-ddl");
        }
    }

    @Test
    void textsDifferingOnlyInTheirBodiesAreJudgedEachByItsOwn() {
        PolicyEngine engine = engine(POLICY);
        Decision harmless = engine.decide(DAVE, analyzer.analyze("DO $$ BEGIN UPDATE s.t SET x = 1 WHERE id = 1; END $$",
                Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(harmless.allowed()).as(harmless.reason()).isTrue();
        Decision drop = engine.decide(DAVE, analyzer.analyze("DO $$ BEGIN DROP TABLE s.victim; END $$",
                Dialect.POSTGRESQL), DecisionContext.of(session));
        assertThat(drop.rules()).as("same fingerprint, another body: " + drop.reason())
                .containsExactly("no-destructive-ddl");
    }

    @Test
    void aRoutineADoBlockCallsIsFollowedIntoItsBody() {
        session.routineBodies.put("wipe", "DELETE FROM s.victim");
        Decision decision = decide(POLICY, "DO $$ BEGIN PERFORM s.wipe(); END $$");
        assertThat(decision.rules()).as(decision.reason()).containsExactly("no-unbounded-writes");
    }

    @Test
    void codeIsReadOnlyWhereTheSessionResolvesPlpgsqlNamesAsByDefault() {
        // plpgsql.variable_conflict = use_column would make a variable the analysis reads as NULL a column
        io.governed.sql.names.NameResolver otherwise = new io.governed.sql.names.NameResolver() {
            @Override
            public io.governed.sql.names.Resolution resolve(String name) {
                return session.resolve(name);
            }

            @Override
            public boolean readsRoutines() {
                return true;
            }
        };
        String sql = "DO $$ DECLARE id integer := 1; BEGIN UPDATE s.t SET x = 1 WHERE id = id; END $$";
        Decision asByDefault = engine(POLICY).decide(DAVE, analyzer.analyze(sql, Dialect.POSTGRESQL),
                DecisionContext.of(session));
        assertThat(asByDefault.rules()).as(asByDefault.reason()).doesNotContain("no-destructive-ddl");
        Decision unknown = engine(POLICY).decide(DAVE, analyzer.analyze(sql, Dialect.POSTGRESQL),
                DecisionContext.of(otherwise));
        assertThat(unknown.allowed()).as(unknown.reason()).isFalse();
        assertThat(unknown.rules()).as(unknown.reason())
                .containsExactlyInAnyOrder("no-destructive-ddl", "no-unbounded-writes");
    }

    @Test
    void anUnreadBodyIsPermittedOnlyByAPermitOfEveryActionOnEveryTable() {
        String opaque = "DO LANGUAGE plperlu $$ return; $$";
        Decision schemaOnly = decide("""
                default: deny
                rules:
                  - { id: all-of-s, effect: permit, actions: ["*"], resources: ["s.*"] }
                """, opaque);
        assertThat(schemaOnly.allowed()).as(schemaOnly.reason()).isFalse();
        assertThat(schemaOnly.reason()).contains("DO block");
        Decision everything = decide("""
                default: deny
                rules:
                  - { id: all, effect: permit, actions: ["*"], resources: ["*"] }
                """, opaque);
        assertThat(everything.allowed()).as(everything.reason()).isTrue();
        Decision forbidden = decide("""
                default: deny
                rules:
                  - { id: all, effect: permit, actions: ["*"], resources: ["*"] }
                  - { id: keep-secrets, effect: forbid, actions: [select], resources: ["vault.secrets"] }
                """, opaque);
        assertThat(forbidden.rules()).as(forbidden.reason()).containsExactly("keep-secrets");
    }
}
