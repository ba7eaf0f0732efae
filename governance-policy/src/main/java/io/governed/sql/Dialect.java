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
    H2,
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
}
