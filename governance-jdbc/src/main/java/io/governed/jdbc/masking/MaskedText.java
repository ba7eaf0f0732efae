package io.governed.jdbc.masking;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.NClob;
import java.sql.SQLException;
import javax.sql.rowset.serial.SerialClob;
import javax.sql.rowset.serial.SerialException;

/** A masked value handed out as a CLOB or NCLOB: read-only text held in memory, never the database's LOB. */
final class MaskedText extends SerialClob implements NClob {
    private static final long serialVersionUID = 1L;

    MaskedText(String text) throws SQLException {
        super(text.toCharArray());
    }

    /** The text as ASCII, as a driver's CLOB gives it ({@code SerialClob} made from characters has no ASCII stream). */
    @Override
    public InputStream getAsciiStream() throws SerialException {
        return new ByteArrayInputStream(getSubString(1, (int) length()).getBytes(StandardCharsets.US_ASCII));
    }
}
