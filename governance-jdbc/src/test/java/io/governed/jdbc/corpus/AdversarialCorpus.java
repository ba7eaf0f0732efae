package io.governed.jdbc.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads the adversarial corpus under {@code src/test/resources/corpus/adversarial}: one file per class
 * of hole and dialect, named {@code CLASS-DIALECTS.sql}, listed in {@code adversarial/index.txt}.
 * The format is described in that folder's {@code README.md}.
 */
final class AdversarialCorpus {
    static final String FOLDER = "/corpus/adversarial/";
    private static final String CASE = "-- case:";
    private static final String NEXT = "-- next";

    /** What the caller must see. */
    enum Expect {
        /** No piece of a protected value reaches the caller: not through a getter, generated keys, a warning or an error message. */
        MASKED,
        /** The last statement is refused by governance (SQLState 42501) and the database is unchanged. */
        REFUSED,
        /** The last statement's values equal what the raw driver returns. */
        CLEAR
    }

    /** The identities a case runs as. */
    enum As {
        ANALYST, AGENT, SERVICE, BASELINE, PII_READER;

        static As parse(String text) {
            return valueOf(text.strip().toUpperCase().replace('-', '_'));
        }
    }

    /**
     * One case.
     *
     * @param dialect    the database it runs on ({@code h2}, {@code postgresql}, {@code mariadb})
     * @param hole       the class of hole it belongs to (the file's first part)
     * @param statements the statements, sent one after another on one fresh connection; all but the last prepare the
     *                   session and may be refused, the last is the one checked
     * @param keys       how generated keys are asked for: {@code null} (not), {@code RETURN_GENERATED_KEYS}, or column names
     * @param connect    extra properties of the governed connection (URL parameters of the driver)
     */
    record Case(String dialect, String hole, String name, Expect expect, List<As> as, String why,
                List<String> statements, String keys, Properties connect) {
        /** The id {@code known-gaps.txt} lists: {@code dialect/class/name}. */
        String id() {
            return dialect + "/" + hole + "/" + name;
        }

        String last() {
            return statements.get(statements.size() - 1);
        }

        @Override
        public String toString() {
            return id() + " [" + expect.name().toLowerCase() + "] " + why;
        }
    }

    private AdversarialCorpus() {
    }

    /** Every case of {@code dialect}, in index order. */
    static List<Case> cases(String dialect) {
        return cases(dialect, read("index.txt").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
    }

    /** Every case of {@code dialect} in {@code files} (names in the corpus folder, {@code CLASS-DIALECTS.sql}), in order. */
    static List<Case> cases(String dialect, List<String> files) {
        List<Case> cases = new ArrayList<>();
        for (String file : files) {
            String stem = file.substring(0, file.length() - ".sql".length());
            int dash = stem.lastIndexOf('-');
            String hole = stem.substring(0, dash);
            Set<String> dialects = dialectsOf(stem.substring(dash + 1));
            if (dialects.contains(dialect)) {
                cases.addAll(parse(file, dialect, hole, read(file)));
            }
        }
        Map<String, Case> ids = new LinkedHashMap<>();
        for (Case c : cases) {
            if (ids.put(c.id(), c) != null) {
                throw new IllegalStateException("two cases are named " + c.id());
            }
        }
        return cases;
    }

    /** {@code standard} files run on H2 and PostgreSQL, {@code all} files on every dialect. */
    private static Set<String> dialectsOf(String suffix) {
        return switch (suffix) {
            case "standard" -> Set.of("h2", "postgresql");
            case "all" -> Set.of("h2", "postgresql", "mariadb");
            case "h2", "postgresql", "mariadb" -> Set.of(suffix);
            default -> throw new IllegalStateException("unknown dialect suffix " + suffix);
        };
    }

    static List<Case> parse(String file, String dialect, String hole, String text) {
        List<Case> out = new ArrayList<>();
        Builder current = null;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(CASE)) {
                if (current != null) {
                    out.add(current.build());
                }
                current = new Builder(file, dialect, hole, line.substring(CASE.length()).strip());
            } else if (current != null) {
                current.line(line);
            }
        }
        if (current != null) {
            out.add(current.build());
        }
        return out;
    }

    private static final class Builder {
        private final String file;
        private final String dialect;
        private final String hole;
        private final String name;
        private Expect expect;
        private List<As> as;
        private String why;
        private String keys;
        private final Properties connect = new Properties();
        private final List<String> statements = new ArrayList<>();
        private final StringBuilder sql = new StringBuilder();
        private boolean header = true;

        Builder(String file, String dialect, String hole, String name) {
            this.file = file;
            this.dialect = dialect;
            this.hole = hole;
            this.name = name;
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalStateException(file + ": case name '" + name + "' must be lower-case words joined by '-'");
            }
        }

        void line(String line) {
            if (header && line.startsWith("-- ") && line.contains(":")) {
                String key = line.substring(3, line.indexOf(':')).strip();
                String value = line.substring(line.indexOf(':') + 1).strip();
                switch (key) {
                    case "expect" -> expect = Expect.valueOf(value.toUpperCase());
                    case "as" -> as = Arrays.stream(value.split(",")).map(As::parse).toList();
                    case "why" -> why = value;
                    case "keys" -> keys = value;
                    case "connect" -> connect.setProperty(value.substring(0, value.indexOf('=')).strip(),
                            value.substring(value.indexOf('=') + 1).strip());
                    default -> throw new IllegalStateException(file + ": case '" + name + "' has an unknown header '" + key + "'");
                }
                return;
            }
            header = false;
            if (line.strip().equals(NEXT)) {
                flush();
            } else {
                sql.append(line).append('\n');
            }
        }

        private void flush() {
            String text = sql.toString().strip();
            if (text.isEmpty()) {
                throw new IllegalStateException(file + ": case '" + name + "' has an empty statement");
            }
            statements.add(text);
            sql.setLength(0);
        }

        Case build() {
            flush();
            if (expect == null || why == null) {
                throw new IllegalStateException(file + ": case '" + name + "' needs '-- expect:' and '-- why:'");
            }
            List<As> identities = as != null ? as : switch (expect) {
                case MASKED, CLEAR -> List.of(As.ANALYST, As.AGENT, As.SERVICE);
                case REFUSED -> List.of(As.ANALYST, As.AGENT, As.SERVICE, As.BASELINE);
            };
            return new Case(dialect, hole, name, expect, identities, why, List.copyOf(statements), keys, connect);
        }
    }

    static String read(String file) {
        try (InputStream in = AdversarialCorpus.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + FOLDER + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
