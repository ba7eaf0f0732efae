package io.governed.policy.load;

/** A value read from a policy source, with where it was written. */
record Located<T>(T value, Position position) {
}
