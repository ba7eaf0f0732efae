package io.governed.spring.boot.plain;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with nothing of its own: HikariCP, Flyway, JdbcTemplate and the starter, as Spring Boot configures them. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PlainApplication {
}
