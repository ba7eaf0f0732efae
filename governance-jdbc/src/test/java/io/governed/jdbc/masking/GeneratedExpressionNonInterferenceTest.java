package io.governed.jdbc.masking;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.*;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExcludesExpression;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IncludesExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.IsUnknownExpression;
import net.sf.jsqlparser.expression.operators.relational.JsonOperator;
import net.sf.jsqlparser.expression.operators.relational.MemberOfExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.operators.relational.Plus;
import net.sf.jsqlparser.expression.operators.relational.PriorTo;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperatorType;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FunctionAllColumns;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.util.cnfexpression.MultiAndExpression;
import net.sf.jsqlparser.util.cnfexpression.MultiOrExpression;
import org.h2.jdbcx.JdbcDataSource;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Non-interference of a masked column on expressions generated from the SQL parser's own expression classes: every
 * concrete {@link Expression} class of the parser jar is either built here from generated sub-expressions (a builder
 * below, whose sample build is checked to reach the class) or listed in {@link #NOT_BUILT} with the reason, so a parser
 * upgrade that adds a class fails {@link #everyExpressionClassOfTheParserIsBuiltOrListed()} until it is built or listed.
 * <p>
 * Trees of depth up to four mix the masked column {@code ssn}, clear columns, literals and bind parameters; each is
 * deparsed by the parser ({@code toString()}) and placed in a select list, a {@code WHERE}, an {@code ORDER BY}, a
 * {@code GROUP BY}, a {@code HAVING}, a join condition, a window's order, a {@code LIMIT} subquery, a {@code CASE}
 * condition, a derived table, a CTE, a {@code UNION} branch and an {@code IN} subquery over the table
 * {@code people} of two H2 databases that differ only in their SSNs ({@link MaskedValuesNonInterferenceSpec#SSNS_A},
 * {@code SSNS_B}). Through the governed driver, the agent (whom the mask's {@code deny-inference} covers) sees the same
 * outcome on both — the same refusal or error (SQLState and message) or the same rows, read through {@code getString},
 * {@code getObject}, {@code getBytes} and {@code wasNull} — and no SSN in any value or message. The analyst (whom the
 * mask applies to, without {@code deny-inference}) may filter on the column and see a computation of it fail (see
 * POLICY.md): for the analyst the expressions hold no filter, go in result columns only, and where both databases
 * return rows they are the same, a null and a redacted value counting as one; no SSN appears anywhere.
 * A statement whose outcome changes between two runs on the same database (a random or time function) is not compared.
 */
class GeneratedExpressionNonInterferenceTest {
    private static final String USER = "GEN_READER";
    private static final String PASSWORD = "gen-" + UUID.randomUUID();
    private static final String DATABASE_A = ("GEN_A_" + UUID.randomUUID()).toUpperCase(Locale.ROOT).replace('-', '_');
    private static final String DATABASE_B = ("GEN_B_" + UUID.randomUUID()).toUpperCase(Locale.ROOT).replace('-', '_');
    private static Connection keepA;
    private static Connection keepB;
    private static MaskedValuesNonInterferenceSpec.Readers readers;

    // ------------------------------------------------------------------ the parser's expression classes

    /** Concrete classes of the parser that are expressions but that no builder here makes, with the reason. */
    static final Map<Class<?>, String> NOT_BUILT = Map.of(
            OracleHint.class, "an optimizer hint is a comment (/*+ … */): deparsed where a value goes it leaves the "
                    + "place empty, and the parser never reads one there",
            net.sf.jsqlparser.statement.execute.ExecuteArgument.class, "an argument of an EXECUTE statement: it has no "
                    + "place in a SELECT",
            net.sf.jsqlparser.statement.piped.FromQuery.class, "a piped query (FROM … |> …) is a statement form the "
                    + "parser reads only at the top level, not inside parentheses where a value goes",
            net.sf.jsqlparser.statement.select.PivotQuery.class, "DuckDB's PIVOT statement, read only as a statement, "
                    + "not as a subquery");

    /** A way to build one kind of node from {@code arity} sub-expressions; {@code filters} if it puts one in a WHERE. */
    record Builder(String name, int arity, boolean filters, java.util.function.Function<List<Expression>, Expression> build) {
    }

    /** The concrete classes of the parser jar that are expressions (as NodeCompletenessTest reads them). */
    static List<Class<?>> expressionClasses() throws Exception {
        Path jar = Path.of(Expression.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> names = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith("net/sf/jsqlparser/") && name.endsWith(".class") && !name.contains("module-info")) {
                    names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(name, false, Expression.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && !c.isAnonymousClass()
                    && Expression.class.isAssignableFrom(c)) {
                classes.add(c);
            }
        }
        return classes;
    }

    private static Expression parse(String text) {
        try {
            return CCJSqlParserUtil.parseExpression(text, false);
        } catch (JSQLParserException | RuntimeException e) {
            throw new Unbuildable(text);
        }
    }

    /** The parser could not read back what a template made of the given sub-expressions. */
    static final class Unbuildable extends RuntimeException {
        Unbuildable(String text) {
            super("the parser does not read " + text, null, false, false);
        }
    }

    /** A builder that has the parser read a template with the sub-expressions' deparsed text in its {@code %s}. */
    private static Builder template(String name, int arity, boolean filters, String template) {
        return new Builder(name, arity, filters, kids -> parse(template.formatted(kids.stream().map(Object::toString).toArray())));
    }

    private static Select subquery(String text) {
        try {
            return (Select) CCJSqlParserUtil.parse(text);
        } catch (JSQLParserException | RuntimeException e) {
            throw new Unbuildable(text);
        }
    }

    private static Builder leaf(String name, java.util.function.Supplier<Expression> make) {
        return new Builder(name, 0, false, kids -> make.get());
    }

    /** The leaves: the masked column, clear columns, literals and parameters of every literal class of the parser. */
    static final List<Builder> LEAVES = List.of(
            leaf("ssn", () -> new Column("ssn")),
            leaf("name", () -> new Column("name")),
            leaf("id", () -> new Column("id")),
            leaf("people.ssn", () -> new Column(new Table("people"), "ssn")),
            leaf("'1'", () -> new StringValue("1")),
            leaf("'-'", () -> new StringValue("-")),
            leaf("1", () -> new LongValue(1)),
            leaf("3", () -> new LongValue(3)),
            leaf("2.5", () -> new DoubleValue("2.5")),
            leaf("NULL", NullValue::new),
            leaf("TRUE", () -> new BooleanValue(true)),
            leaf("?", JdbcParameter::new),
            leaf(":p", () -> new JdbcNamedParameter("p")),
            leaf(":1", () -> {
                NumericBind bind = new NumericBind();
                bind.setBindId(1);
                return bind;
            }),
            leaf("{d}", () -> parse("{d '2024-01-02'}")),
            leaf("{t}", () -> parse("{t '12:30:00'}")),
            leaf("{ts}", () -> parse("{ts '2024-01-02 12:30:00'}")),
            leaf("X'41'", () -> new HexValue("X'41'")),
            leaf("DATE literal", () -> parse("DATE '2024-01-02'")),
            leaf("CURRENT_DATE", () -> new TimeKeyExpression("CURRENT_DATE")),
            leaf("DAY", () -> new DateUnitExpression("DAY")),
            leaf("ALL", AllValue::new),
            leaf("*", () -> new AllColumns()),
            leaf("people.*", () -> new AllTableColumns(new Table("people"))),
            leaf("@gen_v", () -> new UserVariable("gen_v")),
            leaf("NEXT VALUE FOR", () -> parse("NEXT VALUE FOR gen_seq")));

    /** Binary operators: every concrete subclass of BinaryExpression, built with setLeftExpression/setRightExpression. */
    static List<Builder> binaryOperators() throws Exception {
        List<Builder> builders = new ArrayList<>();
        for (Class<?> c : expressionClasses()) {
            if (!BinaryExpression.class.isAssignableFrom(c)) {
                continue;
            }
            builders.add(new Builder(c.getSimpleName(), 2, false, kids -> {
                BinaryExpression node = newBinary(c);
                node.setLeftExpression(kids.get(0));
                node.setRightExpression(kids.get(1));
                return node;
            }));
        }
        return builders;
    }

    private static BinaryExpression newBinary(Class<?> c) {
        if (c == JsonOperator.class) {
            return new JsonOperator("->>");
        }
        if (c == RegExpMatchOperator.class) {
            return new RegExpMatchOperator(RegExpMatchOperatorType.MATCH_CASESENSITIVE);
        }
        if (c == Plus.class) {
            return new Plus(null, null);
        }
        if (c == PriorTo.class) {
            return new PriorTo(null, null);
        }
        try {
            return (BinaryExpression) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(c.getName() + " has no constructor without arguments: give it a builder", e);
        }
    }

    /** The other composite nodes, each from its sub-expressions. */
    static final List<Builder> COMPOSITES = List.of(
            new Builder("Parenthesis", 1, false, k -> {
                Parenthesis p = new Parenthesis();
                p.add(k.get(0));
                return p;
            }),
            new Builder("NOT", 1, false, k -> new NotExpression(k.get(0))),
            new Builder("-x", 1, false, k -> new SignedExpression('-', k.get(0))),
            new Builder("~x", 1, false, k -> new Inverse(k.get(0))),
            new Builder("CAST AS VARCHAR", 1, false, k -> parse("CAST(" + k.get(0) + " AS VARCHAR)")),
            new Builder("CAST AS INT", 1, false, k -> parse("CAST(" + k.get(0) + " AS INT)")),
            new Builder("CAST AS DECIMAL", 1, false, k -> parse("CAST(" + k.get(0) + " AS DECIMAL(10, 2))")),
            new Builder("CAST AS DATE", 1, false, k -> parse("CAST(" + k.get(0) + " AS DATE)")),
            new Builder("::BOOLEAN", 1, false, k -> parse(k.get(0) + "::BOOLEAN")),
            template("CONVERT USING", 1, false, "CONVERT(%s USING utf8)"),
            new Builder("COLLATE", 1, false, k -> new CollateExpression(k.get(0), "\"en\"")),
            new Builder("CONNECT_BY_ROOT", 1, false, k -> new ConnectByRootOperator(k.get(0))),
            new Builder("PRIOR", 1, false, k -> new ConnectByPriorOperator(k.get(0))),
            new Builder("EXTRACT", 1, false, k -> {
                ExtractExpression e = new ExtractExpression();
                e.setName("YEAR");
                e.setExpression(k.get(0));
                return e;
            }),
            new Builder("HIGH", 1, false, k -> new HighExpression(k.get(0))),
            new Builder("LOW", 1, false, k -> new LowExpression(k.get(0))),
            new Builder("INTERVAL", 1, false, k -> {
                IntervalExpression e = new IntervalExpression(true);
                e.setExpression(k.get(0));
                e.setIntervalType("DAY");
                return e;
            }),
            new Builder("IS NULL", 1, false, k -> new IsNullExpression(k.get(0))),
            new Builder("IS NOT NULL", 1, false, k -> new IsNullExpression(k.get(0)).withNot(true)),
            new Builder("IS TRUE", 1, false, k -> {
                IsBooleanExpression e = new IsBooleanExpression();
                e.setLeftExpression(k.get(0));
                e.setIsTrue(true);
                return e;
            }),
            new Builder("IS UNKNOWN", 1, false, k -> {
                IsUnknownExpression e = new IsUnknownExpression();
                e.setLeftExpression(k.get(0));
                return e;
            }),
            new Builder("BETWEEN", 3, false, k -> {
                Between e = new Between();
                e.setLeftExpression(k.get(0));
                e.setBetweenExpressionStart(k.get(1));
                e.setBetweenExpressionEnd(k.get(2));
                return e;
            }),
            new Builder("IN list", 3, false, k -> new InExpression(k.get(0), new ParenthesedExpressionList<>(k.get(1), k.get(2)))),
            new Builder("IN subquery", 2, true, k -> new InExpression(k.get(0),
                    new ParenthesedSelect().withSelect(subquery("SELECT " + k.get(1) + " FROM people q")))),
            new Builder("= ANY", 2, true, k -> parse(k.get(0) + " = ANY (SELECT " + k.get(1) + " FROM people q)")),
            new Builder("EXISTS", 1, true, k -> {
                ExistsExpression e = new ExistsExpression();
                e.setRightExpression(new ParenthesedSelect().withSelect(subquery("SELECT 1 FROM people q WHERE " + k.get(0))));
                return e;
            }),
            new Builder("scalar subquery", 1, false, k -> new ParenthesedSelect().withSelect(
                    subquery("SELECT MAX(" + k.get(0) + ") FROM people q"))),
            new Builder("correlated subquery", 1, false, k -> new ParenthesedSelect().withSelect(
                    subquery("SELECT " + k.get(0) + " FROM orders o WHERE o.person_id = people.id"))),
            new Builder("subquery UNION", 2, false, k -> new ParenthesedSelect().withSelect(subquery(
                    "SELECT MAX(v) FROM (SELECT " + k.get(0) + " AS v FROM people q UNION SELECT " + k.get(1)
                            + " FROM people q) u"))),
            new Builder("subquery VALUES", 2, false, k -> new ParenthesedSelect().withSelect(subquery(
                    "SELECT MAX(v) FROM (VALUES (" + k.get(0) + "), (" + k.get(1) + ")) AS x(v)"))),
            new Builder("subquery TABLE", 1, false, k -> {
                net.sf.jsqlparser.statement.select.PlainSelect select = (net.sf.jsqlparser.statement.select.PlainSelect)
                        subquery("SELECT MAX(" + k.get(0) + ") FROM people q");
                net.sf.jsqlparser.statement.select.TableStatement table = new net.sf.jsqlparser.statement.select.TableStatement();
                table.setTable(new Table("people"));
                select.setFromItem(new ParenthesedSelect().withSelect(table).withAlias(new Alias("q")));
                return new ParenthesedSelect().withSelect(select);
            }),
            new Builder("subquery UNNEST", 2, false, k -> new ParenthesedSelect().withSelect(subquery(
                    "SELECT COUNT(*) FROM UNNEST(ARRAY[" + k.get(0) + ", " + k.get(1) + "])"))),
            new Builder("subquery CONNECT BY", 2, true, k -> new ParenthesedSelect().withSelect(subquery(
                    "SELECT MAX(" + k.get(0) + ") FROM people q START WITH " + k.get(1) + " CONNECT BY PRIOR id = id"))),
            new Builder("LATERAL", 1, false, k -> new LateralSubSelect("LATERAL", subquery("SELECT " + k.get(0) + " FROM people q"))),
            new Builder("CASE WHEN", 3, false, k -> new CaseExpression(k.get(2), new WhenClause(k.get(0), k.get(1)))
                    .withSwitchExpression(null).withElseExpression(k.get(2))),
            new Builder("CASE x WHEN", 3, false, k -> new CaseExpression(k.get(0), new WhenClause(k.get(1), k.get(2)))),
            new Builder("ARRAY[]", 2, false, k -> new ArrayConstructor(new ExpressionList<>(k.get(0), k.get(1)), true)),
            new Builder("x[i]", 2, false, k -> new ArrayExpression(k.get(0), k.get(1))),
            new Builder("x[i:j]", 3, false, k -> new ArrayExpression(k.get(0), null, k.get(1), k.get(2))),
            new Builder("i:j", 2, false, k -> new RangeExpression(k.get(0), k.get(1))),
            new Builder("TRIM", 2, false, k -> new TrimFunction(TrimFunction.TrimSpecification.BOTH, k.get(1), k.get(0), true)),
            new Builder("ROW", 2, false, k -> new RowConstructor<>("ROW", new ExpressionList<>(k.get(0), k.get(1)))),
            new Builder("(x, y)", 2, false, k -> new ParenthesedExpressionList<>(k.get(0), k.get(1))),
            new Builder("x.f", 1, false, k -> new RowGetExpression(k.get(0), "f")),
            new Builder("x.f()", 1, false, k -> new MethodCallExpression(k.get(0), new Function("f"))),
            new Builder("x AS a", 1, false, k -> new AliasedExpression(k.get(0), new Alias("a"))),
            new Builder("KEY", 1, false, k -> new KeyExpression(k.get(0))),
            new Builder("lambda", 1, false, k -> new LambdaExpression("x", k.get(0))),
            new Builder("x -> 'a'", 1, false, k -> new JsonExpression(k.get(0),
                    List.of(Map.entry(new StringValue("a"), "->")))),
            new Builder("MAP", 2, false, k -> new MapExpression().addEntry(k.get(0), k.get(1))),
            new Builder("STRUCT", 2, false, k -> new StructType(StructType.Dialect.BIG_QUERY, List.of(
                    new net.sf.jsqlparser.statement.select.SelectItem<>(k.get(0)),
                    new net.sf.jsqlparser.statement.select.SelectItem<>(k.get(1))))),
            new Builder("AT TIME ZONE", 1, false, k -> new TimezoneExpression(k.get(0), new StringValue("UTC"))),
            new Builder("c ? a : b", 3, false, k -> new TernaryExpression(k.get(0), k.get(1), k.get(2))),
            new Builder("@v :=", 1, false, k -> {
                VariableAssignment e = new VariableAssignment();
                e.setVariable(new UserVariable("gen_v"));
                e.setOperation(":=");
                e.setExpression(k.get(0));
                return e;
            }),
            new Builder("OVERLAPS", 2, false, k -> new OverlapsCondition(new ParenthesedExpressionList<>(k.get(0), k.get(1)),
                    new ParenthesedExpressionList<>(parse("DATE '2024-01-02'"), parse("DATE '2024-02-02'")))),
            new Builder("MATCH AGAINST", 1, false, k -> parse("MATCH (ssn, name) AGAINST (" + k.get(0) + ")")),
            new Builder("MEMBER OF", 2, false, k -> new MemberOfExpression(k.get(0), k.get(1))),
            new Builder("INCLUDES", 2, false, k -> new IncludesExpression(k.get(0), new ParenthesedExpressionList<>(k.get(1)))),
            new Builder("EXCLUDES", 2, false, k -> new ExcludesExpression(k.get(0), new ParenthesedExpressionList<>(k.get(1)))),
            new Builder("AND of many", 3, false, k -> new MultiAndExpression(new ArrayList<>(k))),
            new Builder("OR of many", 3, false, k -> new MultiOrExpression(new ArrayList<>(k))),
            new Builder("x AND y", 2, false, k -> new AndExpression(k.get(0), k.get(1))),
            new Builder("f(x)", 1, false, k -> new Function("UPPER", k.get(0))),
            new Builder("f(x, y)", 2, false, k -> new Function("COALESCE", k.get(0), k.get(1))),
            new Builder("f(DISTINCT x)", 1, false, k -> new Function("COUNT", k.get(0)).withDistinct(true)),
            template("f(x HAVING MAX y)", 2, false, "ANY_VALUE(%s HAVING MAX %s)"),
            new Builder("raw f(x)", 1, false, k -> new RawFunction("COALESCE", k.get(0).toString())),
            new Builder("f(p => x)", 1, false, k -> new Function("COALESCE",
                    new OracleNamedFunctionParameter("p", k.get(0)))),
            new Builder("f(p := x)", 1, false, k -> new Function("COALESCE",
                    new PostgresNamedFunctionParameter("p", k.get(0)))),
            new Builder("f(x).*", 1, false, k -> new FunctionAllColumns(new Function("ROW", k.get(0)))),
            template("SUBSTRING FROM FOR", 1, false, "SUBSTRING(%s FROM 1 FOR 3)"),
            template("OVER", 2, false, "MAX(%s) OVER (PARTITION BY %s ORDER BY id)"),
            template("ROW_NUMBER OVER", 1, false, "ROW_NUMBER() OVER (ORDER BY %s)"),
            template("KEEP", 2, false, "MAX(%s) KEEP (DENSE_RANK FIRST ORDER BY %s)"),
            new Builder("GROUP_CONCAT", 1, false, k -> {
                MySQLGroupConcat e = new MySQLGroupConcat();
                e.setExpressionList(new ExpressionList<>(k.get(0)));
                e.setSeparator("','");
                return e;
            }),
            template("JSON_OBJECT", 1, false, "JSON_OBJECT(KEY 'k' VALUE %s)"),
            template("JSON_ARRAYAGG", 1, false, "JSON_ARRAYAGG(%s)"),
            new Builder("JSON_TABLE", 1, false, k -> new ParenthesedSelect().withSelect(subquery(
                    "SELECT MAX(a) FROM JSON_TABLE(" + k.get(0) + ", '$' COLUMNS (a VARCHAR(10) PATH '$.a')) j"))),
            template("XMLSERIALIZE", 1, false, "XMLSERIALIZE(XMLAGG(XMLTEXT(%s) ORDER BY id) AS VARCHAR(200))"),
            new Builder("XMLTABLE", 1, false, k -> new ParenthesedSelect().withSelect(subquery(
                    "SELECT MAX(x) FROM XMLTABLE('/a' PASSING " + k.get(0) + " COLUMNS x VARCHAR(10) PATH 'x') t"))));

    /** Functions by name, from H2's own table of built-in function names (read as H2EveryBuiltInFunctionTest reads it). */
    static List<Builder> namedFunctions() {
        List<Builder> builders = new ArrayList<>();
        List<String> names = new ArrayList<>(H2EveryBuiltInFunctionTest.builtInNames().get("functions"));
        names.addAll(H2EveryBuiltInFunctionTest.builtInNames().get("aggregates"));
        for (String name : names) {
            for (int arity = 1; arity <= 2; arity++) {
                builders.add(new Builder(name + "/" + arity, arity, false, k -> new Function(name, k.toArray(new Expression[0]))));
            }
        }
        return builders;
    }

    static List<Builder> composites() throws Exception {
        List<Builder> all = new ArrayList<>(binaryOperators());
        all.addAll(COMPOSITES);
        return all;
    }

    /** A generated tree: the builder's name and its sub-trees; what jqwik shrinks and reports. */
    record Node(String kind, List<Node> kids) {
        @Override
        public String toString() {
            return kids.isEmpty() ? kind : kind + kids;
        }
    }

    private static final Map<String, Builder> BY_NAME = new LinkedHashMap<>();

    static {
        try {
            for (Builder b : LEAVES) {
                BY_NAME.put(b.name(), b);
            }
            for (Builder b : composites()) {
                BY_NAME.put(b.name(), b);
            }
            for (Builder b : namedFunctions()) {
                BY_NAME.putIfAbsent(b.name(), b);
            }
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Expression build(Node node) {
        List<Expression> kids = new ArrayList<>();
        for (Node kid : node.kids()) {
            kids.add(build(kid));
        }
        return BY_NAME.get(node.kind()).build().apply(kids);
    }

    static boolean filters(Node node) {
        return BY_NAME.get(node.kind()).filters() || node.kids().stream().anyMatch(GeneratedExpressionNonInterferenceTest::filters);
    }

    /** Every parser class reachable from a node through the parser's own fields, lists and maps. */
    static Set<Class<?>> classesIn(Object root) {
        Set<Class<?>> found = new java.util.HashSet<>();
        reach(root, found, new IdentityHashMap<>());
        return found;
    }

    private static void reach(Object o, Set<Class<?>> found, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            c.forEach(x -> reach(x, found, seen));
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                reach(k, found, seen);
                reach(v, found, seen);
            });
        }
        if (o instanceof Map.Entry<?, ?> e) {
            reach(e.getKey(), found, seen);
            reach(e.getValue(), found, seen);
        }
        if (o.getClass().isArray() && !o.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(o); i++) {
                reach(Array.get(o, i), found, seen);
            }
        }
        if (!o.getClass().getName().startsWith("net.sf.jsqlparser.") || o.getClass().isEnum()) {
            return;
        }
        found.add(o.getClass());
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith("net.sf.jsqlparser."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || f.getName().equals("node")) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    reach(f.get(o), found, seen);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a field the parser does not open: its classes are reached through the builder's other nodes
                }
            }
        }
    }

    /** The parser classes each builder's sample (every sub-expression the masked column) reaches. */
    static Map<String, Set<Class<?>>> sampleBuilds() throws Exception {
        Map<String, Set<Class<?>>> reached = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        List<Builder> builders = new ArrayList<>(LEAVES);
        builders.addAll(composites());
        for (Builder b : builders) {
            List<Expression> kids = new ArrayList<>();
            for (int i = 0; i < b.arity(); i++) {
                kids.add(new Column("ssn"));
            }
            try {
                Expression built = b.build().apply(kids);
                assertThat(built.toString()).as("%s deparses", b.name()).isNotBlank();
                reached.put(b.name(), classesIn(built));
            } catch (RuntimeException e) {
                broken.add(b.name() + ": " + e);
            }
        }
        assertThat(broken).as("builders that cannot build their sample (every sub-expression the masked column)").isEmpty();
        return reached;
    }

    @Example
    void everyExpressionClassOfTheParserIsBuiltOrListed() throws Exception {
        Set<Class<?>> built = new java.util.HashSet<>();
        sampleBuilds().values().forEach(built::addAll);
        List<Class<?>> classes = expressionClasses();
        assertThat(classes).as("the parser jar's expression classes").hasSizeGreaterThan(100)
                .contains(Column.class, CaseExpression.class, CastExpression.class);
        List<String> neither = classes.stream().filter(c -> !built.contains(c) && !NOT_BUILT.containsKey(c))
                .map(Class::getName).toList();
        assertThat(neither).as("expression classes of the parser that no builder reaches and that are not listed as "
                + "unbuildable: give each a builder (or list it in NOT_BUILT with the reason it cannot be built)").isEmpty();
        List<String> stale = NOT_BUILT.keySet().stream().filter(built::contains).map(Class::getName).toList();
        assertThat(stale).as("classes listed as unbuildable that a builder reaches: take them off NOT_BUILT").isEmpty();
        Statistics.label("classes").collect("built " + classes.stream().filter(built::contains).count() + ", listed "
                + NOT_BUILT.size() + ", of " + classes.size());
    }

    // ------------------------------------------------------------------ generation

    private static Arbitrary<Node> leaves() {
        List<Tuple.Tuple2<Integer, Arbitrary<? extends Node>>> weighted = new ArrayList<>();
        weighted.add(Tuple.of(12, Arbitraries.just(new Node("ssn", List.of()))));
        weighted.add(Tuple.of(2, Arbitraries.just(new Node("people.ssn", List.of()))));
        weighted.add(Tuple.of(10, Arbitraries.of(LEAVES.stream().filter(b -> !b.name().contains("ssn"))
                .map(b -> new Node(b.name(), List.of())).toList())));
        return Arbitraries.frequencyOf(weighted.toArray(Tuple.Tuple2[]::new));
    }

    private static Arbitrary<Node> tree(int depth, boolean withFilters) {
        if (depth == 0) {
            return leaves();
        }
        List<Builder> composites;
        try {
            composites = composites().stream().filter(b -> withFilters || !b.filters()).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Builder> functions = namedFunctions();
        Arbitrary<Node> kid = Arbitraries.lazy(() -> tree(depth - 1, withFilters));
        Arbitrary<Node> composite = Arbitraries.of(composites).flatMap(b -> kid.list().ofSize(b.arity())
                .map(kids -> new Node(b.name(), kids)));
        Arbitrary<Node> function = Arbitraries.of(functions).flatMap(b -> kid.list().ofSize(b.arity())
                .map(kids -> new Node(b.name(), kids)));
        return Arbitraries.frequencyOf(Tuple.of(3, leaves()), Tuple.of(6, composite), Tuple.of(2, function));
    }

    @Provide
    Arbitrary<Node> trees() {
        return tree(3, true);
    }

    @Provide
    Arbitrary<Node> computations() {
        return tree(3, false);
    }

    /** Where an expression goes: the query with {@code %s} in its place, and whether its rows come back in order. */
    record Shape(String form, boolean ordered) {
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Arbitraries.of(
                new Shape("SELECT %s FROM people", false),
                new Shape("SELECT id, %s FROM people ORDER BY id", true),
                new Shape("SELECT id FROM people WHERE %s ORDER BY id", true),
                new Shape("SELECT id FROM people ORDER BY %s, id", true),
                new Shape("SELECT COUNT(*) FROM people GROUP BY %s", false),
                new Shape("SELECT d.v FROM (SELECT %s AS v FROM people) d", false),
                new Shape("WITH d AS (SELECT id, %s AS v FROM people) SELECT id, v FROM d ORDER BY id", true),
                new Shape("SELECT %s AS v FROM people UNION ALL SELECT name FROM people", false),
                new Shape("SELECT id FROM people WHERE id IN (SELECT id FROM people WHERE %s) ORDER BY id", true),
                new Shape("SELECT name, COUNT(*) FROM people GROUP BY name HAVING %s ORDER BY name", true),
                new Shape("SELECT o.id FROM orders o JOIN people ON people.id = o.person_id AND %s ORDER BY o.id", true),
                new Shape("SELECT id, ROW_NUMBER() OVER (ORDER BY %s, id) FROM people ORDER BY id", true),
                new Shape("SELECT id FROM people ORDER BY id LIMIT (SELECT COUNT(*) FROM people WHERE %s)", true),
                new Shape("SELECT id, CASE WHEN %s THEN 1 ELSE 0 END FROM people ORDER BY id", true));
    }

    @Provide
    Arbitrary<Shape> projections() {
        return Arbitraries.of(
                new Shape("SELECT id, %s FROM people ORDER BY id", true),
                new Shape("SELECT d.id, d.v FROM (SELECT id, %s AS v FROM people) d ORDER BY d.id", true),
                new Shape("WITH d AS (SELECT id, %s AS v FROM people) SELECT id, v FROM d ORDER BY id", true),
                new Shape("SELECT id, (SELECT %s FROM people q WHERE q.id = people.id) FROM people ORDER BY id", true));
    }

    // ------------------------------------------------------------------ the properties

    @Property(tries = 1200, afterFailure = AfterFailureMode.RANDOM_SEED, maxDiscardRatio = 10)
    void whatAnAgentSeesOfAGeneratedExpressionDoesNotDependOnTheMaskedValues(@ForAll("trees") Node tree,
                                                                             @ForAll("shapes") Shape shape) {
        String sql = sql(tree, shape);
        compare(sql, shape, true);
    }

    @Property(tries = 800, afterFailure = AfterFailureMode.RANDOM_SEED, maxDiscardRatio = 10)
    void everyValueAnAnalystComputesFromTheMaskedColumnComesBackMasked(@ForAll("computations") Node tree,
                                                                       @ForAll("projections") Shape shape) {
        String sql = sql(tree, shape);
        compare(sql, shape, false);
    }

    private static String sql(Node tree, Shape shape) {
        String expression;
        try {
            expression = build(tree).toString();
        } catch (Unbuildable e) {
            Statistics.label("outcome").collect("not read back by the parser");
            Assume.that(false);
            throw e;
        }
        return shape.form().formatted(expression);
    }

    private static void compare(String sql, Shape shape, boolean agent) {
        String a = outcome(readers.of(true, agent), sql, shape.ordered(), !agent);
        String b = outcome(readers.of(false, agent), sql, shape.ordered(), !agent);
        for (String ssn : MaskedValuesNonInterferenceSpec.SSNS_A) {
            assertThat(a).as("%s shows an SSN of database A: %s", sql, a).doesNotContain(ssn).doesNotContain(ssn.replace("-", ""));
        }
        for (String ssn : MaskedValuesNonInterferenceSpec.SSNS_B) {
            assertThat(b).as("%s shows an SSN of database B: %s", sql, b).doesNotContain(ssn).doesNotContain(ssn.replace("-", ""));
        }
        boolean failed = a.startsWith("refused or failed") || b.startsWith("refused or failed");
        boolean compared = agent || !failed;
        if (compared && !a.equals(b) && !a.equals(outcome(readers.of(true, agent), sql, shape.ordered(), !agent))) {
            Statistics.label("outcome").collect("changes from one run to the next: not compared");
            return;
        }
        Statistics.label("outcome").collect((!compared ? "failed on a database"
                : a.startsWith("refused or failed: 42501") ? "refused" : failed ? "failed" : "rows")
                + (sql.contains("ssn") ? ", over the SSN" : ""));
        if (compared) {
            assertThat(b).as("%s%nreturns on database A: %s%nand on database B (other SSNs): %s", sql, a, b).isEqualTo(a);
        }
    }

    private static String outcome(Connection connection, String sql, boolean ordered, boolean nullOrMasked) {
        String text;
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            int parameters = (int) sql.chars().filter(ch -> ch == '?').count();
            for (int i = 1; i <= parameters; i++) {
                s.setString(i, "1");
            }
            try (ResultSet rs = s.executeQuery()) {
                text = rows(rs, ordered, nullOrMasked);
            }
        } catch (SQLException e) {
            text = "refused or failed: " + e.getSQLState() + " " + e.getMessage();
        }
        return text.replace(DATABASE_A, "DB").replace(DATABASE_B, "DB");
    }

    private static String rows(ResultSet rs, boolean ordered, boolean nullOrMasked) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String string;
                boolean stringNull;
                try {
                    string = rs.getString(i);
                    stringNull = rs.wasNull();
                } catch (SQLException e) {
                    string = "getString: " + e.getSQLState() + " " + e.getMessage();
                    stringNull = false;
                }
                Object object = rs.getObject(i);
                boolean objectNull = rs.wasNull();
                String bytes;
                try {
                    byte[] b = rs.getBytes(i);
                    bytes = b == null ? "null" : new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                } catch (SQLException e) {
                    bytes = "getBytes: " + e.getSQLState();
                }
                assertThat(string == null).as("getString gives null exactly when wasNull() says so").isEqualTo(stringNull);
                if (nullOrMasked && (stringNull || masked(string)) && (objectNull || masked(String.valueOf(object))
                        || object instanceof byte[] b && b.length == 0)) {
                    row.append("[null or masked]");
                    continue;
                }
                row.append('[').append(string).append(stringNull ? " (null)" : "").append(" | ")
                        .append(object instanceof Object[] array ? Arrays.deepToString(array)
                                : object instanceof java.sql.Array array ? Arrays.deepToString((Object[]) array.getArray())
                                : object instanceof byte[] b ? Arrays.toString(b) : String.valueOf(object))
                        .append(objectNull ? " (null)" : "").append(" | ").append(bytes).append(']');
            }
            rows.add(row.toString());
        }
        if (!ordered) {
            rows.sort(null);
        }
        return rows.toString();
    }

    /** Whether a cell's text is a masked value: redacted ({@code ****}), or refused as text because it is masked bytes. */
    private static boolean masked(String text) {
        return text.chars().allMatch(ch -> ch == '*') || text.startsWith("getString: 22M01");
    }

    // ------------------------------------------------------------------ the two databases

    @BeforeContainer
    static void databases() throws SQLException {
        keepA = fill(DATABASE_A, MaskedValuesNonInterferenceSpec.SSNS_A);
        keepB = fill(DATABASE_B, MaskedValuesNonInterferenceSpec.SSNS_B);
        readers = MaskedValuesNonInterferenceSpec.Readers.over(reader(DATABASE_A), reader(DATABASE_B));
    }

    private static Connection fill(String database, List<String> ssns) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
        Connection keep = h2.getConnection();
        try (Statement s = keep.createStatement()) {
            s.execute("CREATE TABLE people(id INT PRIMARY KEY, name VARCHAR(40), ssn VARCHAR(11))");
            s.execute("CREATE TABLE orders(id INT PRIMARY KEY, person_id INT, item VARCHAR(20))");
            for (int i = 0; i < ssns.size(); i++) {
                s.execute("INSERT INTO people VALUES (" + (i + 1) + ", 'name " + (i % 2) + "', '" + ssns.get(i) + "')");
                s.execute("INSERT INTO orders VALUES (" + (i + 1) + ", " + (i + 1) + ", 'item " + i + "')");
            }
            s.execute("CREATE USER " + USER + " PASSWORD '" + PASSWORD + "'");
            s.execute("GRANT SELECT ON people, orders TO " + USER);
        }
        return keep;
    }

    private static JdbcDataSource reader(String database) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + database + ";QUERY_TIMEOUT=3000");
        h2.setUser(USER);
        h2.setPassword(PASSWORD);
        return h2;
    }

    @AfterContainer
    static void close() throws SQLException {
        if (readers != null) {
            readers.close();
        }
        for (Connection c : new Connection[] {keepA, keepB}) {
            if (c != null) {
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
        }
    }
}
