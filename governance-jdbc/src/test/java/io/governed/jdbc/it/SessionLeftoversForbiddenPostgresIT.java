package io.governed.jdbc.it;

import io.governed.jdbc.support.TestDatabase;

import java.util.List;
import java.util.Properties;

/* PostgreSQL: a custom setting filled from the customers table, which views and row security read. */
class SessionLeftoversForbiddenPostgresIT extends SessionLeftoversForbiddenFixture {

    SessionLeftoversForbiddenPostgresIT() {
        super("slfp");
    }

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    List<String> plants() {
        return List.of(
                "SELECT set_config('app.slfp', (SELECT ssn FROM " + customers + " WHERE id = 1), false)",
                "SELECT set_config('app.slfp', ssn, false) FROM " + customers);
    }

    @Override
    String readBack() {
        return "SELECT status || coalesce(current_setting('app.slfp', true), '') FROM " + orders;
    }

    @Override
    Properties resettable() {
        return new Properties();
    }
}
