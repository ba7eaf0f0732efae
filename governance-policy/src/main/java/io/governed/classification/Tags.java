package io.governed.classification;

import java.util.List;

/**
 * The tag vocabulary the built-in detectors use, and the rule by which a tag in a policy selects
 * more specific tags.
 *
 * <p>Tags are lower-case, dot-separated names. A dot starts a more specific tag of the same family:
 * {@code secret.token} is a kind of {@code secret}, so a mask that selects {@code secret} also
 * covers columns tagged {@code secret.token} and {@code secret.key} (see {@link #covers}).
 *
 * <table>
 *   <caption>Built-in tags</caption>
 *   <tr><th>tag</th><th>what it marks</th></tr>
 *   <tr><td>{@code pii.email}</td><td>e-mail addresses</td></tr>
 *   <tr><td>{@code pii.phone}</td><td>telephone numbers</td></tr>
 *   <tr><td>{@code pii.ssn}</td><td>US social security numbers</td></tr>
 *   <tr><td>{@code pii.birthdate}</td><td>dates of birth</td></tr>
 *   <tr><td>{@code pii.address}</td><td>postal addresses and their parts (street, postal code)</td></tr>
 *   <tr><td>{@code pci.pan}</td><td>payment card numbers</td></tr>
 *   <tr><td>{@code fin.iban}</td><td>international bank account numbers</td></tr>
 *   <tr><td>{@code secret}</td><td>passwords, password hashes and other secrets</td></tr>
 *   <tr><td>{@code secret.token}</td><td>bearer tokens: JWTs, session and service tokens</td></tr>
 *   <tr><td>{@code secret.key}</td><td>API keys, cloud access keys, private keys</td></tr>
 * </table>
 *
 * <p>{@link #NONE} is reserved: a column explicitly tagged {@code none} carries no tag at all and
 * is never auto-detected, which is how a policy silences a false positive.
 */
public final class Tags {
    public static final String PII_EMAIL = "pii.email";
    public static final String PII_PHONE = "pii.phone";
    public static final String PII_SSN = "pii.ssn";
    public static final String PII_BIRTHDATE = "pii.birthdate";
    public static final String PII_ADDRESS = "pii.address";
    public static final String PCI_PAN = "pci.pan";
    public static final String FIN_IBAN = "fin.iban";
    public static final String SECRET = "secret";
    public static final String SECRET_TOKEN = "secret.token";
    public static final String SECRET_KEY = "secret.key";

    /** Explicitly not sensitive: suppresses detection for the columns it is given to. */
    public static final String NONE = "none";

    /** Every built-in tag, in the order of the table above. */
    public static final List<String> BUILT_IN = List.of(PII_EMAIL, PII_PHONE, PII_SSN, PII_BIRTHDATE,
            PII_ADDRESS, PCI_PAN, FIN_IBAN, SECRET, SECRET_TOKEN, SECRET_KEY);

    private Tags() {
    }

    /**
     * Whether a selector written in a policy covers a column's tag: the same tag, or a more
     * specific one ({@code secret} covers {@code secret.key}; {@code secret.key} does not cover
     * {@code secret}, and {@code pii.e} does not cover {@code pii.email}).
     */
    public static boolean covers(String selector, String tag) {
        if (tag.length() == selector.length()) {
            return tag.equalsIgnoreCase(selector);
        }
        return tag.length() > selector.length()
                && tag.charAt(selector.length()) == '.'
                && tag.regionMatches(true, 0, selector, 0, selector.length());
    }

    /**
     * Checks that a tag is well formed: dot-separated, non-empty parts of lower-case letters,
     * digits, {@code -} and {@code _}.
     *
     * @throws IllegalArgumentException naming the tag and what is wrong with it
     */
    public static String requireValid(String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("A classification tag is empty; write a name (e.g. pii.email)");
        }
        boolean partStart = true;
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c == '.') {
                if (partStart) {
                    break;
                }
                partStart = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                partStart = false;
            } else {
                throw new IllegalArgumentException("Classification tag '" + tag + "' contains '" + c
                        + "'; use lower-case letters, digits, '-' and '_', with '.' between parts (e.g. pii.email)");
            }
        }
        if (partStart) {
            throw new IllegalArgumentException("Classification tag '" + tag
                    + "' has an empty part; write parts separated by single dots (e.g. secret.key)");
        }
        return tag;
    }
}
