package io.governed.jdbc.routines;

import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stable built-in of PostgreSQL's catalog may read tables ({@code table_to_xml('vault.notes', …)}), unless the
 * analyser's maintained list vouches for it ({@code to_tsvector} depends on the text search configuration, a setting,
 * not on any table): full-text search stays a read of the tables the statement names.
 */
class PostgresRoutineCatalogTest {

    private final PostgresRoutineCatalog catalog = new PostgresRoutineCatalog(
            Set.of("table_to_xml", "to_tsvector", "plainto_tsquery", "lower"),
            Set.of("table_to_xml", "to_tsvector", "plainto_tsquery"));

    @Test
    void aStableBuiltInOffTheMaintainedListMayReadTables() {
        assertThat(catalog.mayReadTables(new TableRef(null, "table_to_xml"))).isTrue();
        assertThat(catalog.mayReadTables(new TableRef("pg_catalog", "table_to_xml"))).isTrue();
    }

    @Test
    void maintainedBuiltInsAndImmutableOnesReadNoTable() {
        assertThat(catalog.mayReadTables(new TableRef(null, "to_tsvector"))).isFalse();
        assertThat(catalog.mayReadTables(new TableRef(null, "plainto_tsquery"))).isFalse();
        assertThat(catalog.mayReadTables(new TableRef(null, "lower"))).isFalse();
        assertThat(catalog.mayReadTables(new TableRef("public", "table_to_xml"))).as("a user function: a call").isFalse();
    }
}
