package io.governed.jdbc.audit.jsonl;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonlOptionsTest {

    @Test
    void aBarePathTakesTheDefaults() {
        JsonlOptions o = JsonlOptions.parse("/var/log/app/audit.jsonl");

        assertThat(o.path()).isEqualTo(Path.of("/var/log/app/audit.jsonl"));
        assertThat(o.maxSize()).isEqualTo(100L * 1024 * 1024);
        assertThat(o.rotateAfter()).isNull();
        assertThat(o.fsync()).isEqualTo(FsyncPolicy.WINDOW);
    }

    @Test
    void readsEveryOption() {
        JsonlOptions o = JsonlOptions.parse("/var/log/app/audit.jsonl?max-size=64KB&rotate=12h&fsync=always");

        assertThat(o.maxSize()).isEqualTo(64 * 1024);
        assertThat(o.rotateAfter()).isEqualTo(Duration.ofHours(12));
        assertThat(o.fsync()).isEqualTo(FsyncPolicy.ALWAYS);
        assertThat(JsonlOptions.parse("a.jsonl?max-size=0&rotate=never&fsync=NEVER"))
                .isEqualTo(new JsonlOptions(Path.of("a.jsonl"), 0, null, FsyncPolicy.NEVER));
        assertThat(JsonlOptions.parse("a.jsonl?rotate=1d").rotateAfter()).isEqualTo(Duration.ofDays(1));
        assertThat(JsonlOptions.parse("a.jsonl?max-size=1GB").maxSize()).isEqualTo(1L << 30);
    }

    @Test
    void mistakesAreNamedWithTheWayToWriteThem() {
        assertThatThrownBy(() -> JsonlOptions.parse("a.jsonl?maxsize=1MB"))
                .hasMessage("audit sink 'jsonl:a.jsonl?maxsize=1MB': unknown option 'maxsize': use max-size, rotate, fsync or format");
        assertThatThrownBy(() -> JsonlOptions.parse("a.jsonl?max-size=lots"))
                .hasMessageContaining("max-size is not a size: it does not start with a whole number")
                .hasMessageContaining("like 4096, 512KB, 100MB or 1GB");
        assertThatThrownBy(() -> JsonlOptions.parse("a.jsonl?rotate=daily"))
                .hasMessageContaining("rotate is not a duration: it does not start with a whole number")
                .hasMessageContaining("like 500ms, 30s, 5m, 1h or 2d");
        assertThatThrownBy(() -> JsonlOptions.parse("a.jsonl?fsync=sometimes"))
                .hasMessageContaining("fsync 'sometimes' is not a policy: use always, window or never");
        assertThatThrownBy(() -> JsonlOptions.parse("?fsync=always"))
                .hasMessageContaining("has no file: write jsonl:PATH");
        assertThatThrownBy(() -> JsonlOptions.parse("a.jsonl?rotate=0s"))
                .hasMessageContaining("rotate must be a positive duration");
    }
}
