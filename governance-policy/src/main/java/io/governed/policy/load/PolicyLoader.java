package io.governed.policy.load;

import io.governed.masking.MaskerRegistry;
import io.governed.policy.Policy;
import io.governed.policy.PolicyProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads policies from YAML or JSON: a file, a classpath resource, text in memory, or several of
 * them composed (a platform's base and an application's additions). Every problem in every source
 * is reported at once, with file, line and column, in a {@link PolicyLoadException}.
 *
 * <pre>{@code
 * Policy p = PolicyLoader.load("classpath:policies/app.yaml");
 * Policy q = PolicyLoader.compose(PolicyLoader.baselineSource(), PolicySource.fromPath(Path.of("app.yaml")));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PolicyLoader {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyLoader.class);

    /** Where the built-in baseline policy lives on the classpath. */
    public static final String BASELINE_RESOURCE = "io/governed/policy/baseline.yaml";

    /** The mask functions policies may name: the built-in ones and the {@code Masker} services of policy jars. */
    private static final MaskerRegistry MASKERS = MaskerRegistry.load(PolicyLoader.class.getClassLoader());

    private PolicyLoader() {
    }

    /** The policy at {@code location}: {@code classpath:NAME}, or a file path. */
    public static Policy load(String location) {
        return compose(PolicySource.locate(location));
    }

    /** The policy in a file. */
    public static Policy load(Path path) {
        return compose(PolicySource.fromPath(path));
    }

    /** The policy in a classpath resource ({@code classpath:} prefix optional). */
    public static Policy fromClasspath(String resource) {
        return compose(PolicySource.fromClasspath(resource));
    }

    /** The policy in {@code text}, reported under {@code sourceName} (JSON when it ends in {@code .json}, else YAML). */
    public static Policy fromString(String sourceName, String text) {
        return compose(PolicySource.of(sourceName, text));
    }

    /** The policies at these locations, comma separated as the {@code governed.policy} setting takes them, composed in order. */
    public static Policy loadAll(String commaSeparatedLocations) {
        List<PolicySource> sources = new ArrayList<>();
        Arrays.stream(commaSeparatedLocations.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(location -> sources.add(PolicySource.locate(location)));
        if (sources.isEmpty()) {
            throw new PolicyLoadException(List.of(new PolicyProblem("governed.policy", 0, 0,
                    "no policy location given: name a file or classpath:NAME")));
        }
        return compose(sources);
    }

    /** Several sources composed in order; see {@link #compose(List)}. */
    public static Policy compose(PolicySource... sources) {
        return compose(List.of(sources));
    }

    /**
     * Several sources composed in order: rules, masks, row filters and approvals are concatenated
     * and classification tags merged. {@code default}, {@code on-unparseable} and
     * {@code auto-detect} are inherited by a source that leaves them out; a source that sets one to a
     * different value than an earlier source is an error. Ids must be unique across all sources.
     *
     * @throws PolicyLoadException listing every problem of every source
     */
    public static Policy compose(List<PolicySource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("compose needs at least one policy source");
        }
        Problems problems = new Problems();
        List<PolicyFragment> fragments = new ArrayList<>();
        for (PolicySource source : sources) {
            Node root = NodeReader.read(source, problems);
            if (root != null) {
                fragments.add(PolicyFileReader.read(root, problems, MASKERS));
            }
        }
        Policy composed = PolicyComposer.compose(fragments, problems);
        problems.throwIfAny();
        Policy policy = composed.withProvenance(PolicyProvenance.of(
                sources.stream().map(s -> PolicyProvenance.File.of(s.name(), s.text())).toList()));
        LOG.debug("Loaded policy {} from {}: {} rules, {} masks, {} row filters, {} approvals",
                policy.provenance().shortDigest(), sources.stream().map(PolicySource::name).toList(), policy.rules().size(), policy.masks().size(),
                policy.rowFilters().size(), policy.approvals().size());
        return policy;
    }

    /** The built-in baseline policy's source, to compose an application's policy onto. */
    public static PolicySource baselineSource() {
        return PolicySource.fromClasspath(BASELINE_RESOURCE);
    }

    /**
     * The built-in baseline policy: everyone may read and write data, create objects and run
     * session statements; destructive DDL, grants, dynamic SQL, program execution, file access,
     * unbounded UPDATE/DELETE and multi-statement strings are forbidden; everything else is denied
     * by default. See POLICY.md for the full list and the reasons.
     */
    public static Policy baseline() {
        return Baseline.POLICY;
    }

    /** Loads the baseline once, on first use. */
    private static final class Baseline {
        static final Policy POLICY = compose(baselineSource());
    }
}
