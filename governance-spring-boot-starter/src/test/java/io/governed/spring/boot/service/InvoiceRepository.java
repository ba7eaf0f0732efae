package io.governed.spring.boot.service;

import org.springframework.data.jpa.repository.JpaRepository;

public interface InvoiceRepository extends JpaRepository<Invoice, Long> {
    long countByCustomerId(Long customerId);
}
