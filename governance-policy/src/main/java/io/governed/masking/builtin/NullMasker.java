package io.governed.masking.builtin;

import io.governed.masking.MaskEnvironment;
import io.governed.masking.MaskFunction;
import io.governed.masking.MaskParameter;
import io.governed.masking.MaskParameters;
import io.governed.masking.Masker;
import java.util.List;

/** {@code null}: every value becomes SQL NULL. */
public final class NullMasker implements Masker {
    @Override
    public String name() {
        return "null";
    }

    @Override
    public List<MaskParameter> parameters() {
        return List.of();
    }

    @Override
    public MaskFunction configure(MaskParameters parameters, MaskEnvironment environment) {
        return value -> null;
    }
}
