package io.governed.classification;

import static org.assertj.core.api.Assertions.assertThat;

import io.governed.classification.detectors.BuiltInDetectors;
import io.governed.sql.Dialect;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which column names the built-in detectors tag, and which look-alike names they leave alone. */
class NameDetectionTest {
    private final ColumnClassifier classifier = new ColumnClassifier(
            ClassifierSettings.of(Dialect.POSTGRESQL, Map.of(), true, BuiltInDetectors.all("US")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "email, pii.email", "customer_email, pii.email", "emailAddress, pii.email", "EMAIL_ADDRESS, pii.email",
            "e_mail, pii.email", "eMail, pii.email", "emailaddress, pii.email", "billing_email_addr, pii.email",
            "ssn, pii.ssn", "customerSSN, pii.ssn", "social_security_number, pii.ssn", "SocialSecurityNo, pii.ssn",
            "phone, pii.phone", "phone_number, pii.phone", "mobileNumber, pii.phone", "tel, pii.phone",
            "home_phone, pii.phone", "fax_no, pii.phone", "msisdn, pii.phone", "phonenumber, pii.phone",
            "card_number, pci.pan", "creditCardNumber, pci.pan", "credit_card, pci.pan", "cc_num, pci.pan",
            "pan, pci.pan", "cardnumber, pci.pan", "primary_account_number, pci.pan",
            "iban, fin.iban", "payout_iban, fin.iban",
            "birth_date, pii.birthdate", "dateOfBirth, pii.birthdate", "dob, pii.birthdate", "birthday, pii.birthdate",
            "address, pii.address", "shipping_address, pii.address", "address_line1, pii.address",
            "street, pii.address", "postal_code, pii.address", "zip, pii.address", "zipcode, pii.address",
            "ship_to_address, pii.address",
            "password, secret", "password_hash, secret", "hashed_password, secret", "encrypted_password, secret",
            "pwd, secret", "passwd, secret", "client_secret, secret",
            "token, secret.token", "access_token, secret.token", "refreshToken, secret.token", "jwt, secret.token",
            "password_reset_token, secret.token", "token_hash, secret.token",
            "api_key, secret.key", "apiKey, secret.key", "APIKey, secret.key", "apikey, secret.key",
            "aws_access_key_id, secret.key", "secret_access_key, secret.key", "private_key, secret.key",
            "secret_key, secret.key"})
    void tagsSensitiveNamesHoweverTheyAreWritten(String column, String tag) {
        assertThat(classifier.tags(QualifiedColumn.named(column))).containsExactly(tag);
    }

    @ParameterizedTest(name = "{0} is not tagged")
    @ValueSource(strings = {
            "emailed_at", "email_verified", "email_count", "has_email", "num_emails", "email_domain",
            "tokens_used", "max_tokens", "input_tokens", "token_count", "token_type", "token_expires_at", "tokenized",
            "passport_expiry", "passport", "password_changed_at", "password_reset_required", "secret_santa",
            "ip_address", "mac_address", "email_address_verified", "wallet_address", "remote_addr",
            "zip_file", "gzip", "street_view_enabled",
            "card_type", "card_holder", "card_id", "credit_card_expiry", "panel", "company",
            "is_mobile", "mobile_app_version", "telemetry", "hotel", "phone_verified",
            "birth_place", "dob_verified", "api_key_name", "private_key_path", "primary_key", "key",
            "id", "name", "created_at", "amount"})
    void leavesFalseFriendsAlone(String column) {
        assertThat(classifier.classify(QualifiedColumn.named(column))).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "customer_email | [customer, email]", "customerEmail | [customer, email]", "CUSTOMER_EMAIL | [customer, email]",
            "APIKey | [api, key]", "address_line1 | [address, line, 1]", "Weird Name | [weird, name]",
            "HTTPServerURL2x | [http, server, url, 2, x]", "__ | []"})
    void splitsNamesIntoWords(String name, String words) {
        assertThat(NameWords.of(name).words().toString()).isEqualTo(words);
    }

    @Test
    void namesTheWordsThatMatchedInTheExplanation() {
        assertThat(classifier.classify(QualifiedColumn.named("customer_email")))
                .containsExactly(new Classification("pii.email", ClassificationSource.NAME,
                        "column name 'customer_email' contains 'email'"));
        assertThat(classifier.classify(QualifiedColumn.named("dateOfBirth")))
                .extracting(Classification::reason).containsExactly("column name 'dateOfBirth' contains 'date of birth'");
    }
}
