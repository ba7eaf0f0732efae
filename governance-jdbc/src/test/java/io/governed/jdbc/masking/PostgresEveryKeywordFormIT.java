package io.governed.jdbc.masking;

import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No special form of PostgreSQL's grammar shows an agent anything of a masked column, nor an analyst a masked value.
 * The forms {@link PostgresEveryBuiltInFunctionIT} cannot reach are those the parser reads itself and
 * {@code pg_catalog} does not name as calls ({@code SUBSTRING(x FROM 1 FOR 3)}, {@code x IS NORMALIZED},
 * {@code XMLELEMENT(NAME n, x)}, {@code COLLATION FOR (x)}, {@code x::type}, joins…): the list of words is the
 * server's own, {@code pg_get_keywords()}.
 * <p>
 * Enumerated: every column-name keyword (catcode {@code C}: {@code SUBSTRING}, {@code XMLTABLE}, {@code INT}…) and
 * every type- or function-name keyword ({@code T}: {@code COLLATION}, {@code SIMILAR}, {@code JOIN}…) the server lists.
 * Each has an entry in {@link #FORMS}: the grammar's shapes that word takes, with the masked text column {@code c.ssn}
 * (of {@link MaskedValuesNonInterferenceSpec}'s two databases, A and B: the same rows but for the SSNs) in each slot
 * that takes an expression; a word that names a type is cast to ({@code CAST(x AS word)}, {@code x::word}) from the
 * column and from parts of it that the type can read; a word with no expression form (it belongs to statements other
 * than a query's, {@code CONCURRENTLY}, {@code VERBOSE}) says so. The test fails for a listed word with no entry, so a
 * server whose grammar gains a form has it tried before it passes. The reserved keywords ({@code R}) that begin or
 * join expressions ({@code CASE}, {@code CAST}, {@code ARRAY}, {@code CURRENT_USER}, {@code IN}, {@code ANY}…) and
 * the unreserved ones that only appear inside such forms ({@code AT TIME ZONE}, {@code FILTER}, {@code WITHIN GROUP},
 * {@code NFC}…) are tried too; the others (statement syntax) are counted.
 * <p>
 * Each form runs through the governed driver in a select list and (where it is an expression or gives one) in a
 * condition for the agent, whom the mask's {@code deny-inference} covers, and in a select list for the analyst, whom
 * it does not (see {@link BuiltInCallOutcomes}). An outcome that differs between A and B, or shows an SSN, is a leak.
 */
@ServerWide("GRANT/REVOKE, MariaDB USE of another database, MariaDB schemas (databases), SET ROLE / SESSION AUTHORIZATION, databases, roles or users")
class PostgresEveryKeywordFormIT {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEveryKeywordFormIT.class);
    private static final String SCHEMA_A = UniqueNames.of("kw_a");
    private static final String SCHEMA_B = UniqueNames.of("kw_b");
    private static final String ROLE = UniqueNames.of("kw_reader");
    /** Where a form puts the masked column. */
    private static final String X = "{x}";
    private static BuiltInCallOutcomes.TwoDatabases databases;

    /**
     * One form: {@code select} a statement whose result column {@code v} holds what the form gives, {@code where} (or
     * {@code null}) one that tests it in a condition; {@link #X} marks the column's place in both.
     */
    record Form(String select, String where, boolean valueOfColumn) {
    }

    /** An expression form: in a select list, and compared in a condition. */
    private static Form e(String expression) {
        return new Form("SELECT c.id, (" + expression + ") AS v FROM customers c",
                "SELECT c.id FROM customers c WHERE CAST((" + expression + ") AS text) < '5'", true);
    }

    /** An expression form whose value answers a filter or a sort on the column in a subquery (see {@link #answer}). */
    private static Form ea(String expression) {
        Form form = e(expression);
        return new Form(form.select(), form.where(), false);
    }

    /**
     * A statement form whose result column is an answer of a filter, a grouping or a sort on the column (a count, an
     * id): the analyst may filter, group and sort, so only the agent's outcomes are compared.
     */
    private static Form answer(String select, String where) {
        return new Form(select, where, false);
    }

    /** A form that is a statement of its own (a join, a table function, a clause). */
    private static Form q(String select, String where) {
        return new Form(select, where, true);
    }

    /** What the column can be cast to {@code type} from: itself, and parts of it that a number, bit, boolean or date reads. */
    private static List<Form> casts(String... types) {
        List<Form> forms = new ArrayList<>();
        for (String type : types) {
            for (String source : List.of(X, "left(" + X + ", 3)", "translate(left(" + X + ", 1), '0123456789', '0101010101')",
                    "'2020-01-1' || left(" + X + ", 1)", "'0' || left(" + X + ", 1) || ':00'")) {
                forms.add(e("CAST(" + source + " AS " + type + ")"));
                forms.add(e("(" + source + ")::" + type));
            }
        }
        return forms;
    }

    /** A word with no form in a query: the grammar has it in other statements only. */
    private static List<Form> none(String why) {
        return List.of();
    }

    private static List<Form> both(List<Form> first, List<Form> second) {
        List<Form> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static final String XML = "XMLELEMENT(NAME a, " + X + ")";
    private static final String JOINED = "SELECT c.id, d.ssn AS v FROM customers c ";
    private static final String JOINED_WHERE = "SELECT c.id FROM customers c ";

    /** For each keyword (lower case), its forms. */
    static final Map<String, List<Form>> FORMS = new LinkedHashMap<>();

    static {
        // column-name keywords (C)
        FORMS.put("between", List.of(e(X + " BETWEEN '1' AND '5'"), e("'5' BETWEEN " + X + " AND '9'"),
                e("'5' BETWEEN '1' AND " + X), e(X + " BETWEEN SYMMETRIC '5' AND '1'"), e(X + " NOT BETWEEN '1' AND '5'"),
                e("'5' BETWEEN ASYMMETRIC " + X + " AND '9'")));
        FORMS.put("bigint", casts("bigint"));
        FORMS.put("bit", casts("bit", "bit(3)", "bit varying", "bit varying(2)"));
        FORMS.put("boolean", casts("boolean"));
        FORMS.put("char", casts("char", "char(3)", "char varying(4)"));
        FORMS.put("character", casts("character", "character(3)", "character varying", "character varying(4)"));
        FORMS.put("coalesce", List.of(e("COALESCE(" + X + ", 'a')"), e("COALESCE(NULL, " + X + ")"),
                e("COALESCE(NULLIF(left(" + X + ", 1), '1'), 'a')"), e("COALESCE(" + X + ")")));
        FORMS.put("dec", casts("dec", "dec(5, 1)"));
        FORMS.put("decimal", casts("decimal", "decimal(4)"));
        FORMS.put("exists", List.of(e("EXISTS (SELECT 1 WHERE " + X + " < '5')"),
                ea("EXISTS (SELECT 1 FROM customers d WHERE d.ssn = " + X + " AND d.id <> c.id)"),
                e("NOT EXISTS (SELECT " + X + " WHERE " + X + " LIKE '1%')")));
        FORMS.put("extract", List.of(e("EXTRACT(DAY FROM CAST('2020-01-1' || left(" + X + ", 1) AS date))"),
                e("EXTRACT(EPOCH FROM CAST(left(" + X + ", 3) AS interval))"),
                e("EXTRACT(SECOND FROM CAST('0' || left(" + X + ", 1) || ':00' AS time))"),
                e("EXTRACT('day' FROM CAST(" + X + " AS timestamp))"),
                e("EXTRACT(YEAR FROM CAST(left(" + X + ", 3) || '0-01-01' AS date))")));
        FORMS.put("float", casts("float", "float(3)"));
        FORMS.put("greatest", List.of(e("GREATEST(" + X + ", '5')"), e("GREATEST('5', " + X + ", 'a')"),
                e("GREATEST(" + X + ")")));
        FORMS.put("grouping", List.of(
                answer("SELECT GROUPING(c.ssn) AS v FROM customers c GROUP BY ROLLUP (c.ssn)", null),
                answer("SELECT c.name, GROUPING(c.name, c.ssn) AS v FROM customers c GROUP BY GROUPING SETS ((c.name), (c.ssn))", null),
                answer("SELECT count(*) AS v FROM customers c GROUP BY CUBE (c.ssn)",
                        "SELECT count(*) AS n FROM customers c GROUP BY CUBE (c.ssn) HAVING GROUPING(c.ssn) = 0")));
        FORMS.put("inout", none("a function parameter's mode, in CREATE FUNCTION"));
        FORMS.put("int", casts("int"));
        FORMS.put("integer", casts("integer"));
        FORMS.put("interval", casts("interval", "interval second", "interval day to second(0)", "interval(2)"));
        FORMS.put("least", List.of(e("LEAST(" + X + ", '5')"), e("LEAST('5', " + X + ", 'a')"), e("LEAST(" + X + ")")));
        FORMS.put("national", casts("national character(3)", "national char varying(4)", "national character varying"));
        FORMS.put("nchar", casts("nchar", "nchar(3)", "nchar varying(4)"));
        FORMS.put("none", none("only in statements (ALTER … SET … NONE, publication and replication options)"));
        FORMS.put("normalize", List.of(e("NORMALIZE(" + X + ")"), e("NORMALIZE(" + X + ", NFC)"),
                e("NORMALIZE(" + X + ", NFD)"), e("NORMALIZE(" + X + ", NFKC)"), e("NORMALIZE(" + X + ", NFKD)")));
        FORMS.put("nullif", List.of(e("NULLIF(" + X + ", 'a')"), e("NULLIF('1', left(" + X + ", 1))"),
                e("NULLIF(left(" + X + ", 1), '1')"), e("NULLIF(" + X + ", " + X + ")")));
        FORMS.put("numeric", casts("numeric", "numeric(5)", "numeric(5, 2)"));
        FORMS.put("out", none("a function parameter's mode, in CREATE FUNCTION"));
        FORMS.put("overlay", List.of(e("OVERLAY(" + X + " PLACING 'x' FROM 1 FOR 2)"),
                e("OVERLAY('abcdef' PLACING " + X + " FROM 2)"),
                e("OVERLAY('abcdefghij' PLACING 'x' FROM CAST(left(" + X + ", 1) AS int) + 1)"),
                e("OVERLAY('abcdefghij' PLACING 'x' FROM 1 FOR CAST(left(" + X + ", 1) AS int))"),
                e("OVERLAY(" + X + " PLACING '***' FROM 1)")));
        FORMS.put("position", List.of(e("POSITION('5' IN " + X + ")"), e("POSITION(" + X + " IN 'abc')"),
                e("POSITION(left(" + X + ", 1) IN '0123456789')")));
        FORMS.put("precision", casts("double precision"));
        FORMS.put("real", casts("real"));
        FORMS.put("row", List.of(e("ROW(" + X + ", 1)"), e("ROW(" + X + ")::text"), e("ROW(" + X + ") = ROW('a')"),
                e("ROW(" + X + ") IS NULL"), e("ROW(" + X + ", 1) < ROW('5', 1)"), e("(" + X + ", c.id)"),
                q("SELECT c.id, (ROW(c.ssn, 1)).f1 AS v FROM customers c", null),
                e("ROW(c.*)::text"), e("c::text"), e("(c).ssn"), e("to_json(c)"), e("ROW(c.*) = ROW(c.*)"),
                q("SELECT c.id, (c.*)::text AS v FROM customers c", "SELECT c.id FROM customers c WHERE c::text < '5'")));
        FORMS.put("setof", none("a function's result, in CREATE FUNCTION"));
        FORMS.put("smallint", casts("smallint"));
        FORMS.put("substring", List.of(e("SUBSTRING(" + X + " FROM 1 FOR 3)"), e("SUBSTRING(" + X + " FROM 2)"),
                e("SUBSTRING(" + X + " FOR 3)"), e("SUBSTRING(" + X + " FROM '[0-9]+')"),
                e("SUBSTRING(" + X + " SIMILAR '%#\"[0-9]+#\"%' ESCAPE '#')"),
                e("SUBSTRING(" + X + " FROM '%#\"[0-9]+#\"%' FOR '#')"),
                e("SUBSTRING('abcdefghij' FROM CAST(left(" + X + ", 1) AS int))"),
                e("SUBSTRING('abcdefghij' FOR CAST(left(" + X + ", 1) AS int))"),
                e("SUBSTRING('abc' SIMILAR " + X + " ESCAPE '#')"),
                e("SUBSTRING('a1' SIMILAR '%#\"[0-9]+#\"%' ESCAPE left(" + X + ", 1))"),
                e("SUBSTRING('123' FROM " + X + ")"), e("SUBSTRING(" + X + ", 1, 3)")));
        FORMS.put("time", casts("time", "time(0)", "time with time zone", "time without time zone"));
        FORMS.put("timestamp", casts("timestamp", "timestamp(0)", "timestamp with time zone"));
        FORMS.put("treat", List.of(e("TREAT(" + X + " AS text)"), e("TREAT(" + X + " AS varchar)")));
        FORMS.put("trim", List.of(e("TRIM(BOTH '1' FROM " + X + ")"), e("TRIM(LEADING FROM " + X + ")"),
                e("TRIM(TRAILING '9' FROM " + X + ")"), e("TRIM(" + X + ")"), e("TRIM(FROM " + X + ")"),
                e("TRIM('1' FROM " + X + ")"), e("TRIM(BOTH " + X + " FROM '123')"), e("TRIM(LEADING left(" + X + ", 1) FROM '111a')"),
                e("TRIM(" + X + ", '1')"), e("TRIM(BOTH FROM " + X + ", '1')")));
        FORMS.put("values", List.of(e("(VALUES (" + X + "))"),
                q("SELECT t.v FROM (VALUES (1)) t(n), LATERAL (VALUES ((SELECT max(c.ssn) FROM customers c))) AS u(v), "
                        + "LATERAL (SELECT u.v) t2(v) ORDER BY 1", null),
                q("SELECT c.id, t.v FROM customers c, LATERAL (VALUES (c.ssn)) t(v)",
                        "SELECT c.id FROM customers c, LATERAL (VALUES (c.ssn)) t(v) WHERE t.v < '5'")));
        FORMS.put("varchar", casts("varchar", "varchar(3)"));
        FORMS.put("xmlattributes", List.of(e("XMLELEMENT(NAME a, XMLATTRIBUTES(" + X + " AS b))"),
                e("XMLELEMENT(NAME a, XMLATTRIBUTES(" + X + "))"),
                e("XMLELEMENT(NAME a, XMLATTRIBUTES('1' AS b, left(" + X + ", 3) AS c))")));
        FORMS.put("xmlconcat", List.of(e("XMLCONCAT(" + XML + ", '<b/>'::xml)"), e("XMLCONCAT(" + X + "::xml)"),
                e("XMLCONCAT(XMLPARSE(CONTENT " + X + "), " + XML + ")")));
        FORMS.put("xmlelement", List.of(e(XML), e("XMLELEMENT(NAME a, XMLATTRIBUTES('1' AS b), " + X + ", 'c')"),
                e("XMLELEMENT(NAME \"a\", left(" + X + ", 3))"), e("XMLELEMENT(NAME a)::text || " + X)));
        FORMS.put("xmlexists", List.of(e("XMLEXISTS('/a' PASSING CAST(" + X + " AS xml))"),
                e("XMLEXISTS('//a[starts-with(text(), \"1\")]' PASSING BY REF " + XML + ")"),
                e("XMLEXISTS('//a[starts-with(text(), \"1\")]' PASSING " + XML + " BY VALUE)"),
                e("XMLEXISTS(" + X + " PASSING CAST('<a/>' AS xml))"),
                e("XMLEXISTS('/a' PASSING BY VALUE XMLPARSE(CONTENT '<a>' || " + X + " || '</a>'))")));
        FORMS.put("xmlforest", List.of(e("XMLFOREST(" + X + " AS a)"), e("XMLFOREST(" + X + ")"),
                e("XMLFOREST('1' AS a, left(" + X + ", 3) AS b)")));
        FORMS.put("xmlnamespaces", List.of(q("SELECT c.id, x.v FROM customers c, XMLTABLE(XMLNAMESPACES('http://a' AS n), "
                        + "'/a' PASSING XMLELEMENT(NAME a, c.ssn) COLUMNS v text PATH '.') x",
                "SELECT c.id FROM customers c, XMLTABLE(XMLNAMESPACES('http://a' AS n), '/a' PASSING XMLELEMENT(NAME a, c.ssn) "
                        + "COLUMNS v text PATH '.') x WHERE x.v < '5'"),
                q("SELECT c.id, x.v FROM customers c, XMLTABLE(XMLNAMESPACES(DEFAULT 'http://a'), '/a' PASSING "
                        + "XMLELEMENT(NAME a, c.ssn) COLUMNS v text PATH '.') x", null)));
        FORMS.put("xmlparse", List.of(e("XMLPARSE(CONTENT " + X + ")"), e("XMLPARSE(DOCUMENT " + X + ")"),
                e("XMLPARSE(CONTENT '<a>' || " + X + " || '</a>')"),
                e("XMLPARSE(DOCUMENT '<a>' || " + X + " || '</a>' PRESERVE WHITESPACE)"),
                e("XMLPARSE(CONTENT '<a>' || " + X + " || '</a>' STRIP WHITESPACE)")));
        FORMS.put("xmlpi", List.of(e("XMLPI(NAME php, " + X + ")"), e("XMLPI(NAME php)::text || " + X)));
        FORMS.put("xmlroot", List.of(e("XMLROOT(" + XML + ", VERSION '1.0')"),
                e("XMLROOT(" + XML + ", VERSION NO VALUE, STANDALONE YES)"),
                e("XMLROOT(XMLPARSE(CONTENT " + X + "), VERSION NO VALUE, STANDALONE NO VALUE)"),
                e("XMLROOT('<a/>'::xml, VERSION " + X + ")")));
        FORMS.put("xmlserialize", List.of(e("XMLSERIALIZE(CONTENT " + XML + " AS text)"),
                e("XMLSERIALIZE(DOCUMENT " + XML + " AS varchar)"),
                e("XMLSERIALIZE(CONTENT XMLPARSE(CONTENT " + X + ") AS character varying(5))")));
        FORMS.put("xmltable", List.of(
                q("SELECT c.id, x.v FROM customers c, XMLTABLE('/a' PASSING XMLELEMENT(NAME a, c.ssn) COLUMNS v text PATH '.') x",
                        "SELECT c.id FROM customers c, XMLTABLE('/a' PASSING XMLELEMENT(NAME a, c.ssn) COLUMNS v text PATH '.') x "
                                + "WHERE x.v < '5'"),
                q("SELECT c.id, x.v FROM customers c, XMLTABLE('/a[starts-with(text(), \"1\")]' PASSING BY REF "
                        + "XMLELEMENT(NAME a, c.ssn) COLUMNS n FOR ORDINALITY, v text PATH 'string-length(.)') x", null),
                q("SELECT c.id, x.v FROM customers c, XMLTABLE('/b' PASSING CAST('<b/>' AS xml) COLUMNS v text PATH 'c' DEFAULT c.ssn) x",
                        "SELECT c.id FROM customers c, XMLTABLE('/b' PASSING CAST('<b/>' AS xml) COLUMNS v text PATH 'c' DEFAULT c.ssn) x "
                                + "WHERE x.v < '5'"),
                q("SELECT c.id, x.v FROM customers c, XMLTABLE('/b' PASSING CAST('<b>1</b>' AS xml) COLUMNS v text PATH c.ssn) x", null),
                q("SELECT c.id, x.v FROM customers c, XMLTABLE(c.ssn PASSING CAST('<b>1</b>' AS xml) COLUMNS v text PATH '.') x", null),
                q("SELECT c.id, x.v FROM customers c, XMLTABLE('/a' PASSING XMLELEMENT(NAME a, c.ssn) COLUMNS v text PATH '.' NOT NULL) x", null)));
        // type- and function-name keywords (T)
        FORMS.put("authorization", none("CREATE SCHEMA … AUTHORIZATION, SET SESSION AUTHORIZATION"));
        FORMS.put("binary", none("DECLARE … BINARY CURSOR"));
        FORMS.put("collation", List.of(e("COLLATION FOR (" + X + ")"), e("COLLATION FOR (" + X + " COLLATE \"C\")"),
                e("COLLATION FOR (" + X + ") || " + X)));
        FORMS.put("concurrently", none("CREATE INDEX, REFRESH MATERIALIZED VIEW, REINDEX"));
        FORMS.put("cross", List.of(q(JOINED + "CROSS JOIN customers d", JOINED_WHERE + "CROSS JOIN customers d WHERE d.ssn < '5'"),
                q("SELECT c.id, x.v FROM customers c CROSS JOIN LATERAL (SELECT c.ssn AS v) x",
                        "SELECT c.id FROM customers c CROSS JOIN LATERAL (SELECT c.ssn AS v) x WHERE x.v < '5'")));
        FORMS.put("current_schema", List.of(e("current_schema || " + X), e("CURRENT_SCHEMA() || " + X),
                e("CASE WHEN " + X + " < '5' THEN current_schema END")));
        FORMS.put("freeze", none("VACUUM (FREEZE), COPY … FREEZE"));
        FORMS.put("full", List.of(q(JOINED + "FULL JOIN customers d ON d.ssn = c.ssn", JOINED_WHERE
                        + "FULL JOIN customers d ON d.ssn < '5' WHERE c.id IS NOT NULL"),
                q("SELECT c.id, d.ssn AS v FROM customers c FULL OUTER JOIN customers d ON d.id = c.id AND d.ssn < '5'", null)));
        FORMS.put("ilike", List.of(e(X + " ILIKE '1%'"), e("'123' ILIKE " + X), e(X + " NOT ILIKE '%9'"),
                e(X + " ~~* '1%'"), e("'1a' ILIKE '1a' ESCAPE left(" + X + ", 1)")));
        FORMS.put("inner", List.of(q(JOINED + "INNER JOIN customers d ON d.ssn = c.ssn",
                JOINED_WHERE + "INNER JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id")));
        FORMS.put("is", List.of(e(X + " IS NULL"), e(X + " IS NOT NULL"), e(X + " IS DISTINCT FROM 'a'"),
                e("left(" + X + ", 1) IS NOT DISTINCT FROM '1'"), e("(" + X + " < '5') IS TRUE"), e("(" + X + " < '5') IS NOT FALSE"),
                e("(" + X + " < '5') IS UNKNOWN"), e(X + " IS NORMALIZED"), e(X + " IS NFC NORMALIZED"),
                e(X + " IS NOT NFKD NORMALIZED"), e("XMLPARSE(CONTENT " + X + ") IS DOCUMENT"),
                e("ROW(" + X + ") IS NOT NULL"), e("NULLIF(left(" + X + ", 1), '1') IS NULL")));
        FORMS.put("isnull", List.of(e(X + " ISNULL"), e("NULLIF(left(" + X + ", 1), '1') ISNULL")));
        FORMS.put("join", List.of(q(JOINED + "JOIN customers d ON d.ssn = c.ssn", JOINED_WHERE + "JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id"),
                q("SELECT c.id, c.ssn AS v FROM customers c JOIN customers d USING (ssn)",
                        "SELECT c.id FROM customers c JOIN customers d USING (ssn) WHERE c.id <> d.id"),
                q("SELECT j.id, j.ssn AS v FROM customers c JOIN customers d USING (ssn) AS j", null)));
        FORMS.put("left", List.of(q(JOINED + "LEFT JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id",
                        JOINED_WHERE + "LEFT JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id WHERE d.id IS NULL"),
                e("left(" + X + ", 3)"), e("\"left\"(" + X + ", 1)")));
        FORMS.put("like", List.of(e(X + " LIKE '1%'"), e("'1' LIKE " + X), e(X + " NOT LIKE '9%'"),
                e(X + " LIKE '1%' ESCAPE '#'"), e("'1a' LIKE '1a' ESCAPE left(" + X + ", 1)"), e(X + " ~~ '1%'"),
                e(X + " LIKE ANY (ARRAY['1%', '9%'])")));
        FORMS.put("natural", List.of(q("SELECT c.id, c.ssn AS v FROM customers c NATURAL JOIN (SELECT ssn FROM customers) d",
                "SELECT c.id FROM customers c NATURAL JOIN (SELECT ssn, 9 AS n FROM customers) d")));
        FORMS.put("notnull", List.of(e(X + " NOTNULL"), e("NULLIF(left(" + X + ", 1), '1') NOTNULL")));
        FORMS.put("outer", List.of(q(JOINED + "LEFT OUTER JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id",
                JOINED_WHERE + "LEFT OUTER JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id WHERE d.id IS NULL")));
        FORMS.put("overlaps", List.of(e("(DATE '2020-01-01', DATE '2020-01-05') OVERLAPS "
                        + "(DATE '2020-01-01' + CAST(left(" + X + ", 1) AS int), DATE '2020-12-31')"),
                e("(CAST(" + X + " AS date), INTERVAL '1 day') OVERLAPS (DATE '2020-01-01', DATE '2020-02-01')")));
        FORMS.put("right", List.of(q(JOINED + "RIGHT JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id",
                        "SELECT d.id FROM customers c RIGHT JOIN customers d ON d.ssn = c.ssn AND d.id <> c.id WHERE c.id IS NULL"),
                e("right(" + X + ", 4)")));
        FORMS.put("similar", List.of(e(X + " SIMILAR TO '1%'"), e("'1' SIMILAR TO " + X),
                e(X + " NOT SIMILAR TO '[0-9]+' ESCAPE '#'"), e("'a' SIMILAR TO 'a' ESCAPE left(" + X + ", 1)")));
        FORMS.put("tablesample", List.of(q("SELECT c.id, c.ssn AS v FROM customers c TABLESAMPLE BERNOULLI (100)",
                "SELECT c.id FROM customers c TABLESAMPLE SYSTEM (100) REPEATABLE (1) WHERE c.ssn < '5'")));
        FORMS.put("verbose", none("EXPLAIN, VACUUM, ANALYZE, CLUSTER"));
    }

    /** Reserved keywords (R) that begin or join an expression or a query's clause, with their forms. */
    static final Map<String, List<Form>> RESERVED = new LinkedHashMap<>();

    static {
        RESERVED.put("all", List.of(e(X + " < ALL (ARRAY['5', '9'])"), e("'5' < ALL (SELECT d.ssn FROM customers d WHERE d.id <> c.id)"),
                q("SELECT c.ssn AS v FROM customers c UNION ALL SELECT 'a'", null)));
        RESERVED.put("and", List.of(e(X + " < '5' AND true"), e("true AND " + X + " LIKE '1%'")));
        RESERVED.put("any", List.of(e(X + " = ANY (ARRAY['a', 'b'])"), e("'5' > ANY (SELECT d.ssn FROM customers d WHERE d.id = c.id)"),
                e("left(" + X + ", 1) = ANY ('{1,2}'::text[])")));
        RESERVED.put("array", List.of(e("ARRAY[" + X + "]"), e("ARRAY[" + X + ", 'a']::text"), e("ARRAY(SELECT " + X + ")"),
                e("ARRAY(SELECT d.ssn FROM customers d WHERE d.id = c.id)"), ea("ARRAY(SELECT d.id FROM customers d ORDER BY d.ssn)"),
                e("(ARRAY[" + X + "])[1]"), e("ARRAY[[" + X + "]]"), e("ARRAY[" + X + "] @> ARRAY['a']")));
        RESERVED.put("asymmetric", List.of(e(X + " BETWEEN ASYMMETRIC '1' AND '5'")));
        RESERVED.put("both", List.of(e("TRIM(BOTH '1' FROM " + X + ")")));
        RESERVED.put("case", List.of(e("CASE WHEN " + X + " < '5' THEN 1 ELSE 0 END"), e("CASE " + X + " WHEN 'a' THEN 1 ELSE 0 END"),
                e("CASE WHEN true THEN " + X + " END"), e("CASE left(" + X + ", 1) WHEN '1' THEN 'one' ELSE 'other' END"),
                e("CASE WHEN c.id > 0 THEN 'x' ELSE " + X + " END")));
        RESERVED.put("cast", List.of(e("CAST(" + X + " AS text)"), e("CAST(" + X + " AS bytea)"), e("CAST(" + X + " AS name)"),
                e("CAST(" + X + " AS xml)"), e("CAST(" + X + " AS json)"), e("CAST(" + X + " AS text[])"),
                e("CAST(left(" + X + ", 3) AS regclass)"), e("CAST(" + X + " AS tsvector)"), e("CAST(" + X + " AS \"char\")"),
                e("CAST(ROW(" + X + ") AS text)"), e("CAST(" + X + " AS regtype)"), e("CAST(" + X + " AS regnamespace)")));
        RESERVED.put("collate", List.of(e(X + " COLLATE \"C\""), e(X + " < 'a' COLLATE \"C\""), e(X + " COLLATE \"POSIX\" || ''")));
        for (String word : List.of("current_catalog", "current_date", "current_role", "current_time", "current_timestamp",
                "current_user", "localtime", "localtimestamp", "session_user", "user")) {
            RESERVED.put(word, List.of(e(word + "::text || " + X), e("CASE WHEN " + X + " < '5' THEN " + word + "::text END")));
        }
        RESERVED.merge("current_time", List.of(e("CURRENT_TIME(0)::text || " + X)), PostgresEveryKeywordFormIT::both);
        RESERVED.merge("current_timestamp", List.of(e("CURRENT_TIMESTAMP(0)::text || " + X)), PostgresEveryKeywordFormIT::both);
        RESERVED.put("distinct", List.of(e(X + " IS DISTINCT FROM 'a'"),
                answer("SELECT count(DISTINCT c.ssn) AS v FROM customers c", "SELECT count(*) AS n FROM customers c HAVING count(DISTINCT c.ssn) > 2"),
                q("SELECT DISTINCT c.ssn AS v FROM customers c", "SELECT DISTINCT length(c.ssn) AS n FROM customers c WHERE c.ssn < '5'"),
                answer("SELECT DISTINCT ON (c.ssn) c.id AS v FROM customers c", null),
                q("SELECT string_agg(DISTINCT c.ssn, ',') AS v FROM customers c", null)));
        RESERVED.put("except", List.of(q("SELECT c.ssn AS v FROM customers c EXCEPT SELECT 'a'", null),
                answer("SELECT c.id AS v FROM customers c EXCEPT SELECT d.id FROM customers d WHERE d.ssn < '5'", null)));
        RESERVED.put("false", List.of(e("(" + X + " < '5') = false")));
        RESERVED.put("fetch", List.of(answer("SELECT c.id AS v FROM customers c ORDER BY c.ssn FETCH FIRST 1 ROWS ONLY", null),
                answer("SELECT c.id AS v FROM customers c ORDER BY c.ssn FETCH FIRST 1 ROWS WITH TIES", null)));
        RESERVED.put("group", List.of(answer("SELECT count(*) AS v FROM customers c GROUP BY c.ssn", null),
                q("SELECT c.ssn AS v FROM customers c GROUP BY c.ssn", null),
                answer("SELECT count(*) AS v FROM customers c GROUP BY left(c.ssn, 1)", null)));
        RESERVED.put("having", List.of(answer("SELECT count(*) AS v FROM customers c HAVING max(c.ssn) < '5'", null)));
        RESERVED.put("in", List.of(e(X + " IN ('a', 'b')"), e("left(" + X + ", 1) IN ('1', '2')"),
                e("'5' IN (SELECT d.ssn FROM customers d)"), e(X + " NOT IN (SELECT d.name FROM customers d)")));
        RESERVED.put("intersect", List.of(q("SELECT c.ssn AS v FROM customers c INTERSECT SELECT d.ssn FROM customers d", null),
                answer("SELECT c.id AS v FROM customers c INTERSECT SELECT d.id FROM customers d WHERE d.ssn < '5'", null)));
        RESERVED.put("lateral", List.of(q("SELECT c.id, x.v FROM customers c, LATERAL (SELECT c.ssn AS v) x",
                "SELECT c.id FROM customers c, LATERAL (SELECT c.ssn AS v) x WHERE x.v < '5'"),
                q("SELECT c.id, x.v FROM customers c, LATERAL unnest(ARRAY[c.ssn]) x(v)",
                        "SELECT c.id FROM customers c, LATERAL unnest(ARRAY[c.ssn]) x(v) WHERE x.v < '5'")));
        RESERVED.put("leading", List.of(e("TRIM(LEADING '1' FROM " + X + ")")));
        RESERVED.put("limit", List.of(answer("SELECT c.id AS v FROM customers c ORDER BY c.ssn LIMIT 1", null),
                answer("SELECT c.id AS v FROM customers c LIMIT (SELECT count(DISTINCT d.ssn) FROM customers d)", null)));
        RESERVED.put("not", List.of(e("NOT (" + X + " < '5')"), e(X + " NOT LIKE '1%'")));
        RESERVED.put("null", List.of(e(X + " IS NULL"), e("COALESCE(NULLIF(" + X + ", 'a'), NULL)")));
        RESERVED.put("offset", List.of(answer("SELECT c.id AS v FROM customers c ORDER BY c.ssn OFFSET 2", null),
                answer("SELECT c.id AS v FROM customers c OFFSET (SELECT count(DISTINCT d.ssn) - 2 FROM customers d)", null)));
        RESERVED.put("only", List.of(q("SELECT c.id, c.ssn AS v FROM ONLY customers c", "SELECT c.id FROM ONLY customers c WHERE c.ssn < '5'")));
        RESERVED.put("or", List.of(e(X + " < '5' OR false"), e("false OR " + X + " LIKE '1%'")));
        RESERVED.put("order", List.of(answer("SELECT string_agg(c.name, ',' ORDER BY c.ssn) AS v FROM customers c", null),
                answer("SELECT array_agg(c.id ORDER BY c.ssn DESC) AS v FROM customers c", null),
                answer("SELECT c.id AS v FROM customers c ORDER BY c.ssn", null),
                answer("SELECT row_number() OVER (ORDER BY c.ssn) AS v, c.id FROM customers c", null)));
        RESERVED.put("placing", List.of(e("OVERLAY(" + X + " PLACING '*' FROM 2 FOR 1)")));
        RESERVED.put("select", List.of(e("(SELECT " + X + ")"), e("(SELECT max(d.ssn) FROM customers d)"),
                ea("(SELECT count(*) FROM customers d WHERE d.ssn < " + X + ")")));
        RESERVED.put("some", List.of(e(X + " = SOME (ARRAY['a'])"), e("'5' < SOME (SELECT d.ssn FROM customers d)")));
        RESERVED.put("symmetric", List.of(e(X + " BETWEEN SYMMETRIC '9' AND '1'")));
        RESERVED.put("table", List.of(q("TABLE customers", null), q("SELECT t.ssn AS v FROM (TABLE customers) t", null)));
        RESERVED.put("trailing", List.of(e("TRIM(TRAILING '9' FROM " + X + ")")));
        RESERVED.put("true", List.of(e("(" + X + " < '5') = true")));
        RESERVED.put("union", List.of(q("SELECT c.ssn AS v FROM customers c UNION SELECT 'a'", null),
                answer("SELECT count(*) AS v FROM (SELECT c.ssn FROM customers c UNION SELECT d.ssn FROM customers d) u", null)));
        RESERVED.put("using", List.of(q("SELECT c.id, c.ssn AS v FROM customers c JOIN customers d USING (ssn)", null)));
        RESERVED.put("variadic", List.of(e("concat(VARIADIC ARRAY[" + X + "])"), e("format('%s', VARIADIC ARRAY[" + X + "])"),
                e("concat_ws(',', VARIADIC ARRAY[" + X + ", 'a'])"), e("json_build_array(VARIADIC ARRAY[" + X + "])")));
        RESERVED.put("window", List.of(answer("SELECT c.id, rank() OVER w AS v FROM customers c WINDOW w AS (ORDER BY c.ssn)", null),
                q("SELECT c.id, first_value(c.ssn) OVER w AS v FROM customers c WINDOW w AS (ORDER BY c.id)", null)));
        RESERVED.put("with", List.of(q("WITH t AS (SELECT c.ssn AS s FROM customers c) SELECT s AS v FROM t", null),
                answer("WITH t(s) AS MATERIALIZED (SELECT c.ssn FROM customers c) SELECT count(*) AS v FROM t WHERE s < '5'", null),
                q("WITH RECURSIVE t(n, s) AS (SELECT 1, c.ssn FROM customers c UNION ALL SELECT n + 1, s FROM t WHERE n < 2) "
                        + "SELECT s AS v FROM t", null)));
        RESERVED.put("when", List.of(e("CASE WHEN left(" + X + ", 1) = '1' THEN 1 END")));
    }

    /** Unreserved keywords (U) that only appear inside an expression's or a query's syntax, with their forms. */
    static final Map<String, List<Form>> UNRESERVED = new LinkedHashMap<>();

    static {
        UNRESERVED.put("at", List.of(e("CAST('2020-01-1' || left(" + X + ", 1) AS timestamp) AT TIME ZONE 'UTC'"),
                e("TIMESTAMP '2020-01-01 00:00' AT TIME ZONE " + X),
                e("TIMESTAMP '2020-01-01 00:00' AT TIME ZONE ('+' || left(" + X + ", 1))"),
                e("CAST(" + X + " AS timestamptz) AT TIME ZONE 'UTC'")));
        UNRESERVED.put("filter", List.of(answer("SELECT count(*) FILTER (WHERE c.ssn < '5') AS v FROM customers c", null),
                q("SELECT string_agg(c.ssn, ',') FILTER (WHERE c.id > 0) AS v FROM customers c", null),
                answer("SELECT c.id, count(*) FILTER (WHERE c.ssn LIKE '1%') OVER () AS v FROM customers c", null)));
        UNRESERVED.put("within", List.of(q("SELECT mode() WITHIN GROUP (ORDER BY c.ssn) AS v FROM customers c", null),
                q("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY c.ssn) AS v FROM customers c", null),
                answer("SELECT rank('5') WITHIN GROUP (ORDER BY c.ssn) AS v FROM customers c", null)));
        UNRESERVED.put("over", List.of(answer("SELECT c.id, row_number() OVER (ORDER BY c.ssn) AS v FROM customers c", null),
                answer("SELECT c.id, count(*) OVER (PARTITION BY c.ssn) AS v FROM customers c", null),
                q("SELECT c.id, first_value(c.ssn) OVER () AS v FROM customers c", null),
                answer("SELECT c.id, xmlagg(XMLELEMENT(NAME a, c.name) ORDER BY c.ssn) OVER () AS v FROM customers c", null),
                answer("SELECT c.id, lag(c.id) OVER (ORDER BY c.ssn ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS v FROM customers c", null)));
        UNRESERVED.put("ordinality", List.of(answer("SELECT c.id, u.n AS v FROM customers c, unnest(string_to_array(c.ssn, '-')) WITH ORDINALITY u(p, n)",
                "SELECT c.id FROM customers c, unnest(string_to_array(c.ssn, '-')) WITH ORDINALITY u(p, n) WHERE u.p < '5'")));
        UNRESERVED.put("rows", List.of(q("SELECT c.id, r.v FROM customers c, ROWS FROM (unnest(ARRAY[c.ssn]), generate_series(1, 2)) r(v, n)",
                "SELECT c.id FROM customers c, ROWS FROM (regexp_split_to_table(c.ssn, '-')) r(v) WHERE r.v < '5'")));
        UNRESERVED.put("search", List.of(
                answer("WITH RECURSIVE t(id, s) AS (SELECT c.id, c.ssn FROM customers c UNION ALL SELECT id, s FROM t WHERE false) "
                        + "SEARCH DEPTH FIRST BY s SET o SELECT id AS v FROM t ORDER BY o", null),
                q("WITH RECURSIVE t(id, s) AS (SELECT c.id, c.ssn FROM customers c UNION ALL SELECT id, s FROM t WHERE false) "
                        + "SEARCH BREADTH FIRST BY s SET o SELECT id, o::text AS v FROM t", null)));
        UNRESERVED.put("cycle", List.of(
                q("WITH RECURSIVE t(id, s) AS (SELECT c.id, c.ssn FROM customers c UNION ALL SELECT id, s FROM t WHERE false) "
                        + "CYCLE s SET looped USING path SELECT id, path::text AS v FROM t", null),
                q("WITH RECURSIVE t(id, s) AS (SELECT c.id, c.ssn FROM customers c UNION ALL SELECT id, s FROM t WHERE false) "
                        + "CYCLE id SET looped USING path SELECT id, s AS v FROM t",
                        "WITH RECURSIVE t(id, s) AS (SELECT c.id, c.ssn FROM customers c UNION ALL SELECT id, s FROM t "
                                + "WHERE false) CYCLE s SET looped USING path SELECT id FROM t WHERE path::text < '5'")));
        UNRESERVED.put("rollup", List.of(answer("SELECT count(*) AS v FROM customers c GROUP BY ROLLUP (left(c.ssn, 1))", null)));
        UNRESERVED.put("cube", List.of(answer("SELECT count(*) AS v FROM customers c GROUP BY CUBE (c.name, c.ssn)", null)));
        UNRESERVED.put("sets", List.of(answer("SELECT count(*) AS v FROM customers c GROUP BY GROUPING SETS ((c.ssn), ())", null),
                answer("SELECT count(*) AS v FROM customers c GROUP BY DISTINCT ROLLUP (c.ssn), CUBE (c.ssn)", null)));
        UNRESERVED.put("nulls", List.of(answer("SELECT array_agg(c.id ORDER BY NULLIF(left(c.ssn, 1), '1') NULLS FIRST) AS v FROM customers c", null)));
        UNRESERVED.put("escape", List.of(e(X + " LIKE '1#%' ESCAPE '#'"), e("'a' LIKE 'a' ESCAPE left(" + X + ", 1)")));
        for (String form : List.of("nfc", "nfd", "nfkc", "nfkd")) {
            UNRESERVED.put(form, List.of(e("NORMALIZE(" + X + ", " + form + ")"), e(X + " IS " + form + " NORMALIZED")));
        }
        UNRESERVED.put("normalized", List.of(e(X + " IS NOT NORMALIZED")));
        UNRESERVED.put("document", List.of(e("XMLPARSE(DOCUMENT '<a>' || " + X + " || '</a>')"), e("XMLPARSE(CONTENT " + X + ") IS NOT DOCUMENT")));
        UNRESERVED.put("content", List.of(e("XMLSERIALIZE(CONTENT XMLPARSE(CONTENT " + X + ") AS text)")));
        UNRESERVED.put("passing", List.of(e("XMLEXISTS('/a[. = \"1\"]' PASSING " + XML + ")")));
        UNRESERVED.put("standalone", List.of(e("XMLROOT(" + XML + ", VERSION '1.0', STANDALONE NO)")));
        UNRESERVED.put("zone", List.of(e("CAST('2020-01-1' || left(" + X + ", 1) AS timestamp with time zone)")));
        UNRESERVED.put("xml", casts("xml"));
        UNRESERVED.put("text", casts("text"));
        UNRESERVED.put("double", casts("double precision"));
        UNRESERVED.put("name", casts("name"));
        UNRESERVED.put("json", casts("json"));
    }

    @BeforeAll
    static void databases() throws SQLException {
        databases = BuiltInCallOutcomes.TwoDatabases.postgres(SCHEMA_A, SCHEMA_B, ROLE);
    }

    @AfterAll
    static void close() throws SQLException {
        if (databases != null) {
            databases.close();
        }
    }

    @Test
    void noKeywordFormShowsAnythingOfTheMaskedColumn() throws SQLException {
        Map<String, List<String>> keywords = new TreeMap<>();
        try (Connection raw = TestDatabase.POSTGRESQL.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT word, catcode FROM pg_get_keywords() ORDER BY word")) {
            while (rs.next()) {
                keywords.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(1));
            }
        }
        List<String> columnAndTypeNames = new ArrayList<>(keywords.getOrDefault("C", List.of()));
        columnAndTypeNames.addAll(keywords.getOrDefault("T", List.of()));
        assertThat(columnAndTypeNames).as("the server's column-name and type/function-name keywords").isNotEmpty();
        assertThat(columnAndTypeNames).as("keywords (C, T) the server lists with no forms here: give each its grammar's "
                + "shapes in FORMS, or none(why) where it has no form in a query").allMatch(FORMS::containsKey);

        BuiltInCallOutcomes outcomes = new BuiltInCallOutcomes(databases.readers, databases.rawA, databases.rawB,
                o -> o.replace(SCHEMA_A, "<schema>").replace(SCHEMA_B, "<schema>"));
        for (String word : columnAndTypeNames) {
            outcomes.count("keywords C, T");
            tryForms(outcomes, word, FORMS.get(word));
        }
        for (String word : keywords.getOrDefault("R", List.of())) {
            outcomes.count("keywords R");
            if (!RESERVED.containsKey(word)) {
                outcomes.count("keywords R without a form in an expression or a query clause");
                continue;
            }
            tryForms(outcomes, word, RESERVED.get(word));
        }
        for (String word : keywords.getOrDefault("U", List.of())) {
            if (UNRESERVED.containsKey(word)) {
                outcomes.count("keywords U tried");
                tryForms(outcomes, word, UNRESERVED.get(word));
            }
        }
        LOG.info("PostgreSQL keyword forms over a masked column: {}", outcomes.counts());
        outcomes.losses().forEach(loss -> LOG.info("lost (refused to both callers): {}", loss));
        outcomes.findings().forEach(finding -> LOG.error("{}", finding));
        assertThat(outcomes.findings()).as("forms whose governed outcome differs between the databases or shows an SSN")
                .isEmpty();
        assertThat(outcomes.counts().getOrDefault("calls", 0)).as("forms tried").isGreaterThan(400);
    }

    private static void tryForms(BuiltInCallOutcomes outcomes, String word, List<Form> forms) {
        if (forms.isEmpty()) {
            outcomes.count("keywords with no form in a query");
            return;
        }
        int index = 0;
        for (Form form : forms) {
            index++;
            String select = form.select().replace(X, "c.ssn");
            String where = form.where() == null ? null : form.where().replace(X, "c.ssn");
            if (BuiltInCallOutcomes.render(databases.rawA, select, false).startsWith("failed: error 42601")) {
                outcomes.count("forms the server rejects as syntax (a form this test writes wrongly)");
                LOG.warn("{} #{}: a syntax error on the server: {}", word, index, select);
            }
            outcomes.run(new BuiltInCallOutcomes.Call(word + " #" + index, select, where, form.valueOfColumn()));
        }
    }
}
