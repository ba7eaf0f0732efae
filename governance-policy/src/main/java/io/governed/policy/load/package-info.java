/**
 * Loading policies. {@link io.governed.policy.load.PolicyLoader} is the entry point; the rest is its
 * machinery: the text is read into a tree that keeps every value's line and column
 * ({@code NodeReader}), each source is validated into a fragment ({@code PolicyFileReader} and the
 * readers of each section), and the fragments are composed into a policy ({@code PolicyComposer}).
 * Every problem found is collected and reported at once in a {@link io.governed.policy.load.PolicyLoadException}.
 */
package io.governed.policy.load;
