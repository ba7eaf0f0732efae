import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;
/**
 * The copy {@code FileChannel.write} makes of a heap buffer: 128 KB pieces (the jsonl sink's {@code WRITE_PIECE})
 * written from a heap {@code ByteBuffer} (the JDK copies it into its cached temporary direct buffer first, then the
 * kernel into the page cache) and from a direct one (the kernel's copy alone), in turns; the thread's CPU per KB.
 *
 * <pre>
 * java -Xmx512m benchmarks/CopyCost.java 6000
 * </pre>
 */
public class CopyCost {
    public static void main(String[] a) throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int piece = 128 * 1024, n = Integer.parseInt(a[0]);
        byte[] heap = new byte[piece];
        for (int i = 0; i < piece; i++) heap[i] = (byte) ('a' + i % 26);
        ByteBuffer direct = ByteBuffer.allocateDirect(piece);
        direct.put(heap).flip();
        Path p = Path.of(System.getProperty("file", "/tmp/copycost.bin"));
        for (int r = 0; r < 8; r++) {
            StringBuilder out = new StringBuilder("round " + r);
            for (int k = 0; k < 2; k++) {
                boolean useDirect = (k == 0) == (r % 2 == 0);
                Files.deleteIfExists(p);
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    long c0 = mx.getCurrentThreadCpuTime(), u0 = mx.getCurrentThreadUserTime();
                    for (int i = 0; i < n; i++) {
                        if (i % 2000 == 1999) ch.truncate(0);
                        ByteBuffer b = useDirect ? direct.clear() : ByteBuffer.wrap(heap);
                        while (b.hasRemaining()) ch.write(b);
                    }
                    long c = mx.getCurrentThreadCpuTime() - c0, u = mx.getCurrentThreadUserTime() - u0;
                    double perKB = 1024.0 / ((double) n * piece);
                    out.append(String.format("  %s %.1f ns/KB (user %.1f)", useDirect ? "direct" : "heap", c * perKB, u * perKB));
                }
            }
            System.out.println(out);
        }
        Files.deleteIfExists(p);
    }
}
