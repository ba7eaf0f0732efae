package io.governed.sql;

import java.util.Locale;

/**
 * The SQL dialect of the database behind a connection. It decides how identifiers are normalised
 * (PostgreSQL folds unquoted names to lower case, H2 and Oracle to upper case, MariaDB keeps them)
 * and which syntax the analyser accepts.
 */
public enum Dialect {
    POSTGRESQL,
    MARIADB,
    /** H2 with its default name case: unquoted (and backticked) names are stored in upper case. */
    H2,
    /**
     * H2 opened with {@code DATABASE_TO_LOWER=TRUE} (the URL Spring Boot and Flyway users write beside
     * {@code MODE=PostgreSQL}): unquoted and backticked names are stored in lower case, quoted ones as written, and
     * H2's own schemas are {@code public} and {@code information_schema}. Not told by a URL (H2 keeps the settings of a
     * database's first connection and ignores a later URL's) but by the database's {@code INFORMATION_SCHEMA.SETTINGS},
     * which the driver reads at connect; the setting cannot change while the database is open. In everything but the
     * name case it is {@link #H2} ({@link #isH2()}, {@link #family()}).
     */
    H2_LOWER_CASE,
    SQLSERVER,
    ORACLE,
    /** Anything else: ANSI-leaning parsing, identifiers compared case-insensitively. */
    GENERIC;

    /**
     * The dialect for a JDBC URL ({@code jdbc:postgresql:…}, {@code jdbc:mariadb:…},
     * {@code jdbc:mysql:…}, {@code jdbc:h2:…}, {@code jdbc:sqlserver:…}, {@code jdbc:oracle:…}), or
     * {@link #GENERIC}. A leading {@code jdbc:governed:} is looked through.
     */
    public static Dialect fromJdbcUrl(String url) {
        if (url == null) {
            return GENERIC;
        }
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:governed:")) {
            u = "jdbc:" + u.substring("jdbc:governed:".length());
        }
        if (u.startsWith("jdbc:postgresql:") || u.startsWith("jdbc:pgsql:")) {
            return POSTGRESQL;
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (u.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (u.startsWith("jdbc:sqlserver:") || u.startsWith("jdbc:jtds:sqlserver:")) {
            return SQLSERVER;
        }
        if (u.startsWith("jdbc:oracle:")) {
            return ORACLE;
        }
        return GENERIC;
    }

    /** The dialect for a database product name as {@code DatabaseMetaData.getDatabaseProductName()} reports it. */
    public static Dialect fromProductName(String product) {
        if (product == null) {
            return GENERIC;
        }
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        if (p.equals("h2")) {
            return H2;
        }
        if (p.contains("sql server")) {
            return SQLSERVER;
        }
        if (p.contains("oracle")) {
            return ORACLE;
        }
        return GENERIC;
    }

    /**
     * An identifier as this database stores it: a quoted identifier ({@code "Users"}, and for
     * MariaDB {@code `Users`}, for SQL Server {@code [Users]}) loses its quotes and keeps its case (but for H2's
     * backticks, which it folds like an unquoted name);
     * an unquoted one is folded as the database folds it (PostgreSQL to lower case, H2 and Oracle to
     * upper case, the others kept as written).
     */
    public String normalizeIdentifier(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            return identifier;
        }
        int last = identifier.length() - 1;
        char first = identifier.charAt(0);
        if (last > 0 && ((first == '"' && identifier.charAt(last) == '"')
                || (first == '`' && identifier.charAt(last) == '`')
                || (first == '[' && identifier.charAt(last) == ']'))) {
            String inner = identifier.substring(1, last);
            if (first == '`' && isH2()) {
                // H2 (in every mode) folds a name in backticks as it folds an unquoted one: `ssn` is SSN (ssn with
                // DATABASE_TO_LOWER)
                return foldedH2(inner.replace("``", "`"));
            }
            return first == '[' ? inner.replace("]]", "]") : inner.replace(String.valueOf(first) + first, String.valueOf(first));
        }
        switch (this) {
            case POSTGRESQL:
                return asciiLowerCase(identifier);
            case H2:
            case H2_LOWER_CASE:
                return foldedH2(identifier);
            case ORACLE:
                return identifier.toUpperCase(Locale.ROOT);
            default:
                return identifier;
        }
    }

    /** An unquoted H2 name as this H2 stores it (H2 folds with English rules, as {@link Locale#ROOT} does). */
    private String foldedH2(String name) {
        return this == H2_LOWER_CASE ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
    }

    /** Whether this is H2, of either name case. */
    public boolean isH2() {
        return this == H2 || this == H2_LOWER_CASE;
    }

    /**
     * Whether the driver reads this database's catalog and session (PostgreSQL, MariaDB, H2 in either name case): the
     * dialects whose relations, routines, triggers and session settings are known to the checks that ask for them.
     */
    public boolean catalogRead() {
        return this == POSTGRESQL || this == MARIADB || isH2();
    }

    /**
     * The dialect this one is a variant of, for what does not depend on the name case (lists of built-ins, system
     * relations, syntax): {@link #H2} for {@link #H2_LOWER_CASE}, itself otherwise.
     */
    public Dialect family() {
        return this == H2_LOWER_CASE ? H2 : this;
    }

    /**
     * This dialect for a database whose unquoted names are stored as {@code lowerCase} says: {@link #H2_LOWER_CASE} for
     * H2 with {@code DATABASE_TO_LOWER=TRUE}, {@link #H2} otherwise; other dialects are returned as they are.
     */
    public Dialect withLowerCaseNames(boolean lowerCase) {
        return isH2() ? (lowerCase ? H2_LOWER_CASE : H2) : this;
    }

    /**
     * PostgreSQL folds unquoted names to lower case in ASCII only ({@code Ä} stays {@code Ä} in a UTF-8
     * database): folding other letters would match a name the database never stores.
     */
    private static String asciiLowerCase(String identifier) {
        char[] chars = null;
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = identifier.toCharArray();
                }
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return chars == null ? identifier : new String(chars);
    }

    /**
     * {@code identifier} as a quoted identifier of this database, naming exactly the object stored under that name
     * (backticks on MariaDB, brackets on SQL Server, double quotes elsewhere; a quote inside is doubled).
     */
    public String quoted(String identifier) {
        return switch (this) {
            case MARIADB -> "`" + identifier.replace("`", "``") + "`";
            case SQLSERVER -> "[" + identifier.replace("]", "]]") + "]";
            default -> "\"" + identifier.replace("\"", "\"\"") + "\"";
        };
    }

    /**
     * True when two normalised names that differ only in case name different objects (PostgreSQL,
     * H2, Oracle); false where the database compares names ignoring case (MariaDB, SQL Server, generic).
     */
    public boolean caseSensitiveNames() {
        return this == POSTGRESQL || isH2() || this == ORACLE;
    }

    /** Whether two normalised names name the same object in this dialect. */
    public boolean sameName(String a, String b) {
        return caseSensitiveNames() ? a.equals(b) : a.equalsIgnoreCase(b);
    }

    /**
     * Whether a column name stands for a table's key column, whichever it is, rather than a column of its own: MariaDB's
     * {@code _rowid} (a single-column integer primary key, or unique key whose columns are not null) and H2's
     * {@code _rowid_} (a single-column integer primary key); a database not known may have either, or SQLite's
     * {@code rowid} and {@code oid} (Oracle's {@code rowid} is a row's address, no column's value). Such a column may hold any column's values.
     */
    public boolean isKeyAlias(String columnName) {
        String name = columnName.toLowerCase(Locale.ROOT);
        return switch (this) {
            case MARIADB -> name.equals("_rowid");
            case H2, H2_LOWER_CASE -> name.equals("_rowid_");
            case POSTGRESQL, ORACLE, SQLSERVER -> false;
            default -> name.equals("_rowid") || name.equals("_rowid_") || name.equals("rowid") || name.equals("oid");
        };
    }
}
