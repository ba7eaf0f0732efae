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
 * unmodifiable set whose equality ignores that order. Its attributes likewise keep the order they were given in.
 */
class IdentityOrderPropertyTest {

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

    @Provide
    Arbitrary<List<String>> attributeNames() {
        return Arbitraries.strings().withCharRange('a', 'h').ofMinLength(1).ofMaxLength(3).list().uniqueElements().ofMaxSize(10);
    }

    @Property(tries = 200)
    void attributesAreListedInTheOrderGivenAndCompareAsAMap(@ForAll("attributeNames") List<String> names) {
        Map<String, String> given = new java.util.LinkedHashMap<>();
        for (String name : names) {
            given.put(name, "v-" + name);
        }
        Identity.Builder builder = Identity.builder("alice");
        given.forEach(builder::attribute);
        Identity built = builder.build();
        Identity asserted = new Identity("alice", IdentityKind.HUMAN, Set.of(), given, null, null);

        for (Identity identity : List.of(built, asserted, built.toBuilder().build())) {
            assertThat(identity.attributes().keySet()).containsExactlyElementsOf(names);
            assertThat(identity.attributes()).isEqualTo(given).isEqualTo(Map.copyOf(given));
            assertThat(identity.attributes().hashCode()).isEqualTo(given.hashCode());
            names.forEach(n -> assertThat(identity.attribute(n)).isEqualTo("v-" + n));
            assertThatThrownBy(() -> identity.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        }
        Map<String, String> reversed = new java.util.LinkedHashMap<>();
        new java.util.ArrayDeque<>(names).descendingIterator().forEachRemaining(n -> reversed.put(n, "v-" + n));
        assertThat(new Identity("alice", IdentityKind.HUMAN, Set.of(), reversed, null, null)).isEqualTo(asserted);
    }

    @Property(tries = 30)
    void aNullAttributeNameOrValueIsRefused(@ForAll("attributeNames") List<String> names) {
        Map<String, String> nullValue = new java.util.LinkedHashMap<>();
        names.forEach(n -> nullValue.put(n, "v"));
        nullValue.put("tenant-x", null);
        Map<String, String> nullName = new java.util.HashMap<>(Map.of("a", "b"));
        nullName.put(null, "v");

        assertThatThrownBy(() -> new Identity("alice", IdentityKind.HUMAN, Set.of(), nullValue, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("'tenant-x'");
        assertThatThrownBy(() -> new Identity("alice", IdentityKind.HUMAN, Set.of(), nullName, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
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
