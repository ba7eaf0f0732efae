package io.governed.spring.boot.cached;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The account table, mapped as an entity Hibernate keeps in its second-level cache. */
@Entity
@Cacheable
@Table(name = "account")
public class CachedAccount {
    @Id
    private Integer id;
    private String email;

    public Integer getId() {
        return id;
    }

    public String getEmail() {
        return email;
    }
}
