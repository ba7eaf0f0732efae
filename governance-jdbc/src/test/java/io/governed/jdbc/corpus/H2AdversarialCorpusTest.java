package io.governed.jdbc.corpus;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The adversarial corpus on embedded H2. */
class H2AdversarialCorpusTest extends AdversarialCorpusSpec {
    @Override
    CorpusDatabase database() {
        return new H2CorpusDatabase();
    }

    @Override
    String dialect() {
        return "h2";
    }

    @Override
    String databaseName() {
        return "adversarial";
    }

    @Override
    String vaultTable() {
        return "adv_vault.notes";
    }

    @Override
    void dropEverything(Statement raw) throws SQLException {
        raw.execute("DROP ALL OBJECTS");
    }

    @Override
    List<String> snapshotQueries() {
        String ours = " NOT IN ('INFORMATION_SCHEMA')";
        return List.of(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA" + ours,
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA" + ours,
                "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA",
                "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA" + ours,
                "SELECT TRIGGER_SCHEMA, TRIGGER_NAME FROM INFORMATION_SCHEMA.TRIGGERS",
                "SELECT INDEX_SCHEMA, INDEX_NAME, TABLE_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA" + ours,
                "SELECT SEQUENCE_SCHEMA, SEQUENCE_NAME, BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES",
                "SELECT CONSTANT_SCHEMA, CONSTANT_NAME FROM INFORMATION_SCHEMA.CONSTANTS",
                "SELECT USER_NAME, IS_ADMIN FROM INFORMATION_SCHEMA.USERS",
                "SELECT GRANTEE, GRANTEDROLE, RIGHTS, TABLE_NAME FROM INFORMATION_SCHEMA.RIGHTS",
                "SELECT * FROM PUBLIC.customers", "SELECT * FROM PUBLIC.orders", "SELECT * FROM PUBLIC.payments",
                "SELECT * FROM PUBLIC.accounts", "SELECT * FROM adv_vault.notes", "SELECT * FROM adv_vault.orders");
    }
}
