package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every node kind of the JSQLParser jar an expression, a FROM item, a select item or a query body can
 * be is either handled by a rule of the lineage walker or walked generically, and the generic walk
 * really finds a column placed anywhere beneath it. A parser upgrade that adds a node kind is covered
 * (or this test names it).
 */
class NodeCompletenessTest {

    private static final String SECRET = "secret";
    private static final TableRef T = new TableRef(null, "t");
    /** Node kinds with a precise rule, whose behaviour the lineage tests specify one form at a time. */
    private static final List<Class<?>> SPECIFIED_BY_LINEAGE_TESTS = List.of(Column.class, net.sf.jsqlparser.schema.Table.class,
            net.sf.jsqlparser.statement.select.AllColumns.class, net.sf.jsqlparser.statement.select.PlainSelect.class,
            net.sf.jsqlparser.statement.select.SetOperationList.class, net.sf.jsqlparser.statement.select.ParenthesedSelect.class,
            net.sf.jsqlparser.statement.select.Values.class, net.sf.jsqlparser.statement.select.TableStatement.class);
    private static final List<Class<?>> ROOTS = List.of(Expression.class, FromItem.class, SelectItem.class, Select.class);

    /** Every concrete class of the parser jar that is one of the roots. */
    static List<Class<?>> nodeClasses() throws IOException, URISyntaxException {
        Path jar = Path.of(Expression.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> names = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith("net/sf/jsqlparser/") && name.endsWith(".class") && !name.contains("module-info")
                        && !name.startsWith("META-INF")) {
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
                    && ROOTS.stream().anyMatch(r -> r.isAssignableFrom(c))) {
                classes.add(c);
            }
        }
        return classes;
    }

    @Test
    void theJarHasTheNodeKindsThisTestIsAbout() throws Exception {
        List<Class<?>> classes = nodeClasses();
        assertThat(classes).hasSizeGreaterThan(100)
                .contains(Column.class, net.sf.jsqlparser.expression.TrimFunction.class,
                        net.sf.jsqlparser.statement.select.Values.class, net.sf.jsqlparser.statement.select.TableFunction.class);
    }

    @TestFactory
    Stream<DynamicTest> everyNodeKindIsHandledOrWalkedGenerically() throws Exception {
        return nodeClasses().stream().map(c -> DynamicTest.dynamicTest(c.getName(), () -> check(c)));
    }

    private static void check(Class<?> type) throws Exception {
        if (SPECIFIED_BY_LINEAGE_TESTS.stream().anyMatch(r -> r.isAssignableFrom(type))
                && type != net.sf.jsqlparser.statement.select.FunctionAllColumns.class) {
            assertThat(ExpressionWalker.hasOwnRule(type)).as("%s has a rule", type).isTrue();
            return; // its rule is specified by the lineage tests (LineageTest, GenericLineageTest, the property test)
        }
        // every other kind, a function (whose rule walks all its children) or a query form without a rule alike,
        // must give up the column placed beneath it
        Object node = instantiate(type);
        int placed = populate(node, 0);
        if (placed == 0) {
            // a leaf: nothing beneath it can be a node of the tree
            assertThat(fieldsThatMayHoldNodes(type)).as("%s has fields that may hold nodes but none could be filled", type)
                    .isEmpty();
            return;
        }
        StatementBuilder out = new StatementBuilder(Action.SELECT);
        QueryWalker queries = new QueryWalker(Dialect.POSTGRESQL, out, (s, scope) -> List.of());
        Scope scope = new Scope(null, Dialect.POSTGRESQL);
        scope.add(Relation.base("t", T));
        Lineage lineage = new Lineage();
        new ExpressionWalker(queries, new ColumnResolver(Dialect.POSTGRESQL, out), out, scope, Clause.SELECT, lineage,
                List.of()).walk(node);
        boolean referenced = out.columns.stream().anyMatch(c -> SECRET.equals(c.column()) || c.allColumns());
        assertThat(referenced).as("columns beneath a %s are found (placed %d)", type.getName(), placed).isTrue();
        boolean inLineage = lineage.sources.contains(new SourceColumn(T, SECRET)) || !lineage.allColumnsOf.isEmpty();
        boolean filter = out.columns.stream().anyMatch(c -> SECRET.equals(c.column()) && c.clause() == Clause.WHERE);
        assertThat(inLineage || filter).as("a column beneath a %s reaches the lineage or counts as a filter", type.getName())
                .isTrue();
    }

    private static List<Field> fieldsThatMayHoldNodes(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c.getName().startsWith("net.sf.jsqlparser."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Class<?> t = f.getType();
                if (!Modifier.isStatic(f.getModifiers()) && (t.isAssignableFrom(Column.class) || Collection.class.isAssignableFrom(t)
                        && !f.getGenericType().getTypeName().contains("String>"))) {
                    fields.add(f);
                }
            }
        }
        return fields;
    }

    /** Puts a column named {@value #SECRET} (or a node holding one) in every field that can take one; how many it placed. */
    static int populate(Object node, int depth) throws Exception {
        int placed = 0;
        if (node instanceof ExpressionList<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> raw = (List<Object>) list;
            raw.add(new Column(SECRET));
            placed++;
        }
        for (Class<?> c = node.getClass(); c != null && c.getName().startsWith("net.sf.jsqlparser."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                Object value = valueFor(f.getType(), f.getGenericType(), depth);
                if (value == null) {
                    continue;
                }
                f.setAccessible(true);
                f.set(node, value);
                placed++;
            }
        }
        return placed;
    }

    private static Object valueFor(Class<?> type, Type generic, int depth) throws Exception {
        if (type.isAssignableFrom(Column.class) && type != Object.class) {
            return new Column(SECRET);
        }
        if (Collection.class.isAssignableFrom(type) && !ExpressionList.class.isAssignableFrom(type)) {
            Type element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            Object value = element instanceof Class<?> ec ? valueFor(ec, ec, depth)
                    : element instanceof ParameterizedType ep ? valueFor((Class<?>) ep.getRawType(), ep, depth)
                    : new Column(SECRET);
            if (value == null) {
                return null;
            }
            List<Object> list = new ArrayList<>();
            list.add(value);
            return type.isAssignableFrom(ArrayList.class) ? list : null;
        }
        if (type == Map.Entry.class) {
            Type key = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            Object k = key instanceof Class<?> kc ? valueFor(kc, kc, depth) : null;
            return k == null ? null : new AbstractMap.SimpleEntry<>(k, "x");
        }
        if (depth < 2 && type.getName().startsWith("net.sf.jsqlparser.") && !type.isInterface() && !type.isEnum()
                && !Modifier.isAbstract(type.getModifiers()) && !ExpressionWalker.hasOwnRule(type)
                && !type.getName().startsWith("net.sf.jsqlparser.parser.")) {
            Object nested = instantiate(type);
            return populate(nested, depth + 1) > 0 ? nested : null;
        }
        return null;
    }

    /** A new, empty node: by its no-argument constructor, else by any constructor given nulls and zeros. */
    static Object instantiate(Class<?> type) throws Exception {
        Constructor<?>[] constructors = type.getDeclaredConstructors();
        java.util.Arrays.sort(constructors, java.util.Comparator.comparingInt(Constructor::getParameterCount));
        for (Constructor<?> constructor : constructors) {
            Object[] arguments = new Object[constructor.getParameterCount()];
            Class<?>[] types = constructor.getParameterTypes();
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = types[i] == boolean.class ? false : types[i] == char.class ? 'x'
                        : types[i] == long.class ? 0L : types[i] == int.class ? 0 : types[i] == double.class ? 0d
                        : types[i].isPrimitive() ? (byte) 0 : types[i].isArray()
                        ? java.lang.reflect.Array.newInstance(types[i].getComponentType(), 0) : null;
            }
            try {
                constructor.setAccessible(true);
                return constructor.newInstance(arguments);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // try the next one
            }
        }
        Field unsafeField = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        unsafeField.setAccessible(true);
        Object unsafe = unsafeField.get(null);
        return unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe, type);
    }
}
