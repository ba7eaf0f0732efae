package io.governed.examples.appteam;

import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

@RestController
public class CustomerController {
    private final JdbcTemplate jdbc;

    public CustomerController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every customer; e-mail addresses masked unless the caller is in SUPPORT (see policies/app-team.yaml). */
    @GetMapping("/customers")
    public List<Map<String, Object>> customers() {
        return jdbc.queryForList("SELECT id, name, email FROM customers ORDER BY id");
    }

    /** Deletes every customer: an unbounded DELETE, which the baseline refuses for everyone. */
    @DeleteMapping("/customers")
    public int deleteAll() {
        return jdbc.update("DELETE FROM customers");
    }

    /** A refusal by governance is a 403 that says which rule refused and why. */
    @ExceptionHandler(PermissionDeniedDataAccessException.class)
    public ResponseEntity<Map<String, String>> denied(PermissionDeniedDataAccessException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", "permission denied",
                "reason", e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
}
