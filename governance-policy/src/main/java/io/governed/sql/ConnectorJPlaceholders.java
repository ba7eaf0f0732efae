package io.governed.sql;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Counts the {@code ?} of a text that MariaDB Connector/J takes for parameter markers, by asking the driver's own
 * client-side parser ({@code org.mariadb.jdbc.util.ClientParser} of Connector/J 3), looked up once by reflection so
 * that this module needs no driver to load.
 *
 * <p>Unless {@code useServerPrepStmts=true}, Connector/J prepares a statement in the client: it finds the markers
 * itself and, at each execution, writes each parameter's value into the text there as a quoted literal, and sends the
 * server that text. Its parser is not the server's: it reads every {@code /*}{@code … *}{@code /} as a comment,
 * executable {@code /*!} and {@code /*M!} comments included, whose content the server runs as SQL (and the analysis
 * lexes as code). In {@code SELECT 1 /*! , '*}{@code / , ? , ' *}{@code /} the server and the analysis read a string
 * holding the {@code ?}, the driver a comment and then a marker: the quotes of the value it writes there end the
 * server's string, and the value runs as SQL that no one checked ({@code , (SELECT ssn FROM customers) AS s,} read in
 * clear, or {@code + 0 OR 1=1 OR} in a bounded {@code WHERE}).
 *
 * <p>Comparing counts is enough: a {@code ?} the analysis reads as a marker and the driver does not reaches the server
 * in the text of a plain query, where it is a syntax error, so two readings with as many markers each put them at the
 * same places or fail. Asking the driver itself, rather than a model of it, keeps the check right for the driver
 * version the application runs.
 */
final class ConnectorJPlaceholders {
    /** {@code ClientParser.parameterParts(String, boolean)}, or {@code null} when no Connector/J 3 is there. */
    private static final MethodHandle PARAMETER_PARTS;
    /** {@code ClientParser.getParamCount()}, or {@code null}. */
    private static final MethodHandle PARAMETER_COUNT;

    static {
        MethodHandle parts = null;
        MethodHandle count = null;
        try {
            Class<?> parser = parserClass();
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            parts = lookup.findStatic(parser, "parameterParts", MethodType.methodType(parser, String.class, boolean.class));
            count = lookup.findVirtual(parser, "getParamCount", MethodType.methodType(int.class));
        } catch (ReflectiveOperationException | LinkageError | SecurityException absent) {
            parts = null; // no Connector/J 3 beside this class: see count
            count = null;
        }
        PARAMETER_PARTS = parts;
        PARAMETER_COUNT = count;
    }

    private ConnectorJPlaceholders() {
    }

    /** The driver's parser class, from this class's loader or else the thread's context loader (an application server's). */
    private static Class<?> parserClass() throws ClassNotFoundException {
        String name = "org.mariadb.jdbc.util.ClientParser";
        try {
            return Class.forName(name, false, ConnectorJPlaceholders.class.getClassLoader());
        } catch (ClassNotFoundException notBeside) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context == null) {
                throw notBeside;
            }
            return Class.forName(name, false, context);
        }
    }

    /** Whether the driver's parser can be asked ({@link #count} does not answer -1). */
    static boolean available() {
        return PARAMETER_PARTS != null;
    }

    /**
     * The number of parameter markers Connector/J finds in {@code sql}, with backslashes in strings read as
     * characters when {@code noBackslashEscapes} (the session's {@code NO_BACKSLASH_ESCAPES} SQL mode, which the driver
     * learns from the server); -1 when no Connector/J 3 is there to ask, or it fails on the text.
     */
    static int count(String sql, boolean noBackslashEscapes) {
        if (PARAMETER_PARTS == null) {
            return -1;
        }
        try {
            return (int) PARAMETER_COUNT.invoke(PARAMETER_PARTS.invoke(sql, noBackslashEscapes));
        } catch (Throwable failed) {
            if (failed instanceof Error error && !(failed instanceof LinkageError)) {
                throw error;
            }
            return -1;
        }
    }
}
