package io.governed.jdbc.approval;

import io.governed.jdbc.ApprovalPendingException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Another application instance, in a JVM of its own, for {@link TwoProcessApprovalSpec}: it runs the
 * statement once (printing {@code PENDING <id>}), waits for {@code go} on its input, then runs it from
 * several threads at once and prints {@code RAN <how many ran>}.
 *
 * <p>Arguments: governed URL, user, password, policy file, approval store, threads, SQL, value.
 */
public final class ApprovalRaceProcess {
    private ApprovalRaceProcess() {
    }

    public static void main(String[] args) throws Exception {
        Properties settings = settings(args[1], args[2], args[3], args[4]);
        String url = args[0];
        int threads = Integer.parseInt(args[5]);
        String sql = args[6];
        String value = args[7];
        String pending = run(url, settings, sql, value);
        System.out.println("PENDING " + pending);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) {
            System.exit(2);
        }
        System.out.println("RAN " + race(url, settings, sql, value, threads));
        System.out.flush();
    }

    /** The governed settings of an instance: policy, principal dora, the shared approval store. */
    static Properties settings(String user, String password, String policy, String store) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("governed.policy", policy);
        p.setProperty("governed.principal", "dora");
        p.setProperty("governed.approvals", store);
        p.setProperty("governed.approvals.user", user);
        p.setProperty("governed.approvals.password", password);
        p.setProperty("governed.audit", "memory");
        return p;
    }

    /** Runs the statement: {@code null} when it ran, else the request it waits for. */
    static String run(String url, Properties settings, String sql, String value) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, settings); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.executeUpdate();
            return null;
        } catch (ApprovalPendingException e) {
            return e.approvalRequestId();
        }
    }

    /** Runs the statement from {@code threads} threads at once: how many ran. */
    static int race(String url, Properties settings, String sql, String value, int threads) throws Exception {
        return race(threads, i -> () -> run(url, settings, sql, value));
    }

    /**
     * Starts {@code threads} runs at once, run {@code i} being {@code runs.apply(i)}, which returns the
     * request it waits for, or {@code null} when it ran: how many ran.
     */
    static int race(int threads, java.util.function.IntFunction<java.util.concurrent.Callable<String>> runs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                java.util.concurrent.Callable<String> run = runs.apply(i);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return run.call();
                }));
            }
            start.countDown();
            int ran = 0;
            for (Future<String> outcome : outcomes) {
                if (outcome.get(2, TimeUnit.MINUTES) == null) {
                    ran++;
                }
            }
            return ran;
        } finally {
            pool.shutdownNow();
        }
    }
}
