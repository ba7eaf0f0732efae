package io.governed.jdbc.audit.jsonl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.governed.jdbc.audit.AuditEventJson;
import io.governed.jdbc.audit.TestEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class HashChainTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theFirstLineStartsFromGenesisAndEachLineNamesThePreviousHash() throws Exception {
        HashChain chain = new HashChain(HashChain.GENESIS);

        JsonNode first = mapper.readTree(chain.link(TestEvents.event(1)));
        JsonNode second = mapper.readTree(chain.link(TestEvents.event(2)));

        assertThat(first.get("prev_hash").asText()).isEqualTo("0".repeat(64));
        assertThat(second.get("prev_hash").asText()).isEqualTo(first.get("hash").asText());
        assertThat(chain.lastHash()).isEqualTo(second.get("hash").asText());
    }

    @Test
    void aLineIsTheCanonicalEventFollowedByPrevHashAndHashOnOneLine() {
        HashChain chain = new HashChain(HashChain.GENESIS);

        String line = new String(chain.link(TestEvents.event(1)), StandardCharsets.UTF_8);

        String canonical = AuditEventJson.toJson(TestEvents.event(1));
        assertThat(line).startsWith(canonical.substring(0, canonical.length() - 1) + ",\"prev_hash\":\"" + HashChain.GENESIS + "\",\"hash\":\"")
                .endsWith("\"}\n")
                .containsOnlyOnce("\n");
    }

    @Test
    void theHashIsSha256OfTheLineWithoutItsHashField() throws Exception {
        HashChain chain = new HashChain("ab".repeat(32));
        String line = new String(chain.link(TestEvents.event(3)), StandardCharsets.UTF_8).strip();

        String hash = mapper.readTree(line).get("hash").asText();
        String withoutHash = line.replace(",\"hash\":\"" + hash + "\"", "");
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(withoutHash.getBytes(StandardCharsets.UTF_8)));

        assertThat(hash).isEqualTo(expected);
        assertThat(mapper.readTree(withoutHash).get("prev_hash").asText()).isEqualTo("ab".repeat(32));
    }

    @Test
    void aLineTakenApartVerifiesAndAnyChangedByteIsNoticed() {
        byte[] line = new HashChain(HashChain.GENESIS).link(TestEvents.event(4));
        int length = line.length - 1;

        ChainedLine intact = ChainedLine.parse(line, length, HashChain.newDigest());
        assertThat(intact).isNotNull();
        assertThat(intact.intact()).isTrue();
        assertThat(intact.prevHash()).isEqualTo(HashChain.GENESIS);

        for (int i = 1; i < length - 80; i += 7) {
            byte[] changed = line.clone();
            changed[i] = (byte) (changed[i] == 'x' ? 'y' : 'x');
            ChainedLine parsed = ChainedLine.parse(changed, length, HashChain.newDigest());
            assertThat(parsed == null || !parsed.intact()).as("byte %d changed", i).isTrue();
        }
    }

    @Test
    void textThatDoesNotEndInTheChainFieldsIsNotAChainedLine() {
        byte[] plain = AuditEventJson.toBytes(TestEvents.event(5));
        byte[] empty = new byte[0];

        assertThat(ChainedLine.parse(plain, plain.length, HashChain.newDigest())).isNull();
        assertThat(ChainedLine.parse(empty, 0, HashChain.newDigest())).isNull();
    }
}
