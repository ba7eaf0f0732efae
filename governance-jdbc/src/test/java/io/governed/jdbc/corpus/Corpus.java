package io.governed.jdbc.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the statement corpora under {@code src/test/resources/corpus}. */
final class Corpus {
    private static final String CASE = "-- case:";

    /** One statement of a corpus, named. */
    record Case(String file, String name, String sql) {
        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    private Corpus() {
    }

    /** The cases of the named corpus files, in order. */
    static List<Case> cases(String... files) {
        List<Case> cases = new ArrayList<>();
        for (String file : files) {
            String name = null;
            StringBuilder sql = new StringBuilder();
            for (String line : read(file).split("\n", -1)) {
                if (line.startsWith(CASE)) {
                    add(cases, file, name, sql);
                    name = line.substring(CASE.length()).trim();
                    sql.setLength(0);
                } else if (name != null) {
                    sql.append(line).append('\n');
                }
            }
            add(cases, file, name, sql);
        }
        return cases;
    }

    /** The statements of a fixture file: one a line. */
    static List<String> fixture(String file) {
        return read(file).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static void add(List<Case> cases, String file, String name, StringBuilder sql) {
        if (name != null) {
            String text = sql.toString().strip();
            if (text.isEmpty()) {
                throw new IllegalStateException(file + ": case '" + name + "' has no statement");
            }
            cases.add(new Case(file, name, text));
        }
    }

    private static String read(String file) {
        try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
