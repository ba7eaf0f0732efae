package io.governed.classification.detectors;

import io.governed.classification.NameRule;
import io.governed.classification.Tags;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The detectors that ship with the library: which column names and values each recognises, and
 * the tag it gives them.
 *
 * <table>
 *   <caption>Built-in detectors</caption>
 *   <tr><th>detector</th><th>tag</th><th>names (examples)</th><th>values</th></tr>
 *   <tr><td>email</td><td>pii.email</td><td>email, customer_email, emailAddress, e_mail</td><td>{@link EmailAddresses}</td></tr>
 *   <tr><td>phone</td><td>pii.phone</td><td>phone, mobile_number, tel, fax, msisdn</td><td>{@link PhoneNumbers}</td></tr>
 *   <tr><td>ssn</td><td>pii.ssn</td><td>ssn, social_security_number</td><td>{@link SocialSecurityNumbers}</td></tr>
 *   <tr><td>card-number</td><td>pci.pan</td><td>card_number, credit_card, cc_num, pan</td><td>{@link CardNumbers}</td></tr>
 *   <tr><td>iban</td><td>fin.iban</td><td>iban, payout_iban</td><td>{@link Ibans}</td></tr>
 *   <tr><td>birthdate</td><td>pii.birthdate</td><td>birth_date, dob, date_of_birth, birthday</td><td>—</td></tr>
 *   <tr><td>address</td><td>pii.address</td><td>address, street, postal_code, zip, address_line1 (not ip_address)</td><td>—</td></tr>
 *   <tr><td>password</td><td>secret</td><td>password, password_hash, pwd, passwd, client_secret</td><td>—</td></tr>
 *   <tr><td>token</td><td>secret.token</td><td>token, access_token, jwt (not tokens_used, max_tokens)</td><td>{@link Tokens}</td></tr>
 *   <tr><td>access-key</td><td>secret.key</td><td>api_key, apiKey, access_key_id, private_key</td><td>{@link AccessKeys}</td></tr>
 * </table>
 */
public final class BuiltInDetectors {
    private static final Set<String> NUMBER_WORDS = Set.of("number", "no", "num", "nr");
    private static final Set<String> STORED_SECRET_WORDS = Set.of("hash", "hashed", "digest", "enc", "encrypted", "crypt", "bcrypt", "value");

    private BuiltInDetectors() {
    }

    /** All built-in detectors, reading phone numbers without a country code as numbers of {@code phoneRegion}. */
    public static List<StandardDetector> all(String phoneRegion) {
        return List.of(email(), phone(phoneRegion), ssn(), cardNumber(), iban(), birthDate(), address(),
                password(), token(), accessKey());
    }

    /** E-mail addresses, by name and by value. */
    public static StandardDetector email() {
        return new StandardDetector("email", Tags.PII_EMAIL,
                NameRule.of(List.of("email", "emails", "e mail", "mail address"), Set.of("address", "addr"), Set.of()),
                EmailAddresses::isValid, "valid e-mail addresses");
    }

    /** Phone numbers, by name and by value; national numbers are read in {@code region}. */
    public static StandardDetector phone(String region) {
        PhoneNumbers numbers = new PhoneNumbers(region);
        return new StandardDetector("phone", Tags.PII_PHONE,
                NameRule.of(List.of("phone", "phones", "telephone", "tel", "mobile", "cellphone", "msisdn", "fax"),
                        union(NUMBER_WORDS, Set.of("e164")), Set.of()),
                numbers::isValid, "valid phone numbers (region " + numbers.defaultRegion() + ")");
    }

    /** US social security numbers, by name and by value. */
    public static StandardDetector ssn() {
        return new StandardDetector("ssn", Tags.PII_SSN,
                NameRule.of(List.of("ssn", "social security number", "social security"), NUMBER_WORDS, Set.of()),
                SocialSecurityNumbers::isValid, "valid US social security numbers");
    }

    /** Payment card numbers, by name and by value. */
    public static StandardDetector cardNumber() {
        return new StandardDetector("card-number", Tags.PCI_PAN,
                NameRule.of(List.of("card number", "card no", "card num", "card nr", "credit card", "debit card",
                        "cc number", "cc num", "cc no", "pan", "primary account number"), NUMBER_WORDS, Set.of()),
                CardNumbers::isValid, "valid card numbers (Luhn)");
    }

    /** IBANs, by name and by value. */
    public static StandardDetector iban() {
        return new StandardDetector("iban", Tags.FIN_IBAN,
                NameRule.of(List.of("iban"), union(NUMBER_WORDS, Set.of("code")), Set.of()),
                Ibans::isValid, "valid IBANs (mod 97)");
    }

    /** Dates of birth, by name only: a date says nothing about whose birthday it is. */
    public static StandardDetector birthDate() {
        return new StandardDetector("birthdate", Tags.PII_BIRTHDATE,
                NameRule.of(List.of("birth date", "date of birth", "dob", "birthday", "birth dt", "born on"), Set.of(), Set.of()),
                null, null);
    }

    /** Postal addresses and their parts, by name only; network, e-mail and wallet addresses are excluded. */
    public static StandardDetector address() {
        return new StandardDetector("address", Tags.PII_ADDRESS,
                NameRule.of(List.of("address", "addr", "street", "postal code", "post code", "postcode", "zip", "zip code"),
                        Set.of("line", "1", "2", "3", "code", "name", "number", "no"),
                        Set.of("email", "mail", "ip", "ipv4", "ipv6", "mac", "wallet", "web", "url", "host", "server",
                                "remote", "local", "bind", "listen", "memory", "contract", "hardware", "network",
                                "socket", "reply", "bitcoin", "btc", "eth", "crypto")),
                null, null);
    }

    /** Passwords, their hashes and other secrets, by name only: hashes and passwords have no recognisable shape. */
    public static StandardDetector password() {
        return new StandardDetector("password", Tags.SECRET,
                NameRule.of(List.of("password", "passwd", "pwd", "passphrase", "secret"), STORED_SECRET_WORDS, Set.of()),
                null, null);
    }

    /** Bearer tokens, by name and by value. */
    public static StandardDetector token() {
        return new StandardDetector("token", Tags.SECRET_TOKEN,
                NameRule.of(List.of("token", "jwt", "bearer"), STORED_SECRET_WORDS, Set.of()),
                Tokens::isValid, "bearer tokens (JWT, GitHub, Slack)");
    }

    /** API keys, cloud access keys and private keys, by name and by value. */
    public static StandardDetector accessKey() {
        return new StandardDetector("access-key", Tags.SECRET_KEY,
                NameRule.of(List.of("api key", "access key", "secret key", "private key", "signing key", "encryption key"),
                        union(STORED_SECRET_WORDS, Set.of("id")), Set.of()),
                AccessKeys::isValid, "access keys (AWS, Google, Stripe, PEM private keys)");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
