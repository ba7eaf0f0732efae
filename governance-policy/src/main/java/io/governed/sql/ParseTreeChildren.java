package io.governed.sql;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The children of any node of a JSQLParser parse tree, found by reflection over its fields: every
 * field value that is itself part of the tree (a node, or a list, map or array of them). This is what
 * makes the analysis fail closed by construction: a node kind it has no rule for (a new syntax in a
 * parser upgrade, a special form such as {@code SUBSTRING(x FROM a FOR b)}) is walked through, so the
 * columns beneath it are never lost.
 *
 * <p>The parser's own bookkeeping (its token stream and syntax-tree nodes, which point back up the
 * tree) is not part of the statement and is skipped.
 */
final class ParseTreeChildren {

    private static final String PARSER_PACKAGE = "net.sf.jsqlparser.";
    private static final String PARSER_INTERNALS = "net.sf.jsqlparser.parser.";

    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && isParserClass(c); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || !mayHoldNode(f.getType())) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("The SQL analysis cannot read the parse tree node " + c.getName()
                                + " (" + e.getMessage() + "); put JSQLParser on the class path, not the module path", e);
                    }
                    fields.add(f);
                }
            }
            return fields.toArray(Field[]::new);
        }
    };

    private ParseTreeChildren() {
    }

    /** Whether a value is part of a parse tree: a node of the parser's model, or a collection that may hold some. */
    static boolean isTreeNode(Object value) {
        if (value instanceof Collection<?> collection) {
            return collection.stream().anyMatch(e -> e != null && isTreeNode(e));
        }
        if (value instanceof Map.Entry<?, ?> entry) {
            return entry.getKey() != null && isTreeNode(entry.getKey()) || entry.getValue() != null && isTreeNode(entry.getValue());
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> e.getKey() != null && isTreeNode(e.getKey())
                    || e.getValue() != null && isTreeNode(e.getValue()));
        }
        if (value instanceof Object[] array) {
            for (Object e : array) {
                if (e != null && isTreeNode(e)) {
                    return true;
                }
            }
            return false;
        }
        Class<?> type = value.getClass();
        return isParserClass(type) && !type.isEnum() && !type.getName().startsWith(PARSER_INTERNALS);
    }

    /** Hands every child of {@code node} that is part of the tree to {@code action}, in field order. */
    static void forEach(Object node, Consumer<Object> action) {
        if (node instanceof Collection<?> collection) {
            for (Object element : collection.toArray()) {
                offer(element, action);
            }
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                offer(k, action);
                offer(v, action);
            });
        } else if (node instanceof Map.Entry<?, ?> entry) {
            offer(entry.getKey(), action);
            offer(entry.getValue(), action);
        } else if (node instanceof Object[] array) {
            for (Object element : array) {
                offer(element, action);
            }
        }
        if (!isParserClass(node.getClass())) {
            return;
        }
        for (Field f : FIELDS.get(node.getClass())) {
            Object value;
            try {
                value = f.get(node);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("The SQL analysis cannot read " + f, e);
            }
            offer(value, action);
        }
    }

    /** Hands every field of {@code node} that holds part of the tree to {@code action}, with the field's name. */
    static void forEachField(Object node, java.util.function.BiConsumer<String, Object> action) {
        if (!isParserClass(node.getClass())) {
            return;
        }
        for (Field f : FIELDS.get(node.getClass())) {
            Object value;
            try {
                value = f.get(node);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("The SQL analysis cannot read " + f, e);
            }
            if (value != null && isTreeNode(value)) {
                action.accept(f.getName(), value);
            }
        }
    }

    private static void offer(Object value, Consumer<Object> action) {
        if (value != null && isTreeNode(value)) {
            action.accept(value);
        }
    }

    private static boolean isParserClass(Class<?> type) {
        return type.getName().startsWith(PARSER_PACKAGE);
    }

    /** Fields of these types never hold a node: primitives, strings, boxed values, enums. */
    private static boolean mayHoldNode(Class<?> type) {
        return !(type.isPrimitive() || type == String.class || type.isEnum() || Number.class.isAssignableFrom(type)
                || type == Boolean.class || type == Character.class || CharSequence.class.isAssignableFrom(type)
                && type != Object.class);
    }
}
