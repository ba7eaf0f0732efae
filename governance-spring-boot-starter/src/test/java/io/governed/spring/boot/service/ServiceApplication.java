package io.governed.spring.boot.service;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A service as an application team writes one: Spring Security with a support and a sales user, Spring Data JPA
 * repositories (paging, projections, a pessimistic lock, a bulk update), a transactional service layer, optimistic
 * locking, an identity column and a pooled sequence with batched inserts, open-in-view left at Spring's default.
 */
@SpringBootApplication
@EnableAsync
public class ServiceApplication {

    /** The application's own executor for {@code @Async} work, as teams size one; Spring Boot's then backs off. */
    @Bean
    ThreadPoolTaskExecutor taskExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(2);
        executor.setThreadNamePrefix("app2-async-");
        return executor;
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("sue").password("{noop}sue-pw").roles("SUPPORT").build(),
                User.withUsername("sam").password("{noop}sam-pw").roles("SALES").build());
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.disable())
                .build();
    }
}
