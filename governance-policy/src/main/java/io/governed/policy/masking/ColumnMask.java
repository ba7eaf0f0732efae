package io.governed.policy.masking;

import io.governed.masking.MaskFunction;
import io.governed.policy.model.Mask;

import java.util.Objects;

/**
 * How one result column (or one base column) is shown to one caller: through which mask, with which
 * configured function, and why.
 *
 * @param mask     the policy's mask that applies
 * @param function the name of the function values go through; {@code redact} for a column whose
 *                 lineage is unknown, whatever the mask's own function
 * @param masking  the configured function
 * @param reason   why the column is masked, naming the column it derives from and its tag, never a value
 */
public record ColumnMask(Mask mask, String function, MaskFunction masking, String reason) {
    public ColumnMask {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(masking, "masking");
        Objects.requireNonNull(reason, "reason");
    }

    /** The mask's id, as decisions, audit events and error messages name it. */
    public String maskId() {
        return mask.id();
    }

    /** {@code mask-ids (partial)}: for messages. */
    public String describe() {
        return mask.id() + " (" + function + ")";
    }
}
