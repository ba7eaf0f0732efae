package io.governed.jdbc.pipeline;

import io.governed.jdbc.gate.SqlText;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the session stages work out from a statement's text and analysis alone is kept on the text, under the very
 * analysis and dialect it was worked out from: another analysis of the same text object (the text analysed again, or
 * read as another statement) or another dialect finds nothing kept, and is worked out anew.
 */
class SessionTraitsTest {
    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    @Test
    void theAnswersAreWorkedOutOncePerAnalysisAndReadByEveryRun() {
        SqlText text = new SqlText("SELECT name FROM customers WHERE id = ?");
        SqlAnalysis analysis = text.analysis(analyzer, Dialect.POSTGRESQL);

        SessionTraits first = SessionTraits.of(text, analysis, Dialect.POSTGRESQL);
        assertThat(first.leaves).isFalse();
        assertThat(first.changesPrivileges).isFalse();
        assertThat(first.runsUnseenCode).isFalse();
        assertThat(first.definesOrDrops).isFalse();
        assertThat(SessionTraits.of(text, analysis, Dialect.POSTGRESQL)).as("kept").isSameAs(first);
    }

    @Test
    void whatATextsTokensTellOfUserCodeIsWorkedOutOnceAndKeptOnThatText() {
        SqlText text = new SqlText("SELECT name FROM customers WHERE id = ? -- a - b");
        io.governed.sql.UserCodeReach reach = text.userCodeReach();
        assertThat(reach.mayApplyOperators()).as("=").isTrue();
        assertThat(reach.callsOrCasts()).isFalse();
        assertThat(text.userCodeReach()).as("kept").isSameAs(reach);
        // another text object of another statement: its own answer
        assertThat(new SqlText("SELECT name FROM customers -- lower(x)::text").userCodeReach().mayApplyOperators())
                .isFalse();
        assertThat(new SqlText("SELECT lower(name) FROM customers").userCodeReach().callsOrCasts()).isTrue();
    }

    @Test
    void theNamesAndKindsAFreshReadingAsksAreKeptPerAnalysis() {
        SqlText text = new SqlText("SELECT c.name FROM customers c JOIN app.orders o ON o.id = c.id WHERE my_fn(c.name) = ?");
        SqlAnalysis analysis = text.analysis(analyzer, Dialect.POSTGRESQL);
        SessionTraits traits = SessionTraits.of(text, analysis, Dialect.POSTGRESQL);
        assertThat(traits.namesCatalog).isTrue();
        assertThat(traits.queriesOrControlOnly).isTrue();
        assertThat(traits.relationNames).contains("customers", "orders");
        assertThat(traits.routinesCalled).extracting(io.governed.sql.TableRef::name).contains("my_fn");

        SqlText commit = new SqlText("COMMIT");
        SessionTraits control = SessionTraits.of(commit, commit.analysis(analyzer, Dialect.POSTGRESQL), Dialect.POSTGRESQL);
        assertThat(control.namesCatalog).isFalse();
        assertThat(control.queriesOrControlOnly).isTrue();
        assertThat(control.relationNames).isEmpty();

        SqlText drop = new SqlText("DROP DOMAIN d");
        SessionTraits dropping = SessionTraits.of(drop, drop.analysis(analyzer, Dialect.POSTGRESQL), Dialect.POSTGRESQL);
        assertThat(dropping.queriesOrControlOnly).as("a definition may reach user code").isFalse();

        SqlText garbled = new SqlText("SELEC name FROM");
        SessionTraits unparsed = SessionTraits.of(garbled, garbled.analysis(analyzer, Dialect.POSTGRESQL),
                Dialect.POSTGRESQL);
        assertThat(unparsed.namesCatalog).as("not parsed: may read anything").isTrue();
        assertThat(unparsed.queriesOrControlOnly).isFalse();
    }

    @Test
    void anotherAnalysisOfTheSameTextIsNotAnsweredFromTheFirst() {
        SqlText text = new SqlText("SELECT name FROM customers WHERE id = ?");
        SqlAnalysis plain = analyzer.analyze(text.sql(), Dialect.POSTGRESQL);
        assertThat(SessionTraits.of(text, plain, Dialect.POSTGRESQL).leaves).isFalse();

        // the same text object, now with an analysis that keeps a temporary table and calls a routine
        SqlAnalysis other = analyzer.analyze("CREATE TEMPORARY TABLE t AS SELECT my_function() AS f", Dialect.POSTGRESQL);
        SessionTraits traits = SessionTraits.of(text, other, Dialect.POSTGRESQL);
        assertThat(traits.leaves).as("worked out from the analysis it is asked with").isTrue();
        assertThat(traits.runsUnseenCode).isTrue();

        SqlAnalysis roleChange = analyzer.analyze("SELECT set_config('role', 'admin', false)", Dialect.POSTGRESQL);
        assertThat(SessionTraits.of(text, roleChange, Dialect.POSTGRESQL).changesPrivileges).isTrue();
        assertThat(SessionTraits.of(text, plain, Dialect.POSTGRESQL).changesPrivileges).isFalse();
    }

    @Test
    void anotherDialectIsNotAnsweredFromTheFirst() {
        SqlText text = new SqlText("RESET ROLE");
        SqlAnalysis analysis = text.analysis(analyzer, Dialect.POSTGRESQL);
        assertThat(SessionTraits.of(text, analysis, Dialect.POSTGRESQL).reset).isEqualTo(SessionRoleStage.Reset.ROLE);
        assertThat(SessionTraits.of(text, analysis, Dialect.POSTGRESQL).roleStageKeeps).isTrue();
        // MariaDB has no RESET ROLE: not a reset there, whatever the same analysis object answered for PostgreSQL
        assertThat(SessionTraits.of(text, analysis, Dialect.MARIADB).reset).isEqualTo(SessionRoleStage.Reset.NONE);
        assertThat(SessionTraits.of(text, analysis, Dialect.MARIADB).roleStageKeeps).isFalse();

        SqlText discard = new SqlText("DISCARD ALL");
        SqlAnalysis discardAnalysis = discard.analysis(analyzer, Dialect.POSTGRESQL);
        assertThat(SessionTraits.of(discard, discardAnalysis, Dialect.POSTGRESQL).discardsAll).isTrue();
        assertThat(SessionTraits.of(discard, discardAnalysis, Dialect.MARIADB).discardsAll)
                .as("PostgreSQL's reset only").isFalse();
    }

    @Test
    void aTextWithoutAnalysisMayDoAnythingAndNothingIsKept() {
        SqlText text = new SqlText("SELECT 1");
        SessionTraits traits = SessionTraits.of(text, null, Dialect.POSTGRESQL);
        assertThat(traits.leaves).isTrue();
        assertThat(traits.changesPrivileges).isTrue();
        assertThat(traits.runsUnseenCode).isTrue();
        assertThat(traits.definesOrDrops).isTrue();
        assertThat(SessionTraits.of(text, null, Dialect.POSTGRESQL)).isNotSameAs(traits);
    }

    @Test
    void whetherTheTextDefinesAltersOrDropsIsKeptWithTheOtherAnswers() {
        for (String definition : new String[] {"DROP DOMAIN checked_code", "ALTER TABLE t ALTER COLUMN c TYPE checked_code",
                "CALL refresh_totals()", "SELECT 1; DROP TABLE t"}) {
            SqlText text = new SqlText(definition);
            SqlAnalysis analysis = text.analysis(analyzer, Dialect.POSTGRESQL);
            assertThat(SessionTraits.of(text, analysis, Dialect.POSTGRESQL).definesOrDrops).as(definition).isTrue();
        }
        for (String plain : new String[] {"SELECT name FROM customers", "UPDATE t SET c = 1 WHERE id = 2", "COMMIT",
                "SET work_mem = '64MB'", "SHOW work_mem", "LOCK TABLE t"}) {
            SqlText text = new SqlText(plain);
            SqlAnalysis analysis = text.analysis(analyzer, Dialect.POSTGRESQL);
            assertThat(SessionTraits.of(text, analysis, Dialect.POSTGRESQL).definesOrDrops).as(plain).isFalse();
        }
        SqlText unparsed = new SqlText("SELEC name FROM customers");
        assertThat(SessionTraits.of(unparsed, unparsed.analysis(analyzer, Dialect.POSTGRESQL), Dialect.POSTGRESQL)
                .definesOrDrops).as("a text not parsed may define anything").isTrue();
    }
}
