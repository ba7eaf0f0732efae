package io.governed.jdbc.approval;

import io.governed.identity.Identity;
import io.governed.jdbc.audit.JdbcSink;
import io.governed.policy.approval.ApprovalException;
import io.governed.policy.approval.ApprovalRequest;
import io.governed.policy.approval.ApprovalStatus;
import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.ApprovalVote;
import io.governed.policy.approval.RequesterText;
import io.governed.policy.model.ApprovalScope;
import io.governed.policy.model.Approvers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An {@link ApprovalStore} in three tables of a PostgreSQL, MariaDB or H2 database, created if missing:
 * every application instance and the {@code governed-jdbc approvals} command share the requests.
 * Each operation opens its own connection through the plain driver (never the governed one) and runs
 * in one transaction; approving locks the request row ({@code SELECT … FOR UPDATE}), and using an
 * approval is one conditional {@code UPDATE … WHERE status = 'approved'} per request whose row count
 * says whether this execution got it: of two instances racing for one approval, exactly one runs.
 * A third table holds, for each request key, the request that holds it; a request is recorded in one transaction
 * with taking its key, so of instances making the first request for one statement at once, one records it and the
 * others get that one.
 *
 * <p>Times are stored as epoch milliseconds; lists (tables, approver names and groups) comma separated.
 * See the README's "Approvals" section for the schema.
 */
public final class JdbcApprovalStore implements ApprovalStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcApprovalStore.class);
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * The tables' name prefix when none is given: {@code governed_approval_requests}, {@code governed_approval_votes},
     * {@code governed_approval_keys}.
     */
    public static final String DEFAULT_TABLE = "governed_approval";

    /** How often a request is tried again when another instance's request took its key and was closed when read. */
    private static final int REQUEST_ATTEMPTS = 5;

    /** Requests whose votes one query reads when listing: well below every database's limit on parameters. */
    private static final int VOTES_PER_QUERY = 500;
    private static final String VOTE_COLUMNS = "SELECT request_id, approver, approver_groups, asserted, approved, reason,"
            + " voted_at, approver_issuer FROM ";

    private static final String COLUMNS = "id, request_key, approval_id, requester, on_behalf_of, purpose, action, tables_list,"
            + " fingerprint, statement_text, parameters_digest, scope, approver_names, approver_groups, required_approvals,"
            + " each_group, ttl_ms, requested_at, request_expires_at, status, approval_expires_at";

    /** Widths of the VARCHAR columns {@link #createTables} makes (and tables made by earlier versions have). */
    private static final int NAME_WIDTH = 200;
    private static final int PURPOSE_WIDTH = 500;
    private static final int ISSUER_WIDTH = 500;
    private static final int ACTION_WIDTH = 40;
    private static final int LIST_WIDTH = 2000;
    private static final int TABLES_WIDTH = 4000;

    private final String url;
    private final Properties credentials;
    private final String requests;
    private final String votes;
    /** Which request holds each request key: one open request per key, whatever the instances racing to make it. */
    private final String keys;
    private final Clock clock;
    /** Notified at every decision made through this object. */
    private final Object decisions = new Object();

    /**
     * A store in {@code <table>_requests}, {@code <table>_votes} and {@code <table>_keys} at {@code url}, creating them
     * if missing.
     *
     * @param user     the database user, or {@code null} to take it from the URL
     * @param password the password, or {@code null}
     * @throws IllegalArgumentException when the URL is the governed driver's or no driver takes it, or the table name is not plain
     * @throws IllegalStateException    when the tables cannot be created
     */
    public JdbcApprovalStore(String url, String user, String password, String table, Clock clock) {
        if (url.regionMatches(true, 0, "jdbc:governed:", 0, "jdbc:governed:".length())) {
            throw new IllegalArgumentException("approval store '" + JdbcSink.redact(url) + "' goes through the governed driver,"
                    + " which would need approvals to keep approvals: use the plain URL (jdbc:postgresql://…)");
        }
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("approval table '" + table + "' is not a plain name: use letters, digits and underscores");
        }
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException("approval store '" + JdbcSink.redact(url) + "': no JDBC driver accepts this URL;"
                    + " put the database's driver jar on the class path, or fix the URL (the command line: java -cp "
                    + "governance-jdbc-VERSION-cli.jar:DRIVER.jar io.governed.jdbc.cli.GovernedJdbcCli approvals …, as java -jar"
                    + " reads no other jar)", e);
        }
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.requests = table + "_requests";
        this.votes = table + "_votes";
        this.keys = table + "_keys";
        this.clock = Objects.requireNonNull(clock, "clock");
        createTables();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Its three tables, which statements through the governed driver may neither read nor write. */
    @Override
    public java.util.Set<String> ownTables() {
        return java.util.Set.of(requests, votes, keys);
    }

    /** Where the store is, without credentials or URL parameters. */
    public String describe() {
        return JdbcSink.redact(url) + " (tables " + requests + ", " + votes + ", " + keys + ")";
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, credentials);
    }

    private IllegalStateException unavailable(String doing, SQLException e) {
        return new IllegalStateException("the approval store " + describe() + " could not " + doing + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }

    /**
     * Whether the store is in PostgreSQL, where an operator or type its statements name unqualified is found through the
     * session's search path (a schema before pg_catalog could define {@code =} or {@code text} in place of the system's):
     * there they name the system's own ({@code OPERATOR(pg_catalog.=)}, {@code pg_catalog.text}).
     */
    private volatile boolean postgres;

    /** {@code column op value}, the operator the system's own on PostgreSQL. */
    private String compare(String column, String op, String value) {
        return column + (postgres ? " OPERATOR(pg_catalog." + op + ") " : " " + op + " ") + value;
    }

    /** {@code column} equal to one of {@code values}, as comparisons OR-ed (an IN list names = unqualified). */
    private String oneOf(String column, List<String> values) {
        List<String> each = new ArrayList<>();
        for (String value : values) {
            each.add(compare(column, "=", value));
        }
        return "(" + String.join(" OR ", each) + ")";
    }

    private void createTables() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
            String text = postgres ? "pg_catalog.text" : "TEXT";
            String name = "VARCHAR(" + NAME_WIDTH + ")";
            String list = "VARCHAR(" + LIST_WIDTH + ")";
            s.execute("CREATE TABLE IF NOT EXISTS " + requests + " (id VARCHAR(40) NOT NULL PRIMARY KEY,"
                    + " request_key VARCHAR(64) NOT NULL, approval_id " + name + " NOT NULL, requester " + name + " NOT NULL,"
                    + " on_behalf_of " + name + ", purpose VARCHAR(" + PURPOSE_WIDTH + "),"
                    + " action VARCHAR(" + ACTION_WIDTH + ") NOT NULL, tables_list VARCHAR(" + TABLES_WIDTH + ") NOT NULL,"
                    + " fingerprint " + text + " NOT NULL, statement_text " + text + " NOT NULL,"
                    + " parameters_digest VARCHAR(80) NOT NULL,"
                    + " scope VARCHAR(20) NOT NULL, approver_names " + list + " NOT NULL, approver_groups " + list + " NOT NULL,"
                    + " required_approvals INT NOT NULL, each_group INT NOT NULL,"
                    + " ttl_ms BIGINT NOT NULL, requested_at BIGINT NOT NULL, request_expires_at BIGINT NOT NULL,"
                    + " status VARCHAR(20) NOT NULL, approval_expires_at BIGINT, consumed_at BIGINT)");
            s.execute("CREATE TABLE IF NOT EXISTS " + votes + " (request_id VARCHAR(40) NOT NULL, approver " + name + " NOT NULL,"
                    + " approver_groups " + list + " NOT NULL, asserted INT NOT NULL, approved INT NOT NULL,"
                    + " reason " + list + ", voted_at BIGINT NOT NULL, approver_issuer VARCHAR(" + ISSUER_WIDTH + "),"
                    + " PRIMARY KEY (request_id, approver))");
            // tables made before verified approvers were recorded lack the column
            s.execute("ALTER TABLE " + votes + " ADD COLUMN IF NOT EXISTS approver_issuer VARCHAR(" + ISSUER_WIDTH + ")");
            s.execute("CREATE INDEX IF NOT EXISTS " + requests + "_key ON " + requests + " (request_key)");
            s.execute("CREATE TABLE IF NOT EXISTS " + keys + " (request_key VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " request_id VARCHAR(40) NOT NULL)");
        } catch (SQLException e) {
            throw unavailable("create its tables", e);
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    @Override
    public ApprovalRequest request(ApprovalRequest candidate) {
        requireFits(candidate);
        Instant now = now();
        try (Connection c = connect()) {
            for (int attempt = 1; ; attempt++) {
                ApprovalRequest open = openRequest(c, candidate.key(), now);
                if (open != null) {
                    return open;
                }
                if (recordHoldingKey(c, candidate, now)) {
                    LOG.info("Approval request {} recorded for {} ({}, approval {})", candidate.id(),
                            RequesterText.visible(candidate.requester()), RequesterText.visible(candidate.summary()),
                            candidate.approvalId());
                    return candidate;
                }
                if (attempt == REQUEST_ATTEMPTS) {
                    throw new IllegalStateException("the approval store " + describe() + " could not record an approval"
                            + " request: in " + REQUEST_ATTEMPTS + " attempts another instance's request took its key and was"
                            + " no longer open when read; try the statement again");
                }
            }
        } catch (SQLException e) {
            throw unavailable("record an approval request", e);
        }
    }

    /** The open request (pending, approved or denied, not expired) with {@code key}, or {@code null}. */
    private ApprovalRequest openRequest(Connection c, String key, Instant now) throws SQLException {
        String open = compare("request_key", "=", "?") + " AND "
                + oneOf("status", List.of("'pending'", "'approved'", "'denied'"));
        for (ApprovalRequest existing : select(c, open, key, false)) {
            if (existing.openAt(now)) {
                return existing;
            }
        }
        return null;
    }

    /**
     * Records {@code candidate} and makes it the request holding its key, in one transaction: {@code false} when
     * another instance's request holds the key and is open, or took the key first. The key's row is what orders two
     * instances' first requests for one statement: the second one's insert of it waits for the first one's
     * transaction and then fails as a duplicate, and of two taking over a key whose request is no longer open, the
     * second one's conditional update waits and then changes nothing.
     */
    private boolean recordHoldingKey(Connection c, ApprovalRequest candidate, Instant now) throws SQLException {
        c.setAutoCommit(false);
        try {
            String holder = holder(c, candidate.key());
            boolean taken;
            if (holder == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + keys + " (request_key, request_id) VALUES (?, ?)")) {
                    ps.setString(1, candidate.key());
                    ps.setString(2, candidate.id());
                    taken = ps.executeUpdate() == 1;
                }
            } else {
                List<ApprovalRequest> held = select(c, compare("id", "=", "?"), holder, false);
                if (!held.isEmpty() && held.get(0).openAt(now)) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + keys + " SET request_id = ?"
                        + " WHERE " + compare("request_key", "=", "?") + " AND " + compare("request_id", "=", "?"))) {
                    ps.setString(1, candidate.id());
                    ps.setString(2, candidate.key());
                    ps.setString(3, holder);
                    taken = ps.executeUpdate() == 1;
                }
            }
            if (!taken) {
                c.rollback();
                return false;
            }
            insert(c, candidate);
            c.commit();
            return true;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false; // another instance inserted the key's row first (integrity constraint violation)
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The id of the request holding {@code key}, or {@code null} when no request has held it. */
    private String holder(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT request_id FROM " + keys + " WHERE "
                + compare("request_key", "=", "?"))) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Refuses a request with a text longer than its column: the store never hands a database a value to cut (a
     * MariaDB session without a strict {@code sql_mode} cuts it with a mere warning), since a cut requester or chain no
     * longer names every party who may not approve the request, and a cut list no longer says what was approved.
     */
    private static void requireFits(ApprovalRequest r) {
        requireFits("request", "requester", "the principal that ran the statement", r.requester(), NAME_WIDTH);
        requireFits("request", "on_behalf_of", "the chain the requester acted for", r.onBehalfOf(), NAME_WIDTH);
        requireFits("request", "purpose", "the purpose the requester stated", r.purpose(), PURPOSE_WIDTH);
        requireFits("request", "approval_id", "the policy's approval id", r.approvalId(), NAME_WIDTH);
        requireFits("request", "action", "the statement's action", r.action(), ACTION_WIDTH);
        requireFits("request", "tables_list", "the tables the statement uses", String.join(",", r.tables()), TABLES_WIDTH);
        requireFits("request", "approver_names", "the approval's approvers", joined(r.approvers().names()), LIST_WIDTH);
        requireFits("request", "approver_groups", "the approval's approver groups", joined(r.approvers().groups()), LIST_WIDTH);
    }

    /** Refuses a vote with a text longer than its column, for the reasons {@link #requireFits(ApprovalRequest)} gives. */
    private static void requireFits(ApprovalVote vote) {
        requireFits("vote", "approver", "the approver's principal", vote.approver(), NAME_WIDTH);
        requireFits("vote", "approver_groups", "the approver's groups", String.join(",", vote.groups()), LIST_WIDTH);
        requireFits("vote", "reason", "the reason given", vote.reason(), LIST_WIDTH);
        requireFits("vote", "approver_issuer", "the approver's token issuer", vote.issuer(), ISSUER_WIDTH);
    }

    /**
     * Throws when {@code value} has more UTF-16 units than the column's width (never fewer characters than the
     * database counts, so nothing that passes is cut); the message gives lengths, never the text.
     */
    private static void requireFits(String what, String column, String meaning, String value, int width) {
        if (value != null && value.length() > width) {
            throw new ApprovalException("the approval store cannot record this " + what + ": " + column + " (" + meaning
                    + ") is " + value.length() + " characters long, and its column holds at most " + width
                    + " characters; the store refuses rather than cut it, since a cut name or list no longer says who asked,"
                    + " for whom, or who decided. Use shorter names (a shorter principal, fewer agents in the chain)");
        }
    }

    private void insert(Connection c, ApprovalRequest r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + requests + " (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 0;
            ps.setString(++i, r.id());
            ps.setString(++i, r.key());
            ps.setString(++i, r.approvalId());
            ps.setString(++i, r.requester());
            ps.setString(++i, r.onBehalfOf());
            ps.setString(++i, r.purpose());
            ps.setString(++i, r.action());
            ps.setString(++i, String.join(",", r.tables()));
            ps.setString(++i, r.fingerprint());
            ps.setString(++i, r.statement());
            ps.setString(++i, r.parametersDigest());
            ps.setString(++i, r.scope().externalName());
            ps.setString(++i, joined(r.approvers().names()));
            ps.setString(++i, joined(r.approvers().groups()));
            ps.setInt(++i, r.approvers().require());
            ps.setInt(++i, r.approvers().eachGroup() ? 1 : 0);
            ps.setLong(++i, r.ttl().toMillis());
            ps.setLong(++i, r.requestedAt().toEpochMilli());
            ps.setLong(++i, r.requestExpiresAt().toEpochMilli());
            ps.setString(++i, r.status().externalName());
            setInstant(ps, ++i, r.approvalExpiresAt());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<ApprovalRequest> find(String requestId) {
        try (Connection c = connect()) {
            return select(c, compare("id", "=", "?"), requestId, false).stream().findFirst();
        } catch (SQLException e) {
            throw unavailable("read approval request " + requestId, e);
        }
    }

    @Override
    public List<ApprovalRequest> list(Set<ApprovalStatus> statuses) {
        return page(statuses, 0, -1);
    }

    /** One page, read as such: the statuses (expiry included) are worked out in the query, votes read for the page only. */
    @Override
    public List<ApprovalRequest> list(Set<ApprovalStatus> statuses, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("a page needs an offset and a limit of 0 or more, not " + offset + " and " + limit);
        }
        return page(statuses, offset, limit);
    }

    /**
     * The requests in {@code statuses} at this moment, oldest first: from {@code offset}, at most {@code limit}; all of
     * them for a negative {@code limit} (with {@code offset} 0: MariaDB has no {@code OFFSET} without {@code LIMIT}).
     */
    private List<ApprovalRequest> page(Set<ApprovalStatus> statuses, int offset, int limit) {
        if (statuses.isEmpty() || limit == 0) {
            return List.of();
        }
        long now = now().toEpochMilli();
        List<String> conditions = new ArrayList<>();
        int comparisonsWithNow = 0;
        for (ApprovalStatus status : statuses) {
            // as ApprovalRequest.statusAt: pending and denied expire with the request, approved with the approval
            StatusCondition condition = switch (status) {
                case PENDING -> new StatusCondition("(" + compare("status", "=", "'pending'") + " AND "
                        + compare("request_expires_at", ">", "?") + ")", 1);
                case DENIED -> new StatusCondition("(" + compare("status", "=", "'denied'") + " AND "
                        + compare("request_expires_at", ">", "?") + ")", 1);
                case APPROVED -> new StatusCondition("(" + compare("status", "=", "'approved'") + " AND "
                        + compare("approval_expires_at", ">", "?") + ")", 1);
                case CONSUMED -> new StatusCondition(compare("status", "=", "'consumed'"), 0);
                case EXPIRED -> new StatusCondition("(" + oneOf("status", List.of("'pending'", "'denied'")) + " AND "
                        + compare("request_expires_at", "<=", "?") + ") OR (" + compare("status", "=", "'approved'")
                        + " AND " + compare("approval_expires_at", "<=", "?") + ")", 2);
            };
            conditions.add(condition.sql());
            comparisonsWithNow += condition.comparisonsWithNow();
        }
        String sql = "SELECT " + COLUMNS + " FROM " + requests + " WHERE " + String.join(" OR ", conditions)
                + " ORDER BY requested_at, id" + (limit > 0 ? " LIMIT ? OFFSET ?" : "");
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            while (i < comparisonsWithNow) {
                ps.setLong(++i, now);
            }
            if (limit > 0) {
                ps.setInt(++i, limit);
                ps.setInt(++i, offset);
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.read(rs));
                }
            }
            Map<String, List<ApprovalVote>> votesById = votes(c, rows.stream().map(Row::id).toList());
            return rows.stream().map(r -> r.request(votesById.getOrDefault(r.id, List.of()))).toList();
        } catch (SQLException e) {
            throw unavailable("list approval requests", e);
        }
    }

    /** A status's condition on a request row, with how many placeholders in it stand for the time now. */
    private record StatusCondition(String sql, int comparisonsWithNow) {
    }

    /** The votes on the requests {@code ids}, by request, read a few hundred requests at a time. */
    private Map<String, List<ApprovalVote>> votes(Connection c, List<String> ids) throws SQLException {
        Map<String, List<ApprovalVote>> byId = new HashMap<>();
        for (int from = 0; from < ids.size(); from += VOTES_PER_QUERY) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + VOTES_PER_QUERY));
            String placeholders = oneOf("request_id", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(VOTE_COLUMNS + votes + " WHERE " + placeholders
                    + " ORDER BY voted_at, approver")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                readVotes(ps, byId);
            }
        }
        return byId;
    }

    @Override
    public ApprovalRequest decide(String requestId, Identity approver, boolean asserted, boolean approve, String reason) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                ApprovalRequest request = select(c, compare("id", "=", "?"), requestId, true).stream().findFirst()
                        .orElseThrow(() -> ApprovalException.unknown(requestId));
                ApprovalRequest decided = request.decidedBy(approver, asserted, approve, reason, now());
                ApprovalVote vote = decided.votes().get(decided.votes().size() - 1);
                requireFits(vote);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + votes
                        + " (request_id, approver, approver_groups, asserted, approved, reason, voted_at, approver_issuer)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, requestId);
                    ps.setString(2, vote.approver());
                    ps.setString(3, String.join(",", vote.groups()));
                    ps.setInt(4, vote.asserted() ? 1 : 0);
                    ps.setInt(5, vote.approved() ? 1 : 0);
                    ps.setString(6, vote.reason());
                    ps.setLong(7, vote.at().toEpochMilli());
                    ps.setString(8, vote.issuer());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + requests
                        + " SET status = ?, approval_expires_at = ? WHERE " + compare("id", "=", "?") + " AND "
                        + compare("status", "=", "'pending'"))) {
                    ps.setString(1, decided.status().externalName());
                    setInstant(ps, 2, decided.approvalExpiresAt());
                    ps.setString(3, requestId);
                    if (ps.executeUpdate() != 1) {
                        throw new ApprovalException("request " + requestId + " was decided by someone else meanwhile: look at it again");
                    }
                }
                c.commit();
                synchronized (decisions) {
                    decisions.notifyAll(); // wakes statements of this process waiting for a decision
                }
                LOG.info("Approval request {} {} by {}{}: now {}", requestId, approve ? "approved" : "denied",
                        RequesterText.visible(approver.principal()), asserted ? " (asserted)" : "", decided.status().externalName());
                return decided;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable("record the decision on request " + requestId, e);
        }
    }

    @Override
    public void awaitDecision(Duration max) throws InterruptedException {
        synchronized (decisions) {
            decisions.wait(Math.max(1, max.toMillis()));
        }
    }

    @Override
    public List<String> consume(List<String> requestIds) {
        long now = now().toEpochMilli();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + requests + " SET status = 'consumed', consumed_at = ?"
                    + " WHERE " + compare("id", "=", "?") + " AND " + compare("status", "=", "'approved'") + " AND "
                    + compare("approval_expires_at", ">", "?"))) {
                List<String> lacking = new ArrayList<>();
                for (String id : requestIds) {
                    ps.setLong(1, now);
                    ps.setString(2, id);
                    ps.setLong(3, now);
                    if (ps.executeUpdate() != 1) {
                        lacking.add(id);
                    }
                }
                if (lacking.isEmpty()) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return lacking;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable("use up the approvals " + requestIds, e);
        }
    }

    /** The requests matching {@code where} (one parameter, or {@code null} for all), with their votes. */
    private List<ApprovalRequest> select(Connection c, String where, String parameter, boolean forUpdate) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM " + requests + (where == null ? "" : " WHERE " + where)
                + (forUpdate ? " FOR UPDATE" : " ORDER BY requested_at");
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.read(rs));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<ApprovalVote>> votesById = votes(c, rows.stream().map(Row::id).toList());
        return rows.stream().map(r -> r.request(votesById.getOrDefault(r.id, List.of()))).toList();
    }

    private static void readVotes(PreparedStatement ps, Map<String, List<ApprovalVote>> byId) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byId.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new ApprovalVote(rs.getString(2),
                        split(rs.getString(3)), rs.getInt(4) == 1, rs.getInt(5) == 1, rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8)));
            }
        }
    }

    /** One row of the requests table, read. */
    private record Row(String id, String key, String approvalId, String requester, String onBehalfOf, String purpose,
                       String action, List<String> tables, String fingerprint, String statement, String digest,
                       ApprovalScope scope, Approvers approvers, Duration ttl, Instant requestedAt, Instant requestExpiresAt,
                       ApprovalStatus status, Instant approvalExpiresAt) {

        static Row read(ResultSet rs) throws SQLException {
            long approvalExpires = rs.getLong(21);
            Instant approvalExpiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(approvalExpires);
            return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), split(rs.getString(8)), rs.getString(9), rs.getString(10),
                    rs.getString(11), ApprovalScope.parse(rs.getString(12)),
                    new Approvers(Set.copyOf(split(rs.getString(13))), Set.copyOf(split(rs.getString(14))), rs.getInt(15),
                            rs.getInt(16) == 1),
                    Duration.ofMillis(rs.getLong(17)), Instant.ofEpochMilli(rs.getLong(18)), Instant.ofEpochMilli(rs.getLong(19)),
                    ApprovalStatus.parse(rs.getString(20)), approvalExpiresAt);
        }

        ApprovalRequest request(List<ApprovalVote> votes) {
            return new ApprovalRequest(id, key, approvalId, requester, onBehalfOf, purpose, action, tables, fingerprint,
                    statement, digest, scope, approvers, ttl, requestedAt, requestExpiresAt, status, votes, approvalExpiresAt);
        }
    }

    private static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, instant.toEpochMilli());
        }
    }

    private static String joined(Set<String> values) {
        return String.join(",", values.stream().sorted().toList());
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
