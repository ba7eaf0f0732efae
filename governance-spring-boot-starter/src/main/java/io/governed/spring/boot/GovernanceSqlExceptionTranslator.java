package io.governed.spring.boot;

import io.governed.jdbc.GovernanceException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

import java.sql.SQLException;

/**
 * Translates a refusal by governance, wherever it is in the cause chain, into
 * {@link GovernanceDeniedDataAccessException}; anything else goes to the translator it wraps (or is left
 * untranslated when there is none). Without it, Spring would take SQLState class {@code 42} for bad grammar.
 */
public class GovernanceSqlExceptionTranslator implements SQLExceptionTranslator {
    private final SQLExceptionTranslator delegate;

    /** @param delegate the translator for every other exception; may be {@code null} */
    public GovernanceSqlExceptionTranslator(SQLExceptionTranslator delegate) {
        this.delegate = delegate;
    }

    @Override
    public DataAccessException translate(String task, String sql, SQLException ex) {
        GovernanceException refusal = refusal(ex);
        if (refusal != null) {
            return new GovernanceDeniedDataAccessException(task, refusal);
        }
        return delegate == null ? null : delegate.translate(task, sql, ex);
    }

    /** The governance refusal in the cause or next-exception chain of {@code ex}, or null. */
    static GovernanceException refusal(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GovernanceException g) {
                return g;
            }
            if (t instanceof SQLException sql && sql.getNextException() instanceof GovernanceException g) {
                return g;
            }
        }
        return null;
    }

    public SQLExceptionTranslator delegate() {
        return delegate;
    }
}
