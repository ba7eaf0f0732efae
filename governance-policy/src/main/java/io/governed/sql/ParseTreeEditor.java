package io.governed.sql;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Visits every node of a JSQLParser parse tree, whatever its class, through its fields (and the
 * elements of its lists and maps), and lets a callback replace a node where it stands. Walking every
 * field rather than a visitor's chosen children means that no clause a visitor forgot is left out.
 */
final class ParseTreeEditor {

    /** Decides about one node where it stands. */
    interface Edit {
        /**
         * The node to put in place of {@code node} (itself to keep it), or a {@link List} of nodes to
         * put in its place when it stands in a list.
         *
         * @param owner        the node holding it
         * @param fieldName    the field of {@code owner} it is in (the list's field, for a list element)
         * @param declaredType what the place may hold: the field's type, or the list's element type (Object when unknown)
         * @param inList       whether it is an element of a list
         */
        Object at(Object owner, String fieldName, Class<?> declaredType, Object node, boolean inList);

        /** Whether to walk into {@code node}'s field {@code fieldName}. */
        default boolean descend(Object node, String fieldName) {
            return true;
        }
    }

    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c.getName().startsWith("net.sf.jsqlparser."); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive() && walkable(f.getType())) {
                        f.setAccessible(true);
                        fields.add(f);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    private ParseTreeEditor() {
    }

    private static boolean walkable(Class<?> type) {
        return !type.getName().startsWith("net.sf.jsqlparser.parser.") && type != String.class && !type.isEnum()
                && !Number.class.isAssignableFrom(type) && type != Boolean.class && type != Character.class;
    }

    /** Walks the tree under {@code root}; replacements are not walked into. */
    static void walk(Object root, Edit edit) {
        walk(root, edit, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void walk(Object node, Edit edit, Set<Object> seen) {
        if (node == null || !seen.add(node) || !node.getClass().getName().startsWith("net.sf.jsqlparser.")) {
            return;
        }
        if (node instanceof List<?> elements) { // an expression list is a node and a list
            walkList(node, "elements", Object.class, elements, edit, seen);
        }
        for (Field field : FIELDS.get(node.getClass())) {
            if (!edit.descend(node, field.getName())) {
                continue;
            }
            Object value = get(field, node);
            if (value instanceof List<?> list) {
                walkList(node, field.getName(), elementType(field.getGenericType()), list, edit, seen);
            } else if (value instanceof Map<?, ?> map) {
                for (Object v : map.values()) {
                    walkValue(node, field.getName(), Object.class, v, false, edit, seen);
                }
            } else if (value instanceof Object[] array) {
                for (Object v : array) {
                    walkValue(node, field.getName(), Object.class, v, false, edit, seen);
                }
            } else if (value != null) {
                Object replacement = edit.at(node, field.getName(), field.getType(), value, false);
                if (replacement != value) {
                    set(field, node, replacement);
                } else {
                    walk(value, edit, seen);
                }
            }
        }
    }

    private static void walkValue(Object owner, String name, Class<?> type, Object value, boolean inList, Edit edit,
                                  Set<Object> seen) {
        if (value == null) {
            return;
        }
        if (edit.at(owner, name, type, value, inList) != value) {
            throw new IllegalStateException("a node that cannot be replaced where it stands");
        }
        walk(value, edit, seen);
    }

    @SuppressWarnings("unchecked")
    private static void walkList(Object owner, String name, Class<?> elementType, List<?> list, Edit edit,
                                 Set<Object> seen) {
        List<Object> elements = (List<Object>) list;
        for (int i = 0; i < elements.size(); i++) {
            Object value = elements.get(i);
            if (value == null) {
                continue;
            }
            if (value instanceof List<?> inner) {
                if (inner.getClass().getName().startsWith("net.sf.jsqlparser.")) {
                    walk(inner, edit, seen);
                } else {
                    walkList(owner, name, Object.class, inner, edit, seen);
                }
                continue;
            }
            Object replacement = edit.at(owner, name, elementType, value, true);
            if (replacement instanceof List<?> several) {
                elements.remove(i);
                elements.addAll(i, several);
                i += several.size() - 1;
            } else if (replacement != value) {
                elements.set(i, replacement);
            } else {
                walk(value, edit, seen);
            }
        }
    }

    private static Class<?> elementType(Type type) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            Type arg = p.getActualTypeArguments()[0];
            if (arg instanceof Class<?> c) {
                return c;
            }
            if (arg instanceof ParameterizedType inner && inner.getRawType() instanceof Class<?> c) {
                return c;
            }
        }
        return Object.class;
    }

    private static Object get(Field field, Object node) {
        try {
            return field.get(node);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static void set(Field field, Object node, Object value) {
        if (value != null && !field.getType().isInstance(value)) {
            throw new IllegalStateException("a node that cannot be replaced where it stands");
        }
        try {
            field.set(node, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot write " + field, e);
        }
    }
}
