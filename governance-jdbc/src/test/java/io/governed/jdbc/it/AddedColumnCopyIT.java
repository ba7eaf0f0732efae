package io.governed.jdbc.it;

import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An ALTER TABLE that only adds is permitted by the baseline to everyone ({@code adds-only}). An added column computed
 * from another (a generated column) copies that column's values under a name no mask covers, and an added CHECK
 * constraint or foreign key answers whether any row's value passes a test: neither only adds. Under a policy that, as
 * the baseline does, permits additive ALTERs, an analyst who reads an API key redacted must not read it through a
 * column she added, nor test it through a constraint; the table's columns are read back through a raw connection.
 */
class AddedColumnCopyIT {
    private static final String KEY = "k7-internal-000451";

    @TempDir
    Path dir;

    private Path policy() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    secret: ["*.api_key"]
                rules:
                  - { id: read, effect: permit, actions: [select] }
                  - { id: additive-alter, effect: permit, actions: [alter], when: { traits: [adds-only] } }
                masks:
                  - { id: hide-secrets, columns: { tags: [secret] }, function: redact }
                """);
        return policy;
    }

    private static String generated(TestDatabase database, String column, String expression) {
        return switch (database) {
            case POSTGRESQL -> column + " text GENERATED ALWAYS AS (" + expression + ") STORED";
            case MARIADB -> column + " VARCHAR(40) AS (" + expression + ") VIRTUAL";
            default -> column + " VARCHAR(40) GENERATED ALWAYS AS (" + expression + ")";
        };
    }

    private static List<String> columns(TestDatabase database, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = database.connectRaw(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                names.add(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void aColumnComputedFromAMaskedOneOrAConstraintTestingItIsNoAdditiveAlter(TestDatabase database) throws Exception {
        database.requireReachable();
        String table = UniqueNames.of("added_copy");
        try (Connection c = database.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, owner VARCHAR(20), api_key VARCHAR(40))");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ada', '" + KEY + "')");
        }
        try (Connection c = database.connectGoverned(policy(), null, "analysts"); Statement s = c.createStatement()) {
            for (String alter : new String[] {
                    "ALTER TABLE " + table + " ADD COLUMN " + generated(database, "k", database == TestDatabase.POSTGRESQL ? "'x' || api_key" : "CONCAT('x', api_key)"),
                    "ALTER TABLE " + table + " ADD COLUMN " + generated(database, "k", "api_key"),
                    "ALTER TABLE " + table + " ADD CONSTRAINT probe CHECK (api_key NOT LIKE 'k7%')",
                    "ALTER TABLE " + table + " ADD COLUMN k INT CHECK (k IS NULL OR api_key LIKE 'k7%')",
                    "ALTER TABLE " + table + " ADD COLUMN k VARCHAR(40) DEFAULT 'x', ADD CONSTRAINT probe CHECK (api_key <> k)"}) {
                assertThatThrownBy(() -> s.execute(alter)).as(alter)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            assertThat(columns(database, table)).as("nothing was added").containsExactly("id", "owner", "api_key");
            // plain additions still are additive
            s.execute("ALTER TABLE " + table + " ADD COLUMN note VARCHAR(40) DEFAULT 'none' NOT NULL");
            s.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + table + "_owner UNIQUE (owner)");
            assertThat(columns(database, table)).containsExactly("id", "owner", "api_key", "note");
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                rs.next();
                for (int i = 1; i <= 4; i++) {
                    assertThat(String.valueOf(rs.getObject(i))).doesNotContain(KEY);
                }
            }
        } finally {
            try (Connection c = database.connectRaw(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
    }

    private Path alterPermittedPolicy() throws Exception {
        Path policy = dir.resolve("steward.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    secret: ["*.api_key"]
                rules:
                  - { id: read, effect: permit, actions: [select] }
                  - { id: steward-alter, effect: permit, actions: [alter] }
                  - { id: no-destructive-alter, effect: forbid, actions: [alter], when: { traits: [drops-part] } }
                masks:
                  - { id: hide-secrets, columns: { tags: [secret] }, function: redact }
                """);
        return policy;
    }

    private static String retype(TestDatabase database, String table, String column, String type) {
        return switch (database) {
            case POSTGRESQL -> "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + type;
            case MARIADB -> "ALTER TABLE " + table + " MODIFY " + column + " " + type;
            default -> "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE " + type;
        };
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRESQL", "MARIADB"})
    void anyAlterWhoseExpressionReadsAMaskedColumnIsRefusedToThoseTheMaskAppliesTo(TestDatabase database) throws Exception {
        database.requireReachable();
        String table = UniqueNames.of("alter_copy");
        try (Connection c = database.connectRaw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, owner VARCHAR(20), api_key VARCHAR(40))");
            s.execute("INSERT INTO " + table + " VALUES (1, 'ada', '" + KEY + "')");
        }
        try (Connection c = database.connectGoverned(alterPermittedPolicy(), null, "analysts"); Statement s = c.createStatement()) {
            List<String> copies = new ArrayList<>(List.of(
                    "ALTER TABLE " + table + " ADD COLUMN " + generated(database, "k", "api_key"),
                    "ALTER TABLE " + table + " ADD CONSTRAINT probe CHECK (api_key NOT LIKE 'k7%')"));
            for (String alter : copies) {
                assertThatThrownBy(() -> s.execute(alter)).as(alter)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("hide-secrets");
            }
            assertThat(columns(database, table)).as("nothing was added").containsExactly("id", "owner", "api_key");
            try (Connection raw = database.connectRaw(); Statement r = raw.createStatement();
                 ResultSet rs = r.executeQuery("SELECT owner FROM " + table)) {
                rs.next();
                assertThat(rs.getString(1)).as("the column a USING would have rewritten kept its value").isEqualTo("ada");
            }
            // a new type may round, cut or replace every value: it drops part of the table
            List<String> destroying = new ArrayList<>(List.of(retype(database, table, "owner", "VARCHAR(30)")));
            if (database == TestDatabase.POSTGRESQL) {
                destroying.add(retype(database, table, "owner", "VARCHAR(30) USING NULL"));
                destroying.add(retype(database, table, "owner", "VARCHAR(40) USING api_key"));
            }
            for (String alter : destroying) {
                assertThatThrownBy(() -> s.execute(alter)).as(alter)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                        .hasMessageContaining("no-destructive-alter");
            }
            // changes that keep every value, and whose expressions read no masked column, still run
            s.execute("ALTER TABLE " + table + " ALTER COLUMN owner SET DEFAULT 'nobody'");
            s.execute("ALTER TABLE " + table + " ADD COLUMN " + generated(database, "label", database == TestDatabase.POSTGRESQL
                    ? "'#' || owner" : "CONCAT('#', owner)"));
            try (ResultSet rs = s.executeQuery("SELECT label, api_key FROM " + table)) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("#ada");
                assertThat(rs.getString(2)).doesNotContain(KEY);
            }
        } finally {
            try (Connection c = database.connectRaw(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
    }
}
