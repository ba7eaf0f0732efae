package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.SelectItem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The parser's node classes and the analysis' rules keyed by exact class ({@code getClass()} against a set, the
 * sibling of {@link SubclassDispatchTest}, which covers {@code instanceof} rules). An exact-class rule takes only the
 * classes it names: any other class, a subclass of one it names included, goes to the rule's refusing path (named in
 * {@link #REFUSAL}). So each rule set is listed with the subclasses in the jar of the classes it names that it leaves
 * out, and the jar's every Expression, Statement, FromItem and SelectItem class is recorded in an inventory: a class a
 * parser upgrade adds fails here until someone has decided how each rule reads it.
 */
class ParserNodeInventoryTest {

    private static final String E = "net.sf.jsqlparser.expression.";
    private static final String R = "net.sf.jsqlparser.expression.operators.relational.";
    private static final List<Class<?>> ROOTS = List.of(Expression.class, Statement.class, FromItem.class, SelectItem.class);

    /** The classes FenceConjuncts.form accepts a conjunct of, the rewrite's copy having a rule for each. */
    static final Set<Class<?>> FENCE = Stream.concat(Stream.of(IsNullExpression.class, InExpression.class, Between.class),
            Stream.of(FenceConjuncts.Comparison.values()).map(FenceConjuncts.Comparison::type)).collect(Collectors.toSet());

    /** Each exact-class rule set of io.governed.sql. */
    static final Map<String, Set<Class<?>>> RULES = new LinkedHashMap<>();
    /** What each rule set does with a class it does not name. */
    static final Map<String, String> REFUSAL = new LinkedHashMap<>();
    /** For each rule set, the subclasses (in the jar) of the classes it names that it leaves out. */
    static final Map<String, Set<String>> OUTSIDE = new LinkedHashMap<>();

    static {
        RULES.put("ExpressionWalker.CANNOT_FAIL", ExpressionWalker.CANNOT_FAIL);
        REFUSAL.put("ExpressionWalker.CANNOT_FAIL", "not proven error-free: the walker's instanceof rules, then 'may fail'");
        OUTSIDE.put("ExpressionWalker.CANNOT_FAIL", Set.of());
        RULES.put("ExpressionWalker.GROUPING", ExpressionWalker.GROUPING);
        REFUSAL.put("ExpressionWalker.GROUPING", "not a grouping: the walker's instanceof rules, then 'may fail'");
        OUTSIDE.put("ExpressionWalker.GROUPING", Set.of(E + "PartitionByClause", E + "RowConstructor",
                R + "NamedExpressionList"));
        RULES.put("WhereClassifier.CONDITION_RULES", Set.copyOf(WhereClassifier.CONDITION_RULES));
        REFUSAL.put("WhereClassifier.CONDITION_RULES", "proves no bound (the WHERE counts as absent)");
        OUTSIDE.put("WhereClassifier.CONDITION_RULES", Set.of(E + "RowConstructor"));
        RULES.put("WhereClassifier.VALUE_RULES", Set.copyOf(WhereClassifier.VALUE_RULES));
        REFUSAL.put("WhereClassifier.VALUE_RULES", "proves nothing about the rows a comparison of it keeps");
        OUTSIDE.put("WhereClassifier.VALUE_RULES", Set.of(E + "JsonTableFunction", E + "RawFunction", E + "RowConstructor",
                E + "PartitionByClause", E + "XmlTableFunction", R + "NamedExpressionList",
                "net.sf.jsqlparser.statement.select.TableFunction"));
        RULES.put("FenceConjuncts.form", FENCE);
        REFUSAL.put("FenceConjuncts.form", "not safe: the conjunct stays outside the fence, on admitted rows only");
        OUTSIDE.put("FenceConjuncts.form", Set.of());
    }

    @Test
    void theInventoryIsTheJarsNodeClasses() throws Exception {
        Set<String> recorded = new TreeSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ParserNodeInventoryTest.class.getResourceAsStream("parser-node-inventory.txt"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    recorded.add(line.trim());
                }
            }
        }
        Set<String> jar = new TreeSet<>();
        for (Class<?> c : jarClasses()) {
            if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && ROOTS.stream().anyMatch(r -> r.isAssignableFrom(c))) {
                jar.add(c.getName());
            }
        }
        Set<String> added = new TreeSet<>(jar);
        added.removeAll(recorded);
        Set<String> dropped = new TreeSet<>(recorded);
        dropped.removeAll(jar);
        assertThat(added).as("node classes the parser has that the inventory does not: decide how each rule reads them"
                + " (SubclassDispatchTest, OUTSIDE here), then add them to parser-node-inventory.txt").isEmpty();
        assertThat(dropped).as("node classes the inventory records that the parser no longer has").isEmpty();
        assertThat(recorded).hasSizeGreaterThan(150);
    }

    @TestFactory
    Stream<DynamicTest> everySubclassOfAClassARuleNamesIsListedAsLeftToItsRefusal() throws Exception {
        List<Class<?>> jar = jarClasses();
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Set<Class<?>>> rule : RULES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(rule.getKey(), () -> {
                Set<String> outside = new TreeSet<>();
                for (Class<?> named : rule.getValue()) {
                    for (Class<?> c : jar) {
                        if (c != named && named.isAssignableFrom(c) && !rule.getValue().contains(c)
                                && !Modifier.isAbstract(c.getModifiers()) && !c.isInterface()) {
                            outside.add(c.getName());
                        }
                    }
                }
                assertThat(outside).as("subclasses of classes %s names, which it leaves to its refusal (%s): list them in"
                        + " OUTSIDE, or name them in the rule", rule.getKey(), REFUSAL.get(rule.getKey()))
                        .isEqualTo(new TreeSet<>(OUTSIDE.get(rule.getKey())));
            }));
        }
        return tests.stream();
    }

    /**
     * Every node class of the jar, built with a column and a number where it has operands, is a safe conjunct for
     * {@link FenceConjuncts} only when it is one of the classes of {@link #FENCE}, and reading it never throws.
     */
    @Test
    void onlyTheFenceTablesClassesAreSafeConjuncts() throws Exception {
        Predicate<Column> own = c -> true;
        Set<String> safe = new TreeSet<>();
        int built = 0;
        for (Class<?> c : jarClasses()) {
            if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || !Expression.class.isAssignableFrom(c)) {
                continue;
            }
            Expression node = (Expression) instance(c);
            if (node instanceof BinaryExpression binary) {
                binary.setLeftExpression(new Column("id"));
                binary.setRightExpression(new LongValue(1));
            } else if (node instanceof IsNullExpression isNull) {
                isNull.setLeftExpression(new Column("id"));
            } else if (node instanceof InExpression in) {
                in.setLeftExpression(new Column("id"));
                in.setRightExpression(new ParenthesedExpressionList<>(new LongValue(1)));
            } else if (node instanceof Between between) {
                between.setLeftExpression(new Column("id"));
                between.setBetweenExpressionStart(new LongValue(1));
                between.setBetweenExpressionEnd(new LongValue(2));
            }
            built++;
            for (Dialect dialect : Dialect.values()) {
                if (FenceConjuncts.form(node, dialect, own) != null) {
                    safe.add(c.getName());
                }
            }
        }
        assertThat(built).isGreaterThan(120);
        assertThat(safe).isEqualTo(FENCE.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new)));
    }

    /** A new instance of {@code type}: by its constructor without arguments, or without running any. */
    private static Object instance(Class<?> type) throws Exception {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException noDefault) {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            return unsafeClass.getMethod("allocateInstance", Class.class).invoke(unsafe, type);
        }
    }

    /** Every class of the parser jar that loads. */
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
