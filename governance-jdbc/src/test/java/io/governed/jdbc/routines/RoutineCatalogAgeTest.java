package io.governed.jdbc.routines;

import io.governed.sql.RoutineCatalog;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * A PostgreSQL connection's reading of what user code shadows ages with time: it is due to be read again a second
 * after it was made. A statement's one clock read before it runs answers that question; when the reading is due the
 * connection reads the clock again after it (the catalog may have been queried meanwhile). Catalogs that do not age
 * (H2's and MariaDB's built-in lists) need no time at all.
 */
class RoutineCatalogAgeTest {

    private final ShadowedBuiltIns reading = new ShadowedBuiltIns(r -> true, List.of());
    private final long madeAt = reading.readAt();

    @Test
    void aReadingOfShadowedBuiltInsAgesWithTimeAndIsDueASecondAfterItWasMade() {
        assertThat(PostgresRoutineCatalog.agesWithTime(reading)).isTrue();
        assertThat(PostgresRoutineCatalog.due(reading, madeAt)).isFalse();
        assertThat(PostgresRoutineCatalog.due(reading, madeAt + TimeUnit.MILLISECONDS.toNanos(999))).isFalse();
        assertThat(PostgresRoutineCatalog.due(reading, madeAt + TimeUnit.SECONDS.toNanos(1))).isTrue();
    }

    @Test
    void aCatalogThatDoesNotAgeNeedsNoTimeAndIsNeverDue() throws Exception {
        RoutineCatalog builtIns = r -> true;
        assertThat(PostgresRoutineCatalog.agesWithTime(builtIns)).isFalse();
        assertThat(PostgresRoutineCatalog.due(builtIns, Long.MAX_VALUE)).isFalse();
        Connection none = null; // never queried: nothing is due
        assertThat(PostgresRoutineCatalog.current(builtIns, none, () -> true, 0)).isSameAs(builtIns);
    }

    @Test
    void aReadingNotYetDueIsKeptWithoutTouchingTheConnection() throws Exception {
        Connection none = null;
        assertThat(PostgresRoutineCatalog.current(reading, none, () -> true, madeAt + 1)).isSameAs(reading);
    }

    @Test
    void aDueReadingIsKeptWhileTheSessionIsInATransaction() throws Exception {
        Connection none = null;
        long later = madeAt + TimeUnit.SECONDS.toNanos(2);
        assertThat(PostgresRoutineCatalog.current(reading, none, () -> false, later)).isSameAs(reading);
    }
}
