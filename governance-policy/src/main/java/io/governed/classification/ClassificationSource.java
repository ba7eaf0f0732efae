package io.governed.classification;

/** Where a column's tag came from. */
public enum ClassificationSource {
    /** A tag pattern in the policy matched the column; always wins over detection. */
    EXPLICIT,
    /** A detector recognised the column's name. */
    NAME,
    /** Enough of the values sampled from the column were recognised by a detector. */
    VALUE,
    /**
     * Enough of the values sampled from the column held a value a detector recognises inside other text (JSON
     * documents, rows, sentences), not as the whole value: a mask function made for the value alone (an e-mail mask
     * keeping what follows the {@code @}) would show the rest of the text, so masks selecting the tag redact the column.
     */
    VALUE_INSIDE
}
