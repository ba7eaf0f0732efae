package io.governed.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The built-in server and session settings whose values a caller any mask applies to reads in clear: PostgreSQL's
 * {@code current_setting('name')} and {@code SHOW name}, MariaDB's {@code @@name}. Each listed setting holds a number, a
 * boolean, a value of a fixed set the server checks, or text the server chooses (its version); the lists are
 * {@code safe-settings-NAME.txt} beside this class. Every other setting, and every name that is not written as a
 * literal (a column, a parameter, an expression), may hold what an administrator wrote into it
 * ({@code ALTER ROLE … SET app.api_key = '…'}, {@code SET GLOBAL init_connect = '…'}) or what an earlier statement on the
 * connection put there, and its value is redacted. A dialect without a list has no setting proven safe.
 */
public final class SafeSettings {

    private static final Map<Dialect, Set<String>> LISTED = Map.of(
            Dialect.POSTGRESQL, load("postgresql"),
            Dialect.MARIADB, load("mariadb"));

    private SafeSettings() {
    }

    /**
     * Whether the setting of that name (as written, without quotes; case does not matter) is one whose value a masked
     * caller reads in clear; {@code false} for {@code null}.
     */
    public static boolean listed(Dialect dialect, String name) {
        if (name == null) {
            return false;
        }
        Set<String> names = LISTED.get(dialect);
        return names != null && names.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether MariaDB's system variable as the parser gives it after its {@code @@} ({@code init_connect},
     * {@code global.init_connect}, {@code SESSION.sql_mode}) is listed, its scope taken off.
     */
    static boolean listedSystemVariable(Dialect dialect, String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String scope : new String[] {"global.", "session.", "local."}) {
            if (lower.startsWith(scope)) {
                lower = lower.substring(scope.length());
                break;
            }
        }
        return listed(dialect, lower);
    }

    /** The names of one dialect's list; a list that cannot be read fails the class's loading: no setting is safe by default. */
    private static Set<String> load(String name) {
        String resource = "safe-settings-" + name + ".txt";
        Set<String> names = new HashSet<>();
        try (InputStream in = SafeSettings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The list of safe settings " + resource + " is missing from the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (!trimmed.equals(trimmed.toLowerCase(Locale.ROOT)) || !trimmed.matches("[a-z0-9_]+")) {
                    throw new IllegalStateException(resource + ": a line must be one setting's name in lower case: " + trimmed);
                }
                if (!names.add(trimmed)) {
                    throw new IllegalStateException(resource + ": " + trimmed + " is listed twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The list of safe settings " + resource + " cannot be read", e);
        }
        return Set.copyOf(names);
    }
}
