package io.governed.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An identity's groups, as given in any order and with repeats: they are listed in the order of their first
 * occurrence (the same in every JVM, which the audit trail's {@code groups} relies on), each once, and behave as an
 * unmodifiable set whose equality ignores that order.
 */
class IdentityGroupsPropertyTest {

    @Provide
    Arbitrary<List<String>> groups() {
        // few distinct names, so that repeats are common; with up to 12 of them an order kept by chance is rare
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(2);
        return name.list().ofMaxSize(12);
    }

    @Property(tries = 300)
    void groupsAreListedInTheOrderGivenEachOnce(@ForAll("groups") List<String> given) {
        List<String> expected = new ArrayList<>(new LinkedHashSet<>(given));

        Identity asserted = new Identity("alice", IdentityKind.HUMAN, new LinkedHashSet<>(given), Map.of(), null, null);
        Identity built = Identity.builder("alice").groups(given).build();

        for (Identity identity : List.of(asserted, built, asserted.toBuilder().build())) {
            assertThat(identity.groups()).containsExactlyElementsOf(expected);
            assertThat(identity.groupList()).containsExactlyElementsOf(expected);
            assertThat(identity.groupList()).isSameAs(identity.groupList());
            assertThat(identity.toString()).contains("groups=" + expected);
            for (String group : expected) {
                assertThat(identity.inGroup(group)).isTrue();
            }
            assertThat(identity.inGroup("not-" + given)).isFalse();
            assertThat(identity.groups().contains(null)).isFalse();
        }
    }

    @Property(tries = 200)
    void theSameGroupsInAnotherOrderMakeAnEqualIdentity(@ForAll("groups") List<String> given) {
        List<String> reversed = new ArrayList<>(given);
        Collections.reverse(reversed);

        Identity forward = Identity.builder("svc").kind(IdentityKind.SERVICE).groups(given).build();
        Identity backward = Identity.builder("svc").kind(IdentityKind.SERVICE).groups(reversed).build();

        assertThat(forward).isEqualTo(backward);
        assertThat(forward.hashCode()).isEqualTo(backward.hashCode());
        assertThat(forward.groups()).isEqualTo(Set.copyOf(given)).hasSameHashCodeAs(Set.copyOf(given));
    }

    @Property(tries = 100)
    void theGroupsCannotBeChangedThroughTheIdentity(@ForAll("groups") List<String> given) {
        Identity identity = Identity.builder("alice").groups(given).build();

        assertThatThrownBy(() -> identity.groups().add("admins")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> identity.groupList().add("admins")).isInstanceOf(UnsupportedOperationException.class);
        if (!given.isEmpty()) {
            assertThatThrownBy(() -> identity.groups().remove(given.get(0))).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> {
                var it = identity.groups().iterator();
                it.next();
                it.remove();
            }).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(identity.inGroup("admins")).isEqualTo(given.contains("admins"));
    }

    @Property(tries = 50)
    void aNullGroupIsRefused(@ForAll("groups") List<String> given) {
        List<String> withNull = new ArrayList<>(given);
        withNull.add(withNull.size() / 2, null);

        assertThatThrownBy(() -> new Identity("alice", IdentityKind.HUMAN, new LinkedHashSet<>(withNull), Map.of(), null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("group");
    }
}
