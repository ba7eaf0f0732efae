package io.governed.jdbc.masking;

import java.sql.NClob;
import java.sql.SQLException;
import javax.sql.rowset.serial.SerialClob;

/** A masked value handed out as a CLOB or NCLOB: read-only text held in memory, never the database's LOB. */
final class MaskedText extends SerialClob implements NClob {
    private static final long serialVersionUID = 1L;

    MaskedText(String text) throws SQLException {
        super(text.toCharArray());
    }
}
