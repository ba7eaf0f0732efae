package io.governed.jdbc.pipeline;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Where a connection's statements go, as the database conventions of tracing name it: the database
 * ({@code db.namespace}) and the server's host and port ({@code server.address}, {@code server.port}).
 * Read once per connection, from its catalog and its URL; parts that cannot be told are {@code null}
 * (an in-memory or file database has no server). A URL's user, password and parameters are never kept.
 *
 * @param namespace the connection's catalog (database) when it started, or {@code null}
 * @param address   the server's host, or {@code null}
 * @param port      the server's port, or {@code null} when the URL names none
 */
public record ServerEndpoint(String namespace, String address, Integer port) {

    /** Nothing known. */
    public static final ServerEndpoint UNKNOWN = new ServerEndpoint(null, null, null);

    /** Reads the endpoint of a driver's connection; {@link #UNKNOWN} parts when the driver does not tell. */
    public static ServerEndpoint of(Connection connection) {
        String namespace = null;
        String url = null;
        try {
            namespace = connection.getCatalog();
        } catch (SQLException | RuntimeException e) {
            // unknown
        }
        try {
            url = connection.getMetaData().getURL();
        } catch (SQLException | RuntimeException e) {
            // unknown
        }
        ServerEndpoint server = fromUrl(url);
        return new ServerEndpoint(namespace == null || namespace.isBlank() ? null : namespace, server.address, server.port);
    }

    /**
     * The host and port of a JDBC URL of the {@code jdbc:SUBPROTOCOL://HOST[:PORT]/…} form (PostgreSQL,
     * MariaDB, MySQL, SQL Server, H2's tcp, …) or Oracle's {@code jdbc:oracle:thin:@HOST:PORT…}; the
     * first host of a list.
     */
    static ServerEndpoint fromUrl(String url) {
        if (url == null) {
            return UNKNOWN;
        }
        String rest;
        int slashes = url.indexOf("://");
        int at = url.toLowerCase(Locale.ROOT).startsWith("jdbc:oracle:") ? url.indexOf(":@") : -1;
        if (slashes >= 0) {
            rest = url.substring(slashes + 3);
        } else if (at >= 0) {
            rest = url.substring(at + 2).replaceFirst("^//", "");
        } else {
            return UNKNOWN;
        }
        int end = rest.length();
        for (char c : new char[] {'/', ',', ';', '?', '('}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1); // drop user:password@
        if (authority.isEmpty()) {
            return UNKNOWN;
        }
        try {
            URI uri = new URI("db://" + authority);
            if (uri.getHost() == null) {
                return UNKNOWN;
            }
            return new ServerEndpoint(null, uri.getHost(), uri.getPort() < 0 ? null : uri.getPort());
        } catch (URISyntaxException e) {
            return UNKNOWN;
        }
    }
}
