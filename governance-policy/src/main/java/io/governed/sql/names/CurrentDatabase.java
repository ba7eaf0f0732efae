package io.governed.sql.names;

/**
 * MariaDB's (and MySQL's) resolution of an unqualified table name: the current database
 * ({@code DATABASE()}, changed by {@code USE} or {@code Connection.setCatalog}). Its databases are
 * what policies call schemas.
 *
 * @param database the current database, or {@code null} when none is selected or it is unknown
 */
public record CurrentDatabase(String database) implements NameResolver {

    @Override
    public Resolution resolve(String name) {
        return database == null ? Resolution.unknown() : Resolution.in(database);
    }

    @Override
    public Resolution resolveNew(String name) {
        return resolve(name);
    }
}
