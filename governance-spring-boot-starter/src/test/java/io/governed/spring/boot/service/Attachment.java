package io.governed.spring.boot.service;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** A document kept as a large object ({@code @Lob byte[]}: an {@code oid} column on PostgreSQL) with long text. */
@Entity
@Table(name = "app2_attachment")
public class Attachment {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String fileName;
    @Lob
    private byte[] content;
    @Lob
    @jakarta.persistence.Column(columnDefinition = "text")
    private String notes;

    protected Attachment() {
    }

    public Attachment(String fileName, byte[] content, String notes) {
        this.fileName = fileName;
        this.content = content;
        this.notes = notes;
    }

    public Long getId() {
        return id;
    }

    public byte[] getContent() {
        return content;
    }

    public String getNotes() {
        return notes;
    }
}
