package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import io.governed.identity.IdentityKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scope that ends takes every scope opened inside it along: whatever order the scopes are closed in, and whether the
 * work of a {@code runAs} left a scope of its own open, no identity stays in effect on the thread after its scope ended
 * (on a pooled thread, it would be the next task's identity).
 */
class ScopesClosedOutOfOrderTest {
    private static final Identity ADMIN = Identity.builder("root-ops").groups("dba", "pii-readers").build();
    private static final Identity AGENT = Identity.builder("bot").kind(IdentityKind.AGENT)
            .onBehalfOf(Identity.human("ann")).build();

    @AfterEach
    void noScopeLeft() {
        IdentityContext.set(null);
    }

    @Test
    void anOuterScopeClosedBeforeAnInnerOneLeavesNoIdentityBehind() {
        IdentityContext.Scope outer = IdentityContext.open(ADMIN);
        IdentityContext.Scope inner = IdentityContext.open(AGENT);
        outer.close();
        assertThat(IdentityContext.scopedOrNull()).as("the outer scope ends the inner one").isNull();
        inner.close();
        assertThat(IdentityContext.scopedOrNull()).as("closing the inner one brings nothing back").isNull();
    }

    @Test
    void aScopeLeftOpenInsideRunAsEndsWithIt() {
        IdentityContext.Scope[] leftOpen = new IdentityContext.Scope[1];
        IdentityContext.runAs(AGENT, () -> {
            leftOpen[0] = IdentityContext.open(ADMIN);
        });
        assertThat(IdentityContext.scopedOrNull()).isNull();
        leftOpen[0].close();
        assertThat(IdentityContext.scopedOrNull()).as("closing it late does not bring the agent's scope back").isNull();
    }

    @Test
    void scopesClosedInOrderRestoreEachOuterOne() {
        try (IdentityContext.Scope outer = IdentityContext.open(ADMIN)) {
            try (IdentityContext.Scope inner = IdentityContext.open(AGENT)) {
                assertThat(IdentityContext.scopedOrNull()).isEqualTo(AGENT);
            }
            assertThat(IdentityContext.scopedOrNull()).isEqualTo(ADMIN);
            IdentityContext.runAs(AGENT, () -> assertThat(IdentityContext.scopedOrNull()).isEqualTo(AGENT));
            assertThat(IdentityContext.scopedOrNull()).isEqualTo(ADMIN);
        }
        assertThat(IdentityContext.scopedOrNull()).isNull();
    }

    @Test
    void aTaskThatLeavesAScopeOpenOnAPooledThreadHandsNoIdentityToTheNextTask() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            IdentityContext.Scope[] leftOpen = new IdentityContext.Scope[1];
            IdentityContext.runAs(AGENT, () -> pool.submit(IdentityContext.wrap(() -> {
                leftOpen[0] = IdentityContext.open(ADMIN);
            })).get());
            pool.submit(() -> leftOpen[0].close()).get(); // closed late, by the next task on the thread
            assertThat(pool.submit(IdentityContext::scopedOrNull).get()).isNull();
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
