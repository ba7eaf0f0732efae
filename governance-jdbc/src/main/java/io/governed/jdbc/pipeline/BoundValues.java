package io.governed.jdbc.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The values a prepared statement's run binds, as the wrapper that runs it recorded them: for each entry the run
 * executes (one, or each of a batch's), the setter calls by parameter index (the setter's name, then its arguments).
 * A wrapper whose {@link NewRowCheck} knows them implements this too.
 */
@FunctionalInterface
public interface BoundValues {

    /** Each entry's setter calls by parameter index; {@code null} when the values were not recorded. */
    List<Map<Integer, Object[]>> entries();
}
