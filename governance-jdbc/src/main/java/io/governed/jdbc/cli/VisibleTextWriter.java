package io.governed.jdbc.cli;

import io.governed.policy.approval.RequesterText;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A {@link PrintWriter} for output that shows text others wrote (a requester's statement, purpose and name): every
 * text written is shown as {@link RequesterText#visible} makes it, so that it cannot move the cursor, clear or recolour
 * what the reader sees, turn text around, or start a line of its own. Each {@code println} ends one line; nothing
 * else does.
 */
final class VisibleTextWriter extends PrintWriter {

    VisibleTextWriter(PrintWriter target) {
        super(target, true);
    }

    @Override
    public void write(int c) {
        write(String.valueOf((char) c));
    }

    @Override
    public void write(char[] buf, int off, int len) {
        write(new String(buf, off, len));
    }

    @Override
    public void write(String s, int off, int len) {
        String shown = RequesterText.visible(s.substring(off, off + len));
        super.write(shown, 0, shown.length());
    }

    /** The one way a line ends: the platform's line separator, written as it is. */
    @Override
    public void println() {
        synchronized (lock) {
            try {
                out.write(System.lineSeparator());
                out.flush();
            } catch (IOException e) {
                setError();
            }
        }
    }
}
