package io.governed.spring.boot.plain;

import io.governed.spring.boot.app.Account;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.domain.EntityScan;

/** {@link PlainApplication} with one JPA entity, {@link Account}, for Hibernate's {@code ddl-auto}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EntityScan(basePackageClasses = Account.class)
public class JpaApplication {
}
