package io.governed.masking;

/**
 * Guards a mask function from a policy jar: a result that is neither {@code null} nor of the
 * input's class is refused with {@link UnmaskableValueException} rather than handed to the
 * application, where it would fail far from its cause.
 */
final class TypeCheckedMaskFunction implements MaskFunction {
    private final String name;
    private final MaskFunction delegate;

    TypeCheckedMaskFunction(String name, MaskFunction delegate) {
        this.name = name;
        this.delegate = delegate;
    }

    @Override
    public Object mask(Object value) {
        Object masked = delegate.mask(value);
        if (masked == null) {
            return null;
        }
        if (value == null) {
            throw new IllegalStateException("Mask function '" + name + "' turned NULL into a "
                    + masked.getClass().getSimpleName() + "; a masker must return null for null");
        }
        if (masked.getClass() != value.getClass()) {
            throw new UnmaskableValueException(name, value.getClass(),
                    "it returned a " + masked.getClass().getSimpleName() + " instead; fix the masker or use another function");
        }
        return masked;
    }
}
