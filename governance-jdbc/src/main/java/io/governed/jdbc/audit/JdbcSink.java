package io.governed.jdbc.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * Inserts events into a database table: {@code governed.audit=jdbc:URL} or
 * {@code jdbc:URL#table=NAME} (table {@value #DEFAULT_TABLE} by default). The connection comes
 * straight from {@link DriverManager} — never through the governed driver, which would audit the
 * audit — and is opened at the first write and reopened after a failure. The table is created if
 * missing:
 *
 * <pre>
 * event_id VARCHAR(64) PRIMARY KEY, event_time TIMESTAMP (UTC), connection_id, principal, kind,
 * action, decision, fingerprint, statement TEXT, row_count BIGINT, duration_us BIGINT,
 * event TEXT (the canonical JSON of the whole event)
 * </pre>
 *
 * The indexed columns are cut to their width; the {@code event} column always holds the whole event.
 * Each batch is inserted in one transaction. A batch retried after a failure whose commit did in
 * fact succeed is recognised by its primary keys: events already present are skipped.
 */
public final class JdbcSink implements AuditSink {

    /** The table used when the spec names none. */
    public static final String DEFAULT_TABLE = "governed_audit";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final String TABLE_SUFFIX = "#table=";

    private final String url;
    private final String table;
    /**
     * The calendar {@code event_time} is bound in: one per sink, used under its lock, as a driver may set its time
     * while binding (a {@link Calendar} is not thread-safe, and two sinks write at once).
     */
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    /** The {@code event} column's JSON, encoded by the writer thread into one reused buffer. */
    private final EventJsonEncoder encoder = new EventJsonEncoder(AuditFormat.NATIVE);
    private Connection connection;

    /**
     * @param url   a plain JDBC URL ({@code jdbc:postgresql://…}); not a {@code jdbc:governed:} one
     * @param table the table, optionally schema-qualified, letters, digits and underscores only
     * @throws IllegalArgumentException when the URL is governed or has no driver, or the table name is not plain
     */
    public JdbcSink(String url, String table) {
        if (url.regionMatches(true, 0, "jdbc:governed:", 0, "jdbc:governed:".length())) {
            throw new IllegalArgumentException("audit sink '" + redact(url) + "' goes through the governed driver,"
                    + " which would audit its own audit inserts: use the plain URL (jdbc:postgresql://…)");
        }
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("audit table '" + table + "' is not a plain table name: use letters,"
                    + " digits and underscores, optionally schema.table");
        }
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException("audit sink '" + redact(url) + "': no JDBC driver accepts this URL;"
                    + " put the database's driver jar on the classpath or fix the URL", e);
        }
        this.url = url;
        this.table = table;
    }

    /** Parses {@code jdbc:URL[#table=NAME]}. */
    static JdbcSink parse(String spec) {
        int t = spec.lastIndexOf(TABLE_SUFFIX);
        return t < 0 ? new JdbcSink(spec, DEFAULT_TABLE) : new JdbcSink(spec.substring(0, t), spec.substring(t + TABLE_SUFFIX.length()));
    }

    /**
     * The URL without its query and properties and without the credentials before an {@code @} (the user info of
     * {@code jdbc:postgresql://user:password@host/db}, Oracle's {@code jdbc:oracle:thin:user/password@host}), any of
     * which may hold a secret: {@code jdbc:postgresql://…@host/db?…}.
     */
    public static String redact(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int i = url.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        String kept = url.substring(0, cut);
        int at = kept.lastIndexOf('@');
        if (at >= 0) {
            int authority = kept.lastIndexOf("//", at);
            int start = authority >= 0 ? authority + 2 : kept.lastIndexOf(':', at) + 1;
            kept = kept.substring(0, start) + "…" + kept.substring(at);
        }
        return cut < url.length() ? kept + "?…" : kept;
    }

    @Override
    public String describe() {
        return redact(url) + (DEFAULT_TABLE.equals(table) ? "" : TABLE_SUFFIX + table);
    }

    public String table() {
        return table;
    }

    @Override
    public synchronized void write(List<AuditEvent> events) throws IOException {
        try {
            Connection c = connection();
            try {
                insertBatch(c, events);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                insertOneByOneSkippingPresent(c, events);
            }
        } catch (SQLException e) {
            closeConnection(e);
            throw new IOException("could not insert " + events.size() + " audit events into " + table + " at "
                    + redact(url) + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = DriverManager.getConnection(url);
            // on PostgreSQL TEXT is a name the search path resolves (a schema before pg_catalog could define a type of
            // that name): the system's own is named
            String text = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName()) ? "pg_catalog.text" : "TEXT";
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                        + "event_id VARCHAR(64) PRIMARY KEY, event_time TIMESTAMP NOT NULL, connection_id VARCHAR(128),"
                        + " principal VARCHAR(256), kind VARCHAR(16), action VARCHAR(64) NOT NULL, decision VARCHAR(32) NOT NULL,"
                        + " fingerprint VARCHAR(128), statement " + text + ", row_count BIGINT, duration_us BIGINT, event " + text
                        + " NOT NULL)");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    private void insertBatch(Connection c, List<AuditEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql())) {
            for (AuditEvent e : events) {
                bind(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertOneByOneSkippingPresent(Connection c, List<AuditEvent> events) throws SQLException {
        int skipped = 0;
        try (PreparedStatement ps = c.prepareStatement(insertSql())) {
            for (AuditEvent e : events) {
                bind(ps, e);
                try {
                    ps.executeUpdate();
                    c.commit();
                } catch (SQLException ex) {
                    c.rollback();
                    if (!isDuplicateKey(ex)) {
                        throw ex;
                    }
                    skipped++;
                }
            }
        }
        LOG.debug("Audit table {}: {} events of a retried batch were already present", table, skipped);
    }

    private String insertSql() {
        return "INSERT INTO " + table + " (event_id, event_time, connection_id, principal, kind, action, decision,"
                + " fingerprint, statement, row_count, duration_us, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    private void bind(PreparedStatement ps, AuditEvent e) throws SQLException {
        ps.setString(1, e.eventId());
        ps.setTimestamp(2, Timestamp.from(e.time()), utc);
        ps.setString(3, clip(e.connectionId(), 128));
        ps.setString(4, clip(e.principal(), 256));
        ps.setString(5, clip(e.kind(), 16));
        ps.setString(6, clip(e.action(), 64));
        ps.setString(7, e.decision().externalName());
        ps.setString(8, clip(e.fingerprint(), 128));
        ps.setString(9, e.statement());
        setLong(ps, 10, e.rows());
        setLong(ps, 11, e.durationUs());
        ps.setString(12, encoder.json(e));
    }

    /**
     * The value cut to the column's width: an over-long value must not make a batch fail forever.
     * The {@code event} column keeps the whole value.
     */
    private static String clip(String value, int width) {
        return value == null || value.length() <= width ? value : value.substring(0, width);
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && state.startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    private void closeConnection(Exception cause) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IOException("could not close the audit connection to " + redact(url), e);
            } finally {
                connection = null;
            }
        }
    }
}
