package io.governed.jdbc.masking;

import io.governed.identity.Identity;
import io.governed.jdbc.Governance;
import io.governed.jdbc.GovernedDataSource;
import io.governed.policy.load.PolicyLoader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code wasNull} through a result set with masked columns says what the driver's says of the same cell, whichever
 * getter of {@link ResultSet} read it (every getter taking a column index or a label, found by reflection) and whatever
 * was read before it in the row: a masked column, a clear one, NULL or not. The masks of {@link MaskedResultSetTest}'s
 * policy keep a value's NULL-ness (none of them makes NULL of a value), so after every getter that returns (one that
 * refuses a masked column, or cannot convert a value, throws) {@code wasNull} is whether the cell is SQL NULL, as the
 * raw driver's {@code getObject} tells it.
 */
abstract class MaskedResultSetWasNullSpec {
    private static final String QUERY = "SELECT id, name, ssn, card_number, born, salary, tags, score FROM people ORDER BY id";
    private static final int COLUMNS = 8;
    private static final int ROWS = 8;

    /** Every getter of {@link ResultSet} that takes a column index and nothing else, in a fixed order. */
    private static final List<Method> GETTERS = getters(int.class);
    /** The same getters taking a column label, in the same order. */
    private static final List<Method> GETTERS_BY_LABEL = getters(String.class);
    private static final String[] LABELS = {null, "ID", "NAME", "SSN", "CARD_NUMBER", "BORN", "SALARY", "TAGS", "SCORE"};

    private static List<Method> getters(Class<?> column) {
        return Arrays.stream(ResultSet.class.getMethods())
                .filter(m -> m.getName().startsWith("get") && !Modifier.isStatic(m.getModifiers())
                        && Arrays.equals(m.getParameterTypes(), new Class<?>[] {column}))
                .sorted(Comparator.comparing(Method::getName))
                .toList();
    }

    /** The database the table {@link #fill} made is in, read raw and through governance. */
    abstract DataSource database();

    private Governance governance;

    /**
     * Creates the table the property reads, in the connection's current schema: each column NULL in some rows and not in
     * others, in patterns that differ from column to column.
     *
     * @param arrayType the database's name of an array of {@code VARCHAR(10)}
     */
    static void fill(Statement s, String arrayType) throws SQLException {
        assertThat(GETTERS).extracting(Method::getName).as("the getters by index and by label pair up")
                .containsExactlyElementsOf(GETTERS_BY_LABEL.stream().map(Method::getName).toList())
                .contains("getString", "getInt", "getObject", "getArray", "getURL", "getRowId", "getSQLXML", "getBlob");
        s.execute("CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(20), ssn VARCHAR(11), card_number BIGINT,"
                + " born DATE, salary DECIMAL(10, 2), tags " + arrayType + ", score INT)");
        for (int row = 1; row <= ROWS; row++) {
            s.execute("INSERT INTO people VALUES (" + row + ", " + (row % 2 == 0 ? "NULL" : "'n" + row + "'") + ", "
                    + (row % 3 == 0 ? "NULL" : "'219-45-67" + row + "0'") + ", " + (row % 4 == 1 ? "NULL" : "41111111111" + row)
                    + ", " + (row % 2 == 1 ? "NULL" : "DATE '1990-07-1" + row + "'") + ", "
                    + (row % 3 == 1 ? "NULL" : row + "234.50") + ", " + (row % 4 == 2 ? "NULL" : "ARRAY['t" + row + "']")
                    + ", " + (row % 5 == 0 ? "NULL" : String.valueOf(row * 7)) + ")");
        }
    }

    private Governance governance() {
        if (governance == null) {
            governance = Governance.builder().policy(PolicyLoader.fromString("was-null.yaml", MaskedResultSetTest.POLICY))
                    .withoutAudit().defaultIdentity(Identity.human("ann")).build();
        }
        return governance;
    }

    /** One read: a column and a getter, by their indexes, the getter given the column's index or its label. */
    record Read(int column, int getter, boolean byLabel) {
        Method method() {
            return (byLabel ? GETTERS_BY_LABEL : GETTERS).get(getter);
        }

        Object argument() {
            return byLabel ? LABELS[column] : column;
        }

        @Override
        public String toString() {
            return method().getName() + "(" + (byLabel ? "\"" + LABELS[column] + "\"" : column) + ")";
        }
    }

    @Provide
    Arbitrary<List<List<Read>>> readsPerRow() {
        Arbitrary<Read> read = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(1, COLUMNS),
                Arbitraries.integers().between(0, GETTERS.size() - 1), Arbitraries.of(false, true)).as(Read::new);
        return read.list().ofMinSize(1).ofMaxSize(12).list().ofSize(ROWS);
    }

    @Property(tries = 150)
    void wasNullSaysWhatTheDriverSaysOfTheCellJustRead(@ForAll("readsPerRow") List<List<Read>> readsPerRow) throws Exception {
        try (Connection raw = database().getConnection();
             Connection governed = new GovernedDataSource(database(), governance()).getConnection();
             ResultSet expected = raw.createStatement().executeQuery(QUERY);
             ResultSet actual = governed.createStatement().executeQuery(QUERY)) {
            for (List<Read> reads : readsPerRow) {
                assertThat(expected.next()).isTrue();
                assertThat(actual.next()).isTrue();
                for (Read read : reads) {
                    if (invoke(read.method(), actual, expected, read.argument())) {
                        boolean wasNull = actual.wasNull();
                        assertThat(wasNull).as("wasNull after %s in row %d", read, expected.getRow())
                                .isEqualTo(expected.getObject(read.column()) == null);
                    }
                }
            }
        }
    }

    /**
     * Calls the getter on the governed result; whether it returned. A refusal or a conversion the driver cannot make is a
     * {@link SQLException}; an unchecked exception is the driver's own (pgjdbc's {@code getDate} of some texts throws
     * {@code ArrayIndexOutOfBoundsException}), which governance passes on as thrown for a clear column: the raw driver's
     * same getter must then fail on the same cell too.
     */
    private static boolean invoke(Method getter, ResultSet governed, ResultSet raw, Object column) throws Exception {
        try {
            getter.invoke(governed, column);
            return true;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException) {
                return false;
            }
            if (e.getCause() instanceof RuntimeException unchecked) {
                assertThatThrownBy(() -> getter.invoke(raw, column)).as("the raw driver's %s(%s), which governed threw %s",
                        getter.getName(), column, unchecked.getClass().getSimpleName()).isInstanceOf(InvocationTargetException.class);
                return false;
            }
            throw e;
        }
    }
}
