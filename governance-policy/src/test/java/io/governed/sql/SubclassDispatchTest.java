package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import net.sf.jsqlparser.expression.Expression;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rules of {@code io.governed.sql} that dispatch with {@code instanceof X} on a JSQLParser class X that has
 * subclasses in the parser jar, each subclass listed with why the rule for X is right for it (or which rule takes it
 * first). A subclass a parser upgrade adds fails this test, so a new node cannot be read by its parent's rule as
 * something it is not (as {@code (f(…)).*}, a subclass of {@code *}, once was read as a {@code *} over the FROM).
 * <p>
 * The classes X were found by reading every {@code instanceof} of the package's main code; the dispatches on
 * JSQLParser classes without subclasses in the jar (Column, Table, PlainSelect, EqualsTo, …) are listed in
 * {@link #WITHOUT_SUBCLASSES}, which this test also checks. Dispatches on the interfaces Expression and Statement
 * are generic (every node is one). When a rule gains an {@code instanceof} on a new class, add it here.
 */
class SubclassDispatchTest {

    private static final String E = "net.sf.jsqlparser.expression.";
    private static final String R = "net.sf.jsqlparser.expression.operators.relational.";
    private static final String S = "net.sf.jsqlparser.statement.";

    private static final String FUNCTION_RULE = "a Function: ExpressionWalker's function rule walks every child of it"
            + " (NodeCompletenessTest, SelectItemCompletenessTest); isCount/label/WhereClassifier read only its name";

    /** X, then each class of the jar assignable to X (X excluded) with why the rules for X hold for it. */
    static final Map<String, Map<String, String>> SUBCLASSES = new LinkedHashMap<>();

    static {
        SUBCLASSES.put(E + "Function", Map.of(
                E + "JsonTableFunction", "JSON_TABLE(…): " + FUNCTION_RULE,
                E + "XmlTableFunction", "XMLTABLE(…): " + FUNCTION_RULE,
                S + "select.TableFunction", "a FROM item, read by QueryWalker.fromItem's own rule before any Function"
                        + " rule; as an expression, " + FUNCTION_RULE,
                E + "RawFunction", "built by no production of the 5.4 parser (only by API callers); its arguments are"
                        + " text no rule reads, so a parser that starts building it must be checked here"));
        SUBCLASSES.put(R + "ComparisonOperator", Map.of(
                R + "EqualsTo", "=: a plain comparison (a row of FenceConjuncts.Comparison, by exact class)",
                R + "NotEqualsTo", "<> and !=: a plain comparison (a row of FenceConjuncts.Comparison, by exact class)",
                R + "MinorThan", "<: a plain comparison (a row of FenceConjuncts.Comparison, by exact class)",
                R + "MinorThanEquals", "<=: a plain comparison (a row of FenceConjuncts.Comparison, by exact class)",
                R + "GreaterThan", ">: a plain comparison (a row of FenceConjuncts.Comparison, by exact class)",
                R + "GreaterThanEquals", ">=: a plain comparison (a row of FenceConjuncts.Comparison, by exact class)",
                R + "Contains", "@>: not a plain comparison, so no fence conjunct (the rewriter's copy is reached only"
                        + " by fence conjuncts); FenceConjuncts.count only counts its operands",
                R + "ContainedBy", "<@: as Contains",
                R + "DoubleAnd", "&&: as Contains",
                R + "CosineSimilarity", "<=>: as Contains"));
        Map<String, String> comparisons = new LinkedHashMap<>(SUBCLASSES.get(R + "ComparisonOperator"));
        comparisons.put(R + "GeometryDistance", "<->, <#>: as Contains");
        comparisons.put(R + "TSQLLeftJoin", "*=: as Contains (SQL Server only)");
        comparisons.put(R + "TSQLRightJoin", "=*: as Contains (SQL Server only)");
        SUBCLASSES.put(R + "ComparisonOperator", comparisons);
        SUBCLASSES.put(R + "ExpressionList", Map.of(
                R + "ParenthesedExpressionList", "(a, b): a list whose every element is walked; rules for a row of"
                        + " values test the exact kind (WhereClassifier: exact classes only)",
                E + "Parenthesis", "(a): a list of one, walked as its element",
                E + "RowConstructor", "ROW(a, b): a list whose every element is walked",
                E + "PartitionByClause", "PARTITION BY a, b of a window: a list whose every element is walked",
                R + "NamedExpressionList", "f(a FROM b): a list whose every element is walked"));
        SUBCLASSES.put(R + "ParenthesedExpressionList", Map.of(
                E + "Parenthesis", "(a): one value in parentheses, as a row of one",
                E + "RowConstructor", "ROW(a, b): a row, as a parenthesised list"));
        SUBCLASSES.put(S + "select.AllColumns", Map.of(
                S + "select.AllTableColumns", "t.*: its own rule runs first wherever * is read (QueryWalker.selectItem,"
                        + " ExpressionWalker), and RowFilterRewriter.width gives up on both alike",
                S + "select.FunctionAllColumns", "(f(…)).*: its own rule runs first (the function walked,"
                        + " SelectItemCompletenessTest); every `instanceof AllColumns` that means a star over the FROM"
                        + " excludes it"));
        SUBCLASSES.put(S + "select.Select", Map.of(
                S + "select.PlainSelect", "its own rule (QueryWalker.query)",
                S + "select.SetOperationList", "its own rule (QueryWalker.query)",
                S + "select.ParenthesedSelect", "its own rule (QueryWalker.query)",
                S + "select.Values", "its own rule (QueryWalker.query)",
                S + "select.TableStatement", "its own rule (QueryWalker.query)",
                S + "select.LateralSubSelect", "a ParenthesedSelect: read as one (LATERAL only widens its scope)",
                S + "select.PivotQuery", "no rule: QueryWalker.query reads its parts generically, every column"
                        + " beneath it found (NodeCompletenessTest)",
                S + "piped.FromQuery", "no rule: as PivotQuery (NodeCompletenessTest)"));
        SUBCLASSES.put(S + "select.ParenthesedSelect", Map.of(
                S + "select.LateralSubSelect", "(…) after LATERAL: a parenthesised query, its body walked as one"));
        SUBCLASSES.put(S + "insert.Insert", Map.of(
                S + "insert.ParenthesedInsert", "(INSERT …) only as a WITH item's statement (a"
                        + " top-level one does not parse): StatementWalker tests it before Insert and walks its Insert"));
        SUBCLASSES.put(S + "update.Update", Map.of(
                S + "update.ParenthesedUpdate", "as ParenthesedInsert"));
        SUBCLASSES.put(S + "delete.Delete", Map.of(
                S + "delete.ParenthesedDelete", "as ParenthesedInsert"));
        SUBCLASSES.put(S + "Block", Map.of(
                S + "oracle.OracleBlock", "a Block: its statements are each analysed (Oracle only)"));
    }

    /** The other JSQLParser classes the package dispatches on with instanceof: none has a subclass in the jar. */
    static final List<String> WITHOUT_SUBCLASSES = List.of(E + "AnalyticExpression", E + "ArrayExpression",
            E + "BooleanValue", E + "CaseExpression", E + "CastExpression", E + "CollateExpression", E + "DoubleValue",
            E + "JdbcNamedParameter", E + "JdbcParameter", E + "JsonExpression", E + "LongValue", E + "NextValExpression",
            E + "NotExpression", E + "NullValue", E + "SignedExpression", E + "StringValue", E + "TimeKeyExpression",
            E + "TranscodingFunction", E + "UserVariable", E + "VariableAssignment", E + "WhenClause",
            E + "operators.arithmetic.Addition", E + "operators.arithmetic.Concat", E + "operators.arithmetic.Division",
            E + "operators.arithmetic.IntegerDivision", E + "operators.arithmetic.Modulo",
            E + "operators.arithmetic.Multiplication", E + "operators.arithmetic.Subtraction",
            E + "operators.conditional.AndExpression", E + "operators.conditional.OrExpression", R + "Between",
            R + "CosineSimilarity", R + "EqualsTo", R + "ExistsExpression", R + "GreaterThan", R + "GreaterThanEquals",
            R + "InExpression", R + "IsBooleanExpression", R + "IsDistinctExpression", R + "IsNullExpression",
            R + "JsonOperator", R + "LikeExpression", R + "MinorThan", R + "MinorThanEquals", R + "NotEqualsTo",
            R + "RegExpMatchOperator", R + "SimilarToExpression", "net.sf.jsqlparser.schema.Column",
            "net.sf.jsqlparser.schema.Table", S + "Commit", S + "DeclareStatement", S + "DescribeStatement",
            S + "ExplainStatement", S + "IfElseStatement", S + "PurgeStatement", S + "ResetStatement",
            S + "RollbackStatement", S + "SavepointStatement", S + "SetStatement", S + "ShowColumnsStatement",
            S + "ShowStatement", S + "UnsupportedStatement", S + "UseStatement", S + "alter.Alter", S + "alter.AlterSession",
            S + "alter.RenameTableStatement", S + "alter.sequence.AlterSequence", S + "analyze.Analyze",
            S + "comment.Comment", S + "create.index.CreateIndex", S + "create.schema.CreateSchema",
            S + "create.sequence.CreateSequence", S + "create.synonym.CreateSynonym", S + "create.table.CreateTable",
            S + "create.table.ExcludeConstraint", S + "create.table.ForeignKeyIndex", S + "create.view.AlterView",
            S + "create.view.CreateView", S + "delete.ParenthesedDelete", S + "drop.Drop", S + "execute.Execute",
            S + "grant.Grant", S + "grant.Revoke", S + "insert.ParenthesedInsert", S + "lock.LockStatement",
            S + "merge.Merge", S + "merge.MergeDelete", S + "merge.MergeInsert", S + "merge.MergeUpdate",
            S + "refresh.RefreshMaterializedViewStatement", S + "select.AllTableColumns", S + "select.FunctionAllColumns",
            S + "select.ParenthesedFromItem", S + "select.PlainSelect", S + "select.SelectItem",
            S + "select.SetOperationList", S + "select.TableFunction", S + "select.TableStatement", S + "select.UnionOp",
            S + "select.Values", S + "select.WithItem", S + "show.ShowIndexStatement", S + "show.ShowTablesStatement",
            S + "truncate.Truncate", S + "update.ParenthesedUpdate", S + "upsert.Upsert");

    @Test
    void theListsNameClassesOfTheJar() throws Exception {
        assertThat(SUBCLASSES).hasSizeGreaterThan(5);
        for (String name : WITHOUT_SUBCLASSES) {
            assertThat(Class.forName(name, false, Expression.class.getClassLoader())).as(name).isNotNull();
        }
        assertThat(SUBCLASSES.keySet()).doesNotContainAnyElementsOf(WITHOUT_SUBCLASSES);
    }

    @TestFactory
    Stream<DynamicTest> everySubclassOfADispatchedClassIsListed() throws Exception {
        List<Class<?>> jar = jarClasses();
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> entry : SUBCLASSES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(entry.getKey(), () -> assertThat(subclasses(entry.getKey(), jar))
                    .as("classes of the jar that are a %s: list each in SUBCLASSES with why the rules for it hold, or"
                            + " give it a rule of its own", entry.getKey())
                    .isEqualTo(new TreeSet<>(entry.getValue().keySet()))));
        }
        for (String name : WITHOUT_SUBCLASSES) {
            tests.add(DynamicTest.dynamicTest(name, () -> assertThat(subclasses(name, jar))
                    .as("classes of the jar that are a %s, whose instanceof rules were written for it alone: list them"
                            + " in SUBCLASSES with why the rules hold for them", name).isEmpty()));
        }
        return tests.stream();
    }

    private static Set<String> subclasses(String name, List<Class<?>> jar) throws ClassNotFoundException {
        Class<?> x = Class.forName(name, false, Expression.class.getClassLoader());
        Set<String> found = new TreeSet<>();
        for (Class<?> c : jar) {
            if (c != x && x.isAssignableFrom(c)) {
                found.add(c.getName());
            }
        }
        return found;
    }

    /** Every class of the parser jar that loads (anonymous and abstract ones included). */
    private static List<Class<?>> jarClasses() throws Exception {
        Path jar = Path.of(Expression.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith("net/sf/jsqlparser/") && name.endsWith(".class") && !name.contains("module-info")) {
                    try {
                        classes.add(Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                                false, Expression.class.getClassLoader()));
                    } catch (ClassNotFoundException | LinkageError e) {
                        // a class that does not load is no node the parser builds
                    }
                }
            }
        }
        return classes;
    }
}
