package io.governed.spring.boot.service;

import io.governed.spring.boot.GovernanceDeniedDataAccessException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

@RestController
public class CustomerController {
    private final CustomerRepository customers;
    private final CustomerService service;

    public CustomerController(CustomerRepository customers, CustomerService service) {
        this.customers = customers;
        this.service = service;
    }

    @GetMapping("/customers")
    public List<Map<String, Object>> page(@RequestParam(name = "page", defaultValue = "0") int page, @RequestParam(name = "size", defaultValue = "2") int size) {
        Page<Customer> found = customers.findAll(PageRequest.of(page, size, Sort.by("id")));
        return found.map(c -> Map.<String, Object>of("id", c.getId(), "name", c.getName(), "email", c.getEmail(),
                "total", found.getTotalElements())).getContent();
    }

    @PutMapping("/customers/{id}/name")
    public Map<String, Object> rename(@PathVariable("id") long id, @RequestBody String name) {
        Customer c = service.rename(id, name);
        return Map.of("id", c.getId(), "name", c.getName(), "version", c.getVersion());
    }

    @DeleteMapping("/customers")
    public void deleteAll() {
        customers.deleteAllInBatch();
    }

    @ExceptionHandler(GovernanceDeniedDataAccessException.class)
    public ResponseEntity<String> refused(GovernanceDeniedDataAccessException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(String.join(",", e.ruleIds()));
    }
}
