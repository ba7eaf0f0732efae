import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What the {@code jsonl} writer's thread spends on one line of the kept PostgreSQL point select's event, jar by jar:
 * {@code HashChain.link} (encoding, SHA-256, the chain's fields) into a reused line buffer, as the writer calls it,
 * over events with the point select's objects and a time, id and duration of their own. Each jar in a class loader
 * of its own, the jars in turns (the order reversed every round); the thread's CPU and bytes per line. No file, no
 * kernel: the line's user-space cost alone. Under load, compare the jars within a round.
 *
 * <pre>
 * java -Xmx1g benchmarks/LineCost.java base.jar,new.jar 14 300000
 * </pre>
 */
public class LineCost {
    public static void main(String[] args) throws Exception {
        String[] jars = args[0].split(",");
        int rounds = Integer.parseInt(args[1]);
        int lines = Integer.parseInt(args[2]);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Object[][] events = new Object[jars.length][];
        Object[] chains = new Object[jars.length];
        Method[] link = new Method[jars.length];
        Object[] sinks = new Object[jars.length];
        for (int j = 0; j < jars.length; j++) {
            ClassLoader l = new URLClassLoader(new URL[] {Path.of(jars[j]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> ev = l.loadClass("io.governed.jdbc.audit.AuditEvent");
            Class<?> dec = l.loadClass("io.governed.jdbc.audit.AuditDecision");
            Class<?> pol = l.loadClass("io.governed.jdbc.audit.AuditPolicy");
            Class<?> err = l.loadClass("io.governed.jdbc.audit.AuditError");
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
            events[j] = new Object[4096];
            Instant t0 = Instant.parse("2026-12-07T04:54:43.512851710Z");
            for (int i = 0; i < 4096; i++) {
                events[j][i] = c.newInstance(t0.plusNanos(i * 23_456_789L), java.util.UUID.randomUUID().toString(), "gc-1", "bench", "service", groups,
                        null, null, "select", stmt, "1c1d0072ca6ff28e", tables, columns, allow, rules,
                        "Allowed by rule baseline-data-and-session", masked, 1L, (long) (300 + i % 700), null, "asserted", null, null, null,
                        null, null, null, null, policy);
            }
            Class<?> hc = l.loadClass("io.governed.jdbc.audit.jsonl.HashChain");
            chains[j] = hc.getConstructor(String.class).newInstance("0".repeat(64));
            Class<?> bs = l.loadClass("io.governed.jdbc.audit.jsonl.ByteSink");
            link[j] = hc.getDeclaredMethod("link", ev, bs);
            link[j].setAccessible(true);
            var bc = bs.getDeclaredConstructor(int.class);
            bc.setAccessible(true);
            sinks[j] = bc.newInstance(256 * 1024);
        }
        link[0].invoke(chains[0], events[0][0], sinks[0]);
        System.out.println("line bytes: " + ((java.io.ByteArrayOutputStream) sinks[0]).size());
        for (int r = 0; r < rounds; r++) {
            StringBuilder out = new StringBuilder("round " + r);
            for (int j = 0; j < jars.length; j++) {
                int jj = (r % 2 == 0) ? j : jars.length - 1 - j;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long a0 = mx.getCurrentThreadAllocatedBytes();
                long sink = 0;
                for (int i = 0; i < lines; i++) {
                    java.io.ByteArrayOutputStream b = (java.io.ByteArrayOutputStream) sinks[jj];
                    if ((i & 127) == 0) { sink += b.size(); b.reset(); }
                    link[jj].invoke(chains[jj], events[jj][i & 4095], b);
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                long alloc = mx.getCurrentThreadAllocatedBytes() - a0;
                out.append(String.format("  %s %.3f µs/line %.1f B/line", Path.of(jars[jj]).getFileName(), cpu / 1000.0 / lines, (double) alloc / lines));
                if (sink == 42) System.out.println();
            }
            System.out.println(out);
        }
    }
}
