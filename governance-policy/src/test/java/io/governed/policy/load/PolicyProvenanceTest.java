package io.governed.policy.load;

import io.governed.policy.Policy;
import io.governed.policy.PolicyProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyProvenanceTest {

    private static final String BASE = "version: 1\ndefault: deny\nrules:\n  - { id: read, effect: permit, actions: [select] }\n";
    private static final String APP = "version: 1\nrules:\n  - { id: write, effect: permit, actions: [insert] }\n";

    @Test
    void aLoadedPolicyNamesEachFileWithTheSha256OfItsBytes(@TempDir Path dir) throws Exception {
        Path base = Files.writeString(dir.resolve("base.yaml"), BASE);
        Path app = Files.writeString(dir.resolve("app.yaml"), APP);

        Policy policy = PolicyLoader.loadAll(base + "," + app);

        PolicyProvenance p = policy.provenance();
        assertThat(p.files()).extracting(PolicyProvenance.File::name).containsExactly(base.toString(), app.toString());
        assertThat(p.files().get(0).digest()).isEqualTo(sha256(Files.readAllBytes(base)));
        assertThat(p.files().get(1).digest()).isEqualTo(sha256(Files.readAllBytes(app)));
        assertThat(p.digest()).isEqualTo(sha256((sha256(Files.readAllBytes(base)) + "\n"
                + sha256(Files.readAllBytes(app)) + "\n").getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theSetDigestFollowsTheTextsNotTheNames() {
        Policy one = PolicyLoader.compose(PolicySource.of("a.yaml", BASE), PolicySource.of("b.yaml", APP));
        Policy renamed = PolicyLoader.compose(PolicySource.of("x/a.yaml", BASE), PolicySource.of("x/b.yaml", APP));
        Policy edited = PolicyLoader.compose(PolicySource.of("a.yaml", BASE), PolicySource.of("b.yaml", APP + "# note\n"));
        Policy reordered = PolicyLoader.compose(PolicySource.of("b.yaml", APP), PolicySource.of("a.yaml", BASE));

        assertThat(renamed.provenance().digest()).isEqualTo(one.provenance().digest());
        assertThat(edited.provenance().digest()).isNotEqualTo(one.provenance().digest());
        assertThat(reordered.provenance().digest()).isNotEqualTo(one.provenance().digest());
        assertThat(edited).as("a comment changes the version, not what the policy decides").isEqualTo(one);
    }

    @Test
    void aPolicyBuiltInCodeHasNoProvenance() {
        assertThat(Policy.builder().build().provenance()).isNull();
        assertThat(PolicyLoader.baseline().provenance().files()).extracting(PolicyProvenance.File::name)
                .containsExactly("classpath:" + PolicyLoader.BASELINE_RESOURCE);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
