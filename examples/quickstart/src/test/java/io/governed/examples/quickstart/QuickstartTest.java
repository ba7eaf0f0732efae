package io.governed.examples.quickstart;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo shows what the README promises: allowed work, an agent for a human, and refusals naming their rules. */
class QuickstartTest {

    @Test
    void theDemoShowsEachDecisionWithItsRule() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Quickstart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("created two tables and two customers")
                .contains("== support-agent, for alice")
                .contains("refused: SELECT name FROM customers")
                .contains("refused: DROP TABLE customers")
                .contains("Denied by rule no-destructive-ddl")
                .contains("Denied by rule no-unbounded-writes")
                .contains("refused: SELECT 1; DrOp/**/TABLE customers");
        assertThat(out.split("Ada Lovelace", -1)).as("the customers are listed three times, the last after the refusals").hasSize(4);
    }
}
