package io.governed.spring.boot.service;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The service layer: each method one transaction, as the controller and the tests call them. */
@Service
public class CustomerService {
    private final CustomerRepository customers;
    private final InvoiceRepository invoices;
    private final jakarta.persistence.EntityManager entities;

    public CustomerService(CustomerRepository customers, InvoiceRepository invoices,
                           jakarta.persistence.EntityManager entities) {
        this.customers = customers;
        this.invoices = invoices;
        this.entities = entities;
    }

    /** {@link #rename} of the customer as the entity that writes only the columns that changed. */
    @Transactional
    public Contact renameContact(long id, String name) {
        Contact c = entities.find(Contact.class, id);
        c.setName(name);
        return c;
    }

    /** Loads the customer, renames it and lets Hibernate's dirty checking write it back. */
    @Transactional
    public Customer rename(long id, String name) {
        Customer c = customers.findById(id).orElseThrow();
        c.setName(name);
        return c;
    }

    /** Takes the row lock (SELECT … FOR UPDATE), then renames. */
    @Transactional
    public Customer lockAndRename(long id, String name) {
        Customer c = customers.lockById(id).orElseThrow();
        c.setName(name);
        return c;
    }

    /** Merges a detached customer, as a PUT of the whole entity does. */
    @Transactional
    public Customer save(Customer c) {
        return customers.save(c);
    }

    @Transactional
    public int shout(String prefix) {
        return customers.shoutNamesStartingWith(prefix + "%");
    }

    @Transactional
    public List<Invoice> bill(long customerId, int count) {
        List<Invoice> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(new Invoice(customerId, BigDecimal.valueOf(10 + i)));
        }
        return invoices.saveAll(made);
    }
}
