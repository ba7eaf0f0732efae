package io.governed.jdbc.identity.token;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The issuer's keys as nimbus' {@link JWKSourceBuilder} serves them: fetched, cached for a time to
 * live, fetched again (rate limited) when a token names a key id the cached set lacks, which is how a
 * key rotation is picked up. A location is an {@code https://} URL, an {@code http://} URL on the
 * loopback interface (a local test server), or a JWKS file (a path, or a {@code file:} URL), re-read
 * the same way.
 */
final class JwksSources {
    /** A key set larger than this is refused. */
    static final int MAX_BYTES = 512 * 1024;

    private JwksSources() {
    }

    static JWKSource<SecurityContext> of(String location, Duration cacheTtl, Duration refreshInterval) {
        URL url = url(location.trim());
        ResourceRetriever retriever = "file".equals(url.getProtocol()) ? JwksSources::readFile
                : new com.nimbusds.jose.util.DefaultResourceRetriever(
                        JWKSourceBuilder.DEFAULT_HTTP_CONNECT_TIMEOUT, JWKSourceBuilder.DEFAULT_HTTP_READ_TIMEOUT, MAX_BYTES);
        long ttl = cacheTtl.toMillis();
        return JWKSourceBuilder.<SecurityContext>create(url, retriever)
                .cache(ttl, JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .refreshAheadCache(false)
                .rateLimited(refreshInterval.toMillis())
                .retrying(false)
                .outageTolerant(false)
                .build();
    }

    private static URL url(String location) {
        try {
            if (location.startsWith("https://")) {
                return new URI(location).toURL();
            }
            if (location.startsWith("http://")) {
                URI uri = new URI(location);
                if (!isLoopback(uri.getHost())) {
                    throw new IllegalArgumentException("governed.identity.jwks must be an https:// URL: keys fetched over plain "
                            + "http could be replaced on the way (http:// is accepted only on the loopback interface)");
                }
                return uri.toURL();
            }
            if (location.contains("://") && !location.startsWith("file:")) {
                throw new IllegalArgumentException("governed.identity.jwks must be an https:// URL or a JWKS file");
            }
            Path file = location.startsWith("file:") ? Path.of(new URI(location)) : Path.of(location);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("governed.identity.jwks names the file " + file
                        + ", which cannot be read: give the path of the issuer's JWKS file, or its https:// URL");
            }
            return file.toUri().toURL();
        } catch (URISyntaxException | MalformedURLException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getCause() == null && iae.getMessage().startsWith("governed.")) {
                throw iae;
            }
            throw new IllegalArgumentException("governed.identity.jwks is not a usable URL or file path: " + e.getMessage(), e);
        }
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // a literal address only: a name other than localhost is not resolved here
            return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Resource readFile(URL url) throws IOException {
        Path file;
        try {
            file = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("not a file URL", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("the JWKS file is larger than " + MAX_BYTES + " bytes");
            }
            return new Resource(new String(bytes, StandardCharsets.UTF_8), "application/json");
        }
    }
}
