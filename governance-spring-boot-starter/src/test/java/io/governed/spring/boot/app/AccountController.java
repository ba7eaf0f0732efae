package io.governed.spring.boot.app;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

@RestController
public class AccountController {
    private final JdbcTemplate jdbc;

    public AccountController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/accounts")
    public List<Map<String, Object>> accounts() {
        jdbc.queryForObject("SELECT count(*) FROM account", Integer.class);
        return jdbc.queryForList("SELECT id, name FROM account ORDER BY id");
    }
}
