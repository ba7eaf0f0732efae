package io.governed.examples.bankapp;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The bank application's connection: the platform's policy from its jar, the application's additions after it.
 */
public final class BankApp {

    /** The platform's base first, then the application's additions; the driver composes them in this order. */
    public static final String POLICY = "classpath:platform/policy.yaml,classpath:policies/app.yaml";

    private BankApp() {
    }

    /**
     * A governed connection to {@code databaseUrl} (without {@code jdbc:}), statements run as the service
     * {@code principal} unless a scope ({@code IdentityContext.runAs}) says otherwise.
     */
    public static Connection connect(String databaseUrl, String principal) throws SQLException {
        Properties settings = new Properties();
        settings.setProperty("governed.policy", POLICY);
        settings.setProperty("governed.principal", principal);
        settings.setProperty("governed.kind", "service");
        settings.setProperty("governed.audit", "memory");
        return DriverManager.getConnection("jdbc:governed:" + databaseUrl, settings);
    }
}
