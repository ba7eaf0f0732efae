package io.governed.jdbc.approval;

import io.governed.policy.approval.ApprovalStore;
import io.governed.policy.approval.InMemoryApprovalStore;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The approval store a {@code governed.approvals} setting (or {@code --store}) names: {@code memory}, one
 * store for the whole process, or {@code jdbc:URL[#table=NAME]}, tables in a database every instance
 * and the command line share. One store object per location, shared by the runtimes that name it.
 */
public final class ApprovalStores {
    /** The in-memory store every runtime of this process that says {@code memory} shares. */
    private static final InMemoryApprovalStore MEMORY = new InMemoryApprovalStore();
    private static final Map<List<String>, JdbcApprovalStore> JDBC = new ConcurrentHashMap<>();
    private static final String TABLE_SUFFIX = "#table=";

    private ApprovalStores() {
    }

    /**
     * The store {@code spec} names.
     *
     * @param user     the database user of a {@code jdbc:} store, or {@code null} to take it from the URL
     * @param password its password, or {@code null}
     * @throws IllegalArgumentException when {@code spec} names no store, or a database store cannot be opened
     */
    public static ApprovalStore open(String spec, String user, String password) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("memory")) {
            return MEMORY;
        }
        if (!s.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw new IllegalArgumentException("the approval store '" + io.governed.jdbc.audit.JdbcSink.redact(s) + "' is not one Governed JDBC knows: use memory "
                    + "(one process) or jdbc:URL[#table=NAME] (a database every instance and the command line share)");
        }
        int t = s.lastIndexOf(TABLE_SUFFIX);
        String url = t < 0 ? s : s.substring(0, t);
        String table = t < 0 ? JdbcApprovalStore.DEFAULT_TABLE : s.substring(t + TABLE_SUFFIX.length());
        return JDBC.computeIfAbsent(java.util.Arrays.asList(url, table, user, password),
                k -> new JdbcApprovalStore(url, user, password, table, Clock.systemUTC()));
    }
}
