package io.governed.spring.boot.service;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

import java.util.concurrent.CompletableFuture;

/** Work a request hands to the application's own executor ({@code @Async}). */
@Service
public class CustomerMailer {
    private final JdbcTemplate jdbc;

    public CustomerMailer(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Async
    public CompletableFuture<String> addressOf(long id) {
        return CompletableFuture.completedFuture(
                jdbc.queryForObject("SELECT email FROM app2_customer WHERE id = ?", String.class, id));
    }
}
