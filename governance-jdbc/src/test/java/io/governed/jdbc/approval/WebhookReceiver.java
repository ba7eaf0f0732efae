package io.governed.jdbc.approval;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A local HTTP receiver of approval notifications in tests: it keeps every POST and answers with {@link #status}. */
public final class WebhookReceiver implements AutoCloseable {

    /** One POST the receiver got. */
    public record Delivery(String path, String signature, String body) {
    }

    private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    private final HttpServer server;
    /** The HTTP status the receiver answers with. */
    public volatile int status = 200;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Delivery(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst(ApprovalNotifier.SIGNATURE_HEADER),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The receiver's URL for {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next POST, waiting for it up to 30 seconds. */
    public Delivery next() throws InterruptedException {
        Delivery delivery = received.poll(30, TimeUnit.SECONDS);
        assertThat(delivery).as("a notification arrived").isNotNull();
        return delivery;
    }

    /** The POSTs received so far and not yet taken. */
    public int waiting() {
        return received.size();
    }

    /** The {@code X-Governed-Signature} value a body signed with {@code secret} carries. */
    public static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
