package io.governed.jdbc.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** What the approvals commands print of text others wrote: shown, never acted on by a terminal, one line per println. */
class VisibleTextWriterTest {

    @Test
    void onlyPrintlnEndsALine() {
        StringWriter target = new StringWriter();
        PrintWriter out = new VisibleTextWriter(new PrintWriter(target));
        out.println("Statement:    DELETE FROM t\nWHERE id = 1");
        out.print("Purpose:      x\r\n");
        out.printf("%s%n", "y");
        out.println();
        out.flush();
        String n = System.lineSeparator();
        assertThat(target.toString()).isEqualTo("Statement:    DELETE FROM t\\nWHERE id = 1" + n
                + "Purpose:      x\\r\\n" + "y" + io.governed.policy.approval.RequesterText.visible(n) + n);
    }
}
