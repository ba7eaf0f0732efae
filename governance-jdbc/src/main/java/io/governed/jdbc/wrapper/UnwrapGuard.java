package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.StatementAudit;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Who may have the driver's own object behind a governed one. Unwrapping a governed object to a type
 * it is itself an instance of (its JDBC interfaces, {@code Wrapper}, the governed class) gives the
 * governed object. Anything else would be the driver's object, which runs SQL past the gate, the
 * masks and the audit (pgjdbc's {@code PGConnection} with its COPY and large-object APIs, say): it is
 * refused (SQLState 42501) unless {@code governed.unwrap=allow}, and then each unwrap is audited.
 * No list of dangerous interfaces is kept: every type the governed object is not is refused.
 */
public final class UnwrapGuard {
    /** The JDBC interfaces a governed object is named by in messages, most specific first. */
    private static final List<Class<?>> NAMED = List.of(Connection.class, CallableStatement.class, PreparedStatement.class,
            Statement.class, ResultSet.class, DatabaseMetaData.class, java.sql.ResultSetMetaData.class,
            java.sql.ParameterMetaData.class, Array.class, DataSource.class);

    private UnwrapGuard() {
    }

    /** The identity the unwrap is recorded for. */
    @FunctionalInterface
    public interface CurrentIdentity {
        Identity get() throws SQLException;
    }

    /**
     * {@code governed} as {@code iface} when it is one; otherwise the delegate's object, when the
     * governance allows unwrapping (the unwrap is then audited).
     *
     * @param governance   the governance whose {@code governed.unwrap} decides and whose audit records it
     * @param connectionId the governed connection's id, or {@code null} (a data source)
     * @param identity     the identity current now
     * @throws SQLException 42501 when refused, 28000 when allowed but there is no identity to record,
     *                      or the audit's refusal when the event cannot be taken
     */
    public static <T> T unwrap(Object governed, Object delegate, Class<T> iface, Governance governance,
                               String connectionId, CurrentIdentity identity) throws SQLException {
        Objects.requireNonNull(iface, "iface");
        if (iface.isInstance(governed)) {
            return iface.cast(governed);
        }
        StatementAudit audit = governance.audit();
        if (!governance.unwrapAllowed()) {
            SQLException refusal = refusal(governed, iface);
            try {
                audit.unwrap(connectionId, identityOrNull(identity), iface.getName(), false);
            } catch (SQLException | RuntimeException unrecorded) {
                refusal.addSuppressed(unrecorded); // refused either way
            }
            throw refusal;
        }
        Identity current = identity.get();
        if (current == null) {
            throw GovernanceException.failedClosed("No identity to record the unwrap of this governed " + kind(governed)
                    + " to " + iface.getName() + " for: set governed.principal, or unwrap inside IdentityContext.runAs(identity, work)",
                    GovernanceException.SQLSTATE_NO_IDENTITY, null);
        }
        audit.beforeExecution(); // in required mode, nothing is handed out that the audit cannot record
        T raw = unwrapped(delegate, iface);
        audit.unwrap(connectionId, current, iface.getName(), true);
        return raw;
    }

    /** What the driver's object is as {@code iface}: its own {@code unwrap} answer, or itself (an array, say). */
    private static <T> T unwrapped(Object delegate, Class<T> iface) throws SQLException {
        if (delegate instanceof Wrapper wrapper) {
            return wrapper.unwrap(iface);
        }
        if (iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        throw new SQLException("The driver's " + delegate.getClass().getName() + " is not a " + iface.getName(), "22023");
    }

    /** True where {@link #unwrap} would succeed: {@code governed} is an {@code iface}, or unwrapping is allowed and the delegate is one. */
    public static boolean isWrapperFor(Object governed, Object delegate, Class<?> iface, Governance governance) throws SQLException {
        if (iface.isInstance(governed)) {
            return true;
        }
        if (governance == null || !governance.unwrapAllowed()) {
            return false;
        }
        return delegate instanceof Wrapper wrapper ? wrapper.isWrapperFor(iface) : iface.isInstance(delegate);
    }

    /** The refusal of unwrapping {@code governed} to {@code iface}. */
    static GovernanceException refusal(Object governed, Class<?> iface) {
        return GovernanceException.failedClosed("Unwrapping this governed " + kind(governed) + " to " + iface.getName()
                + " is refused: the driver's own object would run SQL without the governance gate, masks and audit. "
                + "Use the java.sql interfaces it implements; trusted code that needs the driver's own API can be allowed "
                + "with the setting governed.unwrap=allow, and every such unwrap is then audited",
                GovernanceException.SQLSTATE_DENIED, null);
    }

    private static Identity identityOrNull(CurrentIdentity identity) {
        try {
            return identity.get();
        } catch (SQLException | RuntimeException none) {
            return null;
        }
    }

    private static String kind(Object governed) {
        for (Class<?> named : NAMED) {
            if (named.isInstance(governed)) {
                return named.getSimpleName();
            }
        }
        return governed.getClass().getSimpleName();
    }
}
