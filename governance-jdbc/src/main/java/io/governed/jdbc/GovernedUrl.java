package io.governed.jdbc;

import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:governed:} URL and the delegate URL inside it: {@code jdbc:governed:<rest>} stands
 * for {@code jdbc:<rest>}; only the first {@code governed:} is removed.
 */
final class GovernedUrl {
    static final String PREFIX = "jdbc:governed:";

    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@:;?]*):[^/@]*@");
    /** A parameter's value in a URL's query ({@code ?k=v&k=v}) or properties ({@code ;k=v}). */
    private static final Pattern PARAMETER_VALUE = Pattern.compile("=[^&;]*");

    private GovernedUrl() {
    }

    static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * The delegate URL.
     *
     * @throws SQLException (08001) when nothing usable follows {@code jdbc:governed:}
     */
    static String delegateUrl(String url) throws SQLException {
        String rest = url.substring(PREFIX.length());
        if (rest.isBlank()) {
            throw malformed(url, "nothing follows 'jdbc:governed:'");
        }
        if (rest.toLowerCase(Locale.ROOT).startsWith("governed:")) {
            throw malformed(url, "'governed:' appears twice; a governed connection cannot wrap another");
        }
        if (rest.startsWith("jdbc:")) {
            throw malformed(url, "'jdbc:' appears again after 'jdbc:governed:'; drop the second 'jdbc:'");
        }
        int colon = rest.indexOf(':');
        if (colon <= 0) {
            throw malformed(url, "no driver subprotocol (such as 'postgresql:' or 'h2:') follows 'jdbc:governed:'");
        }
        return "jdbc:" + rest;
    }

    /**
     * The URL fit for messages and logs: the password of its user info and the value of every parameter after the
     * first {@code ?} or {@code ;} replaced by {@code ***}, the parameters' names kept. Any parameter may hold a secret
     * (a driver's own names for keys and tokens, a service name, a whole {@code options} string), so none is shown.
     */
    static String redact(String url) {
        if (url == null) {
            return null;
        }
        String r = USER_INFO_PASSWORD.matcher(url).replaceAll("$1:***@");
        int query = r.indexOf('?');
        int properties = r.indexOf(';');
        int start = query < 0 ? properties : properties < 0 ? query : Math.min(query, properties);
        return start < 0 ? r : r.substring(0, start) + PARAMETER_VALUE.matcher(r.substring(start)).replaceAll("=***");
    }

    private static SQLException malformed(String url, String problem) {
        return new SQLException("Malformed governed URL '" + redact(url) + "': " + problem
                + ". Write jdbc:governed: followed by the database driver's own URL without its 'jdbc:', "
                + "for example jdbc:governed:postgresql://localhost:5432/app or jdbc:governed:h2:mem:app",
                "08001");
    }
}
