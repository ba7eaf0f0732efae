package io.governed.spring.boot.cached;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.domain.EntityScan;

/** A plain JPA application whose one entity, {@link CachedAccount}, is kept in Hibernate's second-level cache. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EntityScan(basePackageClasses = CachedAccount.class)
public class CachedJpaApplication {
}
