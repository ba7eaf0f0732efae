package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @ParameterizedTest(name = "{0} is an e-mail address")
    @ValueSource(strings = {
            "alice@example.com", "Alice.Smith@Example.CO.UK", "bob+newsletter@mail.example.org",
            "o'brien@example.ie", "x_y-z@sub-domain.example.travel", "user@xn--bcher-kva.example",
            "first.last@example.io", "a.b.c.d@e-f.gh",
            "{weird}=!#$%&*/?^`|~@example.com"})
    void acceptsAddressesPeopleUse(String address) {
        assertThat(EmailAddresses.isValid(address)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not an e-mail address")
    @ValueSource(strings = {
            "alice@localhost",             // a single label
            "alice@example",               // no top-level domain
            "alice@example.c",             // one-letter top-level domain
            "alice@example.123",           // numeric top-level domain
            "alice.@example.com", ".alice@example.com", "al..ice@example.com",
            "alice@@example.com", "alice@bob@example.com", "@example.com", "alice@",
            "alice@-example.com", "alice@example-.com", "alice@exa_mple.com", "alice@example..com",
            "alice smith@example.com", "alice@example.com ", "\"alice\"@example.com", "alice@[192.0.2.1]",
            "mailto:alice@example.com", "emailed on 2024-01-01", ""})
    void rejectsMalformedAddresses(String text) {
        assertThat(EmailAddresses.isValid(text)).isFalse();
    }

    @Test
    void rejectsOverlongLocalPartsAndLabels() {
        assertThat(EmailAddresses.isValid("a".repeat(64) + "@example.com")).isTrue();
        assertThat(EmailAddresses.isValid("a".repeat(65) + "@example.com")).isFalse();
        assertThat(EmailAddresses.isValid("alice@" + "b".repeat(63) + ".com")).isTrue();
        assertThat(EmailAddresses.isValid("alice@" + "b".repeat(64) + ".com")).isFalse();
    }
}
