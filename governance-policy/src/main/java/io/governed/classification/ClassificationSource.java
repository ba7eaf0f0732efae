package io.governed.classification;

/** Where a column's tag came from. */
public enum ClassificationSource {
    /** A tag pattern in the policy matched the column; always wins over detection. */
    EXPLICIT,
    /** A detector recognised the column's name. */
    NAME,
    /** Enough of the values sampled from the column were recognised by a detector. */
    VALUE
}
