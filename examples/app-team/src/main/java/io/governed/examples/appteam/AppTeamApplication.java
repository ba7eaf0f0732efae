package io.governed.examples.appteam;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The app team's service: customers behind Spring Security, on a HikariCP pool that the Governed JDBC starter
 * wraps. {@code support} sees e-mail addresses in clear, {@code sales} sees them masked; deleting every customer
 * is refused (HTTP 403); each audit event names the web user. Flyway migrates at startup as the migration principal.
 */
@SpringBootApplication
public class AppTeamApplication {
    public static void main(String[] args) {
        SpringApplication.run(AppTeamApplication.class, args);
    }
}
