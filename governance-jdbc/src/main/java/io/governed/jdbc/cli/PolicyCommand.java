package io.governed.jdbc.cli;

import io.governed.identity.Identity;
import io.governed.identity.IdentityProvenance;
import io.governed.identity.IdentityKind;
import io.governed.policy.Decision;
import io.governed.policy.Policy;
import io.governed.policy.model.AppliedLimits;
import io.governed.policy.engine.StatementExplainer;
import io.governed.policy.load.PolicyLoadException;
import io.governed.policy.load.PolicyLoader;
import io.governed.policy.load.PolicySource;
import io.governed.policy.testing.PolicyCase;
import io.governed.policy.testing.PolicyCaseException;
import io.governed.policy.testing.PolicyCaseResult;
import io.governed.policy.testing.PolicyCases;
import io.governed.policy.testing.PolicyTestRunner;
import io.governed.sql.Dialect;
import io.governed.sql.RowFilterRewriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code policy check}, {@code policy explain} and {@code policy test}. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Validates policies, explains decisions and runs policy tests.")
final class PolicyCommand {
    /** Exit code of a policy that does not load, or of a statement that is not allowed. */
    static final int PROBLEM = 1;

    @Spec
    CommandSpec spec;

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Loads the policy files, composed in the order given, and reports every problem with file, line and column.")
    int check(@Parameters(paramLabel = "FILE", arity = "1..*",
            description = "policy files (YAML or JSON) or classpath:NAME, a platform base first") List<String> files) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Policy policy = load(files, false);
            out.printf("OK: %s: %d rules, %d masks, %d row filters, %d approvals; default %s, on-unparseable %s%n",
                    String.join(" + ", files), policy.rules().size(), policy.masks().size(), policy.rowFilters().size(),
                    policy.approvals().size(), lower(policy.defaultEffect()), lower(policy.onUnparseable()));
            return 0;
        } catch (PolicyLoadException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return PROBLEM;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Analyses a statement and shows the decision the policy makes for an identity, the rules behind it, and which result columns it would see masked. "
                    + "Exits 0 when the statement would run, 1 otherwise.")
    int explain(
            @Parameters(paramLabel = "FILE", arity = "0..*",
                    description = "policy files or classpath:NAME; none: the built-in baseline") List<String> files,
            @Option(names = "--baseline", description = "compose the built-in baseline under the files") boolean baseline,
            @Option(names = "--principal", paramLabel = "NAME", required = true, description = "who runs the statement") String principal,
            @Option(names = "--kind", paramLabel = "KIND", defaultValue = "human", description = "human, service or agent (default: human)") IdentityKind kind,
            @Option(names = "--groups", paramLabel = "GROUP", split = ",", description = "the principal's groups, comma separated") List<String> groups,
            @Option(names = "--on-behalf-of", paramLabel = "PRINCIPAL", description = "the human an agent or service acts for") String onBehalfOf,
            @Option(names = "--purpose", paramLabel = "PURPOSE", description = "why the work is done") String purpose,
            @Option(names = "--attribute", paramLabel = "NAME=VALUE", description = "an identity attribute, NAME=VALUE; repeatable") Map<String, String> attributes,
            @Option(names = "--verified-by", paramLabel = "ISSUER",
                    description = "the identity (and whom it acts for) was verified from a token of ISSUER (default: asserted)") String verifiedBy,
            @Option(names = "--dialect", paramLabel = "DIALECT", defaultValue = "postgresql",
                    description = "postgresql, mariadb, h2, sqlserver, oracle or generic (default: postgresql)") Dialect dialect,
            @Option(names = "--schema", paramLabel = "SCHEMA", description = "the schema unqualified tables are in (default: public for PostgreSQL, PUBLIC for H2)") String schema,
            @Option(names = "--table", paramLabel = "TABLE=COLUMN,…", mapFallbackValue = "",
                    description = "a table (name or schema.name) and its columns, which prove a write's bound resting on an"
                            + " unqualified name inside a subquery, as the driver's catalog does; repeatable") Map<String, String> tables,
            @Option(names = "--sql", paramLabel = "SQL", required = true, description = "the statement") String sql) {
        PrintWriter out = spec.commandLine().getOut();
        Policy policy;
        try {
            policy = files == null || files.isEmpty() ? PolicyLoader.baseline() : load(files, baseline);
        } catch (PolicyLoadException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return PROBLEM;
        }
        IdentityProvenance provenance = verifiedBy == null ? IdentityProvenance.ASSERTED
                : IdentityProvenance.verified(verifiedBy, null, null, Instant.now().plusSeconds(3600));
        Identity identity = identity(principal, kind, groups, onBehalfOf, purpose, attributes, provenance);
        StatementExplainer explainer = new StatementExplainer(policy);
        Map<String, List<String>> columns = new java.util.LinkedHashMap<>();
        if (tables != null) {
            tables.forEach((table, list) -> columns.put(table, java.util.Arrays.stream(list.split(",")).map(String::strip)
                    .filter(c -> !c.isEmpty()).toList()));
        }
        StatementExplainer.Explanation explained = explainer.explain(identity, sql, dialect, schema, columns);
        Decision decision = explained.decision();
        Decision wouldBe = explained.wouldBe();
        String defaultSchema = explained.defaultSchema();

        out.println("Identity:    " + identity);
        out.println("Statement:   " + sql);
        out.println("Fingerprint: " + explained.analysis().fingerprint());
        out.println("Dialect:     " + lower(dialect) + (defaultSchema == null ? "" : ", default schema " + defaultSchema));
        AnalysisPrinter.print(explained.analysis(), out);
        out.println("Decision:    " + decision.effect());
        out.println("Rules:       " + (decision.rules().isEmpty() ? "(none: the policy's default or a fail-closed check decided)" : String.join(", ", decision.rules())));
        out.println("Reason:      " + decision.reason());
        if (decision.approvalRequestId() != null) {
            out.println("Approval:    request " + decision.approvalRequestId());
        }
        if (wouldBe != null) {
            out.println("Observe:     WOULD_DENY, not enforced (enforcement: observe); audited as would_deny");
            out.println("  rules:     " + (wouldBe.rules().isEmpty() ? "(none: the policy's default)" : String.join(", ", wouldBe.rules())));
            out.println("  reason:    " + wouldBe.reason());
        }
        AppliedLimits limits = explained.limits();
        if (!limits.none()) {
            out.println("Limits:      " + describe(limits));
        }
        RowFilterRewriter.Rewrite rewrite = explained.rewrite();
        if (rewrite != null) {
            long bound = rewrite.bindings().stream().filter(b -> !b.application()).count();
            out.println("Rewritten:   " + rewrite.sql());
            out.println("Row filters: " + String.join(", ", rewrite.filters()) + " (" + bound + " value"
                    + (bound == 1 ? "" : "s") + " bound as parameters, not shown)");
            boolean merge = !explained.analysis().statements().isEmpty()
                    && explained.analysis().statements().get(0).action() == io.governed.sql.Action.MERGE;
            for (RowFilterRewriter.RowCheck check : rewrite.checks()) {
                out.println("Row check:   " + check.filter() + ": " + check.condition() + (merge
                        ? " (the row the MERGE's WHEN NOT MATCHED THEN INSERT adds, checked before the MERGE runs; "
                        : " (checked before the INSERT runs; ") + "a row it is not true for refuses the statement)");
            }
        }
        if (decision.allowed()) {
            MaskPlanPrinter.print(explainer.engine().maskPlanner(), explained, out);
        }
        return decision.allowed() ? 0 : PROBLEM;
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Runs policy tests: YAML cases of an identity running a statement and the decision, rules, masks and row "
                    + "filters the policy should give it, decided as 'policy explain' decides them. Prints each failing case with "
                    + "file:line, what was expected and what the policy did, and a summary. "
                    + "Exits 0 when every case passes, 1 when one fails or a file cannot be read, 2 on bad input.")
    int test(
            @Parameters(paramLabel = "PATH", arity = "1..*",
                    description = "test files, or directories whose .yaml, .yml and .json files are read (subdirectories too)") List<Path> paths,
            @Option(names = "--policy", paramLabel = "FILE", arity = "1..*", required = true,
                    description = "policy files or classpath:NAME, composed in the order given, a platform base first") List<String> files,
            @Option(names = "--baseline", description = "compose the built-in baseline under the files") boolean baseline,
            @Option(names = {"-v", "--verbose"}, description = "list the cases that pass too") boolean verbose) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new ParameterException(spec.commandLine(), "no such file or directory: " + path
                        + ": give the policy test files or the directories that hold them");
            }
        }
        Policy policy;
        List<PolicyCase> cases = new ArrayList<>();
        try {
            policy = load(files, baseline);
        } catch (PolicyLoadException e) {
            err.println(e.getMessage());
            return PROBLEM;
        }
        try {
            for (Path path : paths) {
                cases.addAll(PolicyCases.fromPath(path));
            }
        } catch (PolicyCaseException e) {
            err.println(e.getMessage());
            return PROBLEM;
        }
        List<PolicyCaseResult> results = new PolicyTestRunner(policy).run(cases);
        long failed = results.stream().filter(r -> !r.passed()).count();
        for (PolicyCaseResult result : results) {
            if (!result.passed() || verbose) {
                out.println(result.report());
            }
        }
        out.printf("%s: %d case%s, %d passed, %d failed (policy %s)%n", failed == 0 ? "OK" : "FAILED", results.size(),
                results.size() == 1 ? "" : "s", results.size() - failed, failed,
                (baseline ? "baseline + " : "") + String.join(" + ", files));
        return failed == 0 ? 0 : PROBLEM;
    }

    private static String describe(AppliedLimits limits) {
        List<String> parts = new ArrayList<>();
        if (limits.maxRows() > 0) {
            parts.add("max-rows " + limits.maxRows() + " (" + limits.onMaxRows().externalName() + ", " + limits.maxRowsLimit() + ")");
        }
        if (limits.maxStatements() > 0) {
            parts.add("max-statements " + limits.maxStatements() + "/min (" + limits.maxStatementsLimit() + ")");
        }
        if (limits.timeoutSeconds() > 0) {
            parts.add("statement-timeout " + limits.timeoutSeconds() + "s (" + limits.timeoutLimit() + ")");
        }
        return String.join("; ", parts);
    }

    static Policy load(List<String> files, boolean onBaseline) {
        List<PolicySource> sources = new ArrayList<>();
        if (onBaseline) {
            sources.add(PolicyLoader.baselineSource());
        }
        files.forEach(f -> sources.add(PolicySource.locate(f)));
        return PolicyLoader.compose(sources);
    }

    static Identity identity(String principal, IdentityKind kind, List<String> groups, String onBehalfOf,
                             String purpose, Map<String, String> attributes, IdentityProvenance provenance) {
        Identity.Builder b = Identity.builder(principal).kind(kind).purpose(purpose).provenance(provenance);
        if (groups != null) {
            b.groups(groups);
        }
        if (onBehalfOf != null) {
            b.onBehalfOf(Identity.builder(onBehalfOf).provenance(provenance).build());
        }
        if (attributes != null) {
            attributes.forEach(b::attribute);
        }
        return b.build();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
