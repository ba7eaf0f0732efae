import java.lang.management.ManagementFactory;
import java.lang.reflect.*;
import java.net.*;
import java.nio.file.*;
import java.time.Instant;
import java.util.*;

/**
 * What the {@code jsonl} writer's thread spends per event on a whole {@code JsonlSink} write, jar by jar: the point
 * select's events (as {@code LineCost} makes them) written in batches, as the writer's thread calls the sink, into a
 * log under {@code /tmp/wrt/logs} (the file and the kernel's copy into the page cache included, no force). Events
 * cycle through {@code distinct} objects (4096: warm in the caches; 1,000,000: each touched once a round);
 * {@code -Dprepared=true} prepares each batch's lines on another thread first ({@code JsonlSink.prepare}) and writes
 * them with {@code writeItems}, as when the writer falls behind; {@code -Dshuffled=true} writes the events in an order
 * other than the one they lie in memory in, as events queued by several threads among their other objects are. The jars in turns; the thread's CPU per event.
 * Run under async-profiler to see where the writer's own code goes:
 *
 * <pre>
 * java -Xmx3g [-Dprepared=true] benchmarks/WriteCost.java base.jar,new.jar ROUNDS EVENTS BATCH [DISTINCT]
 * java -Xmx3g -agentpath:.../libasyncProfiler.so=start,event=cpu,interval=200us,ann,collapsed,file=w.collapsed \
 *     benchmarks/WriteCost.java base.jar 6 300000 256 4096
 * </pre>
 */
public class WriteCost {
    public static void main(String[] args) throws Exception {
        String[] jars = args[0].split(",");
        int rounds = Integer.parseInt(args[1]);
        int lines = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        String dir = System.getProperty("dir", "/tmp/writecost"); final int N = args.length > 4 ? Integer.parseInt(args[4]) : 4096;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<List<Object>> events = new ArrayList<>();
        boolean prep = Boolean.getBoolean("prepared");
        var ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        Method[] prepare = new Method[jars.length], writeItems = new Method[jars.length];
        Method[] open = new Method[jars.length], of = new Method[jars.length], write = new Method[jars.length], close = new Method[jars.length];
        for (int j = 0; j < jars.length; j++) {
            ClassLoader l = new URLClassLoader(new URL[] {Path.of(jars[j]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> ev = l.loadClass("io.governed.jdbc.audit.AuditEvent");
            Class<?> dec = l.loadClass("io.governed.jdbc.audit.AuditDecision");
            Class<?> pol = l.loadClass("io.governed.jdbc.audit.AuditPolicy");
            Object allow = dec.getField("ALLOW").get(null);
            Object policy = null;
            for (Method m : pol.getMethods()) {
                if (m.getName().equals("read") && m.getParameterCount() == 1) {
                    Object mapper = l.loadClass("com.fasterxml.jackson.databind.ObjectMapper").getConstructor().newInstance();
                    policy = m.invoke(null, mapper.getClass().getMethod("readTree", String.class).invoke(mapper,
                            "{\"digest\":\"942617ed549c746aea664d008e6fc20f8867c8b2eb3594d1b0498e04d67bf921\",\"files\":[{\"name\":\"classpath:io/governed/policy/baseline.yaml\",\"digest\":\"1a3d5c476e3efb52c26df205eaa5a954e2565c0c802d113e402685f1e65016b6\"}]}"));
                }
            }
            Constructor<?> c = ev.getConstructors()[0].getParameterCount() == 29 ? ev.getConstructors()[0] : ev.getConstructors()[1];
            List<String> groups = List.of(), tables = List.of("govbench_accounts"),
                    columns = List.of("govbench_accounts.id", "govbench_accounts.name", "govbench_accounts.email", "govbench_accounts.balance"),
                    rules = List.of("baseline-data-and-session"), masked = List.of();
            String stmt = "select id, name, email, balance from govbench_accounts where id = ?";
            List<Object> evs = new ArrayList<>();
            Instant t0 = Instant.now();
            for (int i = 0; i < N; i++) {
                evs.add(c.newInstance(t0.plusNanos(i * 23_456L), UUID.randomUUID().toString(), "gc-1", "bench", "service", groups,
                        null, null, "select", stmt, "1c1d0072ca6ff28e", tables, columns, allow, rules,
                        "Allowed by rule baseline-data-and-session", masked, 1L, (long) (300 + i % 700), null, "asserted", null, null, null,
                        null, null, null, null, policy));
            }
            if (Boolean.getBoolean("shuffled")) {
                Collections.shuffle(evs, new Random(j)); // memory order no longer the order written: no prefetch
            }
            events.add(evs);
            Class<?> opts = l.loadClass("io.governed.jdbc.audit.jsonl.JsonlOptions");
            Class<?> sink = l.loadClass("io.governed.jdbc.audit.jsonl.JsonlSink");
            of[j] = opts.getMethod("of", Path.class);
            open[j] = sink.getMethod("open", opts);
            write[j] = sink.getMethod("write", List.class);
            close[j] = sink.getMethod("close");
            prepare[j] = sink.getMethod("prepare", ev);
            writeItems[j] = sink.getMethod("writeItems", List.class);
        }
        for (int r = 0; r < rounds; r++) {
            StringBuilder out = new StringBuilder("round " + r);
            for (int k = 0; k < jars.length; k++) {
                int j = (r % 2 == 0) ? k : jars.length - 1 - k;
                Path d = Path.of(dir, "j" + j);
                if (Files.exists(d)) try (var s = Files.list(d)) { for (Path p : s.toList()) Files.delete(p); }
                Files.createDirectories(d);
                Object s = open[j].invoke(null, of[j].invoke(null, d.resolve("audit.jsonl")));
                List<Object> evs = events.get(j);
                final Object sk = s; final int jj = j;
                long cpu0 = mx.getCurrentThreadCpuTime(), u0 = mx.getCurrentThreadUserTime();
                for (int i = 0; i < lines; i += batch) {
                    int from = i % N;
                    if (from + batch > N) from = 0;
                    if (prep) {
                        List<Object> part = evs.subList(from, from + batch);
                        List<Object> items = ex.submit(() -> { List<Object> p = new ArrayList<>(part.size()); for (Object e : part) p.add(prepare[jj].invoke(sk, e)); return p; }).get();
                        writeItems[j].invoke(s, items);
                    } else {
                        write[j].invoke(s, evs.subList(from, from + batch));
                    }
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0, usr = mx.getCurrentThreadUserTime() - u0;
                close[j].invoke(s);
                out.append(String.format("  %s %.3f µs/event (user %.3f)", Path.of(jars[j]).getFileName(), cpu / 1000.0 / lines, usr / 1000.0 / lines));
            }
            System.out.println(out);
        }
        ex.shutdown();
    }
}
