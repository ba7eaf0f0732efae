package io.governed.jdbc.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.governed.policy.PolicyProvenance;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code policy} field of audit events: which policy version decided ({@link PolicyProvenance}),
 * with its JSON encoded once when the policy is loaded, so that writing it into each event is a copy
 * of bytes:
 *
 * <pre>{"digest":"…64 hex…","files":[{"name":"policies/app.yaml","digest":"…"}]}</pre>
 */
public final class AuditPolicy {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final PolicyProvenance provenance;
    private final SerializedString json;

    private AuditPolicy(PolicyProvenance provenance) {
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.json = new SerializedString(encode(provenance));
        json.asUnquotedUTF8();
    }

    /** The field for a policy loaded from files; {@code null} for {@code null} (a policy built in code). */
    public static AuditPolicy of(PolicyProvenance provenance) {
        return provenance == null ? null : new AuditPolicy(provenance);
    }

    public PolicyProvenance provenance() {
        return provenance;
    }

    /** The set's digest. */
    public String digest() {
        return provenance.digest();
    }

    /** The pre-encoded JSON object, to be written raw. */
    SerializableString json() {
        return json;
    }

    /** Reads the field back; {@code null} for a missing or {@code null} field. */
    static AuditPolicy read(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("digest").isTextual()) {
            throw new IllegalArgumentException("field 'policy' must be an object with a 'digest' and 'files'");
        }
        List<PolicyProvenance.File> files = new ArrayList<>();
        for (JsonNode f : node.path("files")) {
            if (!f.path("name").isTextual() || !f.path("digest").isTextual()) {
                throw new IllegalArgumentException("field 'policy.files' must hold objects with a 'name' and a 'digest'");
            }
            files.add(new PolicyProvenance.File(f.get("name").textValue(), f.get("digest").textValue()));
        }
        return new AuditPolicy(new PolicyProvenance(node.get("digest").textValue(), files));
    }

    private static String encode(PolicyProvenance p) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("digest", p.digest());
            g.writeArrayFieldStart("files");
            for (PolicyProvenance.File f : p.files()) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                g.writeStringField("digest", f.digest());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditPolicy other && provenance.equals(other.provenance);
    }

    @Override
    public int hashCode() {
        return provenance.hashCode();
    }

    @Override
    public String toString() {
        return json.getValue();
    }
}
