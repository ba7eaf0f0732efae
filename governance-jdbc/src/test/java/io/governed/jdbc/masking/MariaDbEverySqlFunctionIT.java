package io.governed.jdbc.masking;

import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No function MariaDB's parser reads itself shows an agent anything of a masked column, nor an analyst a masked
 * value: the list is the server's own, {@code information_schema.SQL_FUNCTIONS} (the names the grammar knows as
 * functions, as against those its function registry resolves), which {@link MariaDbEveryBuiltInFunctionIT}'s help
 * topics do not all show as calls ({@code NVL}, {@code SHA}, the {@code _ORACLE} variants…).
 * <p>
 * Each listed name is called with no argument and with one to three, the masked text column {@code c.ssn} (of
 * {@link MaskedValuesNonInterferenceSpec}'s two databases, A and B: the same rows but for the SSNs) in each position
 * and a literal ({@code 1}, or the JSON path {@code '$'}) in the others; where the server rejects the plain call and
 * runs it as a window function ({@code LAG(x) OVER (…)}), that form is tried too. Then the grammar's keyword forms
 * ({@link #KEYWORD_FORMS}: {@code CONVERT(x USING utf8mb4)}, {@code CAST(x AS CHAR)}, {@code TRIM(LEADING y FROM x)},
 * {@code SUBSTRING(x FROM 1 FOR 3)}, {@code POSITION(y IN x)}, {@code EXTRACT(DAY FROM x)}, {@code CHAR(x USING
 * latin1)}, {@code GROUP_CONCAT(x ORDER BY x SEPARATOR ',')}, {@code JSON_ARRAYAGG}, {@code WEIGHT_STRING},
 * {@code MATCH … AGAINST}, {@code JSON_TABLE}, {@code COLUMN_GET(… AS type)}, {@code INTERVAL}…) with the column in each
 * slot that takes an expression. Each runs through the governed driver in a select list and in a condition for the
 * agent and in a select list for the analyst (see {@link BuiltInCallOutcomes}).
 */
@ServerWide("GRANT/REVOKE, MariaDB USE of another database, MariaDB schemas (databases), databases, roles or users, server catalogs")
class MariaDbEverySqlFunctionIT {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbEverySqlFunctionIT.class);
    /** The two databases, shared with the other sweep of MariaDB's functions in this JVM, and the outcomes read there. */
    @RegisterExtension
    static final BuiltInCallOutcomes.SharedMariaDb MARIADB = new BuiltInCallOutcomes.SharedMariaDb();
    private static final String X = "{x}";
    private static BuiltInCallOutcomes outcomes;

    /** An expression form ({@code value}: its result is a value of the column, not an answer of a filter or sort on it). */
    record Form(String expression, boolean value) {
    }

    private static Form v(String expression) {
        return new Form(expression, true);
    }

    private static Form answer(String expression) {
        return new Form(expression, false);
    }

    /** The forms of the grammar that are not plain calls, with {@link #X} where the column goes. */
    static final List<Form> KEYWORD_FORMS = new ArrayList<>();

    static {
        for (String charset : List.of("utf8mb4", "latin1", "binary", "ascii", "ucs2")) {
            KEYWORD_FORMS.add(v("CONVERT(" + X + " USING " + charset + ")"));
            KEYWORD_FORMS.add(v("CHAR(LEFT(" + X + ", 3) USING " + charset + ")"));
        }
        KEYWORD_FORMS.add(v("CHAR(" + X + " USING latin1)"));
        KEYWORD_FORMS.add(v("CHAR(" + X + ")"));
        KEYWORD_FORMS.add(v("CHAR(LEFT(" + X + ", 3), 65)"));
        for (String type : List.of("CHAR", "CHAR(3)", "CHAR CHARACTER SET latin1", "NCHAR", "BINARY", "BINARY(4)", "SIGNED",
                "UNSIGNED", "SIGNED INTEGER", "INTEGER", "DECIMAL(5, 1)", "DOUBLE", "FLOAT", "DATE", "TIME", "DATETIME",
                "DATETIME(3)", "VARCHAR(4)", "INET6", "INET4", "UUID", "INTERVAL DAY_SECOND", "JSON")) {
            for (String source : List.of(X, "LEFT(" + X + ", 3)", "CONCAT('2020-01-1', LEFT(" + X + ", 1))",
                    "CONCAT('::', LEFT(" + X + ", 3))")) {
                KEYWORD_FORMS.add(v("CAST(" + source + " AS " + type + ")"));
                KEYWORD_FORMS.add(v("CONVERT(" + source + ", " + type + ")"));
            }
        }
        for (String form : List.of("TRIM(LEADING '1' FROM {x})", "TRIM(TRAILING '9' FROM {x})", "TRIM(BOTH '1' FROM {x})",
                "TRIM('1' FROM {x})", "TRIM({x})", "TRIM(LEADING FROM {x})", "TRIM(BOTH {x} FROM '123')",
                "TRIM(LEADING LEFT({x}, 1) FROM '111a')", "LTRIM({x})", "RTRIM({x})",
                "SUBSTRING({x} FROM 1 FOR 3)", "SUBSTRING({x} FROM 2)", "SUBSTR({x} FROM 1 FOR 3)", "SUBSTRING({x}, 1, 3)",
                "SUBSTRING('abcdefghij' FROM LEFT({x}, 1))", "SUBSTRING('abcdefghij' FROM 1 FOR LEFT({x}, 1))",
                "MID({x}, 1, 3)", "MID({x} FROM 1 FOR 3)",
                "POSITION('5' IN {x})", "POSITION({x} IN 'abc')", "POSITION(LEFT({x}, 1) IN '0123456789')",
                "EXTRACT(DAY FROM {x})", "EXTRACT(DAY FROM CONCAT('2020-01-1', LEFT({x}, 1)))",
                "EXTRACT(YEAR_MONTH FROM CONCAT('20', LEFT({x}, 2), '-01-01'))", "EXTRACT(MICROSECOND FROM {x})",
                "DATE_ADD('2020-01-01', INTERVAL LEFT({x}, 1) DAY)", "DATE_ADD({x}, INTERVAL 1 DAY)",
                "DATE_SUB('2020-01-01', INTERVAL LEFT({x}, 1) MONTH)", "ADDDATE('2020-01-01', INTERVAL LEFT({x}, 1) DAY)",
                "SUBDATE('2020-01-01', INTERVAL LEFT({x}, 1) DAY)", "'2020-01-01' + INTERVAL LEFT({x}, 1) DAY",
                "INTERVAL LEFT({x}, 1) DAY + '2020-01-01'", "TIMESTAMPADD(DAY, LEFT({x}, 1), '2020-01-01')",
                "TIMESTAMPDIFF(DAY, '2020-01-01', CONCAT('2020-01-1', LEFT({x}, 1)))", "TIMESTAMPDIFF(DAY, {x}, '2020-01-01')",
                "INTERVAL(LEFT({x}, 1), 1, 5)", "INTERVAL({x}, 1)",
                "WEIGHT_STRING({x})", "WEIGHT_STRING({x} AS CHAR(3))", "WEIGHT_STRING({x} AS BINARY(4))",
                "WEIGHT_STRING(LEFT({x}, 3) LEVEL 1)",
                "MATCH(c.ssn) AGAINST ('123')", "MATCH(c.ssn) AGAINST ('1*' IN BOOLEAN MODE)",
                "MATCH(c.name) AGAINST ({x})",
                "{x} COLLATE utf8mb4_bin", "BINARY {x}", "{x} SOUNDS LIKE '1'", "{x} REGEXP '^1'", "{x} RLIKE '^1'",
                "'1' REGEXP {x}", "{x} LIKE '1#%' ESCAPE '#'", "{x} NOT LIKE '1%'", "{x} BETWEEN '1' AND '5'",
                "IF({x} < '5', 1, 0)", "IF(true, {x}, 'a')", "IFNULL({x}, 'a')", "CASE WHEN {x} < '5' THEN 1 ELSE 0 END",
                "CASE {x} WHEN 'a' THEN 1 END", "CASE WHEN true THEN {x} END", "{x} IS NULL", "({x} < '5') IS TRUE",
                "{x} <=> 'a'", "{x} IN ('a', 'b')", "LEFT({x}, 1) IN ('1', '2')", "{x} DIV 1", "{x} MOD 2", "LEFT({x}, 1) DIV 1",
                "NOT {x}", "{x} XOR 1", "!{x}", "-{x}", "~{x}", "{x} || 'a'", "{x} && 1", "(ROW({x}, 1) = ROW('a', 1))",
                "({x}, 1) IN (('a', 1))", "LEFT({x}, 1) + 0", "{x} + 0",
                "DEFAULT(c.ssn)", "VALUE(c.ssn)", "COALESCE({x}, 'a')", "NULLIF({x}, 'a')", "NULLIF('1', LEFT({x}, 1))",
                "GREATEST({x}, '5')", "LEAST({x}, '5')", "NVL({x}, 'a')", "NVL2({x}, 'a', 'b')", "NVL2(NULLIF(LEFT({x}, 1), '1'), 'a', 'b')",
                "DECODE_ORACLE(LEFT({x}, 1), '1', 'one', 'other')", "DECODE(LEFT({x}, 1), '1', 'one', 'other')",
                "COLUMN_CREATE('a', {x})", "COLUMN_GET(COLUMN_CREATE('a', {x}), 'a' AS CHAR)",
                "COLUMN_GET(COLUMN_CREATE('a', LEFT({x}, 3)), 'a' AS INTEGER)", "COLUMN_JSON(COLUMN_CREATE('a', {x}))",
                "COLUMN_ADD(COLUMN_CREATE('a', 1), 'b', {x})", "COLUMN_EXISTS(COLUMN_CREATE({x}, 1), '1')",
                "COLUMN_LIST(COLUMN_CREATE({x}, 1))", "COLUMN_DELETE(COLUMN_CREATE('a', {x}, 'b', 1), 'b')",
                "COLUMN_GET(COLUMN_CREATE({x}, 1), '123-45-6789' AS CHAR)",
                "JSON_VALUE(JSON_OBJECT('a', {x}), '$.a')", "JSON_QUERY(JSON_ARRAY({x}), '$')", "JSON_OBJECT({x}, 1)",
                "JSON_EXISTS(JSON_OBJECT('a', {x}), '$.a')", "UPDATEXML('<a>x</a>', '/a', {x})",
                "EXTRACTVALUE(CONCAT('<a>', {x}, '</a>'), '/a')", "EXTRACTVALUE('<a>1</a>', {x})",
                "ST_ASTEXT(ST_GEOMFROMTEXT(CONCAT('POINT(', LEFT({x}, 1), ' 1)')))", "FORMAT(LEFT({x}, 3), 2, 'de_DE')",
                "SFORMAT('{}', {x})", "CONCAT(CURRENT_USER, {x})", "CONCAT(CURRENT_DATE, {x})", "CONCAT(LOCALTIME, {x})",
                "CONCAT(UTC_TIMESTAMP, {x})", "CONCAT(CURRENT_TIMESTAMP(3), {x})", "CONCAT(SYSDATE(), {x})",
                "CONCAT(SESSION_USER(), {x})", "CONCAT(SYSTEM_USER(), {x})", "CONCAT(DATABASE(), {x})",
                "(SELECT {x})", "(SELECT MAX(d.ssn) FROM customers d)", "EXISTS (SELECT 1 FROM DUAL WHERE {x} < '5')",
                "CONVERT_TZ(CONCAT('2020-01-1', LEFT({x}, 1)), '+00:00', '+01:00')", "GET_FORMAT(DATE, {x})",
                "LAST_VALUE({x}, 1)", "LAST_VALUE(1, {x})", "BENCHMARK(1, {x})", "NAME_CONST('a', 1) + LEFT({x}, 1)",
                "{x} = ANY (SELECT 'a')", "'5' > ALL (SELECT d.ssn FROM customers d)", "'5' IN (SELECT d.ssn FROM customers d)",
                "UNIX_TIMESTAMP(CONCAT('2020-01-1', LEFT({x}, 1)))", "STR_TO_DATE({x}, '%d-%m-%Y')",
                "DATE_FORMAT(CONCAT('2020-01-1', LEFT({x}, 1)), '%W')", "{x} MEMBER OF ('[\"a\"]')")) {
            KEYWORD_FORMS.add(v(form));
        }
        for (String form : List.of("GROUP_CONCAT({x} ORDER BY {x} SEPARATOR ',')", "GROUP_CONCAT(DISTINCT {x})",
                "GROUP_CONCAT({x} LIMIT 1)", "GROUP_CONCAT({x} SEPARATOR '')", "GROUP_CONCAT(c.name, {x})",
                "JSON_ARRAYAGG({x})", "JSON_ARRAYAGG({x} ORDER BY {x})", "JSON_ARRAYAGG(DISTINCT {x})", "JSON_ARRAYAGG({x} LIMIT 1)",
                "JSON_OBJECTAGG(c.name, {x})", "JSON_OBJECTAGG({x}, c.id)", "MAX({x})", "MIN({x})", "MAX(DISTINCT {x})",
                "SUM(DISTINCT LEFT({x}, 1))", "AVG(LEFT({x}, 3))", "BIT_XOR(LEFT({x}, 3))", "STD(LEFT({x}, 3))",
                "VARIANCE(LEFT({x}, 3))")) {
            KEYWORD_FORMS.add(v(form));
        }
        for (String form : List.of("COUNT(DISTINCT {x})", "COUNT(DISTINCT LEFT({x}, 1))", "GROUP_CONCAT(c.name ORDER BY {x})",
                "JSON_ARRAYAGG(c.id ORDER BY {x})", "SUM(CASE WHEN {x} < '5' THEN 1 ELSE 0 END)", "COUNT(NULLIF(LEFT({x}, 1), '1'))")) {
            KEYWORD_FORMS.add(answer(form));
        }
        for (String form : List.of("LAG({x}) OVER (ORDER BY c.id)", "LEAD({x}, 1, 'a') OVER (ORDER BY c.id)",
                "FIRST_VALUE({x}) OVER (ORDER BY c.id)", "LAST_VALUE({x}) OVER (ORDER BY c.id)", "NTH_VALUE({x}, 2) OVER (ORDER BY c.id)",
                "MAX({x}) OVER ()", "GROUP_CONCAT({x}) OVER ()", "MEDIAN(LEFT({x}, 3)) OVER ()",
                "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY LEFT({x}, 3)) OVER ()",
                "PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY {x}) OVER ()")) {
            KEYWORD_FORMS.add(v(form));
        }
        for (String form : List.of("RANK() OVER (ORDER BY {x})", "ROW_NUMBER() OVER (PARTITION BY {x} ORDER BY c.id)",
                "NTILE(2) OVER (ORDER BY {x})", "COUNT(*) OVER (PARTITION BY LEFT({x}, 1))", "CUME_DIST() OVER (ORDER BY {x})",
                "LAG(c.id) OVER (ORDER BY {x})", "PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY c.id) OVER (PARTITION BY {x})")) {
            KEYWORD_FORMS.add(answer(form));
        }
    }

    /** Statements whose grammar is a query's, not an expression's: table functions. */
    static final List<BuiltInCallOutcomes.Call> TABLE_FORMS = List.of(
            new BuiltInCallOutcomes.Call("JSON_TABLE", "SELECT c.id, j.v FROM customers c, JSON_TABLE(JSON_OBJECT('a', c.ssn), '$' "
                    + "COLUMNS (v VARCHAR(20) PATH '$.a')) j", "SELECT c.id FROM customers c, JSON_TABLE(JSON_OBJECT('a', c.ssn), '$' "
                    + "COLUMNS (v VARCHAR(20) PATH '$.a')) j WHERE j.v < '5'"),
            new BuiltInCallOutcomes.Call("JSON_TABLE ordinality", "SELECT c.id, j.v FROM customers c, JSON_TABLE(JSON_ARRAY(c.ssn), "
                    + "'$[*]' COLUMNS (n FOR ORDINALITY, v VARCHAR(20) PATH '$', e INT EXISTS PATH '$')) j", null),
            new BuiltInCallOutcomes.Call("JSON_TABLE default", "SELECT c.id, j.v FROM customers c, JSON_TABLE(JSON_OBJECT('a', c.ssn), '$' "
                    + "COLUMNS (v INT PATH '$.a' DEFAULT '1' ON ERROR)) j", null),
            new BuiltInCallOutcomes.Call("JSON_TABLE nested", "SELECT c.id, j.v FROM customers c, JSON_TABLE(JSON_OBJECT('a', "
                    + "JSON_ARRAY(c.ssn)), '$' COLUMNS (NESTED PATH '$.a[*]' COLUMNS (v VARCHAR(20) PATH '$'))) j", null),
            new BuiltInCallOutcomes.Call("JSON_TABLE exists", "SELECT c.id, j.v FROM customers c, JSON_TABLE(JSON_OBJECT("
                    + "LEFT(c.ssn, 1), 1), '$' COLUMNS (v INT EXISTS PATH '$.1')) j", null, false),
            new BuiltInCallOutcomes.Call("WITH RECURSIVE … CYCLE … RESTRICT", "WITH RECURSIVE t(id, s) AS (SELECT c.id, c.ssn FROM "
                    + "customers c UNION SELECT id, s FROM t) CYCLE s RESTRICT SELECT id, s AS v FROM t", null),
            new BuiltInCallOutcomes.Call("WITH RECURSIVE … CYCLE … RESTRICT count", "WITH RECURSIVE t(n, s) AS (SELECT 1, c.ssn FROM "
                    + "customers c UNION SELECT n + 1, s FROM t WHERE n < 3) CYCLE s RESTRICT SELECT COUNT(*) AS v FROM t", null, false),
            new BuiltInCallOutcomes.Call("VALUES", "SELECT t.v FROM (SELECT c.ssn AS v FROM customers c UNION VALUES ('a')) t", null),
            new BuiltInCallOutcomes.Call("ORDER BY … LIMIT", "SELECT c.id AS v FROM customers c ORDER BY c.ssn LIMIT 1", null, false),
            new BuiltInCallOutcomes.Call("GROUP BY … WITH ROLLUP", "SELECT COUNT(*) AS v FROM customers c GROUP BY c.ssn WITH ROLLUP",
                    null, false),
            new BuiltInCallOutcomes.Call("DISTINCT", "SELECT DISTINCT c.ssn AS v FROM customers c", null),
            new BuiltInCallOutcomes.Call("INTERSECT", "SELECT c.id AS v FROM customers c INTERSECT SELECT d.id FROM customers d "
                    + "WHERE d.ssn < '5'", null, false),
            new BuiltInCallOutcomes.Call("EXCEPT ALL", "SELECT c.ssn AS v FROM customers c EXCEPT ALL SELECT 'a'", null));

    @Test
    void noFunctionTheParserReadsShowsAnythingOfTheMaskedColumn() throws SQLException {
        List<String> names = new ArrayList<>();
        Set<String> helpCalls = new TreeSet<>();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT FUNCTION FROM information_schema.SQL_FUNCTIONS ORDER BY 1")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT name, description FROM mysql.help_topic")) {
                while (rs.next()) {
                    String name = rs.getString(1).replace("\\", "").replaceAll(" (Function|Operator)$", "");
                    String text = rs.getString(2);
                    int description = text.indexOf("\nDescription\n");
                    String syntax = text.startsWith("Syntax") && description > 0 ? text.substring(0, description) : text;
                    if (name.matches("[A-Za-z_][A-Za-z0-9_]*") && Pattern.compile("(?i)(?<![A-Za-z0-9_])"
                            + Pattern.quote(name) + "\\s*\\(").matcher(syntax).find()) {
                        helpCalls.add(name.toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        assertThat(names).as("information_schema.SQL_FUNCTIONS").isNotEmpty();
        outcomes = MARIADB.outcomes();
        List<String> notInHelp = names.stream().filter(name -> !helpCalls.contains(name)).toList();
        LOG.info("SQL_FUNCTIONS names the help topics do not show as calls ({}): {}", notInHelp.size(), notInHelp);
        for (String name : names) {
            outcomes.count("SQL_FUNCTIONS names");
            if (!helpCalls.contains(name)) {
                outcomes.count("SQL_FUNCTIONS names the help topics do not call");
            }
            boolean anyRuns = false;
            for (int arity = 0; arity <= 3; arity++) {
                for (int position = 0; position < Math.max(arity, 1); position++) {
                    for (String literal : arity <= 1 ? List.of("1") : List.of("1", "'$'")) {
                        List<String> values = new ArrayList<>();
                        for (int i = 0; i < arity; i++) {
                            values.add(i == position ? "c.ssn" : literal);
                        }
                        String call = name + "(" + String.join(", ", values) + ")";
                        if (arity == 0) {
                            // no column in it: whether the server runs it is all there is to know (the value of
                            // RAND(), UUID() or CONNECTION_ID() is other on each connection, and tells nothing of A or B)
                            outcomes.count("calls with no argument, run raw only");
                            anyRuns |= !BuiltInCallOutcomes.render(MARIADB.databases().rawA, "SELECT " + call + " AS v", false).startsWith("failed");
                            continue;
                        }
                        anyRuns |= run(outcomes, name + "/" + arity + " #" + (position + 1), call, true);
                    }
                }
            }
            if (!anyRuns) {
                outcomes.count("SQL_FUNCTIONS names no call of which the server runs (arities 0-3)");
                LOG.info("no call of {} runs on the server", name);
            }
        }
        int index = 0;
        for (Form form : KEYWORD_FORMS) {
            outcomes.count("keyword forms");
            run(outcomes, "form #" + ++index + " " + form.expression(), form.expression().replace(X, "c.ssn"), form.value());
        }
        for (BuiltInCallOutcomes.Call call : TABLE_FORMS) {
            outcomes.count("table forms");
            outcomes.run(call);
        }
        LOG.info("MariaDB SQL_FUNCTIONS and keyword forms over a masked column: {}", outcomes.counts());
        outcomes.losses().forEach(loss -> LOG.info("lost (refused to both callers): {}", loss));
        outcomes.findings().forEach(finding -> LOG.error("{}", finding));
        assertThat(outcomes.findings()).as("calls whose governed outcome differs between the databases or shows an SSN")
                .isEmpty();
        assertThat(outcomes.counts().getOrDefault("calls", 0)).as("calls tried").isGreaterThan(2000);
    }

    /**
     * Runs {@code call} in a select list and a condition ({@code HAVING} for an aggregate); where the server rejects it
     * and runs it as a window function, that form too. Returns whether the server runs either on database A.
     */
    private static boolean run(BuiltInCallOutcomes outcomes, String label, String call, boolean value) {
        String select = "SELECT c.id, " + call + " AS v FROM customers c";
        boolean runs = !outcomes.rawOnA(select).startsWith("failed");
        outcomes.run(new BuiltInCallOutcomes.Call(label, select, condition(call), value));
        if (!runs && !call.contains(" OVER ")) {
            String window = call + " OVER (ORDER BY c.id)";
            String windowSelect = "SELECT c.id, " + window + " AS v FROM customers c";
            if (!outcomes.rawOnA(windowSelect).startsWith("failed")) {
                outcomes.count("calls run as window functions");
                outcomes.run(new BuiltInCallOutcomes.Call(label + " OVER", windowSelect, "SELECT d.id FROM (" + windowSelect
                        + ") d WHERE CAST(d.v AS CHAR) < '5'", value));
                return true;
            }
        }
        return runs;
    }

    private static String condition(String call) {
        if (call.contains(" OVER ")) {
            return "SELECT d.id FROM (SELECT c.id, " + call + " AS v FROM customers c) d WHERE CAST(d.v AS CHAR) < '5'";
        }
        String where = "SELECT c.id FROM customers c WHERE CAST(" + call + " AS CHAR) < '5'";
        return outcomes.groupFunctionOnA(where) ? "SELECT COUNT(*) AS n FROM customers c HAVING CAST(" + call + " AS CHAR) < '5'" : where;
    }
}
