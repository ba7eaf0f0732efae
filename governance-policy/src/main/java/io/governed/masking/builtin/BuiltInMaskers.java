package io.governed.masking.builtin;

import io.governed.masking.Masker;
import java.util.List;

/**
 * The mask functions that ship with the library.
 *
 * <table>
 *   <caption>Built-in mask functions</caption>
 *   <tr><th>name</th><th>parameters</th><th>effect</th></tr>
 *   <tr><td>redact</td><td>text, numbers (zero|null)</td><td>{@code ****}; numbers 0; others null</td></tr>
 *   <tr><td>partial</td><td>keep-first, keep-last, mask-char, keep-separators</td><td>{@code ************1234}</td></tr>
 *   <tr><td>email</td><td>—</td><td>{@code a***@example.com}</td></tr>
 *   <tr><td>hash</td><td>key-env | key-file, encoding (hex|base64url)</td><td>HMAC-SHA-256, equal in, equal out</td></tr>
 *   <tr><td>null</td><td>—</td><td>NULL</td></tr>
 *   <tr><td>default</td><td>—</td><td>"", 0, false, 1970-01-01, nil UUID</td></tr>
 *   <tr><td>year</td><td>—</td><td>1 January of the value's year</td></tr>
 *   <tr><td>bucket</td><td>width (required)</td><td>lower bound of the value's bucket</td></tr>
 *   <tr><td>token</td><td>key-env | key-file, vault-key-env | vault-key-file, vault, scope</td><td>{@code tok_3f9a…@example.invalid}, typed, restorable</td></tr>
 * </table>
 */
public final class BuiltInMaskers {
    private BuiltInMaskers() {
    }

    /** One instance of each built-in masker. */
    public static List<Masker> all() {
        return List.of(new RedactMasker(), new PartialMasker(), new EmailMasker(), new HashMasker(),
                new NullMasker(), new DefaultValueMasker(), new YearMasker(), new BucketMasker(), new TokenMasker());
    }
}
