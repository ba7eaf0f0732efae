package io.governed.jdbc.connect;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.wrapper.GovernedConnection;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.tomcat.jdbc.pool.Validator;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tomcat JDBC's and Commons DBCP2's pools wrapped by {@link GovernedDataSource}: each setting that runs something on
 * the raw connection is first shown to act through the pool alone (the row of {@code victim} is deleted, read back
 * through a raw connection), and through the governed data source the borrowing is refused (08001) naming the
 * setting, never its value, with the row still there. Benign pools (a plain URL, a ping as their validation query)
 * serve governed connections.
 */
class DataSourceSettingsPoolsTest {
    private static final Identity MALLORY = Identity.builder("mallory").kind(IdentityKind.SERVICE).build();
    private static final String DELETE = "DELETE FROM victim";
    /** A query that deletes: what a pool running validation with executeQuery would run. */
    private static final String DELETING_QUERY = "SELECT COUNT(*) FROM OLD TABLE (DELETE FROM victim)";

    private final Governance governance = Governance.builder().withoutAudit().defaultIdentity(MALLORY).build();
    private H2Victim victim;
    private String url;

    @BeforeEach
    void createVictim() throws SQLException {
        victim = new H2Victim("ds_pools");
        url = "jdbc:" + victim.database;
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        victim.close();
    }

    // Tomcat JDBC

    @Test
    void aTomcatPoolWhoseInitSqlDeletesIsRefusedAndTheRowStays() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat(url);
        pool.setInitSQL(DELETE);
        assertRefusedThenRunsRaw(pool, "initSQL", "runs a statement on each new connection");
    }

    @Test
    void aTomcatValidationQueryOtherThanAPingIsRefusedAndAPingIsNot() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat(url);
        pool.setValidationQuery(DELETE);
        pool.setTestOnConnect(true);
        pool.setTestOnBorrow(true);
        assertRefusedThenRunsRaw(pool, "validationQuery", "other than a ping");

        freshVictim();
        org.apache.tomcat.jdbc.pool.DataSource pinging = tomcat(url);
        pinging.setValidationQuery("select 1");
        pinging.setTestOnConnect(true);
        pinging.setTestOnBorrow(true);
        assertServes(pinging);
    }

    @Test
    void aTomcatValidatorIsRefusedSinceItIsCodeOnTheRawConnection() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat(url);
        pool.setValidator(new DeletingValidator());
        pool.setTestOnConnect(true);
        pool.setTestOnBorrow(true);
        pool.setValidationInterval(0);
        assertRefusedThenRunsRaw(pool, "validator", "runs code of its own");

        org.apache.tomcat.jdbc.pool.DataSource named = tomcat(url);
        named.setValidatorClassName(DeletingValidator.class.getName());
        assertRefused(new GovernedDataSource(named, governance), "validatorClassName", "runs code of its own");
        named.close();
    }

    @Test
    void aTomcatInterceptorOfTheApplicationsIsRefusedAndTheHarmlessOnesAreNot() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat(url);
        RawStatementInterceptor.statement = DELETE;
        pool.setJdbcInterceptors("StatementFinalizer;" + RawStatementInterceptor.class.getName());
        assertRefusedThenRunsRaw(pool, "jdbcInterceptors", "interceptor other than");

        org.apache.tomcat.jdbc.pool.DataSource state = tomcat(url);
        state.setJdbcInterceptors("ConnectionState");
        assertRefused(new GovernedDataSource(state, governance), "jdbcInterceptors", "interceptor other than");
        state.close();

        freshVictim();
        org.apache.tomcat.jdbc.pool.DataSource harmless = tomcat(url);
        harmless.setJdbcInterceptors("StatementFinalizer(trace=true);"
                + "org.apache.tomcat.jdbc.pool.interceptor.ResetAbandonedTimer");
        assertServes(harmless);
    }

    @Test
    void driverSettingsInATomcatPoolsUrlOrConnectionPropertiesAreRefused() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat(url + ";INIT=" + DELETE);
        assertRefusedThenRunsRaw(pool, "'INIT'", "in Tomcat JDBC's url");

        freshVictim();
        org.apache.tomcat.jdbc.pool.DataSource properties = tomcat(url);
        properties.setDriverClassName("org.h2.Driver");
        properties.setConnectionProperties("INIT=" + DELETE);
        assertRefusedThenRunsRaw(properties, "'INIT'", "in Tomcat JDBC's dbProperties");
    }

    @Test
    void aTomcatPoolAroundADataSourceIsReadThroughItAndJndiIsRefused() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource();
        pool.setDataSource(h2(url + ";INIT=" + DELETE));
        assertRefusedThenRunsRaw(pool, "'INIT'", "in the H2 data source's URL");

        org.apache.tomcat.jdbc.pool.DataSource jndi = new org.apache.tomcat.jdbc.pool.DataSource();
        jndi.setDataSourceJNDI("java:comp/env/jdbc/app");
        assertThatThrownBy(() -> new GovernedDataSource(jndi, governance).getConnection().close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("Tomcat JDBC's dataSourceJNDI")
                .hasMessageContaining("governed.connect.unlisted-data-source=allow");
    }

    @Test
    void aTomcatSettingAddedAfterTheFirstBorrowingIsRefusedAtTheNext() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat(url);
        GovernedDataSource governed = new GovernedDataSource(pool, governance);
        try (Connection c = governed.getConnection()) {
            assertThat(c).isInstanceOf(GovernedConnection.class);
        }
        pool.setInitSQL(DELETE);
        assertRefused(governed, "initSQL", "runs a statement on each new connection");
        pool.close();
        assertThat(victim.rows()).isEqualTo(1);
    }

    @Test
    void aBenignTomcatPoolServesGovernedConnections() throws SQLException {
        org.apache.tomcat.jdbc.pool.DataSource pool = tomcat(url + ";LOCK_TIMEOUT=5000");
        pool.setDriverClassName("org.h2.Driver");
        pool.setValidationQuery("SELECT 1");
        pool.setTestOnBorrow(true);
        pool.setDefaultAutoCommit(true);
        pool.setDefaultReadOnly(false);
        pool.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        pool.setJdbcInterceptors("StatementFinalizer");
        assertServes(pool);
    }

    // Commons DBCP2

    @Test
    void aDbcpPoolWhoseConnectionInitSqlsDeleteIsRefusedAndTheRowStays() throws SQLException {
        BasicDataSource pool = dbcp(url);
        pool.setConnectionInitSqls(List.of(DELETE));
        assertRefusedThenRunsRaw(pool, "connectionInitSqls", "runs statements on each new connection");
    }

    @Test
    void aDbcpValidationQueryOtherThanAPingIsRefusedAndAPingIsNot() throws SQLException {
        BasicDataSource pool = dbcp(url);
        pool.setValidationQuery(DELETING_QUERY);
        pool.setTestOnBorrow(true);
        assertRefusedThenRunsRaw(pool, "validationQuery", "other than a ping");

        freshVictim();
        BasicDataSource pinging = dbcp(url);
        pinging.setValidationQuery("SELECT 1");
        pinging.setTestOnBorrow(true);
        assertServes(pinging);
    }

    @Test
    void driverSettingsInADbcpPoolsUrlOrConnectionPropertiesAreRefused() throws SQLException {
        BasicDataSource pool = dbcp(url + ";INIT=" + DELETE);
        assertRefusedThenRunsRaw(pool, "'INIT'", "in DBCP's url");

        freshVictim();
        BasicDataSource properties = dbcp(url);
        properties.setDriverClassName("org.h2.Driver");
        properties.addConnectionProperty("INIT", DELETE);
        assertRefusedThenRunsRaw(properties, "'INIT'", "in DBCP's connectionProperties");
    }

    @Test
    void aDbcpConnectionFactoryOrEvictionPolicyOfItsOwnIsRefused() throws SQLException {
        BasicDataSource factory = dbcp(url);
        factory.setConnectionFactoryClassName("org.apache.commons.dbcp2.DriverConnectionFactory");
        assertRefused(new GovernedDataSource(factory, governance), "connectionFactoryClassName", "code of its own");
        factory.close();

        BasicDataSource eviction = dbcp(url);
        eviction.setEvictionPolicyClassName("org.apache.commons.pool2.impl.DefaultEvictionPolicy");
        assertServes(eviction);
        BasicDataSource own = dbcp(url);
        own.setEvictionPolicyClassName(DataSourceSettingsPoolsTest.class.getName());
        assertRefused(new GovernedDataSource(own, governance), "evictionPolicyClassName", "eviction policy other than");
        own.close();
    }

    @Test
    void aDbcpSubclassIsNotReadAsTheClassItExtends() throws SQLException {
        BasicDataSource subclass = new BasicDataSource() {
        };
        subclass.setUrl(url);
        subclass.setUsername("sa");
        assertThatThrownBy(() -> new GovernedDataSource(subclass, governance).getConnection().close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("governed.connect.unlisted-data-source=allow");
        subclass.close();
    }

    @Test
    void aStartedDbcpPoolIsReadAsItRunsNotAsItsSettingsWereChangedSince() throws SQLException {
        BasicDataSource pool = dbcp(url);
        pool.setConnectionInitSqls(List.of(DELETE));
        try (Connection first = pool.getConnection()) { // starts the pool, whose first connection deletes the row
            pool.setConnectionInitSqls(List.of());
            try (Connection raw = java.sql.DriverManager.getConnection(url, "sa", ""); Statement s = raw.createStatement()) {
                s.execute("INSERT INTO victim VALUES (1)");
            }
            assertRefused(new GovernedDataSource(pool, governance), "connectionInitSqls", "in force since its pool started");
            assertThat(victim.rows()).isEqualTo(1);
            try (Connection second = pool.getConnection()) {
                assertThat(victim.rows()).as("the row, after a new connection of the started pool").isZero();
            }
        } finally {
            pool.close();
        }
    }

    @Test
    void aDbcpWhoseConnectionPropertiesCannotBeReadIsRefused() throws Exception {
        // a BasicDataSource of a version that keeps its connection properties elsewhere than the field read
        String source = "package org.apache.commons.dbcp2;\n"
                + "public class BasicDataSource implements javax.sql.DataSource {\n"
                + "  private final javax.sql.DataSource inner;\n"
                + "  private final java.util.Properties properties = new java.util.Properties();\n"
                + "  public BasicDataSource(javax.sql.DataSource inner) { this.inner = inner; properties.setProperty(\"INIT\", \"" + DELETE + "\"); }\n"
                + "  public java.sql.Connection getConnection() throws java.sql.SQLException { return inner.getConnection(); }\n"
                + "  public java.sql.Connection getConnection(String u, String p) throws java.sql.SQLException { return inner.getConnection(u, p); }\n"
                + "  public java.io.PrintWriter getLogWriter() { return null; }\n"
                + "  public void setLogWriter(java.io.PrintWriter out) { }\n"
                + "  public void setLoginTimeout(int seconds) { }\n"
                + "  public int getLoginTimeout() { return 0; }\n"
                + "  public java.util.logging.Logger getParentLogger() { return java.util.logging.Logger.getGlobal(); }\n"
                + "  public <T> T unwrap(Class<T> iface) throws java.sql.SQLException { throw new java.sql.SQLException(\"no\"); }\n"
                + "  public boolean isWrapperFor(Class<?> iface) { return false; }\n"
                + "  public String getUrl() { return \"" + url + "\"; }\n"
                + "  public Object getDriver() { return null; }\n"
                + "  public String getDriverClassName() { return \"org.h2.Driver\"; }\n"
                + "  public ClassLoader getDriverClassLoader() { return null; }\n"
                + "  public String getConnectionFactoryClassName() { return null; }\n"
                + "  public String getEvictionPolicyClassName() { return null; }\n"
                + "  public java.util.List<String> getConnectionInitSqls() { return java.util.List.of(); }\n"
                + "  public String getValidationQuery() { return null; }\n"
                + "  public Object getConnectionPool() { return null; }\n"
                + "}\n";
        DataSource moved = (DataSource) compile("org.apache.commons.dbcp2.BasicDataSource", source)
                .getConstructor(DataSource.class).newInstance(h2(url + ";INIT=" + DELETE));
        assertThatThrownBy(() -> new GovernedDataSource(moved, governance).getConnection().close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("connection properties")
                .hasMessageContaining("could not be read")
                .hasMessageNotContaining("DELETE");
        assertThat(victim.rows()).isEqualTo(1);
    }

    @Test
    void aBenignDbcpPoolServesGovernedConnections() throws SQLException {
        BasicDataSource pool = dbcp(url + ";LOCK_TIMEOUT=5000");
        pool.setDriverClassName("org.h2.Driver");
        pool.addConnectionProperty("ACCESS_MODE_DATA", "rw");
        pool.setValidationQuery("SELECT 1");
        pool.setDefaultSchema("PUBLIC");
        pool.setDefaultQueryTimeout(30);
        pool.setDefaultAutoCommit(true);
        pool.setPoolPreparedStatements(true);
        assertServes(pool);
    }

    @Test
    void aPoolOfGovernedUrlConnectionsMayRunItsInitStatementsSinceTheGateSeesThem() throws SQLException {
        String governedUrl = "jdbc:governed:" + victim.database;
        BasicDataSource pool = dbcp(governedUrl);
        pool.addConnectionProperty("governed.principal", "pool");
        pool.addConnectionProperty("governed.kind", "service");
        pool.addConnectionProperty("governed.audit", "memory");
        pool.setConnectionInitSqls(List.of(DELETE));
        GovernedDataSource governed = new GovernedDataSource(pool, governance);
        assertThatThrownBy(() -> governed.getConnection().close()).satisfies(e -> assertThat(sqlStates(e)).contains("42501"));
        pool.close();
        assertThat(victim.rows()).as("the gate beneath the pool refused its init statement").isEqualTo(1);
    }

    /** A new database with its row, for the part of a test after an attack shown to delete it. */
    private void freshVictim() throws SQLException {
        victim.close();
        victim = new H2Victim("ds_pools");
        url = "jdbc:" + victim.database;
    }

    private org.apache.tomcat.jdbc.pool.DataSource tomcat(String jdbcUrl) {
        org.apache.tomcat.jdbc.pool.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource();
        pool.setUrl(jdbcUrl);
        pool.setUsername("sa");
        pool.setInitialSize(0);
        pool.setMaxActive(2);
        return pool;
    }

    private static BasicDataSource dbcp(String jdbcUrl) {
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(jdbcUrl);
        pool.setUsername("sa");
        pool.setMaxTotal(2);
        return pool;
    }

    private static JdbcDataSource h2(String jdbcUrl) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(jdbcUrl);
        h2.setUser("sa");
        return h2;
    }

    /**
     * Through the governed data source the borrowing is refused and the row stays; then the same pool, borrowed from
     * directly, deletes it: the setting would have acted on the raw connection.
     */
    private void assertRefusedThenRunsRaw(DataSource pool, String setting, String why) throws SQLException {
        assertRefused(new GovernedDataSource(pool, governance), setting, why);
        assertThat(victim.rows()).as("the row, after the governed borrowing was refused").isEqualTo(1);
        try (Connection raw = pool.getConnection()) {
            assertThat(raw).isNotInstanceOf(GovernedConnection.class);
        } catch (SQLException e) {
            // a pool may report the failed validation of a connection whose validation deleted the row
        }
        assertThat(victim.rows()).as("the row, after borrowing from the pool directly").isZero();
        close(pool);
    }

    private void assertServes(DataSource pool) throws SQLException {
        GovernedDataSource governed = new GovernedDataSource(pool, governance);
        for (int borrowing = 0; borrowing < 3; borrowing++) {
            try (Connection c = governed.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM victim")) {
                assertThat(c).isInstanceOf(GovernedConnection.class);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        close(pool);
        assertThat(victim.rows()).isEqualTo(1);
    }

    private static void assertRefused(DataSource governed, String setting, String why) {
        assertThatThrownBy(() -> governed.getConnection().close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("Connection refused")
                .hasMessageContaining(setting)
                .hasMessageContaining(why)
                .hasMessageContaining("jdbc:governed:")
                .hasMessageNotContaining("DELETE")
                .hasMessageNotContaining(RawStatementInterceptor.class.getSimpleName())
                .hasMessageNotContaining(DeletingValidator.class.getSimpleName());
    }

    private static void close(DataSource pool) {
        try {
            Method close = pool.getClass().getMethod("close");
            close.invoke(pool);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> sqlStates(Throwable failure) {
        List<String> states = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                states.add(e.getSQLState());
            }
        }
        return states;
    }

    /** The class compiled from {@code source}, defined by a class loader of its own. */
    private static Class<?> compile(String name, String source) throws Exception {
        javax.tools.JavaCompiler compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
        java.util.Map<String, java.io.ByteArrayOutputStream> classes = new java.util.HashMap<>();
        javax.tools.StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, null);
        javax.tools.JavaFileManager files = new javax.tools.ForwardingJavaFileManager<>(standard) {
            @Override
            public javax.tools.JavaFileObject getJavaFileForOutput(Location location, String className,
                    javax.tools.JavaFileObject.Kind kind, javax.tools.FileObject sibling) {
                return new javax.tools.SimpleJavaFileObject(java.net.URI.create("mem:///" + className.replace('.', '/')
                        + kind.extension), kind) {
                    @Override
                    public java.io.OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, k -> new java.io.ByteArrayOutputStream());
                    }
                };
            }
        };
        javax.tools.JavaFileObject unit = new javax.tools.SimpleJavaFileObject(
                java.net.URI.create("string:///" + name.replace('.', '/') + ".java"), javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of(); // the source needs the JDK alone
        java.io.StringWriter problems = new java.io.StringWriter();
        assertThat(compiler.getTask(problems, files, null, options, null, List.of(unit)).call())
                .as("compiled: %s", problems).isTrue();
        ClassLoader loader = new ClassLoader(DataSourceSettingsPoolsTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
                if (classes.containsKey(className)) {
                    synchronized (getClassLoadingLock(className)) {
                        Class<?> loaded = findLoadedClass(className);
                        if (loaded == null) {
                            byte[] bytes = classes.get(className).toByteArray();
                            loaded = defineClass(className, bytes, 0, bytes.length);
                        }
                        return loaded;
                    }
                }
                return super.loadClass(className, resolve);
            }
        };
        return loader.loadClass(name);
    }

    /** A validator of the application's own: it is handed the raw connection. */
    public static final class DeletingValidator implements Validator {
        @Override
        public boolean validate(Connection connection, int validateAction) {
            try (Statement s = connection.createStatement()) {
                s.execute(DELETE);
                return true;
            } catch (SQLException e) {
                return false;
            }
        }
    }
}
