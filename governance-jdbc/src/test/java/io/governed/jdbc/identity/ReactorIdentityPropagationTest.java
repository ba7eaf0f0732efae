package io.governed.jdbc.identity;

import io.governed.identity.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Reactor with automatic context propagation: the scope of the subscriber (captured with
 * contextCapture) or an identity put in the Reactor context under IdentityAccessor.KEY is the scope
 * of the blocking JDBC work on another scheduler's thread, as the gate sees it.
 */
class ReactorIdentityPropagationTest {
    private final GateWitness gate = new GateWitness();

    @BeforeEach
    void propagate() {
        Hooks.enableAutomaticContextPropagation();
    }

    @AfterEach
    void stopPropagating() {
        Hooks.disableAutomaticContextPropagation();
    }

    private Mono<String> query(String marker) {
        return Mono.fromCallable(() -> gate.run(marker)).subscribeOn(Schedulers.boundedElastic());
    }

    @Test
    void theSubscribersScopeIsCapturedAndCarriedToTheScheduler() throws SQLException {
        String marker = IdentityContext.runAs(Identity.human("alice"),
                () -> query("reactor-captured").contextCapture().block(Duration.ofSeconds(10)));
        assertThat(gate.ranAs(marker)).isEqualTo("alice");
    }

    @Test
    void anIdentityInTheReactorContextIsTheScopeOfTheWork() {
        String marker = query("reactor-context").contextWrite(c -> c.put(IdentityAccessor.KEY, Identity.human("bob")))
                .block(Duration.ofSeconds(10));
        assertThat(gate.ranAs(marker)).isEqualTo("bob");
        String none = query("reactor-none").block(Duration.ofSeconds(10));
        assertThat(gate.ranAs(none)).as("nothing captured, nothing in the context").isEqualTo("app-default");
    }
}
