package io.governed.jdbc.wrapper;

import io.governed.identity.Identity;
import io.governed.jdbc.identity.IdentityContext;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/*
 * What a routine hands back in an OUT parameter cannot be traced to the columns it read, so it cannot be
 * masked. Every OUT parameter getter of CallableStatement must refuse (42501) for a caller any mask applies
 * to, before the driver is asked, and must be the governed wrapper's own (a getter added to the interface
 * and not overridden would hand values out unchecked).
 */
class CallableStatementOutParametersTest {
    private static final Identity ANALYST = Identity.builder("ana").groups("analysts").build();
    private static final Identity PII_READER = Identity.builder("pia").groups("analysts", "pii-readers").build();

    /** Every getter CallableStatement declares: the OUT parameter getters, by index and by name. */
    private static List<Method> outGetters() {
        List<Method> getters = new ArrayList<>();
        for (Method m : CallableStatement.class.getDeclaredMethods()) {
            if (m.getName().startsWith("get") && !Modifier.isStatic(m.getModifiers())) {
                getters.add(m);
            }
        }
        return getters;
    }

    @Test
    void everyOutParameterGetterIsTheGovernedWrappersOwn() throws NoSuchMethodException {
        List<Method> getters = outGetters();
        assertThat(getters).hasSizeGreaterThan(50);
        for (Method m : getters) {
            assertThat(GovernedCallableStatement.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass())
                    .as("%s%s", m.getName(), Arrays.toString(m.getParameterTypes()))
                    .isEqualTo(GovernedCallableStatement.class);
        }
    }

    @Test
    void aCallerMasksApplyToIsRefusedByEveryOutParameterGetterAndOthersReachTheDriver() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:out-params-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, ssn VARCHAR(11))");
        }
        Governance governance = Governance.builder().withoutAudit().policy(PolicyLoader.fromString("out.yaml", """
                version: 1
                classification: { tags: { pii.ssn: ["*.ssn"] } }
                rules: [{ id: analysts, effect: permit, principals: { groups: [analysts] }, actions: ["*"] }]
                masks: [{ id: mask-ssn, columns: { tags: [pii.ssn] }, function: redact, unless: { groups: [pii-readers] } }]
                """)).build();
        GovernedDataSource app = new GovernedDataSource(h2, governance);
        try (Connection c = app.getConnection()) {
            IdentityContext.runAs(ANALYST, () -> {
                try (CallableStatement call = c.prepareCall("CALL ABS(1)")) {
                    call.execute();
                    for (Method getter : outGetters()) {
                        SQLException refused = invoke(call, getter);
                        assertThat((Object) refused).as("%s%s", getter.getName(), Arrays.toString(getter.getParameterTypes())).isNotNull();
                        assertThat(refused.getSQLState()).isEqualTo("42501");
                        assertThat(refused.getMessage()).contains("OUT parameters").contains("ana");
                    }
                }
                return null;
            });
            IdentityContext.runAs(PII_READER, () -> {
                try (CallableStatement call = c.prepareCall("CALL ABS(1)")) {
                    call.execute();
                    for (Method getter : outGetters()) {
                        SQLException fromDriver = invoke(call, getter);
                        // no OUT parameter was registered: H2 answers, not the governance
                        assertThat(fromDriver == null || !"42501".equals(fromDriver.getSQLState()))
                                .as("%s reaches the driver", getter.getName()).isTrue();
                    }
                }
                return null;
            });
        }
    }

    /** Calls {@code getter} with parameter 1 (or "p") and harmless further arguments; returns what it threw, or null. */
    private static SQLException invoke(CallableStatement call, Method getter) {
        Class<?>[] types = getter.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = types[i] == int.class ? (Object) 1
                    : types[i] == String.class ? "p"
                    : types[i] == Calendar.class ? Calendar.getInstance()
                    : types[i] == Class.class ? String.class
                    : types[i] == Map.class ? Map.of()
                    : null;
        }
        try {
            getter.invoke(call, args);
            return null;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                return sql;
            }
            fail(getter.getName() + " threw " + e.getCause());
            return null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
