package io.governed.jdbc.it;

import io.governed.jdbc.support.TestDatabase;

import java.util.List;
import java.util.Properties;

/* MariaDB: a user variable filled from the customers table, by each form that sets one. */
class SessionLeftoversForbiddenMariaDbIT extends SessionLeftoversForbiddenFixture {

    SessionLeftoversForbiddenMariaDbIT() {
        super("slfm");
    }

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    List<String> plants() {
        return List.of(
                "SET @slfm = (SELECT ssn FROM " + customers + " WHERE id = 1)",
                "SELECT @slfm := ssn FROM " + customers,
                "SELECT ssn INTO @slfm FROM " + customers + " WHERE id = 1");
    }

    @Override
    String readBack() {
        return "SELECT CONCAT(status, COALESCE(@slfm, '')) FROM " + orders;
    }

    @Override
    Properties resettable() {
        Properties reset = new Properties();
        reset.setProperty("useResetConnection", "true");
        return reset;
    }
}
