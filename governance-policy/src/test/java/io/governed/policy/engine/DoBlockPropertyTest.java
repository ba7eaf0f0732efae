package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.CatalogStub;
import io.governed.policy.Decision;
import io.governed.policy.load.PolicyLoader;
import io.governed.sql.Dialect;
import io.governed.sql.SqlAnalyzer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over generated PL/pgSQL DO blocks that run dynamic SQL somewhere (EXECUTE in any of its forms, in any case, among
 * other statements, in any dollar-quote tag, with or without LANGUAGE plpgsql): the block may do anything, so a
 * policy that permits everything but forbids one action on one table refuses it, whichever action and table.
 */
class DoBlockPropertyTest {

    private static final Identity CALLER = Identity.builder("svc").groups("app").build();
    private static final List<String> OTHERS = List.of("NULL;", "PERFORM 1;", "UPDATE app.t SET x = 1 WHERE id = 1;",
            "IF true THEN NULL; END IF;", "PERFORM id FROM app.t WHERE id = 2;", "RAISE NOTICE 'x';");
    private static final List<String> DYNAMIC = List.of("EXECUTE 'SELECT 1';", "execute 'DROP TABLE app.t';",
            "Execute format('DELETE FROM %I', 't');", "EXECUTE 'UPDATE app.t SET x = $1' USING 2;",
            "IF true THEN EXECUTE 'TRUNCATE app.t'; END IF;", "EXECUTE $q$CREATE TABLE app.u (id int)$q$;",
            "BEGIN EXECUTE 'ALTER TABLE app.t ADD COLUMN y int'; END;");
    private static final List<String> TAGS = List.of("$$", "$body$", "$X$", "$do_1$");
    private static final List<String> RESOURCES = List.of("\"*\"", "\"app.t\"", "\"other.*\"", "\"vault.secrets\"");
    private static final List<String> CONDITIONS = List.of("", ", when: { where: absent }",
            ", when: { where: present }", ", when: { traits: [adds-only] }");

    record Block(List<String> before, String dynamic, List<String> after, String tag, int language) {
        String sql() {
            String body = "BEGIN " + String.join(" ", before) + " " + dynamic + " " + String.join(" ", after) + " END";
            String quoted = tag + " " + body + " " + tag;
            return switch (language) {
                case 0 -> "DO " + quoted;
                case 1 -> "DO LANGUAGE plpgsql " + quoted;
                default -> "do " + quoted + " language PLPGSQL";
            };
        }
    }

    @Provide
    Arbitrary<Block> blocks() {
        Arbitrary<List<String>> others = Arbitraries.of(OTHERS).list().ofMaxSize(3);
        return net.jqwik.api.Combinators.combine(others, Arbitraries.of(DYNAMIC), others, Arbitraries.of(TAGS),
                Arbitraries.integers().between(0, 2)).as(Block::new);
    }

    @Provide
    Arbitrary<String> forbids() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(Access.OPAQUE_ACTIONS), Arbitraries.of(RESOURCES),
                Arbitraries.of(CONDITIONS)).as((action, resource, condition) -> "  - { id: forbidden, effect: forbid,"
                + " actions: [" + action.externalName() + "], resources: [" + resource + "]" + condition + " }\n");
    }

    @Property(tries = 300, seed = "20261205")
    void aDoBlockRunningDynamicSqlIsRefusedUnderAnyForbidOfWhatItMayDo(@ForAll("blocks") Block block,
                                                                         @ForAll("forbids") String forbid) {
        String yaml = "version: 1\ndefault: deny\nrules:\n"
                + "  - { id: all-plain, effect: permit, actions: [\"*\"], resources: [\"*\"] }\n" + forbid;
        PolicyEngine engine = new PolicyEngine(PolicyLoader.fromString("generated.yaml", yaml));
        Decision decision = engine.decide(CALLER, new SqlAnalyzer().analyze(block.sql(), Dialect.POSTGRESQL),
                DecisionContext.of(new CatalogStub()));
        assertThat(decision.allowed()).as(block.sql() + "\n" + yaml + "\n" + decision.reason()).isFalse();
        assertThat(decision.rules()).as(block.sql() + "\n" + yaml + "\n" + decision.reason()).containsExactly("forbidden");
    }
}
