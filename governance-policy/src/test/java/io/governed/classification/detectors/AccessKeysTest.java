package io.governed.classification.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessKeysTest {

    @ParameterizedTest(name = "{0} is an access key")
    @ValueSource(strings = {
            "AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A",
            "AIzaSyA-1234567890abcdefghijklmnopqrstu",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "rk_test_abcdefghijklmnopqrstuvwx",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n",
            "key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----"})
    void acceptsCloudKeysAndPrivateKeyBlocks(String key) {
        assertThat(AccessKeys.isValid(key)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not an access key")
    @ValueSource(strings = {
            "AKIAIOSFODNN7EXAMPL",                 // 15 characters after the prefix
            "AKIAIOSFODNN7EXAMPLE1",               // 17
            "AKIAiosfodnn7example",                // lower case
            "AKIBIOSFODNN7EXAMPLE",                // unknown prefix
            "AKIAIOSFODNN7EXAMP-E",
            "AIzaSyA-1234567890abcdefghijklmnopqrs",  // 34 after the prefix
            "AIzaSyA-1234567890abcdefghijklmnopqrs!",
            "sk_live_short", "pk_live_4eC39HqLyjWDarjtT1zdp7dc",   // publishable keys are public
            "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA",   // no end line
            "-----BEGIN\nPRIVATE KEY-----\n-----END PRIVATE KEY-----",
            "AKIA", ""})
    void rejectsLookAlikes(String text) {
        assertThat(AccessKeys.isValid(text)).isFalse();
    }
}
