package io.governed.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which columns an UPDATE sets to a parameter as it is, by the parameter's position. */
class WrittenParametersTest {

    @Test
    void anOrmsWholeEntityUpdateSetsEachColumnToItsParameter() {
        assertThat(WrittenParameters.ofUpdate(
                "update app2_customer set email=?, name=?, version=? where id=? and version=?", Dialect.POSTGRESQL))
                .containsExactly(new WrittenParameters.Assignment("email", 1), new WrittenParameters.Assignment("name", 2),
                        new WrittenParameters.Assignment("version", 3));
    }

    @Test
    void aCastParameterCountsAndAnExpressionDoesNot() {
        assertThat(WrittenParameters.ofUpdate("UPDATE t SET a = lower(?), b = CAST(? AS varchar), c = ?::text, d = 'x?'"
                + " WHERE id = ?", Dialect.POSTGRESQL))
                .containsExactly(new WrittenParameters.Assignment("b", 2), new WrittenParameters.Assignment("c", 3));
    }

    @Test
    void namesAreTheDialectsAndOtherStatementsSetNothing() {
        assertThat(WrittenParameters.ofUpdate("UPDATE t SET \"Email\" = ?, NAME = ? WHERE id = ?", Dialect.POSTGRESQL))
                .containsExactly(new WrittenParameters.Assignment("Email", 1), new WrittenParameters.Assignment("name", 2));
        assertThat(WrittenParameters.ofUpdate("UPDATE t SET a = ? FROM u WHERE t.id = u.id", Dialect.POSTGRESQL)).isEmpty();
        assertThat(WrittenParameters.ofUpdate("UPDATE t SET a = ?; UPDATE u SET b = ?", Dialect.POSTGRESQL)).isEmpty();
        assertThat(WrittenParameters.ofUpdate("UPDATE t SET a = ", Dialect.POSTGRESQL)).isEmpty();
    }

    @Test
    void mariaDbAndH2NamesAreReadAsTheirDialectsReadThem() {
        assertThat(WrittenParameters.ofUpdate("update `app_customer` set `email`=?, name=? where id=?", Dialect.MARIADB))
                .containsExactly(new WrittenParameters.Assignment("email", 1), new WrittenParameters.Assignment("name", 2));
        assertThat(WrittenParameters.ofUpdate("UPDATE PEOPLE SET SSN = ? WHERE ID = ?", Dialect.H2))
                .containsExactly(new WrittenParameters.Assignment(Dialect.H2.normalizeIdentifier("SSN"), 1));
    }

    @Test
    void anUpsertsUpdateOfTheConflictingRowSetsItsColumnsToTheNewRowsParameters() {
        assertThat(WrittenParameters.ofUpdate("INSERT INTO c (id, name, email) VALUES (?, ?, ?) ON CONFLICT (id)"
                + " DO UPDATE SET name = EXCLUDED.name, email = excluded.email", Dialect.POSTGRESQL))
                .containsExactly(new WrittenParameters.Assignment("name", 2), new WrittenParameters.Assignment("email", 3));
        assertThat(WrittenParameters.ofUpdate("INSERT INTO c (id, email) VALUES (?, ?), (?, ?) ON CONFLICT (id)"
                + " DO UPDATE SET email = EXCLUDED.email", Dialect.POSTGRESQL))
                .containsExactly(new WrittenParameters.Assignment("email", 2), new WrittenParameters.Assignment("email", 4));
        assertThat(WrittenParameters.ofUpdate("INSERT INTO c (id, email) VALUES (?, ?) ON CONFLICT (id)"
                + " DO UPDATE SET email = ?", Dialect.POSTGRESQL))
                .containsExactly(new WrittenParameters.Assignment("email", 3));
        assertThat(WrittenParameters.ofUpdate("INSERT INTO c (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE"
                + " email = VALUES(email)", Dialect.MARIADB))
                .containsExactly(new WrittenParameters.Assignment("email", 2));
        assertThat(WrittenParameters.ofUpdate("INSERT INTO c (id, email) VALUES (?, ?) ON CONFLICT DO NOTHING",
                Dialect.POSTGRESQL)).isEmpty();
        assertThat(WrittenParameters.ofUpdate("INSERT INTO c (id, email) VALUES (?, ?)", Dialect.POSTGRESQL)).isEmpty();
    }

    @Test
    void aStatementPreparedByNameSetsColumnsToItsNumberedParameters() {
        assertThat(WrittenParameters.ofPreparedByName("UPDATE c SET ssn = $2::text, name = $1 WHERE id = $3",
                Dialect.POSTGRESQL)).containsExactly(new WrittenParameters.Assignment("ssn", 2),
                new WrittenParameters.Assignment("name", 1));
        assertThat(WrittenParameters.ofPreparedByName("UPDATE c SET ssn = ? WHERE id = ?", Dialect.POSTGRESQL))
                .as("not what PostgreSQL's PREPARE takes").isEmpty();
        assertThat(WrittenParameters.ofPreparedByName("UPDATE c SET ssn = ? WHERE id = ?", Dialect.MARIADB))
                .containsExactly(new WrittenParameters.Assignment("ssn", 1));
        assertThat(WrittenParameters.ofUpdate("UPDATE c SET ssn = $1 WHERE id = $2", Dialect.POSTGRESQL))
                .as("a statement the application runs binds ? only").isEmpty();
        assertThat(WrittenParameters.ofPreparedByName("INSERT INTO c (id, ssn) VALUES ($1, $2) ON CONFLICT (id) DO "
                + "UPDATE SET ssn = EXCLUDED.ssn", Dialect.POSTGRESQL))
                .containsExactly(new WrittenParameters.Assignment("ssn", 2));
    }
}
