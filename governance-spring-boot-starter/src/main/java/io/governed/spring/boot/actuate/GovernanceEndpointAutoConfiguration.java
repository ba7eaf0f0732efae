package io.governed.spring.boot.actuate;

import io.governed.jdbc.Governance;
import io.governed.spring.boot.GovernanceAutoConfiguration;
import io.governed.spring.boot.GovernedProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code governance} Actuator endpoint and health indicator, where Spring Boot Actuator (3.x) is present. */
@AutoConfiguration(after = GovernanceAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.health.AbstractHealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(Governance.class)
public class GovernanceEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public GovernanceEndpoint governanceEndpoint(Governance governance, GovernedProperties properties) {
        return new GovernanceEndpoint(governance, properties);
    }

    @Bean(name = "governanceHealthIndicator")
    @ConditionalOnMissingBean(name = "governanceHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("governance")
    public GovernanceHealthIndicator governanceHealthIndicator(Governance governance, GovernedProperties properties) {
        return new GovernanceHealthIndicator(governance, properties);
    }
}
