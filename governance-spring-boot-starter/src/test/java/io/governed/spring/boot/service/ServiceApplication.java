package io.governed.spring.boot.service;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
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
public class ServiceApplication {

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
