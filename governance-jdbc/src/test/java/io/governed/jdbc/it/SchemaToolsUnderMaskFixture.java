package io.governed.jdbc.it;

import io.governed.jdbc.GovernedDataSource;
import io.governed.jdbc.support.TestDatabase;
import io.governed.jdbc.support.UniqueNames;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.ForeignKey;
import org.jooq.Index;
import org.jooq.Meta;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema tools run end to end through the governed driver by an identity a mask applies to: Liquibase's update,
 * jOOQ's runtime meta and a query, Hibernate's {@code hbm2ddl.auto=update} and {@code validate}, and the
 * {@code DatabaseMetaData} calls each of them makes. The policy masks {@code ssn} (a column of the tools' own
 * tables) for everyone and permits every statement, as a migration identity's policy does. Each tool works in a
 * schema (a database on MariaDB) of its own, which the governed connection opens as its default; outcomes are
 * checked through the database's own driver.
 */
abstract class SchemaToolsUnderMaskFixture {
    static final String SSN = "219-45-6789";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    @TempDir
    Path dir;
    Properties settings;
    String schema;

    @BeforeEach
    void fixture() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                classification:
                  tags:
                    pii.ssn: ["*.ssn"]
                rules:
                  - { id: schema-work, effect: permit, actions: ["*"] }
                masks:
                  - { id: mask-ssn, columns: { tags: [pii.ssn] }, function: partial, keep-last: 4 }
                """);
        settings = new Properties();
        settings.setProperty("governed.policy", policy.toString());
        settings.setProperty("governed.principal", "schema-tool");
        settings.setProperty("governed.kind", "service");
        schema = UniqueNames.of("gs_tool_" + SCHEMAS.incrementAndGet());
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute(createSchema(schema));
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = database().connectRaw(); Statement s = c.createStatement()) {
            s.execute(dropSchema(schema));
        }
    }

    /** The database the tools run on. */
    abstract TestDatabase database();

    /** The database's own data source, whose connections open {@code schema} as their default. */
    abstract DataSource rawDataSource(String schema);

    abstract String createSchema(String schema);

    abstract String dropSchema(String schema);

    abstract SQLDialect jooqDialect();

    /** The DDL of the jOOQ and metadata tests: people (masked ssn, a default), orders (a key to people, an index), a sequence. */
    List<String> sampleSchema() {
        return List.of(
                "CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, ssn VARCHAR(11),"
                        + " status VARCHAR(10) DEFAULT 'new')",
                "CREATE TABLE orders (id INT PRIMARY KEY, person_id INT, total DECIMAL(10,2),"
                        + " CONSTRAINT orders_person_fk FOREIGN KEY (person_id) REFERENCES people (id))",
                "CREATE INDEX orders_person_ix ON orders (person_id)",
                "CREATE SEQUENCE ticket_seq START WITH 100 INCREMENT BY 5");
    }

    /** A query listing the schema's sequences (name, start, step), as tools send it; one parameter, the schema. */
    abstract String sequencesQuery();

    /** The catalog and schema arguments of a {@code DatabaseMetaData} call for {@code schema}. */
    abstract String[] catalogAndSchema(String schema);

    /** Whether jOOQ 3.19's meta lists the database's sequences (its MariaDB dialect lists none). */
    boolean jooqReadsSequences() {
        return true;
    }

    /** The name of a table Liquibase creates for itself ({@code DATABASECHANGELOG}) as the database stores it. */
    String liquibaseTable(String name) {
        return stored(name.toLowerCase(Locale.ROOT));
    }

    /** An identifier as the database stores an unquoted one. */
    String stored(String name) {
        return name;
    }

    DataSource governedDataSource() throws SQLException {
        return new GovernedDataSource(rawDataSource(schema), settings);
    }

    Connection raw() throws SQLException {
        return rawDataSource(schema).getConnection();
    }

    static void assertMasked(String seen) {
        assertThat(seen).isNotNull().isNotEqualTo(SSN).doesNotContain("219-45").endsWith("6789");
    }

    // ---------------------------------------------------------------- Liquibase

    @Test
    void liquibaseAppliesAChangelogAndReappliesNothing() throws Exception {
        Files.writeString(dir.resolve("changelog.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                  <changeSet id="1" author="gs">
                    <createTable tableName="people">
                      <column name="id" type="int"><constraints primaryKey="true"/></column>
                      <column name="name" type="varchar(40)"><constraints nullable="false"/></column>
                      <column name="ssn" type="varchar(11)"/>
                      <column name="status" type="varchar(10)" defaultValue="new"/>
                    </createTable>
                  </changeSet>
                  <changeSet id="2" author="gs">
                    <createTable tableName="orders">
                      <column name="id" type="int"><constraints primaryKey="true"/></column>
                      <column name="person_id" type="int"/>
                      <column name="total" type="decimal(10,2)"/>
                    </createTable>
                    <addForeignKeyConstraint baseTableName="orders" baseColumnNames="person_id"
                        constraintName="orders_person_fk" referencedTableName="people" referencedColumnNames="id"/>
                    <createIndex tableName="orders" indexName="orders_person_ix">
                      <column name="person_id"/>
                    </createIndex>
                  </changeSet>
                  <changeSet id="3" author="gs">
                    <createSequence sequenceName="ticket_seq" startValue="100" incrementBy="5"/>
                  </changeSet>
                  <changeSet id="4" author="gs">
                    <insert tableName="people">
                      <column name="id" valueNumeric="1"/>
                      <column name="name" value="Ada"/>
                      <column name="ssn" value="219-45-6789"/>
                    </insert>
                  </changeSet>
                  <changeSet id="5" author="gs">
                    <createView viewName="people_names">SELECT id, name FROM people</createView>
                  </changeSet>
                  <changeSet id="6" author="gs">
                    <preConditions onFail="HALT">
                      <tableExists tableName="orders"/>
                      <primaryKeyExists tableName="people"/>
                      <foreignKeyConstraintExists foreignKeyTableName="orders" foreignKeyName="orders_person_fk"/>
                      <indexExists tableName="orders" indexName="orders_person_ix"/>
                      <sequenceExists sequenceName="ticket_seq"/>
                      <viewExists viewName="people_names"/>
                      <columnExists tableName="people" columnName="ssn"/>
                      <not><columnExists tableName="people" columnName="email"/></not>
                      <sqlCheck expectedResult="1">SELECT COUNT(*) FROM people</sqlCheck>
                    </preConditions>
                    <addColumn tableName="people">
                      <column name="email" type="varchar(60)"/>
                    </addColumn>
                  </changeSet>
                </databaseChangeLog>
                """);
        DataSource governed = governedDataSource();
        liquibaseUpdate(governed);
        liquibaseUpdate(governed); // a second run reads the history, validates the checksums and applies nothing

        try (Connection c = raw(); Statement s = c.createStatement()) {
            List<String> applied = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id, exectype FROM " + liquibaseTable("DATABASECHANGELOG") + " ORDER BY orderexecuted")) {
                while (rs.next()) {
                    applied.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
            assertThat(applied).containsExactly("1:EXECUTED", "2:EXECUTED", "3:EXECUTED", "4:EXECUTED", "5:EXECUTED",
                    "6:EXECUTED");
            try (ResultSet rs = s.executeQuery("SELECT name, ssn, status, email FROM " + stored("people") + " WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Ada");
                assertThat(rs.getString(2)).isEqualTo(SSN);
                assertThat(rs.getString(3)).isEqualTo("new");
                assertThat(rs.getString(4)).isNull();
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + liquibaseTable("DATABASECHANGELOGLOCK") + " WHERE locked = TRUE")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        try (Connection c = governed.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, ssn FROM people WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Ada");
            assertMasked(rs.getString(2));
            assertMasked(String.valueOf(rs.getObject(2)));
        }
    }

    private void liquibaseUpdate(DataSource governed) throws Exception {
        try (Connection c = governed.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            Scope.child(Map.<String, Object>of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(dir)),
                    () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "changelog.xml")
                            .execute());
        }
    }

    // ---------------------------------------------------------------- jOOQ

    @Test
    void jooqMetaListsTheTablesColumnsKeysIndexesAndSequences() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            for (String ddl : sampleSchema()) {
                s.execute(ddl);
            }
            s.execute("INSERT INTO people (id, name, ssn) VALUES (1, 'Ada', '" + SSN + "')");
        }
        try (Connection c = governedDataSource().getConnection()) {
            DSLContext ctx = DSL.using(c, jooqDialect());
            Meta meta = ctx.meta();
            Schema mine = meta.getSchemas().stream()
                    .filter(sc -> sc.getName().equalsIgnoreCase(schema))
                    .findFirst().orElseThrow(() -> new AssertionError("jOOQ's meta does not list " + schema
                            + ": " + meta.getSchemas()));
            assertThat(mine.getTables().stream().map(t -> t.getName().toLowerCase(Locale.ROOT)))
                    .contains("people", "orders");
            Table<?> people = table(mine, "people");
            Table<?> orders = table(mine, "orders");

            // names, types, sizes and nullability as the database's own driver tells them
            Map<String, List<String>> raw = rawColumns();
            assertThat(describe(people)).isEqualTo(raw.get("people"))
                    .extracting(d -> d.substring(0, d.indexOf(':'))).containsExactly("id", "name", "ssn", "status");
            assertThat(describe(orders)).isEqualTo(raw.get("orders"))
                    .extracting(d -> d.substring(0, d.indexOf(':'))).containsExactly("id", "person_id", "total");
            assertThat(describe(people)).contains("name:varchar(40):false", "ssn:varchar(11):true");
            // a default expression is not told to a caller a mask applies to (COLUMN_DEF reads as SQL NULL)
            assertThat(field(people, "status").getDataType().defaulted()).isFalse();
            assertThat(rawStatusDefaulted()).isTrue();

            assertThat(people.getPrimaryKey()).isNotNull();
            assertThat(people.getPrimaryKey().getFields()).extracting(f -> f.getName().toLowerCase(Locale.ROOT))
                    .containsExactly("id");
            List<? extends ForeignKey<?, ?>> references = orders.getReferences();
            assertThat(references).hasSize(1);
            assertThat(references.get(0).getFields()).extracting(f -> f.getName().toLowerCase(Locale.ROOT))
                    .containsExactly("person_id");
            assertThat(references.get(0).getKey().getTable().getName()).isEqualToIgnoringCase("people");
            assertThat(orders.getIndexes()).extracting(i -> i.getName().toLowerCase(Locale.ROOT))
                    .contains("orders_person_ix");
            Index index = orders.getIndexes().stream()
                    .filter(i -> i.getName().equalsIgnoreCase("orders_person_ix")).findFirst().orElseThrow();
            assertThat(index.getFields()).extracting(f -> f.getName().toLowerCase(Locale.ROOT))
                    .containsExactly("person_id");

            // as the database's own driver tells them (jOOQ 3.19 leaves H2's start value unread: null on both)
            assertThat(sequences(mine)).isEqualTo(rawSequences());
            if (jooqReadsSequences()) {
                assertThat(sequences(mine)).anyMatch(q -> q.startsWith("ticket_seq:"));
            }

            Result<? extends Record> rows = ctx.selectFrom(people).fetch();
            assertThat(rows).hasSize(1);
            Record row = rows.get(0);
            assertThat(row.get(field(people, "name"), String.class)).isEqualTo("Ada");
            assertMasked(row.get(field(people, "ssn"), String.class));
            assertThat(row.get(field(people, "status"), String.class)).isEqualTo("new");
        }
    }

    /** The schema's sequences as name:start:step, as jOOQ's meta describes them. */
    private static List<String> sequences(Schema schema) {
        return schema.getSequences().stream()
                .map(q -> q.getName().toLowerCase(Locale.ROOT) + ":" + q.getStartWith() + ":" + q.getIncrementBy())
                .sorted().toList();
    }

    /** {@link #describe} of people and orders through the database's own driver. */
    private Map<String, List<String>> rawColumns() throws SQLException {
        try (Connection c = raw()) {
            Schema mine = DSL.using(c, jooqDialect()).meta().getSchemas().stream()
                    .filter(sc -> sc.getName().equalsIgnoreCase(schema)).findFirst().orElseThrow();
            return Map.of("people", describe(table(mine, "people")), "orders", describe(table(mine, "orders")));
        }
    }

    /** Whether jOOQ's meta, through the database's own driver, sees people.status's default. */
    private boolean rawStatusDefaulted() throws SQLException {
        try (Connection c = raw()) {
            Schema mine = DSL.using(c, jooqDialect()).meta().getSchemas().stream()
                    .filter(sc -> sc.getName().equalsIgnoreCase(schema)).findFirst().orElseThrow();
            return field(table(mine, "people"), "status").getDataType().defaulted();
        }
    }

    /** {@link #sequences} through the database's own driver. */
    private List<String> rawSequences() throws SQLException {
        try (Connection c = raw()) {
            return sequences(DSL.using(c, jooqDialect()).meta().getSchemas().stream()
                    .filter(sc -> sc.getName().equalsIgnoreCase(schema)).findFirst().orElseThrow());
        }
    }

    private static Table<?> table(Schema schema, String name) {
        return schema.getTables().stream().filter(t -> t.getName().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no table " + name + " in " + schema.getTables()));
    }

    private static Field<?> field(Table<?> table, String name) {
        return java.util.Arrays.stream(table.fields()).filter(f -> f.getName().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no column " + name + " in " + table));
    }

    /** Each column as name:type:nullable, the type as jOOQ's type name with its length or precision. */
    private static List<String> describe(Table<?> table) {
        List<String> out = new ArrayList<>();
        for (Field<?> f : table.fields()) {
            org.jooq.DataType<?> type = f.getDataType();
            String name = type.getSQLDataType() == null ? type.getTypeName() : type.getSQLDataType().getTypeName();
            String size = type.hasLength() && type.lengthDefined() ? "(" + type.length() + ")"
                    : type.hasPrecision() && type.hasScale() && type.precisionDefined()
                    ? "(" + type.precision() + "," + type.scale() + ")" : "";
            out.add(f.getName().toLowerCase(Locale.ROOT) + ":" + name.toLowerCase(Locale.ROOT) + size + ":" + type.nullable());
        }
        return out;
    }

    // ---------------------------------------------------------------- Hibernate

    @Test
    void hibernateUpdatesThenValidatesTheSchemaAndReadsTheEntityMasked() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE gs_tool_item (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
        }
        DataSource governed = governedDataSource();
        Long id;
        try (SessionFactory update = sessionFactory(governed, "update")) {
            id = update.fromTransaction(session -> {
                SchemaToolItem item = new SchemaToolItem("Ada", SSN);
                session.persist(item);
                return item.id();
            });
        }
        try (Connection c = raw(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT name, ssn FROM gs_tool_item WHERE id = " + id)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Ada");
                assertThat(rs.getString(2)).isEqualTo(SSN);
            }
            DatabaseMetaData md = c.getMetaData();
            String[] where = catalogAndSchema(schema);
            try (ResultSet rs = md.getColumns(where[0], where[1], stored("gs_tool_item"), stored("ssn"))) {
                assertThat(rs.next()).as("the update added the ssn column").isTrue();
                assertThat(rs.getInt("COLUMN_SIZE")).isEqualTo(11);
            }
        }
        try (SessionFactory validate = sessionFactory(governed, "validate")) {
            SchemaToolItem read = validate.fromTransaction(session -> session.find(SchemaToolItem.class, id));
            assertThat(read.name()).isEqualTo("Ada");
            assertMasked(read.ssn());
            List<String> names = validate.fromTransaction(session -> session
                    .createQuery("select i.name from SchemaToolItem i where i.ssn is not null", String.class)
                    .getResultList());
            assertThat(names).containsExactly("Ada");
        }
    }

    private static SessionFactory sessionFactory(DataSource dataSource, String schemaAction) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.DATASOURCE, dataSource)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, schemaAction)
                .build();
        try {
            return new MetadataSources(registry).addAnnotatedClass(SchemaToolItem.class).buildMetadata()
                    .buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }

    // ---------------------------------------------------------------- DatabaseMetaData

    @Test
    void metadataCallsAnswerAsTheDriverDoesButForDefaultsAndComments() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            for (String ddl : sampleSchema()) {
                s.execute(ddl);
            }
        }
        String[] where = catalogAndSchema(schema);
        try (Connection raw = raw(); Connection governed = governedDataSource().getConnection()) {
            DatabaseMetaData r = raw.getMetaData();
            DatabaseMetaData g = governed.getMetaData();
            assertSame(r.getTables(where[0], where[1], "%", null), g.getTables(where[0], where[1], "%", null), 2, "REMARKS");
            assertSame(r.getColumns(where[0], where[1], "%", "%"), g.getColumns(where[0], where[1], "%", "%"), 7,
                    "COLUMN_DEF", "REMARKS");
            for (String table : List.of("people", "orders")) {
                assertSame(r.getPrimaryKeys(where[0], where[1], stored(table)),
                        g.getPrimaryKeys(where[0], where[1], stored(table)), 1);
                assertSame(r.getIndexInfo(where[0], where[1], stored(table), false, false),
                        g.getIndexInfo(where[0], where[1], stored(table), false, false), 1);
            }
            assertSame(r.getImportedKeys(where[0], where[1], stored("orders")),
                    g.getImportedKeys(where[0], where[1], stored("orders")), 1);
            assertSame(r.getExportedKeys(where[0], where[1], stored("people")),
                    g.getExportedKeys(where[0], where[1], stored("people")), 1);
            try (PreparedStatement rp = raw.prepareStatement(sequencesQuery());
                 PreparedStatement gp = governed.prepareStatement(sequencesQuery())) {
                rp.setString(1, stored(schema));
                gp.setString(1, stored(schema));
                assertSame(rp.executeQuery(), gp.executeQuery(), 1);
            }
        }
    }

    /**
     * The governed result's rows are the raw one's, every column read by getString and getObject, but for
     * {@code untold} columns, which read as SQL NULL through both; at least {@code atLeast} rows.
     */
    private static void assertSame(ResultSet raw, ResultSet governed, int atLeast, String... untold)
            throws SQLException {
        Set<String> hidden = java.util.Arrays.stream(untold).collect(Collectors.toSet());
        List<List<String>> rawRows;
        List<List<String>> governedRows;
        try (raw; governed) {
            assertThat(governed.getMetaData().getColumnCount()).isEqualTo(raw.getMetaData().getColumnCount());
            rawRows = rows(raw, hidden, false);
            governedRows = rows(governed, hidden, true);
        }
        assertThat(governedRows).isEqualTo(rawRows);
        assertThat(rawRows).hasSizeGreaterThanOrEqualTo(atLeast);
    }

    private static List<List<String>> rows(ResultSet rs, Set<String> hidden, boolean hiddenAreNull) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<List<String>> out = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String label = md.getColumnLabel(i).toUpperCase(Locale.ROOT);
                String reading = rs.getString(i) + " | " + rs.getObject(i);
                if (!hidden.contains(label)) {
                    row.add(label + "=" + reading);
                } else if (hiddenAreNull) {
                    assertThat(reading).as(label).isEqualTo("null | null");
                    assertThat(rs.wasNull()).as(label).isTrue();
                    row.add(label + "=untold");
                } else {
                    row.add(label + "=untold");
                }
            }
            out.add(row);
        }
        return out;
    }
}
