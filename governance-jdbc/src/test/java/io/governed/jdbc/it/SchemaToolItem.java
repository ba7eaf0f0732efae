package io.governed.jdbc.it;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The entity Hibernate validates and updates the schema of in {@link SchemaToolsUnderMaskFixture}; its {@code ssn} is masked. */
@Entity
@Table(name = "gs_tool_item")
public class SchemaToolItem {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "item_ids")
    @SequenceGenerator(name = "item_ids", sequenceName = "gs_tool_item_seq", allocationSize = 10)
    private Long id;

    @Column(name = "name", length = 40, nullable = false)
    private String name;

    @Column(name = "ssn", length = 11)
    private String ssn;

    protected SchemaToolItem() {
    }

    SchemaToolItem(String name, String ssn) {
        this.name = name;
        this.ssn = ssn;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String ssn() {
        return ssn;
    }
}
