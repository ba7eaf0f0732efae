package io.governed.jdbc.connect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One database driver's connection settings, each classified: the ones known to leave alone what the gate relies
 * on (credentials, timeouts, TLS, network, fetch sizes, caches, type mapping), and the ones that run statements,
 * change the session past the gate, load classes, or change how statements are read. Keys are compared without
 * regard to case; a key in neither list is refused as unknown.
 */
enum DriverSettingsList {
    /** pgjdbc ({@code org.postgresql.PGProperty}); keys as in its URL query and properties. */
    POSTGRESQL("org.postgresql.Driver", "pgjdbc") {
        @Override
        List<String> urlSettings(String url) {
            return queryParts(url, '?', "&");
        }
    },
    /** MariaDB Connector/J ({@code org.mariadb.jdbc.Configuration}); keys in any case, with its aliases. */
    MARIADB("org.mariadb.jdbc.Driver", "MariaDB Connector/J") {
        @Override
        List<String> urlSettings(String url) {
            return queryParts(url, '?', "&");
        }
    },
    /** H2 ({@code org.h2.engine.ConnectionInfo}, {@code SetTypes}, {@code DbSettings}); keys in any case. */
    H2("org.h2.Driver", "H2") {
        @Override
        List<String> urlSettings(String url) {
            // the first part names the database; H2 passes over blank parts
            List<String> parts = queryParts(url, ';', ";");
            parts.removeIf(String::isBlank);
            return parts;
        }
    };

    private static final String SESSION = "changes the session at connect time, past the gate";
    private static final String RUNS_SQL = "runs statements at connect time that the gate never sees";
    private static final String LOADS_CLASS = "names a class the driver loads and runs inside the application";
    private static final String READING = "changes how the database reads statement texts or names, which the analysis relies on";

    static {
        POSTGRESQL.harmless("user", "password", "PGHOST", "PGPORT", "PGDBNAME", "host", "port", "dbname",
                "ApplicationName", "connectTimeout", "loginTimeout", "socketTimeout", "cancelSignalTimeout",
                "queryTimeout", "tcpKeepAlive", "tcpNoDelay", "receiveBufferSize", "sendBufferSize", "maxSendBufferSize",
                "localSocketAddress", "targetServerType", "loadBalanceHosts", "hostRecheckSeconds",
                "ssl", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword", "sslNegotiation",
                "sslResponseTimeout", "channelBinding", "requireAuth", "scramMaxIterations", "pemKeyAlgorithm",
                "gssEncMode", "gsslib", "gssResponseTimeout", "gssUseDefaultCreds", "jaasApplicationName", "jaasLogin",
                "kerberosServerName", "sspiServiceClass", "useSpnego",
                "defaultRowFetchSize", "adaptiveFetch", "adaptiveFetchMaximum", "adaptiveFetchMinimum", "maxResultBuffer",
                "prepareThreshold", "preparedStatementCacheQueries", "preparedStatementCacheSizeMiB",
                "databaseMetadataCacheFields", "databaseMetadataCacheFieldsMiB", "binaryTransfer",
                "binaryTransferEnable", "binaryTransferDisable", "reWriteBatchedInserts", "reWriteBatchedInsertsSize",
                "readOnly", "readOnlyMode", "autosave", "cleanupSavepoints", "flushCacheOnDdl", "stringtype",
                "loggerLevel", "loggerFile", "logUnclosedConnections", "logServerErrorDetail", "protocolVersion",
                "unknownLength", "hideUnprivilegedObjects", "groupStartupParameters",
                // read back from the server (current_schemas(true)) before the first unqualified name is resolved
                "currentSchema");
        POSTGRESQL.harmlessWhen("preferQueryMode", "extended", "extendedForPrepared", "extendedCacheEverything");
        POSTGRESQL.refused("options", "sets server settings at connect time (-c role, session_authorization, "
                + "search_path, default_transaction_read_only, …), " + SESSION + "; the schema is set with currentSchema");
        POSTGRESQL.refused("preferQueryMode", "in simple mode the driver writes parameter values into the statement "
                + "text after the gate has checked it; only extended, extendedForPrepared and extendedCacheEverything are accepted");
        POSTGRESQL.refused("service", "takes further settings (options among them) from a pg_service.conf file the gate cannot check");
        POSTGRESQL.refused("replication", "opens a replication connection, whose commands are not SQL statements the gate can check");
        POSTGRESQL.refused("assumeMinServerVersion", "makes the driver assume a server version instead of reading it, "
                + "changing what it sends at connect time and how it treats statements");
        POSTGRESQL.refused("escapeSyntaxCallMode", "changes what the driver makes of {call …} escapes after the gate has read them");
        POSTGRESQL.refused("allowEncodingChanges", "lets the client encoding change under statement texts the gate has checked");
        POSTGRESQL.refused("quoteReturningIdentifiers", "changes the RETURNING clause the driver adds to statements the gate has checked");
        POSTGRESQL.refused("disableColumnSanitiser", "changes how result columns are found by label, which masking relies on");
        POSTGRESQL.refused("convertBooleanToNumeric", "changes the values read from results, which masking relies on");
        // pgjdbc's own socket factories for TLS (the classes its documentation names) make no statement and change no
        // session; their argument (a certificate for SingleCertValidatingFactory) is read by the factory alone
        POSTGRESQL.harmlessWhen("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory", "org.postgresql.ssl.LibPQFactory",
                "org.postgresql.ssl.jdbc4.LibPQFactory", "org.postgresql.ssl.NonValidatingFactory",
                "org.postgresql.ssl.SingleCertValidatingFactory");
        POSTGRESQL.harmless("sslfactoryarg");
        for (String key : List.of("socketFactory", "socketFactoryArg", "sslfactory", "sslhostnameverifier",
                "sslpasswordcallback", "authenticationPluginClassName", "connectExecutor", "connectExecutorArg",
                "classLoaderStrategy", "xmlFactoryFactory")) {
            POSTGRESQL.refused(key, LOADS_CLASS);
        }

        MARIADB.harmless("user", "password", "database", "permitMysqlScheme", "timezone", "connectionTimeZone", "forceConnectionTimeZoneToSession",
                "preserveInstants", "pureLocalDateTime", "autocommit", "useMysqlMetadata", "nullDatabaseMeansCurrent",
                "nullCatalogMeansCurrent", "readOnlyPropagatesToServer", "returnMultiValuesGeneratedIds",
                "jdbcCompliantTruncation", "oldModeNoPrecisionTimestamp", "permitRedirect", "pinGlobalTxToPhysicalConnection",
                "permitNoResults", "cacheCodecs", "defaultFetchSize", "maxQuerySizeToLog", "maxAllowedPacket",
                "maxAllowedColumns", "geometryDefaultType", "restrictedAuth", "transactionIsolation", "metaExportedKeys",
                "connectTimeout", "pipe", "localSocket", "tcpKeepAlive", "uuidAsString", "tcpKeepIdle", "tcpKeepCount",
                "tcpKeepInterval", "tcpAbortiveClose", "localSocketAddress", "socketTimeout", "useReadAheadInput",
                "sslMode", "serverSslCert", "keyStore", "trustStore", "keyStorePassword", "trustStorePassword",
                "keyPassword", "keyStoreType", "trustStoreType", "enabledSslCipherSuites", "enabledSslProtocolSuites",
                "fallbackToSystemKeyStore", "fallbackToSystemTrustStore", "clientCertificateKeyStorePassword",
                "trustCertificateKeyStoreUrl", "trustCertificateKeyStorePassword", "clientCertificateKeyStoreType",
                "trustCertificateKeyStoreType", "clientCertificateKeyStoreUrl",
                // several statements in one text are analysed one by one and policies can forbid them (multi-statement)
                "allowMultiQueries",
                "rewriteBatchedStatements", "useCompression", "useAffectedRows", "useBulkStmts", "useBulkStmtsForInserts",
                "disablePipeline", "cachePrepStmts", "prepStmtCacheSize", "useServerPrepStmts", "credentialType",
                "connectionAttributes", "servicePrincipalName", "disconnectOnExpiredPasswords", "tinyInt1isBit",
                "transformedBitIsBoolean", "yearIsDateType", "dumpQueriesOnException",
                "includeThreadDumpInDeadlockExceptions", "retriesAllDown", "galeraAllowedState", "transactionReplaySize",
                "useIpForKillQuery", "pool", "poolName", "maxPoolSize", "minPoolSize", "maxIdleTime", "registerJmxPool",
                "poolValidMinDelay", "useResetConnection", "serverRsaPublicKeyFile", "allowPublicKeyRetrieval",
                // Connector/J 2.x's TLS settings (MySQL Connector/J's too), which 3.x maps onto sslMode
                "useSsl", "trustServerCertificate", "disableSslHostnameVerification");
        MARIADB.refused("sessionVariables", "sets session variables at connect time (sql_mode, role, @variables, …), " + SESSION);
        MARIADB.refused("initSql", RUNS_SQL);
        MARIADB.refused("createDatabaseIfNotExist", "creates a database at connect time, a statement the gate never sees");
        MARIADB.refused("connectionCollation", "sets the session's collation at connect time, changing how names and values compare, " + SESSION);
        // Connector/J 3 allows LOAD DATA LOCAL by default (the gate refuses the statement without a permit of its
        // file-access trait); turning it off is harmless, turning it on is refused as asking for it
        MARIADB.harmlessWhen("allowLocalInfile", "false");
        MARIADB.refused("allowLocalInfile", "lets the server read files of the application's host through LOAD DATA LOCAL");
        MARIADB.refused("includeInnodbStatusInDeadlockExceptions",
                "runs SHOW ENGINE INNODB STATUS past the gate and puts other sessions' statements into error messages");
        MARIADB.refused("transactionReplay", "replays statements on another connection after a failover, past the gate");
        MARIADB.refused("useLocalSessionState", "makes the driver answer session questions from its own copy instead of the server");
        MARIADB.refused("useCatalogTerm", "changes what the driver's metadata calls catalogs and schemas, which the analysis reads");
        MARIADB.refused("databaseTerm", "changes what the driver's metadata calls catalogs and schemas, which the analysis reads");
        MARIADB.refused("blankTableNameMeta", "hides the table names of result columns, which masking reads");
        MARIADB.refused("socketFactory", LOADS_CLASS);
        MARIADB.refused("tlsSocketType", LOADS_CLASS);

        H2.harmless("USER", "PASSWORD", "PASSWORD_HASH", "CIPHER", "DB_CLOSE_DELAY", "DB_CLOSE_ON_EXIT", "CACHE_SIZE",
                "CACHE_TYPE", "LOCK_TIMEOUT", "DEFAULT_LOCK_TIMEOUT", "LOCK_MODE", "QUERY_TIMEOUT", "MAX_QUERY_TIMEOUT",
                "MAX_MEMORY_ROWS", "MAX_MEMORY_UNDO", "MAX_OPERATION_MEMORY", "MAX_LENGTH_INPLACE_LOB", "MAX_LOG_SIZE",
                "TRACE_MAX_FILE_SIZE", "WRITE_DELAY", "THROTTLE",
                "RETENTION_TIME", "AUTO_SERVER", "AUTO_SERVER_PORT", "FILE_LOCK", "IFEXISTS",
                "FORBID_CREATION", "CREATE", "ACCESS_MODE_DATA", "READONLY", "NETWORK_TIMEOUT", "PAGE_SIZE",
                "LAZY_QUERY_EXECUTION", "OPTIMIZE_REUSE_RESULTS", "QUERY_STATISTICS_MAX_ENTRIES",
                "EXCLUSIVE", "AUTOCOMMIT", "TIME ZONE", "DEFAULT_TABLE_TYPE", "DEFAULT_NULL_ORDERING",
                "TRUNCATE_LARGE_LENGTH", "VARIABLE_BINARY", "ALLOW_LITERALS", "NO_UPGRADE", "JMX", "REDO_LOG_BINARY",
                "OPEN_NEW", "ANALYZE_AUTO", "ANALYZE_SAMPLE", "AUTO_COMPACT_FILL_RATE", "COMPRESS", "DEFRAG_ALWAYS",
                "ESTIMATED_FUNCTION_TABLE_ROWS", "LOB_TIMEOUT", "MAX_COMPACT_TIME", "MV_STORE", "OPTIMIZE_DISTINCT",
                "OPTIMIZE_EVALUATABLE_SUBQUERIES", "OPTIMIZE_INSERT_FROM_SELECT", "OPTIMIZE_IN_LIST", "OPTIMIZE_IN_SELECT",
                "OPTIMIZE_OR", "OPTIMIZE_SIMPLE_SINGLE_ROW_SUBQUERIES", "OPTIMIZE_TWO_EQUALS", "QUERY_CACHE_SIZE",
                "RECOMPILE_ALWAYS", "REUSE_SPACE", "ZERO_BASED_ENUMS");
        H2.refused("INIT", RUNS_SQL + " (RUNSCRIPT, DROP, SET, …)");
        // H2's PostgreSQL mode reads names, quotes, strings and comments as the regular mode does, as the analysis reads
        // them (H2ModeUrlTest's corpus); its functions are read with the session (H2CompatibilityModes)
        H2.harmlessWhen("MODE", "REGULAR", "PostgreSQL");
        H2.refused("MODE", "switches the database to a compatibility mode whose reading of statements the analysis does "
                + "not follow (MySQL and MariaDB modes run INSERT … ON DUPLICATE KEY UPDATE and REPLACE as writes of their "
                + "own); only MODE=PostgreSQL and MODE=REGULAR are accepted");
        H2.refused("NON_KEYWORDS", "makes keywords names, " + READING);
        H2.harmlessWhen("DATABASE_TO_UPPER", "TRUE");
        H2.refused("DATABASE_TO_UPPER", "keeps unquoted names as written, not folded to upper case, " + READING
                + "; only DATABASE_TO_UPPER=TRUE (H2's default) is accepted");
        // the name case is read from the database at connect (H2NameCase), as H2 keeps a database's first settings
        H2.harmlessWhen("DATABASE_TO_LOWER", "FALSE", "TRUE");
        H2.refused("DATABASE_TO_LOWER", "takes TRUE or FALSE");
        H2.refused("CASE_INSENSITIVE_IDENTIFIERS", "changes how names are compared, " + READING);
        H2.refused("IGNORECASE", "makes text comparisons ignore case, changing what row filters admit");
        H2.refused("COLLATION", "changes how text compares, changing what row filters admit");
        H2.refused("DEFAULT_ESCAPE", "changes the LIKE escape character, " + READING);
        H2.refused("IGNORE_CATALOGS", READING);
        H2.refused("CATALOG", "renames the database's catalog, " + READING);
        // the current schema is read from the session when a name must be resolved (the adversarial corpus' schema-url-setting)
        H2.harmless("SCHEMA");
        H2.refused("SCHEMA_SEARCH_PATH", "sets the schema search path at connect time, " + SESSION);
        H2.refused("BUILTIN_ALIAS_OVERRIDE", "lets user-defined functions take the names of built-ins the analysis knows as harmless");
        H2.refused("REFERENTIAL_INTEGRITY", "switches off foreign key checks for every session");
        H2.refused("DROP_RESTRICT", "makes DROP cascade to dependent objects the gate did not name");
        H2.refused("OLD_INFORMATION_SCHEMA", "replaces the INFORMATION_SCHEMA the analysis reads views from");
        H2.refused("DEFAULT_CONNECTION", "lets Java functions in the database open a connection of this session, past the gate");
        H2.refused("SHARE_LINKED_CONNECTIONS", "shares linked tables' connections between sessions");
        H2.refused("CLUSTER", "joins a cluster whose other server runs the statements too");
        H2.refused("CREATE_BUILD", "changes the on-disk format's build, for recovery only");
        H2.refused("RECOVER", "opens a damaged database in recovery mode");
        H2.refused("RECOVER_TEST", "opens the database in recovery test mode");
        H2.refused("IGNORE_UNKNOWN_SETTINGS", "hides settings H2 does not know, which then cannot be checked");
        H2.refused("@", "sets a user variable at connect time, " + SESSION);
        H2.refused("AUTHENTICATOR", "changes how the database authenticates users, outside the application's credentials");
        H2.refused("AUTHREALM", "changes how the database authenticates users, outside the application's credentials");
        H2.refused("AUTHZPWD", "changes how the database authenticates users, outside the application's credentials");
        H2.refused("TRACE_LEVEL_FILE", "writes statements with their literal values to a trace file, which the audit never does");
        H2.refused("TRACE_LEVEL_SYSTEM_OUT", "writes statements with their literal values to the console, which the audit never does");
        H2.refused("QUERY_STATISTICS", "keeps every statement's text, literals included, in a table other sessions can read");
        H2.refused("AUTO_RECONNECT", "opens a new session when the connection breaks, losing the session state the gate has read");
        H2.refused("DATABASE_EVENT_LISTENER", LOADS_CLASS);
        H2.refused("JAVA_OBJECT_SERIALIZER", LOADS_CLASS);
        H2.refused("DEFAULT_TABLE_ENGINE", LOADS_CLASS);
    }

    private final String driverClass;
    private final String driverName;
    private final Map<String, String> harmless = new TreeMap<>();
    private final Map<String, Set<String>> harmlessValues = new TreeMap<>();
    private final Map<String, String> refused = new TreeMap<>();

    DriverSettingsList(String driverClass, String driverName) {
        this.driverClass = driverClass;
        this.driverName = driverName;
    }

    /**
     * The settings the URL holds ({@code key=value}, or a key alone), split as the driver splits them: pgjdbc's and
     * Connector/J's query after the first '?' at each '&' alone (a later '?' belongs to a value), H2's after the first
     * ';' at each ';'; empty parts left out (blank ones too for H2, which passes over them).
     */
    abstract List<String> urlSettings(String url);

    /** The keys the URL sets, as the driver reads them, in the order written; a part without '=' is its own key. */
    List<String> urlKeys(String url) {
        List<String> keys = new ArrayList<>();
        for (String setting : urlSettings(url)) {
            keys.add(keyOf(setting));
        }
        return keys;
    }

    /** The list for the driver of this class, or {@code null} when there is none. */
    static DriverSettingsList forDriverClass(String className) {
        for (DriverSettingsList list : values()) {
            if (list.driverClass.equals(className)) {
                return list;
            }
        }
        return null;
    }

    String driverName() {
        return driverName;
    }

    /** True when {@code key} with {@code value} is known to leave alone what the gate relies on. */
    boolean isHarmless(String key, Object value) {
        if (!key.equals(key.strip())) {
            // the drivers take a key as written (pgjdbc and Connector/J keep " sslmode" as a key of its own, H2 refuses
            // it): a key with blanks around it is none of the known ones
            return false;
        }
        String k = normal(key);
        Set<String> values = harmlessValues.get(k);
        if (values != null) {
            return value != null && values.contains(normal(value.toString().trim()));
        }
        return harmless.containsKey(k);
    }

    /** Why {@code key} is refused: its own reason, or that it is not known to be harmless. */
    String reason(String key) {
        String why = refused.get(normal(key));
        if (why != null) {
            return why;
        }
        if (this == MARIADB) {
            // every setting Connector/J defines is classified (DriverSettingsListTest), so this one it does not define
            return "is not a setting MariaDB Connector/J defines: it keeps such keys for options it does not document "
                    + "and for plugins, which may act on them past the gate (MySQL Connector/J's useUnicode, "
                    + "characterEncoding or serverTimezone have no effect on it and can simply go)";
        }
        return "is not one of " + driverName + "'s settings known to leave governance alone, "
                + "so it may run statements or change the session past the gate";
    }

    /** Every key this list classifies (harmless, harmless for some values, or refused), lower case. */
    Set<String> classifiedKeys() {
        Set<String> all = new TreeSet<>(harmless.keySet());
        all.addAll(harmlessValues.keySet());
        all.addAll(refused.keySet());
        return Collections.unmodifiableSet(all);
    }

    private void harmless(String... keys) {
        for (String key : keys) {
            harmless.put(normal(key), key);
        }
    }

    private void harmlessWhen(String key, String... values) {
        Set<String> normalValues = new TreeSet<>();
        for (String value : values) {
            normalValues.add(normal(value));
        }
        harmlessValues.put(normal(key), normalValues);
    }

    private void refused(String key, String why) {
        refused.put(normal(key), why);
    }

    static String normal(String key) {
        return key.trim().toLowerCase(Locale.ROOT);
    }

    /** The parts of {@code url} after the first {@code start}, split at {@code separator}, empty ones left out. */
    private static List<String> queryParts(String url, char start, String separator) {
        List<String> parts = new ArrayList<>();
        int q = url.indexOf(start);
        if (q < 0) {
            return parts;
        }
        for (String part : url.substring(q + 1).split(separator, -1)) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static String keyOf(String setting) {
        int equals = setting.indexOf('=');
        return equals < 0 ? setting : setting.substring(0, equals);
    }
}
