package io.governed.jdbc.unwrap;

import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/*
 * Every Connection and Statement a caller can reach from a governed object without unwrap — a result's getStatement
 * (of a query, of metadata, of generated keys, of an array's elements, of getResultSet and getMoreResults), a
 * statement's and the metadata's getConnection — is a governed one, or null: a driver's object reached this way would
 * run statements past the gate. One subclass per database.
 */
abstract class ReachableObjectsSpec {
    abstract Connection governed() throws Exception;

    /** A query returning an SQL array in its first column, or null. */
    abstract String arrayQuery();

    /** An insert into a table with generated keys, created by the subclass. */
    abstract String insert();

    private static void reach(Map<String, Object> out, String what, Reach reach) {
        try {
            out.put(what, reach.get());
        } catch (Exception e) {
            out.put(what, "refused: " + e.getMessage());
        }
    }

    @FunctionalInterface
    interface Reach {
        Object get() throws Exception;
    }

    private static boolean governed(Object o) {
        return o == null || o instanceof String || o.getClass().getName().startsWith("io.governed.");
    }

    @Test
    void everyReachedConnectionAndStatementIsGoverned() throws Exception {
        Map<String, Object> reached = new LinkedHashMap<>();
        try (Connection c = governed()) {
            DatabaseMetaData md = c.getMetaData();
            reach(reached, "metaData.getConnection", md::getConnection);
            reach(reached, "getTables.getStatement", () -> md.getTables(null, null, "%", null).getStatement());
            reach(reached, "getTables.getStatement.getConnection",
                    () -> md.getTables(null, null, "%", null).getStatement().getConnection());
            reach(reached, "getColumns.getStatement", () -> md.getColumns(null, null, "%", "%").getStatement());
            reach(reached, "getTypeInfo.getStatement", () -> md.getTypeInfo().getStatement());
            reach(reached, "getProcedures.getStatement", () -> md.getProcedures(null, null, "%").getStatement());
            reach(reached, "getSchemas.getStatement", () -> md.getSchemas().getStatement());
            reach(reached, "getCatalogs.getStatement", () -> md.getCatalogs().getStatement());
            reach(reached, "getClientInfoProperties.getStatement", () -> md.getClientInfoProperties().getStatement());
            Statement s = c.createStatement();
            reach(reached, "statement.getConnection", s::getConnection);
            reach(reached, "query.getStatement", () -> s.executeQuery("SELECT 1").getStatement());
            reach(reached, "execute.getResultSet.getStatement", () -> {
                s.execute("SELECT 1");
                return s.getResultSet().getStatement();
            });
            reach(reached, "executeUpdate.getGeneratedKeys.getStatement", () -> {
                s.executeUpdate(insert(), Statement.RETURN_GENERATED_KEYS);
                return s.getGeneratedKeys().getStatement();
            });
            reach(reached, "execute.getGeneratedKeys.getStatement", () -> {
                s.execute(insert(), Statement.RETURN_GENERATED_KEYS);
                return s.getGeneratedKeys().getStatement();
            });
            PreparedStatement p = c.prepareStatement(insert(), Statement.RETURN_GENERATED_KEYS);
            reach(reached, "prepared.getConnection", p::getConnection);
            reach(reached, "prepared.getGeneratedKeys.getStatement", () -> {
                p.executeUpdate();
                return p.getGeneratedKeys().getStatement();
            });
            reach(reached, "prepared.getGeneratedKeys.getStatement.getConnection", () -> {
                p.executeUpdate();
                return p.getGeneratedKeys().getStatement().getConnection();
            });
            if (arrayQuery() != null) {
                reach(reached, "array.getResultSet.getStatement", () -> {
                    ResultSet rs = s.executeQuery(arrayQuery());
                    rs.next();
                    Array array = rs.getArray(1);
                    return array.getResultSet().getStatement();
                });
                reach(reached, "arrayObject.getResultSet.getStatement", () -> {
                    ResultSet rs = s.executeQuery(arrayQuery());
                    rs.next();
                    return ((Array) rs.getObject(1)).getResultSet().getStatement();
                });
                reach(reached, "createArrayOf.getResultSet.getStatement",
                        () -> c.createArrayOf("varchar", new Object[]{"a"}).getResultSet().getStatement());
            }
            reach(reached, "callable.getConnection", () -> c.prepareCall(callSql()).getConnection());
        }
        for (Map.Entry<String, Object> e : reached.entrySet()) {
            assertThat(governed(e.getValue())).as("%s gave %s", e.getKey(),
                    e.getValue() == null ? null : e.getValue().getClass().getName()).isTrue();
        }
    }

    /** A call the driver prepares. */
    String callSql() {
        return "{call abs(-1)}";
    }

    static void quietly(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException ignored) {
            // not there
        }
    }
}
