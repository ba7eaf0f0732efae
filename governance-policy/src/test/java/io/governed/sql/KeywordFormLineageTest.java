package io.governed.sql;

import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Built-in forms that are no function of a catalog (PostgreSQL's XML productions) or are on MariaDB's maintained list
 * of native functions: a call needs no {@code call} permission, and its result carries the lineage of every argument,
 * so a masked column in any slot makes it masked; a quoted or qualified name is a routine of the user's.
 */
class KeywordFormLineageTest {

    private static final SourceColumn SSN = new SourceColumn(table("users"), "ssn");

    /** {@code {x}} is the slot the column fills. */
    @ParameterizedTest
    @ValueSource(strings = {"XMLELEMENT(NAME a, {x})", "XMLELEMENT(NAME a, 'c', left({x}, 3))",
            "XMLELEMENT(NAME a, XMLATTRIBUTES({x}))", "XMLFOREST({x} AS a)",
            "XMLFOREST('1' AS a, {x})", "XMLFOREST({x})", "XMLCONCAT({x}::xml, '<b/>'::xml)",
            "XMLCONCAT('<b/>'::xml, XMLPARSE(CONTENT {x}))", "XMLPARSE(CONTENT {x})", "XMLPARSE(DOCUMENT {x})",
            "XMLPARSE(DOCUMENT '<a>' || {x} || '</a>' PRESERVE WHITESPACE)",
            "XMLROOT(XMLPARSE(CONTENT {x}), VERSION NO VALUE, STANDALONE NO VALUE)",
            "XMLSERIALIZE(CONTENT XMLELEMENT(NAME a, {x}) AS text)"})
    void postgresqlXmlFormsCarryTheLineageOfEveryArgumentAndCallNoRoutine(String form) {
        String sql = "SELECT " + form.replace("{x}", "ssn") + " FROM users";
        StatementAnalysis analysis = pg(sql);
        ResultColumn column = analysis.resultColumns().get(0);
        assertThat(column.sources()).as(sql).contains(SSN);
        assertThat(column.unknownLineage()).as(sql).isFalse();
        assertThat(analysis.routines()).as(sql).isEmpty();
        StatementAnalysis filtered = pg("SELECT id FROM users WHERE CAST(" + form.replace("{x}", "ssn") + " AS text) < '5'");
        assertThat(filtered.columns()).as(sql).anyMatch(c -> c.clause() == Clause.WHERE && c.column().equals("ssn"));
    }

    /**
     * Forms JSQLParser 5.4 cannot read, refused as unparseable before any rule applies: a parser that reads them has
     * them tried above, and {@link ExpressionWalker}'s forms extended ({@code XMLPI} is not taken for a
     * built-in until then).
     */
    @ParameterizedTest
    @ValueSource(strings = {"XMLELEMENT(NAME a, XMLATTRIBUTES(ssn AS b))", "XMLPI(NAME php, ssn)",
            "XMLROOT('<a/>'::xml, VERSION ssn)", "XMLROOT(XMLPARSE(CONTENT ssn), VERSION NO VALUE, STANDALONE YES)"})
    void xmlFormsTheParserCannotRead(String form) {
        assertThat(Analyses.analyze("SELECT " + form + " FROM users", Dialect.POSTGRESQL).parseError()).as(form).isNotNull();
    }

    @Test
    void aQuotedOrQualifiedXmlNameIsAUsersRoutine() {
        for (String sql : List.of("SELECT \"xmlelement\"(ssn) FROM users", "SELECT public.xmlparse(ssn) FROM users",
                "SELECT pg_catalog.xmlforest(ssn) FROM users", "SELECT \"XMLCONCAT\"(ssn) FROM users", "SELECT app.xmlattributes(ssn) FROM users")) {
            StatementAnalysis analysis = pg(sql);
            assertThat(analysis.routines()).as(sql).hasSize(1);
            assertThat(analysis.resultColumns().get(0).unknownLineage()).as(sql).isTrue();
        }
    }

    @Test
    void theXmlFormsAreNoBuiltInsElsewhere() {
        StatementAnalysis analysis = maria("SELECT xmlelement(ssn) FROM users");
        assertThat(analysis.routines()).hasSize(1);
        assertThat(analysis.resultColumns().get(0).unknownLineage()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONCAT_OPERATOR_ORACLE", "SUBSTR_ORACLE", "LPAD_ORACLE", "RPAD_ORACLE", "REPLACE_ORACLE",
            "TRIM_ORACLE", "LTRIM_ORACLE", "RTRIM_ORACLE", "DECODE_ORACLE", "LENGTHB", "ADD_MONTHS", "STD", "INTERVAL",
            "NAME_CONST", "DEFAULT", "BINARY", "SHA", "QUOTE", "BIT_COUNT", "TIME_FORMAT", "RANDOM_BYTES", "PASSWORD",
            "OLD_PASSWORD", "COMPRESS", "UNCOMPRESS", "UNCOMPRESSED_LENGTH", "AES_ENCRYPT", "AES_DECRYPT", "ENCRYPT",
            "IS_IPV4_MAPPED", "IS_IPV4_COMPAT", "JSON_CONTAINS_PATH", "JSON_PRETTY", "JSON_OVERLAPS", "JSON_EQUALS",
            "JSON_NORMALIZE", "DECODE_HISTOGRAM", "EXTRACTVALUE", "UPDATEXML", "COLUMN_CREATE", "COLUMN_ADD",
            "COLUMN_DELETE", "COLUMN_EXISTS", "COLUMN_LIST", "COLUMN_CHECK", "ST_GEOMFROMTEXT", "ST_POINTFROMTEXT",
            "ST_LINEFROMTEXT", "ST_POLYFROMTEXT", "ST_GEOMCOLLFROMTEXT", "MPOINTFROMTEXT", "MLINEFROMTEXT", "MPOLYFROMTEXT",
            "ST_GEOMFROMGEOJSON", "ST_ASTEXT"})
    void mariaDbNativeFunctionsCarryTheLineageOfEveryArgument(String name) {
        for (int arity = 1; arity <= 3; arity++) {
            for (int slot = 0; slot < arity; slot++) {
                StringBuilder call = new StringBuilder(name).append('(');
                for (int i = 0; i < arity; i++) {
                    call.append(i == 0 ? "" : ", ").append(i == slot ? "ssn" : "'1'");
                }
                String sql = "SELECT " + call + ") FROM users";
                StatementAnalysis analysis = maria(sql);
                ResultColumn column = analysis.resultColumns().get(0);
                assertThat(column.sources()).as(sql).contains(SSN);
                assertThat(column.unknownLineage()).as(sql).isFalse();
                assertThat(analysis.routines()).as(sql).isEmpty();
                assertThat(maria("SELECT id FROM users WHERE " + call + ") < '5'").columns()).as(sql)
                        .anyMatch(c -> c.clause() == Clause.WHERE && c.column().equals("ssn"));
            }
        }
        // qualified, the name is a stored function of that database's
        StatementAnalysis qualified = maria("SELECT app." + name + "(ssn) FROM users");
        assertThat(qualified.routines()).hasSize(1);
        assertThat(qualified.resultColumns().get(0).unknownLineage()).isTrue();
    }
}
