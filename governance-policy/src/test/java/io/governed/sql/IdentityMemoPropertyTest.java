package io.governed.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The memo in front of the per-statement caches: whatever keys are asked for, in whatever order, each gets the value
 * its own function call gave, never another key's (keys equal in content but distinct objects included), and a key
 * asked again while still in its slot is not computed again.
 */
class IdentityMemoPropertyTest {

    @Property(tries = 300)
    void everyKeyGetsItsOwnValue(@ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 60) Integer> asked,
                                 @ForAll("slots") int slots) {
        // sixty-one keys of distinct content, each twice: as an object and as an equal copy of it
        List<String> keys = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            String key = "SELECT " + i;
            keys.add(key);
            keys.add(new String(key));
        }
        Map<String, Integer> computed = new IdentityHashMap<>();
        IdentityMemo<String, String> memo = new IdentityMemo<>(slots, key -> {
            computed.merge(key, 1, Integer::sum);
            return "value of key #" + System.identityHashCode(key);
        });
        String lastKey = null;
        int step = 0;
        for (int index : asked) {
            String key = keys.get(index * 2 + (step++ % 2));
            int before = computed.getOrDefault(key, 0);
            assertThat(memo.get(key)).isEqualTo("value of key #" + System.identityHashCode(key));
            if (key == lastKey) {
                assertThat(computed.get(key)).as("asked twice in a row, computed once").isEqualTo(before);
            }
            lastKey = key;
        }
    }

    @Property(tries = 2000)
    void twoKeysAskedInTurnsAreEachComputedOnce(@ForAll("slots") int slots) {
        if (slots < 2) {
            return; // one slot holds one key
        }
        Object[] keys = {new Object(), new Object()}; // identity hashes differ from try to try
        int[] calls = {0};
        IdentityMemo<Object, Object> memo = new IdentityMemo<>(slots, key -> {
            calls[0]++;
            return key;
        });
        for (int turn = 0; turn < 10; turn++) {
            assertThat(memo.get(keys[turn % 2])).isSameAs(keys[turn % 2]);
        }
        assertThat(calls[0]).as("two keys, whatever slot they fall into first").isEqualTo(2);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> slots() {
        return net.jqwik.api.Arbitraries.of(1, 2, 8, 64, 256);
    }

    @Test
    void aKeptKeyIsComputedOnce() {
        int[] calls = {0};
        IdentityMemo<Object, Integer> memo = new IdentityMemo<>(64, key -> ++calls[0]);
        Object kept = new Object();
        for (int i = 0; i < 1000; i++) {
            assertThat(memo.get(kept)).isEqualTo(1);
        }
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void slotsMustBeAPowerOfTwoAndValuesPresent() {
        assertThatThrownBy(() -> new IdentityMemo<Object, Object>(100, key -> key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        IdentityMemo<Object, Object> nulls = new IdentityMemo<>(8, key -> null);
        assertThatThrownBy(() -> nulls.get(new Object())).isInstanceOf(NullPointerException.class);
    }
}
