package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads one masked cell outside any scope and again inside the first scope its copy of the classes ever opens:
 * {@link FirstScopeTest} runs it in a class loader of its own, where no scope was opened before.
 */
public final class FirstScopeProbe {
    private FirstScopeProbe() {
    }

    /**
     * Whether a scope was opened before, then the cell outside any scope, inside the first one (opened {@code how}:
     * {@code runAs}, {@code open}, or {@code set} as context propagation sets it), and after it.
     */
    public static List<String> read(String how) throws Exception {
        List<String> seen = new ArrayList<>();
        java.lang.reflect.Field anyScope = IdentityContext.class.getDeclaredField("anyScope");
        anyScope.setAccessible(true);
        seen.add("scope opened before: " + anyScope.getBoolean(null));
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:first-scope-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE people (id INT PRIMARY KEY, ssn VARCHAR(20))");
            s.execute("INSERT INTO people VALUES (1, '219-45-6789')");
        }
        String policy = """
                version: 1
                default: deny
                classification:
                  auto-detect: false
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - { id: read, effect: permit, actions: [select], resources: ["*"] }
                masks:
                  - id: mask-ssn
                    columns: { tags: [pii.ssn] }
                    function: partial
                    keep-last: 4
                    unless: { groups: [ssn-readers] }
                """;
        Governance governance = Governance.builder().policy(PolicyLoader.fromString("first-scope.yaml", policy)).withoutAudit()
                .defaultIdentity(Identity.builder("billing").groups("ssn-readers").build()).build();
        Identity analyst = Identity.builder("ana").groups("analysts").build();
        try (Connection c = new GovernedDataSource(h2, governance).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssn FROM people")) {
            rs.next();
            seen.add(rs.getString(1));
            switch (how) {
                case "runAs" -> seen.add(IdentityContext.runAs(analyst, () -> rs.getString(1)));
                case "open" -> {
                    try (IdentityContext.Scope scope = IdentityContext.open(analyst)) {
                        seen.add(rs.getString(1));
                    }
                }
                case "set" -> {
                    IdentityContext.set(analyst);
                    try {
                        seen.add(rs.getString(1));
                    } finally {
                        IdentityContext.set(null);
                    }
                }
                default -> throw new IllegalArgumentException(how);
            }
            seen.add(rs.getString(1));
        }
        return seen;
    }
}
