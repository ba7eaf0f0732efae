package io.governed.jdbc.it;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * PostgreSQL's custom settings (set_config('app.k', …), current_setting('app.k'), SHOW app.k) are kept by the session
 * between statements, and by a pooled connection between borrowers, as MariaDB's user variables are
 * (PooledSessionValuesIT). A value someone the mask exempts put there
 * must not reach, in clear, a caller the mask applies to: not as a result, not written into a table it then reads,
 * not probed in a WHERE. Each test borrows the single connection of a pool as one identity, then as another, and
 * checks what the database holds through a raw borrowing of the same connection.
 */
class PooledSessionSettingsIT extends PooledSessionFixture {
    private static final String POLICY = """
            version: 1
            default: deny
            classification:
              auto-detect: false
              tags:
                pii.ssn: ["*.ssn"]
            rules:
              - id: everyone-reads-and-writes
                effect: permit
                principals: { kinds: [human, service, agent] }
                actions: [select, insert, update, show]
                resources: ["*"]
              - id: pii-readers-keep-settings
                effect: permit
                principals: { groups: [pii-readers] }
                actions: [select, call]
                resources: ["*"]
                when: { traits: [privilege-change] }
            masks:
              - id: mask-ids
                columns: { tags: [pii.ssn] }
                function: partial
                keep-last: 4
                unless: { groups: [pii-readers] }
            """;

    private static final Identity ANALYST = Identity.builder("alice").kind(IdentityKind.HUMAN).groups("analysts").build();

    PooledSessionSettingsIT() {
        super("pss");
    }

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    String policy() {
        return POLICY;
    }

    @Test
    void anExemptCallerMayNotKeepAMaskedValueInASetting() throws Exception {
        assertRefusedAs(PII_READER, "SELECT set_config('app.k', ssn, false) FROM " + customers + " WHERE id = 1",
                "may not be copied in clear");
        assertThat(rawSession("SELECT current_setting('app.k', true)")).as("the session holds no SSN").doesNotContain(SSN);
        assertThat(queryAs(PII_READER, "SELECT set_config('app.k', name, false) FROM " + customers + " WHERE id = 1"))
                .as("a value no mask covers may be kept").containsExactly("Ann");
    }

    @Test
    void aCustomSettingHoldingAMaskedValueIsMaskedWhenTheNextBorrowerShowsIt() throws Exception {
        // put there past governance (another user of the same pool, a routine): the reads are still checked
        rawSession("SELECT set_config('app.k', ssn, false) FROM " + customers + " WHERE id = 1");
        assertThat(rawSession("SELECT current_setting('app.k')")).as("the premise: the pooled session keeps the SSN")
                .containsExactly(SSN);

        for (String read : List.of("SHOW app.k", "SHOW ALL")) {
            assertThat(queryAs(ANALYST, read)).as(read).isNotEmpty().noneMatch(v -> v != null && v.contains("45-6789"));
        }
    }

    @Test
    void aCustomSettingHoldingAMaskedValueCannotBeWrittenOrProbedByTheNextBorrower() throws Exception {
        rawSession("SELECT set_config('app.k', ssn, false) FROM " + customers + " WHERE id = 1");
        for (String write : List.of(
                "INSERT INTO " + orders + " (id, status) VALUES (1, current_setting('app.k'))",
                "INSERT INTO " + orders + " (id, status) SELECT 2, replace(current_setting('app.k'), '-', 'x')",
                "UPDATE " + orders + " SET status = current_setting('app.k') WHERE id = 0")) {
            assertRefusedAs(SERVICE, write, "value the session keeps");
        }
        assertRefusedAs(AGENT, "SELECT id FROM " + customers + " WHERE current_setting('app.k') LIKE '123%'",
                "value the session keeps");
        assertThat(rawSession("SELECT id || ':' || status FROM " + orders + " ORDER BY id"))
                .as("nothing was written").containsExactly("0:open");
    }

    @Test
    void theServersOwnSettingsStayClear() throws Exception {
        for (String read : List.of("SELECT current_setting('search_path')", "SHOW search_path",
                "SELECT current_setting('server_version_num')")) {
            assertThat(queryAs(ANALYST, read)).as(read).isEqualTo(rawSession(read));
        }
    }
}
