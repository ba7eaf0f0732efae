package io.governed.jdbc.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The server a span names is read from the connection's URL, never with its credentials or parameters. */
class ServerEndpointTest {

    @Test
    void hostAndPortOfTheCommonUrlForms() {
        assertThat(ServerEndpoint.fromUrl("jdbc:postgresql://db.internal:5433/sales?user=app&password=s3cret"))
                .isEqualTo(new ServerEndpoint(null, "db.internal", 5433));
        assertThat(ServerEndpoint.fromUrl("jdbc:mariadb://10.0.0.7/test")).isEqualTo(new ServerEndpoint(null, "10.0.0.7", null));
        assertThat(ServerEndpoint.fromUrl("jdbc:mysql://app:pw@primary:3306,replica:3306/shop"))
                .isEqualTo(new ServerEndpoint(null, "primary", 3306));
        assertThat(ServerEndpoint.fromUrl("jdbc:sqlserver://mssql:1433;databaseName=crm;password=x"))
                .isEqualTo(new ServerEndpoint(null, "mssql", 1433));
        assertThat(ServerEndpoint.fromUrl("jdbc:oracle:thin:@ora.example:1521/ORCLPDB1"))
                .isEqualTo(new ServerEndpoint(null, "ora.example", 1521));
        assertThat(ServerEndpoint.fromUrl("jdbc:h2:tcp://h2host:9092/~/data")).isEqualTo(new ServerEndpoint(null, "h2host", 9092));
    }

    @Test
    void embeddedDatabasesAndUnreadableUrlsHaveNoServer() {
        assertThat(ServerEndpoint.fromUrl("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isEqualTo(ServerEndpoint.UNKNOWN);
        assertThat(ServerEndpoint.fromUrl("jdbc:sqlite:/tmp/app.db")).isEqualTo(ServerEndpoint.UNKNOWN);
        assertThat(ServerEndpoint.fromUrl("jdbc:postgresql:///sales")).isEqualTo(ServerEndpoint.UNKNOWN);
        assertThat(ServerEndpoint.fromUrl(null)).isEqualTo(ServerEndpoint.UNKNOWN);
    }
}
