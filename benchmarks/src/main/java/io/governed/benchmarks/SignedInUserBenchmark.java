package io.governed.benchmarks;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import io.governed.spring.boot.SpringSecurityIdentityResolver;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Spring web application's read with masks on H2: 20 rows × 5 columns (two of them masked for the reader) through a
 * kept prepared statement, read with {@code getString}, as the signed-in user of Spring Security (a JWT authentication
 * with a role and claims, resolved by the starter's {@link SpringSecurityIdentityResolver}: {@code signedInUser}) or as
 * the connection's own identity, the same user and group, with no resolver ({@code connectionIdentity}). With masks,
 * the statement and every getter ask for the reader's identity; with a resolver, they ask it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignedInUserBenchmark {
    private static final String POLICY = String.join("\n",
            "version: 1",
            "default: deny",
            "rules:",
            "  - { id: analysts-read, effect: permit, principals: { groups: [ANALYST] }, actions: [select], resources: [\"*\"] }",
            "classification:",
            "  auto-detect: false",
            "  tags:",
            "    pii.email: [\"*.email\"]",
            "    pii.ssn: [\"*.ssn\"]",
            "masks:",
            "  - { id: mask-email, columns: { tags: [pii.email] }, function: email }",
            "  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }",
            "");

    /** {@code signedInUser} or {@code connectionIdentity}. */
    @Param({"connectionIdentity", "signedInUser"})
    public String variant;

    private Connection keeper;
    private Connection connection;
    private PreparedStatement select;

    @Setup(Level.Trial)
    public void open() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:signed-in-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keeper = h2.getConnection();
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn VARCHAR(11), city VARCHAR(40))");
            s.execute("INSERT INTO customers SELECT X, 'Customer ' || X, 'user' || X || '@example.com', '123-45-' || LPAD(X, 4, '0'),"
                    + " 'City ' || MOD(X, 50) FROM SYSTEM_RANGE(1, 1000)");
        }
        Governance.Builder governance = Governance.builder().policy(PolicyLoader.fromString("signed-in.yaml", POLICY)).withoutAudit();
        if (variant.equals("signedInUser")) {
            Jwt jwt = Jwt.withTokenValue("token").header("alg", "RS256").claim("sub", "alice").claim("tenant", "acme")
                    .claim("email", "alice@example.com").claim("scope", "orders.read orders.write")
                    .claim("iss", "https://idp.example.test").claim("aud", List.of("api"))
                    .claim("iat", Instant.now()).claim("exp", Instant.now().plusSeconds(3600)).build();
            // the benchmark's thread is the request's: Spring Security keeps the context per thread
            SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt,
                    AuthorityUtils.createAuthorityList("ROLE_ANALYST", "SCOPE_orders.read", "SCOPE_orders.write")));
            governance.identityResolver(new SpringSecurityIdentityResolver());
        } else if (variant.equals("connectionIdentity")) {
            governance.defaultIdentity(Identity.builder("alice").groups("ANALYST").build());
        } else {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        connection = new GovernedDataSource(h2, governance.build()).getConnection();
        select = connection.prepareStatement("SELECT id, name, email, ssn, city FROM customers WHERE id BETWEEN ? AND ?");
        select.setInt(1, 101);
        select.setInt(2, 120);
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            if (!rs.getString(4).startsWith("*")) {
                throw new IllegalStateException("the ssn is not masked for the reader: the benchmark measures nothing");
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        SecurityContextHolder.clearContext();
        connection.close();
        keeper.close();
    }

    @Benchmark
    public void read(Blackhole bh) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                for (int column = 1; column <= 5; column++) {
                    bh.consume(rs.getString(column));
                }
            }
        }
    }
}
