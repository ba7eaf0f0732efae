package io.governed.spring.boot.service;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.List;
import java.util.Optional;

public interface CustomerRepository extends JpaRepository<Customer, Long> {
    List<CustomerView> findByNameStartingWithOrderByName(String prefix);

    @Query(value = "SELECT email FROM app2_customer WHERE id = :id", nativeQuery = true)
    String emailOf(@Param("id") long id);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from Customer c where c.id = :id")
    Optional<Customer> lockById(@Param("id") long id);

    @Modifying
    @Query("update Customer c set c.name = upper(c.name) where c.name like :prefix")
    int shoutNamesStartingWith(@Param("prefix") String prefix);
}
