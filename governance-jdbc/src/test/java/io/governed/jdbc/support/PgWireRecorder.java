package io.governed.jdbc.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What pgjdbc sends to the server on the recording thread, from its FINEST log of the frontend messages: each round
 * trip (a {@code Sync} of the extended protocol, or a simple protocol {@code Query}) and each statement run in it (an
 * {@code Execute}, with the text the server parsed it from, or a simple query's text). Counts what reaches the server,
 * whatever API (statement, prepared statement, savepoint, pgjdbc's own set-up) sent it, and however pgjdbc prepared it
 * (a statement the server keeps prepared is bound and executed, not parsed again: it still counts).
 */
public final class PgWireRecorder extends Handler implements AutoCloseable {
    private static final Logger PGJDBC = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

    /** One statement the server ran: its text, and the round trip (from 1) it was sent in. */
    public record Sent(String text, int roundTrip) {
    }

    private final long thread = Thread.currentThread().getId();
    private final Level before = PGJDBC.getLevel();
    private final Map<String, String> named = new HashMap<>();
    private String unnamed;
    private String bound;
    private final List<Sent> sent = new ArrayList<>();
    private int roundTrips;

    private PgWireRecorder() {
        setLevel(Level.ALL);
    }

    /** Starts recording what the calling thread's connections send. */
    public static PgWireRecorder start() {
        PgWireRecorder recorder = new PgWireRecorder();
        PGJDBC.setLevel(Level.FINEST);
        PGJDBC.addHandler(recorder);
        return recorder;
    }

    @Override
    @SuppressWarnings("deprecation")
    public synchronized void publish(LogRecord record) {
        String message = record.getMessage();
        if (message == null || record.getThreadID() != (int) thread || !message.contains("FE=> ")) {
            return;
        }
        if (message.contains("FE=> Parse(stmt=")) {
            int stmt = message.indexOf("stmt=") + 5;
            int query = message.indexOf(",query=\"");
            int oids = message.lastIndexOf("\",oids={");
            String name = message.substring(stmt, query);
            String text = message.substring(query + ",query=\"".length(), oids);
            if ("null".equals(name)) {
                unnamed = text;
            } else {
                named.put(name, text);
            }
        } else if (message.contains("FE=> Bind(stmt=")) {
            int stmt = message.indexOf("stmt=") + 5;
            String name = message.substring(stmt, message.indexOf(",portal=", stmt));
            bound = "null".equals(name) ? unnamed : named.get(name);
        } else if (message.contains("FE=> Execute(")) {
            sent.add(new Sent(bound, roundTrips + 1));
        } else if (message.contains("FE=> Sync")) {
            roundTrips++;
        } else if (message.contains("FE=> SimpleQuery(")) {
            Object[] parameters = record.getParameters();
            roundTrips++;
            sent.add(new Sent(parameters != null && parameters.length > 0 ? String.valueOf(parameters[0]) : "?",
                    roundTrips));
        }
    }

    /** The round trips recorded since the last {@link #take}. */
    public synchronized int roundTrips() {
        return roundTrips;
    }

    /** The statements recorded since the last {@link #take}, which forgets them. */
    public synchronized List<Sent> take() {
        List<Sent> taken = List.copyOf(sent);
        sent.clear();
        roundTrips = 0;
        return taken;
    }

    /** The round trips and statements recorded since the last {@link #take}, which forgets them. */
    public synchronized Trips takeTrips() {
        int trips = roundTrips;
        return new Trips(trips, take());
    }

    /** Round trips, and the statements sent in them. */
    public record Trips(int roundTrips, List<Sent> statements) {
        /** The statements' texts, each cut to its first 60 characters. */
        public List<String> shortTexts() {
            return statements.stream().map(s -> s.text() == null ? "?"
                    : s.text().length() > 60 ? s.text().substring(0, 60) + "…" : s.text()).toList();
        }

        @Override
        public String toString() {
            return roundTrips + " round trips, " + statements.size() + " statements " + shortTexts();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        PGJDBC.removeHandler(this);
        PGJDBC.setLevel(before);
    }
}
