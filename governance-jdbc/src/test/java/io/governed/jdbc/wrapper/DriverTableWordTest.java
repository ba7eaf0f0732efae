package io.governed.jdbc.wrapper;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The table pgjdbc takes for an updatable result's writes: the word after the first white-space-delimited {@code from}
 * of the query's text (after {@code ONLY}), and that word read as PostgreSQL reads a possibly qualified name. A word that
 * is anything but a name gives no parts, so the write is refused rather than compared loosely.
 */
class DriverTableWordTest {

    @Test
    void theWordAfterTheFirstFromWhereverItStands() {
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT id FROM t WHERE id = 1")).isEqualTo("t");
        assertThat(RowWriteStatement.pgjdbcTableWord("select id\nfrom\tvault.t")).isEqualTo("vault.t");
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT id FROM ONLY public.t")).isEqualTo("public.t");
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT id /* from vault.s */ FROM t")).isEqualTo("vault.s");
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT ' from vault.s ' FROM t")).isEqualTo("vault.s");
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT (SELECT 1 from vault.s) FROM t")).isEqualTo("vault.s)");
        // a 'from' glued to other characters is no word of its own for the driver
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT id/*x*/FROM(t) FROM t2")).isEqualTo("t2");
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT 1")).isNull();
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT 1 FROM")).isNull();
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT 1 FROM ONLY")).isNull();
    }

    @Test
    void aWordIsReadAsPostgresqlReadsANameOrNotAtAll() {
        assertThat(RowWriteStatement.identifierParts("Accounts")).containsExactly("accounts");
        assertThat(RowWriteStatement.identifierParts("Public.Accounts")).containsExactly("public", "accounts");
        assertThat(RowWriteStatement.identifierParts("\"Public\".\"Acc\"\"ounts\"")).containsExactly("Public", "Acc\"ounts");
        assertThat(RowWriteStatement.identifierParts("db.public.t")).containsExactly("db", "public", "t");
        assertThat(RowWriteStatement.identifierParts("_t$1")).containsExactly("_t$1");
        for (String notAName : new String[] {"t,", "t)", "(t", "'t'", "t.", ".t", "a.b.c.d", "\"\"", "\"t", "1t", "t;",
                "vault.secrets*/", "t-1", ""}) {
            assertThat(RowWriteStatement.identifierParts(notAName)).as(notAName).isNull();
        }
    }

    @Property
    void aQuotedNameReadsBackAsWrittenAndAnUnquotedOneFoldsToLowerCase(
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String schema,
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String table) {
        String quoted = "\"" + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + "\"";
        assertThat(RowWriteStatement.identifierParts(quoted)).containsExactly(schema, table);
        assertThat(RowWriteStatement.identifierParts(schema + "." + table))
                .containsExactly(schema.toLowerCase(java.util.Locale.ROOT), table.toLowerCase(java.util.Locale.ROOT));
        assertThat(RowWriteStatement.pgjdbcTableWord("SELECT x /* from " + quoted + " */ FROM t")).isEqualTo(quoted);
    }
}
