package io.governed.spring.boot.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The Flyway-made table, with one column (nickname) that only Hibernate's ddl-auto=update adds. */
@Entity
@Table(name = "account")
public class Account {
    @Id
    private Integer id;
    @Column(length = 200)
    private String name;
    private String email;
    private String nickname;

    public Integer getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getEmail() {
        return email;
    }

    public String getNickname() {
        return nickname;
    }
}
