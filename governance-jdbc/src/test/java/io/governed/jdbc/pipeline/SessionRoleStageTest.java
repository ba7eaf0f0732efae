package io.governed.jdbc.pipeline;

import io.governed.sql.Dialect;
import org.junit.jupiter.api.Test;

import static io.governed.jdbc.pipeline.SessionRoleStage.Reset.FULL;
import static io.governed.jdbc.pipeline.SessionRoleStage.Reset.NONE;
import static io.governed.jdbc.pipeline.SessionRoleStage.Reset.ROLE;
import static io.governed.jdbc.pipeline.SessionRoleStage.Reset.SETS_ROLE;
import static io.governed.jdbc.pipeline.SessionRoleStage.reset;
import static org.assertj.core.api.Assertions.assertThat;

class SessionRoleStageTest {

    @Test
    void onlyASingleStatementOfAResetFormCountsAsAReset() {
        assertThat(reset("RESET SESSION AUTHORIZATION", Dialect.POSTGRESQL)).isEqualTo(FULL);
        assertThat(reset("  set session\n authorization DEFAULT ; ", Dialect.POSTGRESQL)).isEqualTo(FULL);
        assertThat(reset("RESET ROLE", Dialect.POSTGRESQL)).isEqualTo(ROLE);
        assertThat(reset("SET ROLE NONE;", Dialect.POSTGRESQL)).isEqualTo(ROLE);
        assertThat(reset("SET ROLE NONE", Dialect.MARIADB)).isEqualTo(FULL);

        assertThat(reset("SET ROLE reporting", Dialect.POSTGRESQL)).as("a change of the role only").isEqualTo(SETS_ROLE);
        assertThat(reset("SET LOCAL ROLE NONE", Dialect.POSTGRESQL)).as("undone when the transaction ends")
                .isEqualTo(SETS_ROLE);
        assertThat(reset("SET ROLE NONE; SET SESSION AUTHORIZATION x", Dialect.POSTGRESQL)).isEqualTo(NONE);
        assertThat(reset("SET ROLE r; SELECT 1", Dialect.POSTGRESQL)).isEqualTo(NONE);
        assertThat(reset("/* */ RESET ROLE", Dialect.POSTGRESQL)).isEqualTo(NONE);
        assertThat(reset("RESET ALL", Dialect.POSTGRESQL)).as("does not reset the session authorization").isEqualTo(NONE);
        assertThat(reset("SELECT set_config('role', 'none', false)", Dialect.POSTGRESQL)).isEqualTo(NONE);
        assertThat(reset("RESET ROLE", Dialect.GENERIC)).as("no known reset").isEqualTo(NONE);
    }

    @Test
    void onlySetConfigCallsThatAllNameACustomSettingByALiteralAreNotRoleChanges() {
        assertThat(SessionRoleStage.setsOnlyCustomSettings("SELECT set_config('app.tenant', ?, false)")).isTrue();
        assertThat(SessionRoleStage.setsOnlyCustomSettings(
                "select SET_CONFIG( 'app.tenant' , 'a', false), pg_catalog.set_config('request.jwt.claims', ?, true)"))
                .isTrue();

        for (String sql : new String[] {
                "SELECT set_config('role', 'r', false)",
                "SELECT set_config('session_authorization', 'r', false)",
                "SELECT set_config(?, ?, false)",
                "SELECT set_config('app.' || 'x', 'a', false)",
                "SELECT set_config('app.x'::text, 'a', false)",
                "SELECT set_config(E'app.x', 'a', false), set_config('role', 'r', false)",
                "SELECT set_config('app.x', 'a', false), set_config('role', 'r', false)",
                "SELECT set_config('app.x', 'a', false), \"set_config\"('role', 'r', false)",
                "SELECT set_config('app.x', 'a', false), U&\"set\\005fconfig\"('role', 'r', false)",
                "SELECT set_config(/* */'app.x', 'a', false)",
                "SELECT set_config(setting_name => 'app.x', new_value => 'a', is_local => false)",
                "SELECT 1"}) {
            assertThat(SessionRoleStage.setsOnlyCustomSettings(sql)).as(sql).isFalse();
        }
    }
}
