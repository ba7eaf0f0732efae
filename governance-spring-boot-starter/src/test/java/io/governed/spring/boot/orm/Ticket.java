package io.governed.spring.boot.orm;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A row whose id Hibernate draws from a sequence, one value per row ({@code SELECT nextval(…)} before each insert). */
@Entity
@Table(name = "orm_ticket")
public class Ticket {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "ticket_ids")
    @SequenceGenerator(name = "ticket_ids", sequenceName = "orm_ticket_seq", allocationSize = 1)
    private Long id;
    private String subject;
    private String ssn;

    protected Ticket() {
    }

    public Ticket(String subject, String ssn) {
        this.subject = subject;
        this.ssn = ssn;
    }

    public Long getId() {
        return id;
    }

    public String getSsn() {
        return ssn;
    }
}
