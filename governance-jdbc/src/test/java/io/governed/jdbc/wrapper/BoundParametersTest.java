package io.governed.jdbc.wrapper;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.sql.Types;

import static org.assertj.core.api.Assertions.assertThat;

/** The digest exact approvals are bound to: equal for the same values, different for anything else, never the values. */
class BoundParametersTest {

    private static String digest(Object... calls) {
        BoundParameters p = new BoundParameters(true);
        for (int i = 0; i < calls.length; i += 3) {
            p.set((Integer) calls[i], (String) calls[i + 1], (Object[]) calls[i + 2]);
        }
        return p.digest();
    }

    private static Object[] args(Object... values) {
        return values;
    }

    @Test
    void theSameValuesGiveTheSameDigestAndItIsNotTheValues() {
        String a = digest(1, "setInt", args(1), 2, "setString", args("ann"));
        assertThat(digest(2, "setString", args("ann"), 1, "setInt", args(1))).as("bound in another order").isEqualTo(a);
        assertThat(a).hasSize(64).doesNotContain("ann");
    }

    @Test
    void anyDifferenceGivesAnotherDigest() {
        String a = digest(1, "setInt", args(1), 2, "setString", args("ann"));
        assertThat(digest(1, "setInt", args(2), 2, "setString", args("ann"))).isNotEqualTo(a);
        assertThat(digest(1, "setLong", args(1L), 2, "setString", args("ann"))).as("another type").isNotEqualTo(a);
        assertThat(digest(1, "setString", args("1"), 2, "setString", args("ann"))).isNotEqualTo(a);
        assertThat(digest(1, "setInt", args(1), 2, "setString", args("ann"), 3, "setNull", args(Types.VARCHAR)))
                .as("one more parameter").isNotEqualTo(a);
        assertThat(digest(1, "setInt", args(1))).as("one fewer").isNotEqualTo(a);
        assertThat(digest(1, "setString", args("a\u0001b"), 2, "setString", args("c")))
                .as("separators inside values cannot shift values between parameters")
                .isNotEqualTo(digest(1, "setString", args("a"), 2, "setString", args("b\u0001c")));
        assertThat(digest(1, "setBigDecimal", args(new BigDecimal("1.0")))).isNotEqualTo(digest(1, "setBigDecimal", args(new BigDecimal("1.00"))));
        assertThat(digest(1, "setBytes", args((Object) new byte[] {1}))).isNotEqualTo(digest(1, "setBytes", args((Object) new byte[] {2})));
    }

    @Test
    void valuesThatCannotBeComparedNeverGiveTheSameDigestTwice() {
        byte[] content = {1, 2, 3};
        String a = digest(1, "setBinaryStream", args(new ByteArrayInputStream(content)));
        String b = digest(1, "setBinaryStream", args(new ByteArrayInputStream(content)));
        assertThat(a).startsWith("opaque-").isNotEqualTo(b);
        assertThat(digest(1, "setObject", args(new Object()))).startsWith("opaque-");
    }

    @Test
    void clearedOrUnboundParametersAreNone() {
        BoundParameters p = new BoundParameters(true);
        assertThat(p.digest()).isEqualTo("none");
        p.set(1, "setInt", 5);
        p.set("who", "setString", "ann");
        assertThat(p.digest()).isNotEqualTo("none");
        p.clear();
        assertThat(p.digest()).isEqualTo("none");
    }

    @Test
    void withoutApprovalsInThePolicyNothingIsNotedAndNoExactApprovalCanMatch() {
        BoundParameters p = new BoundParameters(false);
        p.set(1, "setInt", 5);
        String first = p.digest();
        assertThat(first).startsWith("opaque-");
        assertThat(p.digest()).startsWith("opaque-").isNotEqualTo(first);
    }
}
