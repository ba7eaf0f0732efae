package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Index and key forms migrations write: index items with an operator class ({@code text_pattern_ops}) or a collation,
 * expressions in an index list, MariaDB's prefix lengths ({@code name(10)}), PostgreSQL's {@code ADD … UNIQUE|PRIMARY
 * KEY (…) INCLUDE (…)} and {@code ADD … UNIQUE|PRIMARY KEY USING INDEX i}, H2's {@code TRUNCATE TABLE t RESTART|CONTINUE
 * IDENTITY}. Each is read for what it touches: the columns an index compares (unique) or computes (an expression), the
 * routines its expressions call, the tables it changes.
 */
class IndexAndKeyFormsTest {

    private static SqlAnalysis analyze(String sql, Dialect dialect) {
        return new SqlAnalyzer().analyze(sql, dialect);
    }

    private static StatementAnalysis only(String sql, Dialect dialect) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parseError()).as(sql).isNull();
        assertThat(analysis.statements()).as(sql).hasSize(1);
        return analysis.statements().get(0);
    }

    private static TableRef ref(String schema, String name) {
        return new TableRef(schema, name);
    }

    private static ColumnRef col(TableRef table, String column, Clause clause) {
        return new ColumnRef(table, column, clause);
    }

    @Test
    void anExpressionInAnIndexListIsReadForItsColumnsNotAsAColumnNamedLikeItsFunction() {
        TableRef users = ref(null, "users");
        // a unique index compares the expression's values: the column beneath it, never a column named lower
        StatementAnalysis unique = only("CREATE UNIQUE INDEX i ON users (lower(ssn))", Dialect.POSTGRESQL);
        assertThat(unique.columns()).extracting(ColumnRef::column).contains("ssn").doesNotContain("lower");
        assertThat(unique.columns()).contains(col(users, "ssn", Clause.COMPARED));
        // an index on an expression computes it on every row
        StatementAnalysis plain = only("CREATE INDEX i ON users (lower(ssn))", Dialect.POSTGRESQL);
        assertThat(plain.columns()).contains(col(users, "ssn", Clause.COMPUTED));
        StatementAnalysis opclass = only("CREATE INDEX i ON users (lower(ssn) text_pattern_ops)", Dialect.POSTGRESQL);
        assertThat(opclass.columns()).contains(col(users, "ssn", Clause.COMPUTED)).extracting(ColumnRef::column)
                .doesNotContain("lower", "text_pattern_ops");
        StatementAnalysis uniqueOpclass = only("CREATE UNIQUE INDEX CONCURRENTLY i ON app.users"
                + " (lower(email) text_pattern_ops, tenant)", Dialect.POSTGRESQL);
        assertThat(uniqueOpclass.columns()).contains(col(ref("app", "users"), "email", Clause.COMPARED),
                col(ref("app", "users"), "tenant", Clause.COMPARED));
        // a routine of the user's in an index item is a routine the index runs on every write of the table
        StatementAnalysis leak = only("CREATE INDEX i ON users (leak(ssn) text_pattern_ops)", Dialect.POSTGRESQL);
        assertThat(leak.routines()).containsExactly(ref(null, "leak"));
        assertThat(leak.traits()).contains(Trait.ATTACHES_CODE);
        assertThat(leak.columns()).contains(col(users, "ssn", Clause.COMPUTED));
        // two arguments, an order
        StatementAnalysis two = only("CREATE INDEX i ON users (coalesce(a, b) varchar_pattern_ops DESC)",
                Dialect.POSTGRESQL);
        assertThat(two.columns()).contains(col(users, "a", Clause.COMPUTED), col(users, "b", Clause.COMPUTED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POSTGRESQL | CREATE INDEX i ON users (email text_pattern_ops)",
            "POSTGRESQL | CREATE INDEX i ON users (email varchar_pattern_ops, name)",
            "POSTGRESQL | CREATE INDEX i ON users USING btree (email text_pattern_ops DESC NULLS LAST)",
            "POSTGRESQL | CREATE INDEX i ON users (email COLLATE \"C\" text_pattern_ops)",
            "POSTGRESQL | CREATE INDEX i ON users USING gin (body jsonb_path_ops)",
            "POSTGRESQL | CREATE INDEX i ON users (lower(email) text_pattern_ops)",
            "POSTGRESQL | CREATE UNIQUE INDEX i ON users (lower(email)) INCLUDE (name)",
            "MARIADB    | CREATE INDEX i ON users (name(10))",
            "MARIADB    | CREATE UNIQUE INDEX i ON users (email(100), tenant)",
            "MARIADB    | CREATE INDEX i ON users (name ( 10 ) DESC, email)",
            "MARIADB    | ALTER TABLE users ADD INDEX (email(10))",
            "MARIADB    | ALTER TABLE users ADD INDEX (email), ADD KEY (name(20))",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE (email) INCLUDE (name)",
            "POSTGRESQL | ALTER TABLE ONLY users ADD CONSTRAINT pk PRIMARY KEY (id) INCLUDE (name, email)",
            "POSTGRESQL | ALTER TABLE users ADD UNIQUE (email) INCLUDE (name)",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email_idx",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT pk PRIMARY KEY USING INDEX users_id_idx",
            "POSTGRESQL | ALTER TABLE IF EXISTS ONLY app.users ADD PRIMARY KEY USING INDEX users_id_idx DEFERRABLE INITIALLY DEFERRED",
            "H2         | TRUNCATE TABLE users RESTART IDENTITY",
            "H2         | TRUNCATE TABLE users CONTINUE IDENTITY",
    })
    void aMigrationsIndexOrKeyFormIsRead(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql + ": " + analysis.parseError()).isTrue();
        assertThat(analysis.actions()).as(sql).doesNotContain(Action.UNKNOWN);
    }

    @Test
    void aPrefixLengthIsNoRoutineCall() {
        TableRef users = ref(null, "users");
        StatementAnalysis unique = only("CREATE UNIQUE INDEX i ON users (email(100), tenant)", Dialect.MARIADB);
        assertThat(unique.routines()).isEmpty();
        assertThat(unique.traits()).doesNotContain(Trait.ATTACHES_CODE);
        assertThat(unique.columns()).containsExactlyInAnyOrder(col(users, "email", Clause.COMPARED),
                col(users, "tenant", Clause.COMPARED));
        StatementAnalysis plain = only("CREATE INDEX i ON users (name(10))", Dialect.MARIADB);
        assertThat(plain.routines()).isEmpty();
        assertThat(plain.traits()).doesNotContain(Trait.ATTACHES_CODE);
        // anything but a length in the parentheses is still a call, as MariaDB reads it (and refuses it)
        StatementAnalysis call = only("CREATE INDEX i ON users (leak(ssn))", Dialect.MARIADB);
        assertThat(call.routines()).containsExactly(ref(null, "leak"));
        // PostgreSQL has no prefix lengths: name(10) there is a call of name
        assertThat(only("CREATE INDEX i ON users (name(10))", Dialect.POSTGRESQL).routines())
                .containsExactly(ref(null, "name"));
    }

    @Test
    void includedColumnsOfAKeyAreReadAsCreateIndexReadsThem() {
        StatementAnalysis include = only("ALTER TABLE app.users ADD CONSTRAINT u UNIQUE (email, tenant) INCLUDE (name)",
                Dialect.POSTGRESQL);
        assertThat(include).isEqualTo(only("ALTER TABLE app.users ADD CONSTRAINT u UNIQUE (email, tenant)",
                Dialect.POSTGRESQL));
        assertThat(only("ALTER TABLE ONLY users ADD PRIMARY KEY (id) INCLUDE (a, b) DEFERRABLE", Dialect.POSTGRESQL))
                .isEqualTo(only("ALTER TABLE ONLY users ADD PRIMARY KEY (id)", Dialect.POSTGRESQL));
    }

    @Test
    void aKeyTakingOverAnIndexAltersTheTableAndTheIndexItRenames() {
        StatementAnalysis unique = only("ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX"
                + " users_email_idx", Dialect.POSTGRESQL);
        assertThat(unique.action()).isEqualTo(Action.ALTER);
        // the index takes the constraint's name: both names are the index's
        assertThat(unique.tablesWritten()).containsExactlyInAnyOrder(ref("app", "users"), ref("app", "users_email_idx"),
                ref("app", "users_email_key"));
        assertThat(unique.tablesRead()).isEmpty();
        assertThat(unique.traits()).contains(Trait.RENAMES);
        // which columns the index holds is not read: every column of the table counts as compared
        assertThat(unique.columns()).containsExactly(col(ref("app", "users"), ColumnRef.ALL_COLUMNS, Clause.COMPARED));
        assertThat(unique.routines()).isEmpty();

        StatementAnalysis pk = only("alter table if exists only \"Users\" add primary key using index \"Users_Idx\"",
                Dialect.POSTGRESQL);
        assertThat(pk.tablesWritten()).containsExactlyInAnyOrder(ref(null, "Users"), ref(null, "Users_Idx"));
        assertThat(pk.traits()).contains(Trait.IF_EXISTS).doesNotContain(Trait.RENAMES);
        assertThat(pk.columns()).containsExactly(col(ref(null, "Users"), ColumnRef.ALL_COLUMNS, Clause.COMPARED));
    }

    @Test
    void h2sRestartIdentityAltersTheTruncatedTable() {
        StatementAnalysis restart = only("TRUNCATE TABLE app.users RESTART IDENTITY", Dialect.H2);
        assertThat(restart.action()).isEqualTo(Action.TRUNCATE);
        assertThat(restart.tablesWritten()).containsExactly(ref("APP", "USERS"));
        assertThat(restart.traits()).containsExactly(Trait.RESTARTS_TABLE_IDENTITY);
        StatementAnalysis cont = only("truncate table \"Users\" continue identity", Dialect.H2);
        assertThat(cont).isEqualTo(only("TRUNCATE TABLE \"Users\"", Dialect.H2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // options after a call that are no operator class or order (a call whose arguments hold parentheses is read:
            // PgDumpFormsTest)
            "POSTGRESQL | CREATE INDEX i ON users (f(a)::text)",
            "POSTGRESQL | CREATE INDEX i ON users (f(a) + 1)",
            "POSTGRESQL | CREATE INDEX i ON users (f(a) (b))",
            "POSTGRESQL | CREATE INDEX i ON users (f(a) text_pattern_ops varchar_pattern_ops)",
            // USING INDEX: one clause, an index name of one part, modifiers only after it
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX a.b",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX i, ADD COLUMN x int",
            "POSTGRESQL | ALTER TABLE users ADD COLUMN x int, ADD CONSTRAINT u UNIQUE USING INDEX i",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX i x",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u CHECK USING INDEX i",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX i NOT VALID",
            "MARIADB    | ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX i",
            // INCLUDE: after a key's column list only
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE (a) INCLUDE b",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE (a) INCLUDE (b) x",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT c CHECK (a > 0) INCLUDE (b)",
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT u UNIQUE (a) INCLUDE (b) INCLUDE (c)",
            "MARIADB    | ALTER TABLE users ADD CONSTRAINT u UNIQUE (a) INCLUDE (b)",
            // H2's identity clause: after the one table of TRUNCATE TABLE, nothing after it
            "H2         | TRUNCATE TABLE users RESTART IDENTITY x",
            "H2         | TRUNCATE TABLE users RESTART",
            "H2         | TRUNCATE TABLE a, b RESTART IDENTITY",
            "H2         | TRUNCATE TABLE RESTART IDENTITY",
            "H2         | TRUNCATE TABLE users RESTART IDENTITY CASCADE",
    })
    void nearMissesStayUnparseable(Dialect dialect, String sql) {
        SqlAnalysis analysis = analyze(sql, dialect);
        assertThat(analysis.parsed()).as(sql).isFalse();
        assertThat(analysis.actions()).containsExactly(Action.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // the words inside a comment or a string are not the clause
            "POSTGRESQL | ALTER TABLE users ADD CONSTRAINT c CHECK (note <> ' USING INDEX i') | ALTER TABLE users ADD CONSTRAINT c CHECK (note <> 'x')",
            "POSTGRESQL | ALTER TABLE users /* UNIQUE USING INDEX i */ ADD CONSTRAINT u UNIQUE (a) INCLUDE (b) | ALTER TABLE users ADD CONSTRAINT u UNIQUE (a)",
            "POSTGRESQL | ALTER TABLE \"include\" ADD CONSTRAINT u UNIQUE (\"include\") INCLUDE (\"using\") | ALTER TABLE \"include\" ADD CONSTRAINT u UNIQUE (\"include\")",
            "H2         | TRUNCATE TABLE \"RESTART\" CONTINUE IDENTITY | TRUNCATE TABLE \"RESTART\"",
    })
    void anAdversarialTextIsReadAsTheFormItEquals(Dialect dialect, String sql, String equivalent) {
        assertThat(only(sql, dialect)).isEqualTo(only(equivalent, dialect));
    }
}
