package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernanceException;
import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditDispatcher;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskerRegistry;
import io.governed.masking.builtin.TokenMasker;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.model.Mask;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Restores the values behind the tokens of one {@code token} mask, for callers the mask does not
 * apply to (its {@code unless}: the person an agent works for, say), and for tokens its vault holds
 * sealed under its vault key. Every attempt is an audit event, action {@value #ACTION}: {@code allow}
 * (restored), {@code deny} (the mask applies to the caller) or {@code error} (an unknown token); none
 * carries the token or the value. When the audit cannot take the event, nothing is restored.
 *
 * <pre>{@code
 * Detokenizer detokenizer = Detokenizer.of(governance, "customer-tokens");
 * String email = detokenizer.detokenize(user, "tok_3f9a0c41d2e85b67@example.invalid");
 * }</pre>
 */
public final class Detokenizer {
    /** The {@code action} of detokenization audit events. */
    public static final String ACTION = "detokenize";

    private final Mask mask;
    private final TokenMasker.TokenMask tokens;
    private final AuditDispatcher audit;

    private Detokenizer(Mask mask, TokenMasker.TokenMask tokens, AuditDispatcher audit) {
        this.mask = mask;
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The detokenizer of the token mask {@code maskId} of the policy in force in {@code governance}, audited by its audit. */
    public static Detokenizer of(Governance governance, String maskId) {
        if (governance.engine() == null) {
            throw new IllegalArgumentException("This governance decides without a policy, so it has no token mask '" + maskId + "'");
        }
        return of(governance.engine().policy(), maskId, governance.audit().dispatcher());
    }

    /**
     * The detokenizer of the token mask {@code maskId} of {@code policy}.
     *
     * @param audit where detokenizations are recorded; {@code null}: nowhere (tests only)
     * @throws IllegalArgumentException when the policy has no token mask of that id
     */
    public static Detokenizer of(Policy policy, String maskId, AuditDispatcher audit) {
        Mask mask = policy.masks().stream().filter(m -> m.id().equals(maskId)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("The policy has no mask '" + maskId + "' in force; name a mask with function: token"));
        if (!"token".equals(mask.function())) {
            throw new IllegalArgumentException("Mask '" + maskId + "' is a '" + mask.function()
                    + "' mask, which cannot be reversed; only function: token masks have tokens to restore");
        }
        MaskFunction function = MaskerRegistry.builtIn().create("token", mask.parameters());
        return new Detokenizer(mask, (TokenMasker.TokenMask) function, audit);
    }

    /**
     * The value {@code token} stands for, as text (a number's or date's {@code toString}).
     *
     * @throws GovernanceException (42501) when the mask applies to {@code identity}, or no identity is given
     * @throws SQLException        (22023) when the vault has no such token, or cannot open it with this key;
     *                             or when the audit cannot record the attempt
     */
    public String detokenize(Identity identity, Object token) throws SQLException {
        Objects.requireNonNull(token, "token");
        if (audit != null) {
            audit.checkAvailable();
        }
        if (identity == null || mask.appliesTo(identity)) {
            String reason = "Detokenization refused: mask '" + mask.id() + "' applies to "
                    + (identity == null ? "a caller without identity" : identity.describe())
                    + ", so its tokens are not restored for it; only callers its 'unless' names see values";
            record(identity, AuditDecision.DENY, reason);
            throw new GovernanceException(Decision.deny(List.of(mask.id()), reason));
        }
        String value = tokens.restore(token);
        if (value == null) {
            String reason = "The token is not one mask '" + mask.id() + "' handed out, or its vault cannot open it "
                    + "with the vault key configured (a rotated or wrong vault key)";
            record(identity, AuditDecision.ERROR, reason);
            throw new SQLException(reason, "22023");
        }
        record(identity, AuditDecision.ALLOW, "restored a value of mask '" + mask.id() + "'");
        return value;
    }

    private void record(Identity identity, AuditDecision decision, String reason) throws SQLException {
        if (audit != null && audit.recording()) {
            audit.submit(AuditEvent.builder().time(Instant.now()).identity(identity).action(ACTION).decision(decision)
                    .rules(List.of(mask.id())).reason(reason).build());
        }
    }
}
