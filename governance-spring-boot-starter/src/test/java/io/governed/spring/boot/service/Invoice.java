package io.governed.spring.boot.service;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.math.BigDecimal;

/** An invoice whose id comes from a pooled sequence, inserted in JDBC batches. */
@Entity
@Table(name = "app2_invoice")
public class Invoice {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "app2_invoice_ids")
    @SequenceGenerator(name = "app2_invoice_ids", sequenceName = "app2_invoice_seq", allocationSize = 50)
    private Long id;
    private Long customerId;
    private BigDecimal amount;

    protected Invoice() {
    }

    public Invoice(Long customerId, BigDecimal amount) {
        this.customerId = customerId;
        this.amount = amount;
    }

    public Long getId() {
        return id;
    }

    public BigDecimal getAmount() {
        return amount;
    }
}
