package io.governed.sql;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which column types, as MariaDB's and H2's catalogs give them, hold integers alone, and their range: a column of such
 * a type compared with an integer of its range is compared as two integers, which neither fails nor warns, whatever
 * the row (MariaDB converts, and warns, only when one side is a string or a value of another type; H2 converts a value
 * to the column's type, which for an integer of its range cannot fail). What {@link FenceConjuncts#integerKey} rests on.
 *
 * <p>MariaDB's {@code COLUMN_TYPE}: {@code tinyint}, {@code smallint}, {@code mediumint}, {@code int} and {@code bigint},
 * with an optional display width, {@code unsigned} and {@code zerofill}; a {@code bigint unsigned} is left out (its
 * range does not fit a Java {@code long}). H2's {@code DATA_TYPE}: {@code TINYINT}, {@code SMALLINT}, {@code INTEGER},
 * {@code BIGINT}. Every other type (decimal, floating point, bit, year, a string, an enum, a date, a domain the catalog
 * names otherwise) is none: nothing is proven of it.
 */
public final class IntegerColumns {

    /** An integer column's smallest and largest value. */
    public record Range(long min, long max) {
        /** Whether {@code value} is in the range. */
        public boolean holds(long value) {
            return value >= min && value <= max;
        }
    }

    private static final Pattern MARIADB = Pattern.compile(
            "(tinyint|smallint|mediumint|int|integer|bigint)(\\([0-9]{1,3}\\))?( unsigned)?( zerofill)?");

    private IntegerColumns() {
    }

    /** The range of a column of the catalog type {@code type} on {@code dialect}; {@code null} when it is no such type. */
    public static Range range(Dialect dialect, String type) {
        if (type == null) {
            return null;
        }
        if (dialect == Dialect.MARIADB) {
            Matcher m = MARIADB.matcher(type.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                return null;
            }
            boolean unsigned = m.group(3) != null || m.group(4) != null;
            return switch (m.group(1)) {
                case "tinyint" -> unsigned ? new Range(0, 255) : new Range(Byte.MIN_VALUE, Byte.MAX_VALUE);
                case "smallint" -> unsigned ? new Range(0, 65_535) : new Range(Short.MIN_VALUE, Short.MAX_VALUE);
                case "mediumint" -> unsigned ? new Range(0, 16_777_215) : new Range(-8_388_608, 8_388_607);
                case "int", "integer" -> unsigned ? new Range(0, 4_294_967_295L)
                        : new Range(Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "bigint" -> unsigned ? null : new Range(Long.MIN_VALUE, Long.MAX_VALUE);
                default -> null; // a type the pattern is widened to has no range until it is given one here
            };
        }
        if (dialect.isH2()) {
            return switch (type.trim()) {
                case "TINYINT" -> new Range(Byte.MIN_VALUE, Byte.MAX_VALUE);
                case "SMALLINT" -> new Range(Short.MIN_VALUE, Short.MAX_VALUE);
                case "INTEGER" -> new Range(Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "BIGINT" -> new Range(Long.MIN_VALUE, Long.MAX_VALUE);
                default -> null;
            };
        }
        return null;
    }
}
