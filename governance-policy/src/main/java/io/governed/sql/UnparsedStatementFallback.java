package io.governed.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Analyses, from their tokens, a short explicit list of statements the parser cannot read but that
 * are common and matter to policy. Anything not on the list stays unparseable.
 *
 * <ul>
 *   <li>code definitions, {@code DO} blocks, role and privilege changes, server settings and H2's file
 *       commands, as {@link CodeAndPrivilegeStatements} reads them;</li>
 *   <li>{@code PREPARE …}: EXECUTE with {@link Trait#DYNAMIC_SQL}, a readable {@code AS statement} body nested (EXECUTE
 *       on each table it reads or writes); a {@code SET} the parser cannot read whose value is a query is not read;
 *       {@code EXEC(…)}/{@code EXECUTE(…)}: EXECUTE with {@link Trait#DYNAMIC_SQL};</li>
 *   <li>{@code COPY t FROM/TO …}: COPY on the table, which TO also reads, {@link Trait#PROGRAM_EXECUTION}
 *       for {@code PROGRAM}, {@link Trait#FILE_ACCESS} for a file name; {@code COPY (query) TO …} reads
 *       what the query reads, and is COPY on each of those tables;</li>
 *   <li>{@code LOAD DATA/XML … INFILE … INTO TABLE t}: COPY with {@link Trait#FILE_ACCESS}, t written;</li>
 *   <li>{@code BEGIN}, {@code START TRANSACTION}, {@code END}, {@code ABORT} (with transaction modes only,
 *       so a procedural {@code BEGIN … END} block is not mistaken for one), {@code RELEASE [SAVEPOINT] s}:
 *       TRANSACTION;</li>
 *   <li>{@code VACUUM}, {@code ANALYZE} (the forms the parser does not read), {@code REINDEX}, {@code CLUSTER},
 *       {@code OPTIMIZE TABLE}, {@code FLUSH TABLES}: OTHER on each table named, on every table ({@code *.*}) when
 *       none is; {@code CHECKPOINT}, {@code DISCARD}, {@code DEALLOCATE}, {@code LISTEN}, {@code NOTIFY},
 *       {@code UNLISTEN}, the other {@code FLUSH} forms: OTHER on no table (see {@link #maintenance});</li>
 *   <li>{@code DELETE}/{@code UPDATE … WHERE CURRENT OF cursor}: read without the cursor clause, WHERE PRESENT;</li>
 *   <li>MariaDB {@code SELECT … LOCK IN SHARE MODE [NOWAIT | SKIP LOCKED]}: read without the locking clause;</li>
 *   <li>MariaDB {@code SHOW DATABASES|SCHEMAS LIKE p}, {@code SHOW [GLOBAL|SESSION] VARIABLES|STATUS LIKE p}: SHOW;</li>
 *   <li>H2 {@code MERGE INTO t [(cols)] KEY (…) …}: read as the equivalent INSERT, action MERGE with
 *       {@link Trait#UPSERT};</li>
 *   <li>PostgreSQL {@code CREATE TEMP|TEMPORARY SEQUENCE …} (MariaDB: {@code TEMPORARY}): the CREATE SEQUENCE, with
 *       {@link Trait#TEMPORARY};</li>
 *   <li>PostgreSQL {@code LOCK [TABLE] [ONLY] a [, b] [IN mode MODE] [NOWAIT]}, MariaDB {@code LOCK TABLES a READ [LOCAL],
 *       b [LOW_PRIORITY] WRITE}: LOCK, each table locked and read; MariaDB {@code UNLOCK TABLES}: TRANSACTION (it
 *       releases the locks and ends the transaction LOCK TABLES began);</li>
 *   <li>PostgreSQL {@code TRUNCATE ONLY a, b}: read without {@code ONLY} (which only spares inheriting tables).</li>
 *   <li>PostgreSQL {@code DROP INDEX CONCURRENTLY …}: the same {@code DROP INDEX} (see {@link #dropIndexConcurrently});</li>
 *   <li>H2 {@code DROP TABLE a [, b] IF EXISTS …} (the condition after the names): read as
 *       {@code DROP TABLE IF EXISTS a [, b] …};</li>
 *   <li>{@code ALTER TABLE … ALTER [COLUMN] c SET DATA TYPE t} (standard SQL, PostgreSQL, H2): read as
 *       {@code … ALTER COLUMN c TYPE t};</li>
 *   <li>the renames the parser cannot read (see {@link #renamed}): PostgreSQL {@code ALTER VIEW|MATERIALIZED VIEW|INDEX|
 *       SEQUENCE [IF EXISTS] a RENAME TO b} and H2 {@code ALTER VIEW [IF EXISTS] a RENAME TO b}, read as {@code ALTER
 *       TABLE [IF EXISTS] a RENAME TO b}; PostgreSQL {@code ALTER VIEW|MATERIALIZED VIEW … RENAME COLUMN a TO b} and
 *       {@code ALTER VIEW|MATERIALIZED VIEW|SEQUENCE … SET SCHEMA s}, read as the same {@code ALTER TABLE}; H2 {@code
 *       ALTER TABLE t ALTER COLUMN [IF EXISTS] c RENAME TO d}, read as {@code ALTER TABLE t RENAME COLUMN c TO d};
 *       PostgreSQL and H2 {@code ALTER SCHEMA s RENAME TO r}: ALTER with {@link Trait#RENAMES}
 *       on {@code s.*} and {@code r.*}, as {@code DROP SCHEMA} writes {@code s.*}; MariaDB {@code ALTER TABLE [IF EXISTS]
 *       t RENAME [TO|AS] db.u}: what {@code ALTER TABLE t RENAME TO u} records, with {@code u} in {@code db};</li>
 *   <li>MariaDB {@code DROP EVENT [IF EXISTS] e}: what {@code DROP PROCEDURE} records, DROP on {@code e};</li>
 *   <li>migration forms (see {@link #constraintModifiers}, {@link #alterIndex}, {@link #mariadbAlterForms},
 *       {@link #sequenceIfNotExists}): PostgreSQL {@code ALTER TABLE … ADD [CONSTRAINT c] …} ending in {@code NOT VALID},
 *       {@code [NOT] DEFERRABLE}, {@code INITIALLY DEFERRED|IMMEDIATE}, read without them (each referenced table read);
 *       {@code ALTER INDEX [IF EXISTS] i SET TABLESPACE t} (as {@code ALTER TABLE}); {@code ALTER INDEX p ATTACH
 *       PARTITION c}: ALTER on both; {@code CREATE SEQUENCE IF NOT EXISTS s …} (as {@code CREATE SEQUENCE s …});
 *       MariaDB {@code ALTER TABLE t DROP FOREIGN KEY [IF EXISTS] fk} (as {@code DROP CONSTRAINT}) and {@code ALTER
 *       ONLINE TABLE …} (as {@code ALTER TABLE …});</li>
 *   <li>{@code SET [SESSION|LOCAL] name TO|= value, value…} with a list of names and literals
 *       (PostgreSQL {@code SET search_path TO "public", app}): SET;</li>
 *   <li>the listed {@code SET} forms with a grammar of their own, exactly as {@link SessionSettings#exactForm} reads
 *       them ({@code SET TRANSACTION ISOLATION LEVEL …}, {@code SET CONSTRAINTS ALL DEFERRED}, MariaDB
 *       {@code SET CHARACTER SET x}): SET;</li>
 *   <li>a statement whose only problem is a qualified name whose last part is a word the parser reserves
 *       ({@code information_schema.settings}): read with that part quoted, folded as the database folds it,
 *       so it names the same object.</li>
 * </ul>
 */
final class UnparsedStatementFallback {

    private static final Set<String> MAINTENANCE = Set.of(
            "vacuum", "reindex", "cluster", "checkpoint", "discard", "deallocate", "listen", "notify", "unlisten",
            "optimize", "flush");
    private static final Set<String> TRANSACTION = Set.of("begin", "end", "abort");
    /**
     * The words that may follow BEGIN, END, ABORT or START TRANSACTION. Anything else means a
     * procedural block ({@code BEGIN DELETE FROM t; END}, {@code BEGIN NOT ATOMIC …}) whose content
     * must not pass as a mere transaction statement.
     */
    private static final Set<String> TRANSACTION_MODES = Set.of(
            "work", "transaction", "isolation", "level", "read", "write", "only", "committed", "uncommitted",
            "repeatable", "serializable", "deferrable", "not", "with", "consistent", "snapshot", "chain", "and", "no",
            "release");

    /** The lock modes of PostgreSQL's {@code LOCK … IN mode MODE}. */
    private static final Set<String> POSTGRESQL_LOCK_MODES = Set.of("access share", "row share", "row exclusive",
            "share update exclusive", "share", "share row exclusive", "exclusive", "access exclusive");
    /** The words that start a lock type in MariaDB's {@code LOCK TABLES}, never an alias. */
    private static final Set<String> MARIADB_LOCK_TYPES = Set.of("read", "write", "low_priority");

    private final Dialect dialect;
    /** Parses and analyses a rewritten text, or answers {@code null} when it cannot be read either. */
    private final Function<String, List<StatementAnalysis>> reparse;

    UnparsedStatementFallback(Dialect dialect, Function<String, List<StatementAnalysis>> reparse) {
        this.dialect = dialect;
        this.reparse = reparse;
    }

    /** The analysis of one statement's parse text, or {@code null} when it is not on the list. */
    List<StatementAnalysis> analyze(String text) {
        Tokens tokens = Tokens.of(text, dialect);
        String head = tokens.get(0).text();
        if (tokens.get(0).kind() != TokenSpacing.Kind.WORD) {
            return null;
        }
        StatementBuilder classified = new StatementBuilder(Action.OTHER);
        if (CodeAndPrivilegeStatements.classify(tokens, dialect, classified)) {
            if (classified.action == Action.SET && (tokens.containsWord("select") || tokens.containsWord("table"))) {
                // a SET whose value is a query the parser cannot read: what it reads cannot be told
                return null;
            }
            String ruleActions = dialect == Dialect.POSTGRESQL && classified.action == Action.DEFINE_CODE
                    ? CodeAndPrivilegeStatements.ruleActions(tokens, text) : null;
            List<StatementAnalysis> actions = ruleActions == null ? null : reparse.apply(ruleActions);
            if (actions != null) {
                // the statements a rule runs whenever its table is written, as if the definition ran them: a mask on
                // what they copy refuses the definition to those it applies to (StatementWalker#ruleActions)
                classified.nest(actions);
            }
            CodeAndPrivilegeStatements.EventBody event = dialect == Dialect.MARIADB
                    && classified.action == Action.DEFINE_CODE ? CodeAndPrivilegeStatements.eventBody(tokens, text) : null;
            if (event != null && !(event.read() && event.statements().isEmpty())) {
                // the statements a MariaDB event runs on its schedule, as if the definition ran them
                // (StatementWalker#eventBody); one that cannot be read makes the definition an unread body
                List<StatementAnalysis> body = event.read() ? new ArrayList<>() : null;
                for (String statement : event.read() ? event.statements() : List.<String>of()) {
                    List<StatementAnalysis> one = reparse.apply(statement);
                    if (one == null) {
                        body = null;
                        break;
                    }
                    body.addAll(one);
                }
                if (body == null) {
                    classified.trait(Trait.UNREAD_BODY);
                } else {
                    classified.nest(body);
                }
            }
            return classified.build();
        }
        switch (head) {
            case "prepare":
                return dialect == Dialect.POSTGRESQL && tokens.isWord(1, "transaction") && tokens.size() == 3
                        && isLiteral(tokens.get(2)) ? simple(Action.TWO_PHASE_COMMIT, null) : prepare(tokens, text);
            case "commit":
            case "rollback":
                return transactionEnd(tokens);
            case "xa":
                return dialect == Dialect.MARIADB ? xa(tokens) : null;
            case "exec":
            case "execute":
                return tokens.get(1).text().equals("(") ? simple(Action.EXECUTE, Trait.DYNAMIC_SQL) : null;
            case "copy":
                return copy(tokens, text);
            case "load":
                return load(tokens);
            case "start":
                return tokens.isWord(1, "transaction") && onlyTransactionModes(tokens, 2)
                        ? simple(Action.TRANSACTION, null) : null;
            case "release":
                return releaseSavepoint(tokens);
            case "delete":
            case "update": {
                List<StatementAnalysis> current = currentOf(tokens, text);
                return current != null ? current : writeOfOnly(tokens, text);
            }
            case "merge":
                return h2Merge(tokens, text);
            case "truncate": {
                if (dialect.isH2()) {
                    return h2TruncateIdentity(tokens, text);
                }
                List<StatementAnalysis> identity = truncateIdentity(tokens, text);
                return identity != null ? identity : truncateOnly(tokens, text);
            }
            case "drop":
                if (tokens.isWord(1, "event")) {
                    return dropEvent(tokens);
                }
                if (dialect == Dialect.POSTGRESQL && (tokens.isWord(1, "type") || tokens.isWord(1, "domain"))) {
                    return dropTypeOrDomain(tokens);
                }
                if (dialect == Dialect.POSTGRESQL && tokens.isWord(1, "index") && tokens.isWord(2, "concurrently")) {
                    return dropIndexConcurrently(tokens, text);
                }
                // the condition after the names is H2's alone: elsewhere the words would be read as names
                return dialect.isH2() ? postfixIfExists(tokens, text) : null;
            case "set":
                return SessionSettings.exactForm(tokens, dialect) ? simple(Action.SET, null) : setList(tokens);
            case "alter": {
                List<StatementAnalysis> unnamed = unnamedCheck(tokens, text);
                if (unnamed == null) {
                    unnamed = schemaOwner(tokens);
                }
                if (unnamed == null) {
                    unnamed = addIdentity(tokens, text);
                }
                if (unnamed == null) {
                    unnamed = keyUsingIndex(tokens);
                }
                if (unnamed == null) {
                    unnamed = keyInclude(tokens, text);
                }
                if (unnamed == null) {
                    unnamed = exclusionConstraint(tokens, text);
                }
                if (unnamed != null) {
                    return unnamed;
                }
                List<StatementAnalysis> renamed = renamed(tokens, text);
                if (renamed == null) {
                    renamed = alterIndex(tokens, text);
                }
                if (renamed == null) {
                    renamed = constraintModifiers(tokens, text);
                }
                if (renamed == null) {
                    renamed = mariadbAlterForms(tokens, text);
                }
                return renamed != null ? renamed : setDataType(tokens, text);
            }
            case "show":
                return dialect == Dialect.MARIADB && showLike(tokens) ? simple(Action.SHOW, null) : null;
            case "create": {
                List<StatementAnalysis> dumped = dialect == Dialect.MARIADB ? mariadbDumpedCreate(tokens, text) : null;
                if (dumped != null) {
                    return dumped;
                }
                List<StatementAnalysis> inherits = inheritsQualified(tokens, text);
                if (inherits == null) {
                    inherits = sequenceIfNotExists(tokens, text);
                }
                if (inherits == null) {
                    inherits = statistics(tokens, text);
                }
                if (inherits == null) {
                    inherits = qualifiedIndexCalls(tokens, text);
                }
                return inherits != null ? inherits : temporarySequence(tokens, text);
            }
            case "comment":
                return commentOn(tokens);
            case "do":
                return dialect == Dialect.MARIADB ? mariadbDo(tokens, text) : null;
            case "lock":
                return dialect == Dialect.MARIADB ? mariadbLockTables(tokens) : postgresLock(tokens);
            case "unlock":
                return dialect == Dialect.MARIADB && tokens.size() == 2
                        && (tokens.isWord(1, "tables") || tokens.isWord(1, "table"))
                        ? simple(Action.TRANSACTION, null) : null;
            default:
                break;
        }
        if (dialect == Dialect.MARIADB && (head.equals("select") || head.equals("with"))) {
            List<StatementAnalysis> locking = lockInShareMode(tokens, text);
            if (locking != null) {
                return locking;
            }
        }
        if (TRANSACTION.contains(head)) {
            return onlyTransactionModes(tokens, 1) ? simple(Action.TRANSACTION, null) : null;
        }
        if (MAINTENANCE.contains(head) || head.equals("analyze") || head.equals("analyse")) {
            return maintenance(tokens, head);
        }
        if (dialect.isH2()) {
            List<StatementAnalysis> tableFunction = h2TableFunction(tokens, text);
            if (tableFunction != null) {
                return tableFunction;
            }
        }
        return quotedQualifiedWords(tokens, text);
    }

    /**
     * Why a statement the parser cannot read, of a form known to stay refused, is refused, or {@code null}: PostgreSQL's
     * {@code … JOIN ONLY t} and {@code FROM a, ONLY t} (the parser cannot read them, and a row filter's rewrite of them
     * could not be made to keep {@code ONLY}: {@code JOIN (SELECT * FROM ONLY t) AS t} is read), psql's meta-commands ({@code \\restrict}: not SQL at all), MariaDB's {@code ALTER IGNORE TABLE} (it deletes the rows a new unique key finds
     * duplicated, which the analysis cannot tell).
     */
    static String refusedForm(String text, Dialect dialect) {
        Tokens tokens = Tokens.of(text, dialect);
        if (dialect == Dialect.MARIADB && tokens.isWord(0, "delimiter")) {
            return "DELIMITER is a command of the mariadb client (the DELIMITER ;; lines mariadb-dump writes around"
                    + " triggers, routines and events), not SQL: the client splits the script with it and no server or"
                    + " JDBC driver can run it; send each statement on its own (Flyway's MariaDB and MySQL support reads"
                    + " DELIMITER lines itself and sends each statement without them)";
        }
        if (dialect == Dialect.POSTGRESQL && symbol(tokens, 0, "\\")) {
            return "a psql meta-command (a line starting with a backslash, such as the \\restrict and \\unrestrict"
                    + " lines pg_dump writes) is not SQL: psql carries it out itself and no server or JDBC driver"
                    + " can run it; delete those lines from the script";
        }
        if (dialect == Dialect.POSTGRESQL) {
            boolean only = false;
            boolean write = tokens.isWord(0, "update") || tokens.isWord(0, "delete");
            for (int i = 1; i + 1 < tokens.size() && !only; i++) {
                boolean before = tokens.isWord(i, "join") || symbol(tokens, i, ",")
                        || write && i > 1 && (tokens.isWord(i, "from") || tokens.isWord(i, "using"));
                only = before && tokens.isWord(i + 1, "only");
            }
            if (only) {
                return "PostgreSQL's ONLY after JOIN or a comma (or in an UPDATE's FROM, a DELETE's USING) is not read,"
                        + " so the statement is refused; write the"
                        + " table as a derived table over FROM ONLY, JOIN (SELECT * FROM ONLY t) AS t, which is read"
                        + " (and restricted by a row filter with ONLY kept), or, where the table has no inheriting tables"
                        + " or partitions, without ONLY, which does the same (SELECT … FROM ONLY t, UPDATE ONLY t,"
                        + " DELETE FROM ONLY t and TRUNCATE ONLY t are read)";
            }
        }
        if (dialect == Dialect.MARIADB && tokens.isWord(0, "alter") && tokens.isWord(1, "ignore")
                && tokens.isWord(2, "table")) {
            return "MariaDB's ALTER IGNORE TABLE is not read, so the statement is refused: it deletes the rows a new"
                    + " unique key finds duplicated, which cannot be checked; delete the duplicates first with a DELETE,"
                    + " then run the ALTER TABLE without IGNORE";
        }
        return null;
    }

    /** Every table of every schema: what a maintenance command that names no table acts on. */
    private static final TableRef EVERY_TABLE = new TableRef("*", "*");
    /** The words of options that may come before the tables of VACUUM, ANALYZE and CLUSTER. */
    private static final Set<String> MAINTENANCE_OPTIONS = Set.of("full", "freeze", "verbose", "analyze", "analyse");

    /**
     * The maintenance commands ({@link #MAINTENANCE}, and the {@code ANALYZE} forms the parser cannot read): OTHER on
     * every table they name, and on every table ({@code *.*}) when they name none, since they then act on all of them
     * (a bare {@code VACUUM}, {@code CLUSTER} or {@code FLUSH TABLES}); {@code REINDEX SCHEMA s} acts on {@code s.*}.
     * {@code FLUSH TABLES … WITH READ LOCK|FOR EXPORT} locks the tables (and hands their files out): a read of each,
     * as {@code LOCK} is. A form whose tables cannot be read for certain is left unread (refused as unparseable).
     * {@code CHECKPOINT}, {@code DISCARD}, {@code DEALLOCATE}, {@code LISTEN}, {@code NOTIFY}, {@code UNLISTEN} and
     * the {@code FLUSH} forms of no tables (logs, privileges, status) act on no table.
     */
    private List<StatementAnalysis> maintenance(Tokens tokens, String head) {
        StatementBuilder out = new StatementBuilder(Action.OTHER);
        if (dialect == Dialect.POSTGRESQL && Set.of("vacuum", "analyze", "analyse", "cluster", "reindex").contains(head)) {
            out.trait(Trait.REEVALUATES_ROWS); // index expressions (and a rebuild's) run over the stored rows
        }
        int i = 1;
        switch (head) {
            case "vacuum", "analyze", "analyse" -> {
                i = skipOptions(tokens, i);
                if (i < 0) {
                    return null;
                }
                return tableList(tokens, i, true, out) ? out.build() : null;
            }
            case "cluster" -> {
                i = skipOptions(tokens, i);
                if (i < 0) {
                    return null;
                }
                if (i == tokens.size()) {
                    out.tablesWritten.add(EVERY_TABLE);
                    return out.build();
                }
                List<String> name = tokens.nameAt(i);
                if (name.isEmpty()) {
                    return null;
                }
                TableRef first = tableRef(name);
                out.tablesWritten.add(first);
                i += name.size() * 2 - 1;
                if (tokens.isWord(i, "using") || tokens.isWord(i, "on")) {
                    // CLUSTER t USING index (an index of t, in t's schema: its name takes none); the old form CLUSTER
                    // index ON t
                    boolean using = tokens.isWord(i, "using");
                    List<String> other = tokens.nameAt(i + 1);
                    if (other.isEmpty()) {
                        return null;
                    }
                    TableRef second = tableRef(other);
                    out.tablesWritten.add(using && second.schema() == null && first.schema() != null
                            ? new TableRef(first.schema(), second.name()) : second);
                    i += 1 + other.size() * 2 - 1;
                }
                return i == tokens.size() ? out.build() : null;
            }
            case "reindex" -> {
                i = skipOptions(tokens, i);
                if (i < 0) {
                    return null;
                }
                String kind = tokens.get(i).kind() == TokenSpacing.Kind.WORD ? tokens.get(i).text() : "";
                i++;
                if (tokens.isWord(i, "concurrently")) {
                    i++;
                }
                if (kind.equals("database") || kind.equals("system")) {
                    out.tablesWritten.add(EVERY_TABLE);
                    return i == tokens.size() || i + 1 == tokens.size() && tokens.get(i).isName() ? out.build() : null;
                }
                List<String> name = tokens.nameAt(i);
                if (name.isEmpty() || !Set.of("table", "index", "schema").contains(kind)
                        || i + name.size() * 2 - 1 != tokens.size()) {
                    return null;
                }
                out.tablesWritten.add(kind.equals("schema")
                        ? new TableRef(dialect.normalizeIdentifier(name.get(name.size() - 1)), "*") : tableRef(name));
                return out.build();
            }
            case "optimize" -> {
                if (tokens.isWord(i, "no_write_to_binlog") || tokens.isWord(i, "local")) {
                    i++;
                }
                if (!tokens.isWord(i, "table") && !tokens.isWord(i, "tables")) {
                    return null;
                }
                return tableList(tokens, i + 1, false, out) && !out.tablesWritten.isEmpty() ? out.build() : null;
            }
            case "flush" -> {
                if (tokens.isWord(i, "no_write_to_binlog") || tokens.isWord(i, "local")) {
                    i++;
                }
                if (!tokens.isWord(i, "table") && !tokens.isWord(i, "tables")) {
                    // FLUSH LOGS, PRIVILEGES, STATUS, …: a word list, no table
                    for (int w = i; w < tokens.size(); w++) {
                        if (tokens.get(w).kind() != TokenSpacing.Kind.WORD && !symbol(tokens, w, ",")) {
                            return null;
                        }
                    }
                    return out.build();
                }
                i++;
                int end = tokens.size();
                boolean locks = false;
                if (end - 3 >= i && tokens.isWord(end - 3, "with") && tokens.isWord(end - 2, "read")
                        && tokens.isWord(end - 1, "lock")) {
                    end -= 3;
                    locks = true;
                } else if (end - 2 >= i && tokens.isWord(end - 2, "for") && tokens.isWord(end - 1, "export")) {
                    end -= 2;
                    locks = true;
                }
                if (i == end) {
                    out.tablesWritten.add(EVERY_TABLE);
                } else {
                    while (true) {
                        List<String> name = tokens.nameAt(i);
                        if (name.isEmpty()) {
                            return null;
                        }
                        out.tablesWritten.add(tableRef(name));
                        i += name.size() * 2 - 1;
                        if (!symbol(tokens, i, ",")) {
                            break;
                        }
                        i++;
                    }
                    if (i != end) {
                        return null;
                    }
                }
                if (locks) {
                    out.tablesRead.addAll(out.tablesWritten);
                }
                return out.build();
            }
            default -> {
                return out.build(); // CHECKPOINT, DISCARD, DEALLOCATE, LISTEN, NOTIFY, UNLISTEN: no table
            }
        }
    }

    /** The index after a parenthesised option list and the option words at {@code i}, or -1 for an unclosed list. */
    private static int skipOptions(Tokens tokens, int i) {
        if (symbol(tokens, i, "(")) {
            int close = matchingParenthesis(tokens, i);
            if (close < 0) {
                return -1;
            }
            i = close + 1;
        }
        while (tokens.get(i).kind() == TokenSpacing.Kind.WORD && MAINTENANCE_OPTIONS.contains(tokens.get(i).text())) {
            i++;
        }
        return i;
    }

    /**
     * {@code name [(columns)] [, …]} from {@code i} to the end, each name written to {@code out}; none at all is every
     * table when {@code noneIsAll}. Answers whether the list reads to the end.
     */
    private boolean tableList(Tokens tokens, int i, boolean noneIsAll, StatementBuilder out) {
        if (i == tokens.size()) {
            if (noneIsAll) {
                out.tablesWritten.add(EVERY_TABLE);
            }
            return noneIsAll;
        }
        while (true) {
            if (tokens.isWord(i, "only")) {
                i++;
            }
            List<String> name = tokens.nameAt(i);
            if (name.isEmpty()) {
                return false;
            }
            out.tablesWritten.add(tableRef(name));
            i += name.size() * 2 - 1;
            if (symbol(tokens, i, "*")) {
                i++;
            }
            if (symbol(tokens, i, "(")) {
                int close = matchingParenthesis(tokens, i);
                if (close < 0) {
                    return false;
                }
                i = close + 1;
            }
            if (!symbol(tokens, i, ",")) {
                return i == tokens.size();
            }
            i++;
        }
    }

    /**
     * MariaDB {@code SHOW DATABASES|SCHEMAS LIKE p} and {@code SHOW [GLOBAL|SESSION] VARIABLES|STATUS LIKE p}, with p
     * one string or parameter (Flyway looks its schema up so): the names of the databases, or server settings and
     * counters, as the same {@code SHOW} without {@code LIKE} lists them, which the parser reads. Nothing else passes.
     */
    private static boolean showLike(Tokens tokens) {
        int i = 1;
        boolean settings = false;
        if (tokens.isWord(i, "global") || tokens.isWord(i, "session")) {
            i++;
            settings = true;
        }
        boolean listed = tokens.isWord(i, "variables") || tokens.isWord(i, "status")
                || !settings && (tokens.isWord(i, "databases") || tokens.isWord(i, "schemas"));
        if (!listed || !tokens.isWord(i + 1, "like") || tokens.size() != i + 3) {
            return false;
        }
        Tokens.Token pattern = tokens.get(i + 2);
        return pattern.kind() == TokenSpacing.Kind.LITERAL || pattern.kind() == TokenSpacing.Kind.PARAMETER
                || pattern.kind() == TokenSpacing.Kind.SYMBOL && pattern.text().equals("?"); // a JDBC parameter
    }

    /**
     * MariaDB {@code SELECT … LOCK IN SHARE MODE [NOWAIT | SKIP LOCKED]} (the shared row lock a pessimistic read
     * takes): the query read without its locking clause, which changes which rows wait, not what is read, with
     * {@link Trait#LOCKS_ROWS}. Only those last words, after a text that reads as one query.
     */
    private List<StatementAnalysis> lockInShareMode(Tokens tokens, String text) {
        int end = tokens.size();
        if (tokens.isWord(end - 1, "nowait")) {
            end--;
        } else if (tokens.isWord(end - 2, "skip") && tokens.isWord(end - 1, "locked")) {
            end -= 2;
        }
        int lock = end - 4;
        if (lock < 1 || !tokens.isWord(lock, "lock") || !tokens.isWord(lock + 1, "in") || !tokens.isWord(lock + 2, "share")
                || !tokens.isWord(lock + 3, "mode")) {
            return null;
        }
        List<StatementAnalysis> query = reparse.apply(text.substring(0, tokens.get(lock).offset()));
        if (query == null || query.size() != 1 || query.get(0).action() != Action.SELECT) {
            return null;
        }
        Set<Trait> traits = EnumSet.of(Trait.LOCKS_ROWS);
        traits.addAll(query.get(0).traits());
        return List.of(query.get(0).withTraits(traits));
    }

    /**
     * PostgreSQL {@code CREATE TEMP|TEMPORARY SEQUENCE …}, MariaDB {@code CREATE TEMPORARY SEQUENCE …}: read as the
     * {@code CREATE SEQUENCE} it is, with {@link Trait#TEMPORARY}, as a temporary table has it: the session keeps the
     * sequence past the statement, and its name comes before the schema's in the search path.
     */
    private List<StatementAnalysis> temporarySequence(Tokens tokens, String text) {
        boolean temporary = tokens.isWord(1, "temporary") || dialect == Dialect.POSTGRESQL && tokens.isWord(1, "temp");
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB || !temporary || !tokens.isWord(2, "sequence")) {
            return null;
        }
        List<StatementAnalysis> analysed = reparse.apply(text.substring(0, tokens.get(1).offset())
                + text.substring(tokens.get(2).offset()));
        if (analysed == null || analysed.size() != 1 || analysed.get(0).action() != Action.CREATE) {
            return null;
        }
        Set<Trait> traits = new HashSet<>(analysed.get(0).traits());
        traits.add(Trait.TEMPORARY);
        return List.of(analysed.get(0).withTraits(traits));
    }

    /**
     * PostgreSQL {@code LOCK [TABLE] [ONLY] name [*] [, …] [IN mode MODE] [NOWAIT]}: LOCK on every table named, and a
     * read of it (see {@link #locked}).
     */
    private List<StatementAnalysis> postgresLock(Tokens tokens) {
        if (dialect != Dialect.POSTGRESQL) {
            return null;
        }
        int i = tokens.isWord(1, "table") ? 2 : 1;
        StatementBuilder out = new StatementBuilder(Action.LOCK);
        while (true) {
            if (tokens.isWord(i, "only") && tokens.get(i + 1).isName()) {
                i++;
            }
            List<String> name = tokens.nameAt(i);
            if (name.isEmpty()) {
                return null;
            }
            locked(out, tableRef(name));
            i += name.size() * 2 - 1;
            if (symbol(tokens, i, "*")) {
                i++;
            }
            if (!symbol(tokens, i, ",")) {
                break;
            }
            i++;
        }
        if (tokens.isWord(i, "in")) {
            int mode = tokens.indexOfWord("mode", i + 1);
            if (mode < 0 || !POSTGRESQL_LOCK_MODES.contains(words(tokens, i + 1, mode))) {
                return null;
            }
            i = mode + 1;
        }
        if (tokens.isWord(i, "nowait")) {
            i++;
        }
        return i == tokens.size() ? out.build() : null;
    }

    /**
     * MariaDB {@code LOCK TABLE[S] name [[AS] alias] READ [LOCAL] | [LOW_PRIORITY] WRITE [CONCURRENT] [, …]
     * [WAIT n | NOWAIT]} (mysqldump's {@code LOCK TABLES t READ /*!32311 LOCAL *}{@code /}): LOCK on every table named,
     * and a read of it (see {@link #locked}).
     */
    private List<StatementAnalysis> mariadbLockTables(Tokens tokens) {
        if (!tokens.isWord(1, "tables") && !tokens.isWord(1, "table")) {
            return null;
        }
        StatementBuilder out = new StatementBuilder(Action.LOCK);
        int i = 2;
        while (true) {
            List<String> name = tokens.nameAt(i);
            if (name.isEmpty()) {
                return null;
            }
            locked(out, tableRef(name));
            i += name.size() * 2 - 1;
            if (tokens.isWord(i, "as")) {
                i++;
                if (!tokens.get(i).isName()) {
                    return null;
                }
                i++;
            } else if (tokens.get(i).isName() && !MARIADB_LOCK_TYPES.contains(tokens.get(i).text())) {
                i++;
            }
            if (tokens.isWord(i, "read")) {
                i += tokens.isWord(i + 1, "local") ? 2 : 1;
            } else {
                if (tokens.isWord(i, "low_priority")) {
                    i++;
                }
                if (!tokens.isWord(i, "write")) {
                    return null;
                }
                i += tokens.isWord(i + 1, "concurrent") ? 2 : 1;
            }
            if (!symbol(tokens, i, ",")) {
                break;
            }
            i++;
        }
        if (tokens.isWord(i, "nowait")) {
            i++;
        } else if (tokens.isWord(i, "wait") && tokens.get(i + 1).kind() == TokenSpacing.Kind.LITERAL) {
            i += 2;
        }
        return i == tokens.size() ? out.build() : null;
    }

    /**
     * A table a LOCK names: the lock is taken on it (a {@code lock} on the table, which a policy permits or forbids
     * by the table) and it counts as read, so whatever keeps a caller from reading the table keeps it from locking the
     * table too (a lock reads no value, but holds off other sessions' writes or reads of the table).
     */
    private static void locked(StatementBuilder out, TableRef table) {
        out.tablesWritten.add(table);
        out.tablesRead.add(table);
    }

    private static String words(Tokens tokens, int from, int to) {
        StringBuilder words = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (tokens.get(i).kind() != TokenSpacing.Kind.WORD) {
                return "";
            }
            words.append(i > from ? " " : "").append(tokens.get(i).text());
        }
        return words.toString();
    }

    /** H2 {@code DROP TABLE|VIEW|INDEX|SEQUENCE|SCHEMA name [, name…] IF EXISTS [CASCADE|RESTRICT]}. */
    private List<StatementAnalysis> postfixIfExists(Tokens tokens, String text) {
        if (!Set.of("table", "view", "index", "sequence", "schema").contains(tokens.get(1).text())) {
            return null;
        }
        int i = 2;
        while (true) {
            List<String> name = tokens.nameAt(i);
            if (name.isEmpty()) {
                return null;
            }
            i += name.size() * 2 - 1;
            if (!tokens.get(i).text().equals(",")) {
                break;
            }
            i++;
        }
        if (!tokens.isWord(i, "if") || !tokens.isWord(i + 1, "exists")) {
            return null;
        }
        String names = text.substring(tokens.get(2).offset(), tokens.get(i).offset());
        String rest = i + 2 < tokens.size() ? text.substring(tokens.get(i + 2).offset()) : "";
        return reparse.apply(text.substring(0, tokens.get(2).offset()) + "IF EXISTS " + names + " " + rest);
    }

    /**
     * PostgreSQL {@code DROP INDEX CONCURRENTLY [IF EXISTS] i [, …] [CASCADE | RESTRICT]}: read as the same {@code DROP
     * INDEX} without {@code CONCURRENTLY} (which only spares the table a lock while the index goes), DROP on each index.
     */
    private List<StatementAnalysis> dropIndexConcurrently(Tokens tokens, String text) {
        if (tokens.size() < 4 || tokens.isWord(3, "concurrently")) {
            return null;
        }
        List<StatementAnalysis> analysed = reparse.apply(text.substring(0, tokens.get(2).offset())
                + text.substring(tokens.get(3).offset()));
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == Action.DROP
                && !analysed.get(0).tablesWritten().contains(new TableRef(null, "concurrently")) ? analysed : null;
    }

    /**
     * The renames the parser cannot read, each only in its exact form (the statement ends after the new name; anything
     * else stays unparseable):
     * <ul>
     *   <li>PostgreSQL {@code ALTER VIEW|MATERIALIZED VIEW|INDEX|SEQUENCE [IF EXISTS] a RENAME TO b}, H2 {@code ALTER
     *       VIEW [IF EXISTS] a RENAME TO b}: these relations share the tables' names in their schema, and the database
     *       renames them as {@code ALTER TABLE} renames a table (PostgreSQL accepts {@code ALTER TABLE} on each of them
     *       too): read as {@code ALTER TABLE [IF EXISTS] a RENAME TO b}, so that rules, masks naming the relation and
     *       the shadowing checks see the same rename;</li>
     *   <li>PostgreSQL {@code ALTER VIEW|MATERIALIZED VIEW [IF EXISTS] v RENAME COLUMN a TO b} and {@code ALTER VIEW|
     *       MATERIALIZED VIEW|SEQUENCE [IF EXISTS] a SET SCHEMA s}: read as the same {@code ALTER TABLE}, which the
     *       database accepts on each of them and which renames, or moves, them alike;</li>
     *   <li>H2 {@code ALTER TABLE [IF EXISTS] t ALTER COLUMN [IF EXISTS] c RENAME TO d}: read as {@code ALTER TABLE
     *       [IF EXISTS] t RENAME COLUMN c TO d};</li>
     *   <li>PostgreSQL and H2 {@code ALTER SCHEMA s RENAME TO r} (H2: {@code [IF EXISTS]}): every relation of {@code s}
     *       gets another qualified name; ALTER with {@link Trait#RENAMES} on {@code s.*} and {@code r.*};</li>
     *   <li>MariaDB {@code ALTER TABLE [IF EXISTS] t RENAME [TO|AS] db.u} (the parser reads only an unqualified new
     *       name): ALTER with {@link Trait#RENAMES} on {@code t} and {@code db.u}, as for {@code RENAME TO u}.</li>
     * </ul>
     */
    private List<StatementAnalysis> renamed(Tokens tokens, String text) {
        int kind = 1;
        String word = tokens.get(kind).kind() == TokenSpacing.Kind.WORD ? tokens.get(kind).text() : "";
        if (word.equals("materialized") && tokens.isWord(2, "view")) {
            kind = 2;
            word = "materialized view";
        }
        boolean relation = dialect == Dialect.POSTGRESQL && Set.of("view", "materialized view", "index", "sequence")
                .contains(word) || dialect.isH2() && word.equals("view");
        boolean schema = word.equals("schema") && (dialect == Dialect.POSTGRESQL || dialect.isH2());
        boolean table = word.equals("table") && (dialect.isH2() || dialect == Dialect.MARIADB);
        if (!relation && !schema && !table) {
            return null;
        }
        int i = kind + 1;
        boolean ifExists = tokens.isWord(i, "if") && tokens.isWord(i + 1, "exists");
        if (ifExists) {
            if (schema && !dialect.isH2()) {
                return null;
            }
            i += 2;
        }
        int nameAt = i;
        List<String> name = tokens.nameAt(nameAt);
        if (name.isEmpty()) {
            return null;
        }
        i += name.size() * 2 - 1;
        if ((relation || table && dialect.isH2()) && name.stream().anyMatch(part -> part.contains("."))) {
            // the parser splits a quoted name holding a dot ("a.b") at the dot in ALTER TABLE: the reading below would
            // name another relation
            return null;
        }
        if (relation && dialect == Dialect.POSTGRESQL && !word.equals("index") && tokens.isWord(i, "set")
                && tokens.isWord(i + 1, "schema") && endsWithName(tokens, i + 2, 1)) {
            // ALTER VIEW|MATERIALIZED VIEW|SEQUENCE [IF EXISTS] a SET SCHEMA s: the relation moves, as ALTER TABLE a SET
            // SCHEMA s moves a table (PostgreSQL accepts that on each of them too)
            return reparse.apply("ALTER TABLE " + text.substring(tokens.get(kind + 1).offset()));
        }
        if (relation && dialect == Dialect.POSTGRESQL && word.endsWith("view") && tokens.isWord(i, "rename")
                && tokens.isWord(i + 1, "column") && tokens.nameAt(i + 2).size() == 1 && tokens.isWord(i + 3, "to")
                && endsWithName(tokens, i + 4, 1)) {
            // ALTER VIEW|MATERIALIZED VIEW [IF EXISTS] v RENAME COLUMN a TO b: a column of the relation gets another
            // name, as ALTER TABLE v RENAME COLUMN a TO b renames one (PostgreSQL accepts that on a view too)
            return reparse.apply("ALTER TABLE " + text.substring(tokens.get(kind + 1).offset()));
        }
        if (relation || schema) {
            if (!tokens.isWord(i, "rename") || !tokens.isWord(i + 1, "to") || !endsWithName(tokens, i + 2, 1)) {
                return null;
            }
            if (relation) {
                // from IF EXISTS (or the name) on, the text as written: the same names, quoted or not, comments and all
                return reparse.apply("ALTER TABLE " + text.substring(tokens.get(kind + 1).offset()));
            }
            if (name.size() != 1) {
                return null;
            }
            StatementBuilder out = new StatementBuilder(Action.ALTER);
            out.trait(Trait.RENAMES);
            if (ifExists) {
                out.trait(Trait.IF_EXISTS);
            }
            out.tablesWritten.add(new TableRef(dialect.normalizeIdentifier(name.get(0)), "*"));
            out.tablesWritten.add(new TableRef(dialect.normalizeIdentifier(tokens.get(i + 2).text()), "*"));
            return out.build();
        }
        if (dialect.isH2()) {
            // ALTER TABLE t ALTER COLUMN [IF EXISTS] c RENAME TO d (IF EXISTS: nothing is renamed when t has no c)
            int column = tokens.isWord(i + 2, "if") && tokens.isWord(i + 3, "exists") ? i + 4 : i + 2;
            if (!tokens.isWord(i, "alter") || !tokens.isWord(i + 1, "column") || tokens.nameAt(column).size() != 1
                    || !tokens.isWord(column + 1, "rename") || !tokens.isWord(column + 2, "to")
                    || !endsWithName(tokens, column + 3, 1)) {
                return null;
            }
            return reparse.apply(text.substring(0, tokens.get(i).offset()) + "RENAME COLUMN "
                    + text.substring(tokens.get(column).offset(), tokens.get(column + 1).offset()) + "TO "
                    + text.substring(tokens.get(column + 3).offset()));
        }
        // MariaDB: ALTER TABLE t RENAME [TO|AS] db.u
        if (!tokens.isWord(i, "rename")) {
            return null;
        }
        i += tokens.isWord(i + 1, "to") || tokens.isWord(i + 1, "as") ? 2 : 1;
        if (!endsWithName(tokens, i, 2)) {
            return null;
        }
        StatementBuilder out = new StatementBuilder(Action.ALTER);
        out.trait(Trait.RENAMES);
        if (ifExists) {
            out.trait(Trait.IF_EXISTS);
        }
        out.tablesWritten.add(tableRef(name));
        out.tablesWritten.add(tableRef(tokens.nameAt(i)));
        return out.build();
    }

    /**
     * PostgreSQL {@code CREATE TABLE … INHERITS (s.p [, …]) …} with a schema-qualified parent, which the parser reads
     * only unqualified: the statement read without the clause, each parent read (see {@code StatementWalker}'s
     * reading of the clause it can parse).
     */
    private List<StatementAnalysis> inheritsQualified(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL) {
            return null;
        }
        int depth = 0;
        int inherits = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (symbol(tokens, i, "(")) {
                depth++;
            } else if (symbol(tokens, i, ")")) {
                depth--;
            } else if (depth == 0 && (tokens.isWord(i, "as") || tokens.isWord(i, "select"))) {
                return null; // a query's words, not a table's definition
            } else if (depth == 0 && tokens.isWord(i, "inherits")) {
                inherits = i;
                break;
            }
        }
        int create = inherits < 0 ? -1 : tokens.indexOfWord("table", 1);
        if (create < 0 || create > inherits || !symbol(tokens, inherits - 1, ")")) {
            return null; // INHERITS follows the list of columns
        }
        List<TableRef> parents = new ArrayList<>();
        int after = DefinitionWalker.inheritsClause(tokens, inherits, dialect, parents);
        if (after < 0) {
            return null;
        }
        String without = text.substring(0, tokens.get(inherits).offset())
                + (after < tokens.size() ? text.substring(tokens.get(after).offset()) : "");
        List<StatementAnalysis> analysed = reparse.apply(without);
        if (analysed == null || analysed.isEmpty() || analysed.get(0).action() != Action.CREATE) {
            return null;
        }
        List<StatementAnalysis> all = new ArrayList<>(analysed);
        all.set(0, analysed.get(0).withTablesRead(parents));
        return all;
    }

    /** Whether a name of exactly {@code parts} parts starts at {@code index} and the statement ends after it. */
    private static boolean endsWithName(Tokens tokens, int index, int parts) {
        List<String> name = tokens.nameAt(index);
        return name.size() == parts && index + parts * 2 - 1 == tokens.size();
    }

    /**
     * PostgreSQL {@code DROP TYPE|DOMAIN [IF EXISTS] a [, b …] [CASCADE | RESTRICT]}, each name of one or two parts:
     * DROP on each type or domain named, as {@code DROP EXTENSION e} records {@code e}; with {@code CASCADE}, which drops
     * the columns of that type or domain in tables the statement does not name (and what depends on them), also on
     * every table ({@code *.*}), as {@code DROP SCHEMA|EXTENSION … CASCADE} is: a drop and an alter of any table
     * ({@code Access#throughCascadedDrops}). Without {@code CASCADE} the database refuses to drop a type or domain any
     * column, routine or other type still uses.
     */
    private List<StatementAnalysis> dropTypeOrDomain(Tokens tokens) {
        int i = 2;
        boolean ifExists = tokens.isWord(i, "if") && tokens.isWord(i + 1, "exists");
        if (ifExists) {
            i += 2;
        }
        StatementBuilder out = new StatementBuilder(Action.DROP);
        while (true) {
            List<String> name = tokens.nameAt(i);
            if (name.isEmpty() || name.size() > 2) {
                return null;
            }
            out.tablesWritten.add(tableRef(name));
            i += name.size() * 2 - 1;
            if (i < tokens.size() && symbol(tokens, i, ",")) {
                i++;
                continue;
            }
            break;
        }
        boolean cascade = tokens.isWord(i, "cascade");
        if (cascade || tokens.isWord(i, "restrict")) {
            i++;
        }
        if (i != tokens.size()) {
            return null;
        }
        if (ifExists) {
            out.trait(Trait.IF_EXISTS);
        }
        if (cascade) {
            out.trait(Trait.CASCADE);
            out.tablesWritten.add(new TableRef("*", "*"));
        }
        return out.build();
    }

    /**
     * PostgreSQL {@code TRUNCATE [TABLE] [ONLY] a [, …] [RESTART IDENTITY | CONTINUE IDENTITY] [CASCADE | RESTRICT]}
     * (one of the identity clause and {@code RESTRICT} at least): read as the same {@code TRUNCATE} without the identity
     * clause and without {@code RESTRICT} (the default, as {@code CONTINUE IDENTITY} is); {@code RESTART IDENTITY} restarts the sequences owned by
     * the columns of the tables truncated (those {@code CASCADE} truncates with them included), which the analysis
     * does not name: {@link Trait#RESTARTS_IDENTITY}, an alter of any table. {@code CONTINUE IDENTITY} is the default.
     */
    private List<StatementAnalysis> truncateIdentity(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL) {
            return null;
        }
        int n = tokens.size();
        boolean restrict = tokens.isWord(n - 1, "restrict");
        int end = restrict || tokens.isWord(n - 1, "cascade") ? n - 1 : n;
        boolean identity = end >= 4 && (tokens.isWord(end - 2, "restart") || tokens.isWord(end - 2, "continue"))
                && tokens.isWord(end - 1, "identity");
        int at = identity ? end - 2 : end;
        if (!identity && !restrict || at < 2 || !tokens.get(at - 1).isName()) {
            return null; // the clauses stand only after the last table's name, in this order
        }
        for (int i = 1; i < at; i++) {
            if (tokens.isWord(i, "identity") || tokens.isWord(i, "restrict") || tokens.isWord(i, "cascade")) {
                return null;
            }
        }
        // RESTRICT is the default (refuse when another table references one truncated), as CONTINUE IDENTITY is
        String without = text.substring(0, at < n ? tokens.get(at).offset() : text.length())
                + (!restrict && end < n ? text.substring(tokens.get(end).offset()) : "");
        List<StatementAnalysis> analysed = reparse.apply(without);
        if (analysed == null) {
            analysed = truncateOnly(Tokens.of(without, dialect), without);
        }
        if (analysed == null || analysed.size() != 1 || analysed.get(0).action() != Action.TRUNCATE) {
            return null;
        }
        if (!identity || tokens.isWord(at, "continue")) {
            return analysed;
        }
        Set<Trait> traits = EnumSet.of(Trait.RESTARTS_IDENTITY);
        traits.addAll(analysed.get(0).traits());
        return List.of(analysed.get(0).withTraits(traits));
    }

    /**
     * H2's {@code TRUNCATE TABLE t RESTART IDENTITY | CONTINUE IDENTITY} (one table, the clause last): the same {@code
     * TRUNCATE TABLE t}; {@code RESTART IDENTITY} restarts the identity columns of {@code t}, whose generators belong to
     * {@code t} alone: {@link Trait#RESTARTS_TABLE_IDENTITY}, an alter of {@code t}. {@code CONTINUE IDENTITY} is the
     * default.
     */
    private List<StatementAnalysis> h2TruncateIdentity(Tokens tokens, String text) {
        int n = tokens.size();
        if (n < 5 || !tokens.isWord(1, "table") || !tokens.isWord(n - 1, "identity")
                || !(tokens.isWord(n - 2, "restart") || tokens.isWord(n - 2, "continue"))) {
            return null;
        }
        List<String> name = tokens.nameAt(2);
        if (name.isEmpty() || 2 + name.size() * 2 - 1 != n - 2) {
            return null; // one table's name, nothing else, before the clause
        }
        List<StatementAnalysis> analysed = reparse.apply(text.substring(0, tokens.get(n - 2).offset()));
        if (analysed == null || analysed.size() != 1 || analysed.get(0).action() != Action.TRUNCATE
                || analysed.get(0).tablesWritten().size() != 1) {
            return null;
        }
        if (tokens.isWord(n - 2, "continue")) {
            return analysed;
        }
        Set<Trait> traits = EnumSet.of(Trait.RESTARTS_TABLE_IDENTITY);
        traits.addAll(analysed.get(0).traits());
        return List.of(analysed.get(0).withTraits(traits));
    }

    /**
     * PostgreSQL's {@code ALTER TABLE [IF EXISTS] [ONLY] t} at the start of a text: whether {@code IF EXISTS} was
     * written, the name {@code t} (one or two parts), the token it starts at and the token after it; {@code null} when
     * the text does not start so (or is not PostgreSQL's).
     */
    private AlteredTable alteredTable(Tokens tokens) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "table")) {
            return null;
        }
        int i = 2;
        boolean ifExists = tokens.isWord(i, "if") && tokens.isWord(i + 1, "exists");
        if (ifExists) {
            i += 2;
        }
        if (tokens.isWord(i, "only")) {
            i++;
        }
        List<String> table = tokens.nameAt(i);
        if (table.isEmpty() || table.size() > 2) {
            return null;
        }
        return new AlteredTable(ifExists, table, i, i + table.size() * 2 - 1);
    }

    /** What {@link #alteredTable} read: {@code next} is the token after the table's name. */
    private record AlteredTable(boolean ifExists, List<String> name, int nameStart, int next) {
    }

    /**
     * PostgreSQL {@code ALTER TABLE [IF EXISTS] [ONLY] t ADD [CONSTRAINT c] UNIQUE | PRIMARY KEY USING INDEX i
     * [[NOT] DEFERRABLE] [INITIALLY DEFERRED | IMMEDIATE]}, the one clause of the statement: an {@code alter} of {@code t}
     * (trait {@link Trait#ADDS_ONLY}, as a key added with its columns is) and of the index {@code i}, in {@code t}'s
     * schema, which the database renames to {@code c} ({@link Trait#RENAMES}, {@code c} written too). Which columns the
     * index holds is not read: every column of {@code t} counts as compared ({@code PRIMARY KEY} also tests each for
     * nulls on every row), so a mask's {@code deny-inference} on any column of {@code t} refuses it. The database refuses
     * an index of expressions or with a predicate here, so the index runs no routine the key would add.
     */
    private List<StatementAnalysis> keyUsingIndex(Tokens tokens) {
        AlteredTable named = alteredTable(tokens);
        if (named == null) {
            return null;
        }
        boolean ifExists = named.ifExists();
        List<String> table = named.name();
        int i = named.next();
        if (!tokens.isWord(i, "add")) {
            return null;
        }
        i++;
        List<String> constraint = null;
        if (tokens.isWord(i, "constraint")) {
            constraint = tokens.nameAt(i + 1);
            if (constraint.size() != 1) {
                return null;
            }
            i += 2;
        }
        if (tokens.isWord(i, "unique")) {
            i++;
        } else if (tokens.isWord(i, "primary") && tokens.isWord(i + 1, "key")) {
            i += 2;
        } else {
            return null;
        }
        if (!tokens.isWord(i, "using") || !tokens.isWord(i + 1, "index")) {
            return null;
        }
        List<String> index = tokens.nameAt(i + 2);
        if (index.size() != 1) {
            return null;
        }
        i += 3;
        while (i < tokens.size()) {
            if (tokens.isWord(i, "deferrable")) {
                i++;
            } else if (tokens.isWord(i, "not") && tokens.isWord(i + 1, "deferrable")) {
                i += 2;
            } else if (tokens.isWord(i, "initially")
                    && (tokens.isWord(i + 1, "deferred") || tokens.isWord(i + 1, "immediate"))) {
                i += 2;
            } else {
                return null;
            }
        }
        TableRef altered = tableRef(table);
        StatementBuilder out = new StatementBuilder(Action.ALTER);
        out.tablesWritten.add(altered);
        TableRef indexRef = new TableRef(altered.schema(), dialect.normalizeIdentifier(index.get(0)));
        out.tablesWritten.add(indexRef);
        if (constraint != null) {
            TableRef renamed = new TableRef(altered.schema(), dialect.normalizeIdentifier(constraint.get(0)));
            if (!renamed.equals(indexRef)) {
                out.tablesWritten.add(renamed);
                out.trait(Trait.RENAMES);
            }
        }
        out.columns.add(new ColumnRef(altered, ColumnRef.ALL_COLUMNS, Clause.COMPARED));
        out.trait(Trait.ADDS_ONLY);
        if (ifExists) {
            out.trait(Trait.IF_EXISTS);
        }
        return out.build();
    }

    /**
     * PostgreSQL {@code ALTER TABLE … ADD [CONSTRAINT c] UNIQUE | PRIMARY KEY (a, …) INCLUDE (b, …)}: read as the same
     * statement without each {@code INCLUDE (…)} list of names that follows a key's column list, as {@code CREATE INDEX
     * … INCLUDE (…)} is read: the included columns are stored in the key's index, neither compared nor computed on.
     */
    private List<StatementAnalysis> keyInclude(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "table")) {
            return null;
        }
        StringBuilder without = new StringBuilder();
        int from = 0;
        for (int i = 3; i + 1 < tokens.size(); i++) {
            if (!tokens.isWord(i, "include") || !symbol(tokens, i - 1, ")") || !symbol(tokens, i + 1, "(")) {
                continue;
            }
            int open = openingParenthesis(tokens, i - 1);
            boolean keyList = open > 0 && (tokens.isWord(open - 1, "unique")
                    || tokens.isWord(open - 1, "key") && tokens.isWord(open - 2, "primary"));
            int close = matchingParenthesis(tokens, i + 1);
            if (!keyList || close < 0 || !namesOnly(tokens, i + 2, close)) {
                return null;
            }
            without.append(text, from, tokens.get(i).offset());
            from = close + 1 < tokens.size() ? tokens.get(close + 1).offset() : text.length();
            i = close;
        }
        if (from == 0) {
            return null;
        }
        String read = without.append(text.substring(from)).toString();
        List<StatementAnalysis> analysed = reparse.apply(read);
        if (analysed == null) {
            analysed = analyze(read); // NOT VALID, DEFERRABLE after it
        }
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == Action.ALTER ? analysed : null;
    }

    /** Whether the tokens from {@code from} to before {@code end} are names of one part separated by commas. */
    private static boolean namesOnly(Tokens tokens, int from, int end) {
        if (from >= end) {
            return false;
        }
        for (int i = from; i < end; i++) {
            boolean name = (i - from) % 2 == 0;
            if (name ? !tokens.get(i).isName() : !symbol(tokens, i, ",")) {
                return false;
            }
        }
        return (end - from) % 2 == 1;
    }

    private static int openingParenthesis(Tokens tokens, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            if (symbol(tokens, i, ")")) {
                depth++;
            } else if (symbol(tokens, i, "(") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The name given to an unnamed CHECK constraint where it is read as a named one (it names no relation). */
    static final String UNNAMED_CHECK = "unnamed_check";

    /**
     * {@code ALTER TABLE … ADD CHECK (…)} (PostgreSQL, MariaDB, H2): an unnamed check constraint, which the database
     * names itself; read as the same statement with {@code ADD CONSTRAINT unnamed_check CHECK (…)} in each such clause,
     * the constraint's name being no relation's, so that its expression is read (its routines as planted code) and the
     * table altered, as for a named one (with PostgreSQL's {@code NOT VALID} as {@link #constraintModifiers} reads it).
     */
    private List<StatementAnalysis> unnamedCheck(Tokens tokens, String text) {
        if (!tokens.isWord(1, "table") && !(dialect == Dialect.MARIADB && tokens.isWord(1, "online")
                && tokens.isWord(2, "table"))) {
            return null;
        }
        StringBuilder rewritten = new StringBuilder();
        int from = 0;
        int depth = 0;
        for (int i = 2; i + 2 < tokens.size(); i++) {
            if (symbol(tokens, i, "(")) {
                depth++;
            } else if (symbol(tokens, i, ")")) {
                depth--;
            } else if (depth == 0 && tokens.isWord(i, "add") && tokens.isWord(i + 1, "check")
                    && symbol(tokens, i + 2, "(")) {
                rewritten.append(text, from, tokens.get(i + 1).offset()).append("CONSTRAINT ").append(UNNAMED_CHECK)
                        .append(' ');
                from = tokens.get(i + 1).offset();
            }
        }
        if (from == 0) {
            return null;
        }
        String named = rewritten.append(text.substring(from)).toString();
        List<StatementAnalysis> analysed = reparse.apply(named);
        if (analysed == null) {
            analysed = analyze(named); // NOT VALID after it, ALTER ONLINE TABLE
        }
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == Action.ALTER ? analysed : null;
    }

    /**
     * MariaDB {@code DROP EVENT [IF EXISTS] [db.]e}: DROP on the event, as {@code DROP PROCEDURE} records the procedure
     * (the event's schedule and body go with it).
     */
    private List<StatementAnalysis> dropEvent(Tokens tokens) {
        if (dialect != Dialect.MARIADB) {
            return null;
        }
        int i = 2;
        boolean ifExists = tokens.isWord(i, "if") && tokens.isWord(i + 1, "exists");
        if (ifExists) {
            i += 2;
        }
        List<String> name = tokens.nameAt(i);
        if (name.isEmpty() || name.size() > 2 || !endsWithName(tokens, i, name.size())) {
            return null;
        }
        StatementBuilder out = new StatementBuilder(Action.DROP);
        out.tablesWritten.add(tableRef(name));
        if (ifExists) {
            out.trait(Trait.IF_EXISTS);
        }
        return out.build();
    }

    /**
     * PostgreSQL {@code ALTER INDEX} forms the parser cannot read, each only in its exact form (anything else stays
     * unparseable):
     * <ul>
     *   <li>{@code ALTER INDEX [IF EXISTS] i SET TABLESPACE t}: the index's storage moves; read as {@code ALTER TABLE
     *       [IF EXISTS] i SET TABLESPACE t} (PostgreSQL accepts that on an index too), ALTER on {@code i}, as the
     *       renames of an index are read;</li>
     *   <li>{@code ALTER INDEX p ATTACH PARTITION c}: the index {@code c} of a partition becomes a part of the
     *       partitioned table's index {@code p}; ALTER on both, as {@code ALTER TABLE … ATTACH PARTITION} writes the
     *       partitioned table and the partition.</li>
     * </ul>
     * No expression is planted: the index keeps the expressions it was built with. {@code ALTER INDEX … SET SCHEMA}
     * (PostgreSQL has none: an index lives in its table's schema) and {@code ALTER INDEX ALL IN TABLESPACE} stay
     * unparseable.
     */
    private List<StatementAnalysis> alterIndex(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "index")) {
            return null;
        }
        int i = 2;
        boolean ifExists = tokens.isWord(i, "if") && tokens.isWord(i + 1, "exists");
        if (ifExists) {
            i += 2;
        }
        List<String> name = tokens.nameAt(i);
        if (name.isEmpty() || name.size() > 2 || name.stream().anyMatch(part -> part.contains("."))) {
            // a quoted name holding a dot would be split at the dot by the parser's ALTER TABLE
            return null;
        }
        i += name.size() * 2 - 1;
        if (tokens.isWord(i, "set") && tokens.isWord(i + 1, "tablespace") && endsWithName(tokens, i + 2, 1)) {
            List<StatementAnalysis> moved = reparse.apply("ALTER TABLE " + text.substring(tokens.get(2).offset()));
            return moved != null && moved.size() == 1 && moved.get(0).action() == Action.ALTER ? moved : null;
        }
        if (!ifExists && tokens.isWord(i, "attach") && tokens.isWord(i + 1, "partition")) {
            List<String> child = tokens.nameAt(i + 2);
            if (child.isEmpty() || child.size() > 2 || !endsWithName(tokens, i + 2, child.size())) {
                return null;
            }
            StatementBuilder out = new StatementBuilder(Action.ALTER);
            out.tablesWritten.add(tableRef(name));
            out.tablesWritten.add(tableRef(child));
            return out.build();
        }
        return null;
    }

    /** The constraint modifiers {@link #constraintModifiers} reads past, longest first. */
    private static final List<List<String>> CONSTRAINT_MODIFIERS = List.of(List.of("not", "valid"),
            List.of("not", "deferrable"), List.of("initially", "deferred"), List.of("initially", "immediate"),
            List.of("deferrable"));
    /** The words that start a table constraint after {@code ADD [CONSTRAINT name]}. */
    private static final Set<String> CONSTRAINT_KINDS = Set.of("foreign", "check", "unique", "primary");

    /**
     * PostgreSQL {@code ALTER TABLE … ADD [CONSTRAINT c] FOREIGN KEY|CHECK|UNIQUE|PRIMARY KEY … } ending in the
     * modifiers the parser cannot read there: {@code NOT VALID} (rows already stored are not checked now, a later
     * {@code VALIDATE CONSTRAINT} checks them), {@code [NOT] DEFERRABLE}, {@code INITIALLY DEFERRED|IMMEDIATE} (when
     * the check runs in the transaction), and {@code ADD [COLUMN] … REFERENCES t …} ending in the deferral modifiers.
     * None of them changes which relations the statement writes and reads or which expressions it plants: read as
     * the statement without them, so that the constraint's expressions (a CHECK calling a routine) are judged as
     * planted code and its referenced table read. A modifier anywhere else (within an expression, an {@code ALTER
     * COLUMN … USING} expression, a clause of another kind) is not read past: the statement stays unparseable.
     */
    private List<StatementAnalysis> constraintModifiers(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "table")) {
            return null;
        }
        List<int[]> removed = new ArrayList<>();
        int depth = 0;
        int clauseStart = 2;
        for (int i = 2; i <= tokens.size(); i++) {
            if (i < tokens.size() && symbol(tokens, i, "(")) {
                depth++;
            } else if (i < tokens.size() && symbol(tokens, i, ")")) {
                depth--;
            } else if (depth == 0 && (i == tokens.size() || symbol(tokens, i, ","))) {
                if (!clauseModifiers(tokens, clauseStart, i, removed)) {
                    return null;
                }
                clauseStart = i + 1;
            }
        }
        if (removed.isEmpty()) {
            return null;
        }
        StringBuilder without = new StringBuilder();
        int from = 0;
        for (int[] range : removed) {
            without.append(text, from, tokens.get(range[0]).offset());
            from = range[1] < tokens.size() ? tokens.get(range[1]).offset() : text.length();
        }
        without.append(text.substring(from));
        List<StatementAnalysis> analysed = reparse.apply(without.toString());
        if (analysed == null || analysed.size() != 1 || analysed.get(0).action() != Action.ALTER) {
            return null;
        }
        // every table a foreign key references is read (whether a value is there decides whether a row goes in), the
        // one of a column's REFERENCES too, which the parse tree does not name
        List<TableRef> referenced = new ArrayList<>();
        depth = 0;
        for (int i = 2; i < tokens.size(); i++) {
            if (symbol(tokens, i, "(")) {
                depth++;
            } else if (symbol(tokens, i, ")")) {
                depth--;
            } else if (depth == 0 && tokens.isWord(i, "references")) {
                List<String> table = tokens.nameAt(i + 1);
                if (table.isEmpty() || table.size() > 2) {
                    return null;
                }
                referenced.add(tableRef(table));
            }
        }
        return List.of(analysed.get(0).withTablesRead(referenced));
    }

    /**
     * Adds to {@code removed} the range of the modifiers ending the clause of tokens {@code [start, end)}, if it is an
     * {@code ADD} of a constraint (or of a column with {@code REFERENCES}); answers {@code false} when a modifier word
     * stands anywhere else in the clause at its top level, where it cannot be read past.
     */
    private static boolean clauseModifiers(Tokens tokens, int start, int end, List<int[]> removed) {
        int add = -1;
        boolean references = false;
        int depth = 0;
        for (int i = start; i < end; i++) {
            if (symbol(tokens, i, "(")) {
                depth++;
            } else if (symbol(tokens, i, ")")) {
                depth--;
            } else if (depth == 0 && add < 0 && tokens.isWord(i, "add")) {
                add = i;
            } else if (depth == 0 && add >= 0 && tokens.isWord(i, "references")) {
                references = true;
            }
        }
        boolean constraint = false;
        if (add >= 0) {
            int kind = tokens.isWord(add + 1, "constraint") && tokens.get(add + 2).isName() ? add + 3 : add + 1;
            constraint = tokens.get(kind).kind() == TokenSpacing.Kind.WORD && CONSTRAINT_KINDS.contains(
                    tokens.get(kind).text());
        }
        int cut = end;
        boolean more = true;
        while (more && (constraint || references)) {
            more = false;
            for (List<String> modifier : CONSTRAINT_MODIFIERS) {
                int at = cut - modifier.size();
                if (at <= add || !constraint && modifier.contains("valid")) {
                    continue;
                }
                boolean matches = true;
                for (int w = 0; w < modifier.size(); w++) {
                    matches &= tokens.isWord(at + w, modifier.get(w));
                }
                if (matches) {
                    cut = at;
                    more = true;
                    break;
                }
            }
        }
        if (cut < end) {
            removed.add(new int[] {cut, end});
        }
        // a modifier word left at the clause's top level is not read past (the parser might read it otherwise)
        depth = 0;
        for (int i = start; i < cut; i++) {
            if (symbol(tokens, i, "(")) {
                depth++;
            } else if (symbol(tokens, i, ")")) {
                depth--;
            } else if (depth == 0 && (tokens.isWord(i, "valid") || tokens.isWord(i, "deferrable")
                    || tokens.isWord(i, "initially"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * MariaDB {@code ALTER TABLE} forms the parser cannot read, each read as the form it reads:
     * <ul>
     *   <li>{@code ALTER ONLINE TABLE …}: {@code ONLINE} only makes the server refuse a change it cannot make without
     *       locking the table: read as {@code ALTER TABLE …} (a rename to {@code db.u} as {@link #renamed} reads it);</li>
     *   <li>{@code ALTER TABLE t DROP FOREIGN KEY [IF EXISTS] fk} (each such clause): read as {@code DROP CONSTRAINT
     *       [IF EXISTS] fk}, which drops the same foreign key, ALTER on {@code t}.</li>
     * </ul>
     * {@code ALTER IGNORE TABLE} stays unparseable: adding a unique key under it deletes the rows that duplicate a
     * kept one, a removal of rows the reading as a mere ALTER would not show.
     */
    private List<StatementAnalysis> mariadbAlterForms(Tokens tokens, String text) {
        if (dialect != Dialect.MARIADB) {
            return null;
        }
        if (tokens.isWord(1, "online") && tokens.isWord(2, "table")) {
            String without = text.substring(0, tokens.get(1).offset()) + text.substring(tokens.get(2).offset());
            Tokens rest = Tokens.of(without, dialect);
            List<StatementAnalysis> analysed = renamed(rest, without);
            if (analysed == null) {
                analysed = mariadbAlterForms(rest, without);
            }
            if (analysed == null) {
                analysed = reparse.apply(without);
            }
            return analysed != null && analysed.size() == 1 && analysed.get(0).action() == Action.ALTER ? analysed : null;
        }
        if (!tokens.isWord(1, "table")) {
            return null;
        }
        StringBuilder rewritten = new StringBuilder();
        int from = 0;
        int depth = 0;
        for (int i = 2; i < tokens.size(); i++) {
            if (symbol(tokens, i, "(")) {
                depth++;
            } else if (symbol(tokens, i, ")")) {
                depth--;
            } else if (depth == 0 && tokens.isWord(i, "drop") && tokens.isWord(i + 1, "foreign")
                    && tokens.isWord(i + 2, "key")) {
                int name = tokens.isWord(i + 3, "if") && tokens.isWord(i + 4, "exists") ? i + 5 : i + 3;
                if (tokens.nameAt(name).size() != 1
                        || name + 1 < tokens.size() && !symbol(tokens, name + 1, ",")) {
                    return null;
                }
                rewritten.append(text, from, tokens.get(i + 1).offset()).append("CONSTRAINT ");
                from = tokens.get(i + 3).offset();
            } else if (depth == 0 && tokens.isWord(i, "add")) {
                // ADD [UNIQUE|FULLTEXT|SPATIAL] INDEX|KEY IF NOT EXISTS [name] (…): the same ADD, or none
                int kind = tokens.isWord(i + 1, "unique") || tokens.isWord(i + 1, "fulltext")
                        || tokens.isWord(i + 1, "spatial") ? i + 2 : i + 1;
                if ((tokens.isWord(kind, "index") || tokens.isWord(kind, "key")) && tokens.isWord(kind + 1, "if")
                        && tokens.isWord(kind + 2, "not") && tokens.isWord(kind + 3, "exists")
                        && kind + 4 < tokens.size()) {
                    rewritten.append(text, from, tokens.get(kind + 1).offset());
                    from = tokens.get(kind + 4).offset();
                    i = kind + 3;
                }
            }
        }
        if (from == 0) {
            return null;
        }
        List<StatementAnalysis> analysed = reparse.apply(rewritten.append(text.substring(from)).toString());
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == Action.ALTER ? analysed : null;
    }

    /**
     * PostgreSQL {@code CREATE SEQUENCE IF NOT EXISTS s …}: read as {@code CREATE SEQUENCE s …} (as the parser reads
     * {@code CREATE TABLE IF NOT EXISTS}: the same name is created, or nothing is).
     */
    private List<StatementAnalysis> sequenceIfNotExists(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "sequence") || !tokens.isWord(2, "if")
                || !tokens.isWord(3, "not") || !tokens.isWord(4, "exists") || tokens.nameAt(5).isEmpty()) {
            return null;
        }
        List<StatementAnalysis> analysed = reparse.apply(text.substring(0, tokens.get(2).offset())
                + text.substring(tokens.get(5).offset()));
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == Action.CREATE ? analysed : null;
    }

    /**
     * The MariaDB {@code CREATE} forms mariadb-dump writes that the parser cannot read, each read as the statement
     * without the part the parser does not know, which creates the same object:
     * <ul>
     *   <li>a view's header, {@code CREATE [OR REPLACE] [ALGORITHM = UNDEFINED|MERGE|TEMPTABLE] [DEFINER = d]
     *       [SQL SECURITY DEFINER|INVOKER] VIEW …} (the dump writes each part in a version comment of its own, which the
     *       server runs): read as {@code CREATE [OR REPLACE] VIEW …}, with {@link Trait#PRIVILEGE_CHANGE} when {@code d}
     *       names an account or role rather than {@code CURRENT_USER} (the view then reads with that account's
     *       privileges);</li>
     *   <li>{@code CREATE SEQUENCE … ENGINE = name} as the statement's last clause: read without it (the engine that
     *       stores the sequence's one row);</li>
     *   <li>{@code CREATE TABLE … WITH SYSTEM VERSIONING} as the statement's last clause: read without it (the table
     *       keeps its rows' history; what it holds now is the same).</li>
     * </ul>
     */
    private List<StatementAnalysis> mariadbDumpedCreate(Tokens tokens, String text) {
        int n = tokens.size();
        if (tokens.isWord(1, "sequence") && n > 4 && tokens.isWord(n - 3, "engine") && symbol(tokens, n - 2, "=")
                && tokens.get(n - 1).kind() == TokenSpacing.Kind.WORD) {
            return one(reparse.apply(text.substring(0, tokens.get(n - 3).offset())), Action.CREATE);
        }
        if (tokens.isWord(1, "table") && n > 4 && tokens.isWord(n - 3, "with") && tokens.isWord(n - 2, "system")
                && tokens.isWord(n - 1, "versioning")) {
            return one(reparse.apply(text.substring(0, tokens.get(n - 3).offset())), Action.CREATE);
        }
        int i = tokens.isWord(1, "or") && tokens.isWord(2, "replace") ? 3 : 1;
        int headerStart = i;
        boolean otherDefiner = false;
        boolean algorithm = false;
        boolean definer = false;
        boolean security = false;
        while (i < n && !tokens.isWord(i, "view")) {
            if (!algorithm && tokens.isWord(i, "algorithm") && symbol(tokens, i + 1, "=")
                    && (tokens.isWord(i + 2, "undefined") || tokens.isWord(i + 2, "merge")
                    || tokens.isWord(i + 2, "temptable"))) {
                algorithm = true;
                i += 3;
            } else if (!definer && tokens.isWord(i, "definer") && symbol(tokens, i + 1, "=")) {
                definer = true;
                int end = definerEnd(tokens, i + 2);
                if (end < 0) {
                    return null;
                }
                otherDefiner = !tokens.isWord(i + 2, "current_user");
                i = end;
            } else if (!security && tokens.isWord(i, "sql") && tokens.isWord(i + 1, "security")
                    && (tokens.isWord(i + 2, "definer") || tokens.isWord(i + 2, "invoker"))) {
                security = true;
                i += 3;
            } else {
                return null;
            }
        }
        if (i >= n || i == headerStart) {
            return null;
        }
        List<StatementAnalysis> view = reparse.apply(text.substring(0, tokens.get(headerStart).offset())
                + text.substring(tokens.get(i).offset()));
        if (view == null || view.size() != 1) {
            return null;
        }
        if (!otherDefiner) {
            return view;
        }
        java.util.EnumSet<Trait> traits = java.util.EnumSet.of(Trait.PRIVILEGE_CHANGE);
        traits.addAll(view.get(0).traits());
        return List.of(view.get(0).withTraits(traits));
    }

    /**
     * MariaDB's {@code DO expr [, expr…]} evaluates its expressions as {@code SELECT expr [, expr…]} would and drops the
     * result (elsewhere {@code DO} is a code block, {@link CodeAndPrivilegeStatements}): read as that {@code SELECT}, its
     * result's columns copied to where no one reads them (so a mask applies to them as to a copy) rather than
     * returned, since the statement returns no rows.
     */
    private List<StatementAnalysis> mariadbDo(Tokens tokens, String text) {
        if (tokens.size() < 2) {
            return null;
        }
        List<StatementAnalysis> select = reparse.apply("SELECT " + text.substring(tokens.get(1).offset()));
        if (select == null || select.size() != 1 || select.get(0).action() != Action.SELECT) {
            return null;
        }
        StatementAnalysis s = select.get(0);
        List<ResultColumn> copied = new ArrayList<>(s.copiedColumns());
        copied.addAll(s.resultColumns());
        return List.of(new StatementAnalysis(s.action(), s.tablesRead(), s.tablesWritten(), s.columns(), s.where(),
                List.of(), s.traits(), copied, s.routines(), s.sessionValues(), s.boundIf(), s.code(),
                s.boundThrough()));
    }

    /**
     * The index after a definer starting at {@code i}: {@code CURRENT_USER [()]}, or an account {@code user[@host]} (each
     * part a name, a quoted name or a string) or a role; -1 when none stands there.
     */
    static int definerEnd(Tokens tokens, int i) {
        if (tokens.isWord(i, "current_user")) {
            return symbol(tokens, i + 1, "(") && symbol(tokens, i + 2, ")") ? i + 3 : i + 1;
        }
        if (i >= tokens.size() || tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL
                || tokens.get(i).kind() == TokenSpacing.Kind.PARAMETER) {
            return -1;
        }
        if (i + 2 < tokens.size() && tokens.get(i + 1).text().equals("@")
                && tokens.get(i + 2).kind() != TokenSpacing.Kind.SYMBOL
                && tokens.get(i + 2).kind() != TokenSpacing.Kind.PARAMETER) {
            return i + 3;
        }
        if (i + 1 < tokens.size() && tokens.get(i + 1).kind() == TokenSpacing.Kind.WORD
                && tokens.get(i + 1).text().startsWith("@")) {
            return i + 2;
        }
        return i + 1;
    }

    /** {@code analysed} when it is one statement of {@code action}, else {@code null}. */
    private static List<StatementAnalysis> one(List<StatementAnalysis> analysed, Action action) {
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == action ? analysed : null;
    }

    /**
     * PostgreSQL {@code ALTER TABLE [IF EXISTS] [ONLY] t ADD [CONSTRAINT c] EXCLUDE [USING method] (element WITH operator,
     * …) [INCLUDE (…)] [WITH (…)] [USING INDEX TABLESPACE s] [WHERE (predicate)]}, modifiers after it, the one clause of
     * the statement: an {@code alter} of {@code t} that builds the constraint's index over its stored rows, read as the
     * same constraint in a {@code CREATE TABLE t} is (see {@link StatementWalker}): each element compared ({@link
     * Clause#COMPARED}: whether the statement succeeds tells whether two rows conflict), the routines its expressions
     * call recorded and attached ({@link Trait#ATTACHES_CODE}: they run on every later write of the table), the predicate
     * a filter of every row. The included columns are stored, neither compared nor computed on.
     */
    private List<StatementAnalysis> exclusionConstraint(Tokens tokens, String text) {
        AlteredTable altered = alteredTable(tokens);
        if (altered == null) {
            return null;
        }
        boolean ifExists = altered.ifExists();
        List<String> table = altered.name();
        int tableStart = altered.nameStart();
        int tableEnd = altered.next();
        int i = tableEnd;
        if (!tokens.isWord(i, "add")) {
            return null;
        }
        i++;
        if (tokens.isWord(i, "constraint")) {
            if (tokens.nameAt(i + 1).size() != 1) {
                return null;
            }
            i += 2;
        }
        if (!tokens.isWord(i, "exclude")) {
            return null;
        }
        int clauseStart = i;
        i++;
        if (tokens.isWord(i, "using")) {
            if (tokens.nameAt(i + 1).size() != 1) {
                return null;
            }
            i += 2;
        }
        if (!symbol(tokens, i, "(")) {
            return null;
        }
        int close = matchingParenthesis(tokens, i);
        if (close < 0) {
            return null;
        }
        StringBuilder clause = new StringBuilder(text.substring(tokens.get(clauseStart).offset(), tokens.get(close).offset() + 1));
        i = close + 1;
        while (i < tokens.size()) {
            if ((tokens.isWord(i, "include") || tokens.isWord(i, "with")) && symbol(tokens, i + 1, "(")) {
                int end = matchingParenthesis(tokens, i + 1);
                if (end < 0 || tokens.isWord(i, "include") && !namesOnly(tokens, i + 2, end)) {
                    return null;
                }
                i = end + 1;
            } else if (tokens.isWord(i, "using") && tokens.isWord(i + 1, "index") && tokens.isWord(i + 2, "tablespace")
                    && tokens.nameAt(i + 3).size() == 1) {
                i += 4;
            } else if (tokens.isWord(i, "where") && symbol(tokens, i + 1, "(")) {
                int end = matchingParenthesis(tokens, i + 1);
                if (end < 0) {
                    return null;
                }
                clause.append(" WHERE ").append(text, tokens.get(i + 1).offset(), tokens.get(end).offset() + 1);
                i = end + 1;
            } else if (tokens.isWord(i, "deferrable")) {
                i++;
            } else if (tokens.isWord(i, "not") && tokens.isWord(i + 1, "deferrable")) {
                i += 2;
            } else if (tokens.isWord(i, "initially")
                    && (tokens.isWord(i + 1, "deferred") || tokens.isWord(i + 1, "immediate"))) {
                i += 2;
            } else {
                return null;
            }
        }
        String created = "CREATE TABLE " + text.substring(tokens.get(tableStart).offset(), tokens.get(tableEnd).offset())
                .strip() + " (" + clause + ")";
        List<StatementAnalysis> analysed = reparse.apply(created);
        if (analysed == null || analysed.size() != 1 || analysed.get(0).action() != Action.CREATE
                || !analysed.get(0).tablesWritten().equals(Set.of(tableRef(table)))) {
            return null;
        }
        StatementAnalysis read = analysed.get(0);
        Set<Trait> traits = EnumSet.noneOf(Trait.class);
        traits.addAll(read.traits());
        traits.add(Trait.REEVALUATES_ROWS); // the constraint's index is built over the stored rows
        if (!read.routines().isEmpty()) {
            traits.add(Trait.ATTACHES_CODE);
        }
        if (ifExists) {
            traits.add(Trait.IF_EXISTS);
        }
        return List.of(new StatementAnalysis(Action.ALTER, read.tablesRead(), read.tablesWritten(), read.columns(),
                read.where(), read.resultColumns(), traits, read.copiedColumns(), read.routines(), read.sessionValues(),
                read.boundIf(), read.code(), read.boundThrough()));
    }

    /**
     * PostgreSQL {@code CREATE STATISTICS [IF NOT EXISTS] [s] [(kinds)] ON a, (expression), … FROM t}: read as an index of
     * {@code t} on each column and expression ({@code CREATE INDEX s ON t ((a), (expression), …)}): a {@code create} of
     * {@code t}'s, every column it names computed ({@link Clause#COMPUTED}: the statistics hold the most common values
     * and their frequencies, which {@code pg_stats_ext} shows), the routines its expressions call recorded (every
     * {@code ANALYZE} of the table runs them).
     */
    private List<StatementAnalysis> statistics(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "statistics")) {
            return null;
        }
        int i = 2;
        boolean ifNotExists = tokens.isWord(i, "if") && tokens.isWord(i + 1, "not") && tokens.isWord(i + 2, "exists");
        if (ifNotExists) {
            i += 3;
        }
        String name = "governed_statistics";
        if (!tokens.isWord(i, "on") && !symbol(tokens, i, "(")) {
            List<String> parts = tokens.nameAt(i);
            if (parts.isEmpty() || parts.size() > 2) {
                return null;
            }
            name = text.substring(tokens.get(i + parts.size() * 2 - 2).offset(),
                    tokens.get(i + parts.size() * 2 - 2).offset() + tokens.get(i + parts.size() * 2 - 2).text().length());
            i += parts.size() * 2 - 1;
        }
        if (symbol(tokens, i, "(")) {
            int end = matchingParenthesis(tokens, i);
            if (end < 0 || !namesOnly(tokens, i + 1, end)) {
                return null;
            }
            i = end + 1;
        }
        if (!tokens.isWord(i, "on")) {
            return null;
        }
        List<String> items = new ArrayList<>();
        int itemStart = i + 1;
        int depth = 0;
        int from = -1;
        for (int j = itemStart; j < tokens.size(); j++) {
            if (symbol(tokens, j, "(")) {
                depth++;
            } else if (symbol(tokens, j, ")")) {
                depth--;
            } else if (depth == 0 && (symbol(tokens, j, ",") || tokens.isWord(j, "from"))) {
                if (j == itemStart) {
                    return null;
                }
                items.add("(" + text.substring(tokens.get(itemStart).offset(), tokens.get(j).offset()).strip() + ")");
                itemStart = j + 1;
                if (tokens.isWord(j, "from")) {
                    from = j;
                    break;
                }
            }
        }
        if (from < 0 || items.isEmpty()) {
            return null;
        }
        List<String> table = tokens.nameAt(from + 1);
        if (table.isEmpty() || table.size() > 2 || from + 1 + table.size() * 2 - 1 != tokens.size()) {
            return null;
        }
        String index = "CREATE INDEX " + name + " ON " + text.substring(tokens.get(from + 1).offset()).strip() + " ("
                + String.join(", ", items) + ")";
        List<StatementAnalysis> analysed = reparse.apply(index);
        if (analysed == null || analysed.size() != 1 || analysed.get(0).action() != Action.CREATE) {
            return null;
        }
        if (!ifNotExists) {
            return analysed;
        }
        StatementAnalysis read = analysed.get(0);
        Set<Trait> traits = EnumSet.of(Trait.IF_EXISTS);
        traits.addAll(read.traits());
        return List.of(read.withTraits(traits));
    }

    /**
     * PostgreSQL {@code CREATE [UNIQUE] INDEX … ON t [USING m] (schema.f(a) [opclass] [order], …)}: an index item that is
     * a call the parser cannot read (a qualified one, one whose arguments hold parentheses or a cast, as pg_dump writes
     * {@code lower((email)::text)}), read as the same call in parentheses ({@code ((schema.f(a)))}, an expression item,
     * which the database builds alike): its columns compared (unique) or computed, the routine called.
     */
    private List<StatementAnalysis> qualifiedIndexCalls(Tokens tokens, String text) {
        if (dialect != Dialect.POSTGRESQL) {
            return null;
        }
        int index = tokens.indexOfWord("index", 1);
        if (index < 0 || index > 2 || index == 2 && !tokens.isWord(1, "unique")) {
            return null;
        }
        int on = tokens.indexOfWord("on", index + 1);
        if (on < 0) {
            return null;
        }
        int open = -1;
        for (int i = on + 1; i < tokens.size() && open < 0; i++) {
            if (symbol(tokens, i, "(")) {
                open = i;
            }
        }
        int close = open < 0 ? -1 : matchingParenthesis(tokens, open);
        if (close < 0) {
            return null;
        }
        StringBuilder rewritten = new StringBuilder();
        int from = 0;
        int item = open + 1;
        while (item < close) {
            List<String> name = tokens.nameAt(item);
            int after = item + name.size() * 2 - 1;
            if (!name.isEmpty() && symbol(tokens, after, "(")) {
                int end = matchingParenthesis(tokens, after);
                if (end < 0 || end >= close) {
                    return null;
                }
                rewritten.append(text, from, tokens.get(item).offset()).append('(')
                        .append(text, tokens.get(item).offset(), tokens.get(end).offset() + 1).append(')');
                from = tokens.get(end).offset() + 1;
            }
            int depth = 0;
            while (item < close && !(depth == 0 && symbol(tokens, item, ","))) {
                depth += symbol(tokens, item, "(") ? 1 : symbol(tokens, item, ")") ? -1 : 0;
                item++;
            }
            item++;
        }
        if (from == 0) {
            return null;
        }
        List<StatementAnalysis> analysed = reparse.apply(rewritten.append(text.substring(from)).toString());
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == Action.CREATE ? analysed : null;
    }

    /**
     * PostgreSQL {@code ALTER SCHEMA s OWNER TO r}, exactly (pg_dump writes it for every schema): an {@code alter} of
     * {@code s.*} that changes privileges ({@link Trait#PRIVILEGE_CHANGE}: the new owner holds every privilege on the
     * schema), as {@code ALTER TABLE t OWNER TO r} is of {@code t}.
     */
    private List<StatementAnalysis> schemaOwner(Tokens tokens) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "schema") || tokens.nameAt(2).size() != 1
                || !tokens.isWord(3, "owner") || !tokens.isWord(4, "to") || tokens.nameAt(5).size() != 1
                || tokens.size() != 6) {
            return null;
        }
        StatementBuilder out = new StatementBuilder(Action.ALTER);
        out.tablesWritten.add(new TableRef(dialect.normalizeIdentifier(tokens.nameAt(2).get(0)), "*"));
        out.trait(Trait.PRIVILEGE_CHANGE);
        return out.build();
    }

    /** The kinds of object {@link #commentOn} reads, by their first word (and the second, where there are two). */
    private static final Set<String> COMMENTED_KINDS = Set.of("function", "procedure", "routine", "aggregate",
            "sequence", "index", "type", "domain", "schema", "view", "table", "extension", "collation");
    /** The kinds whose object is named {@code x ON t}: the comment is on {@code x}, a part of table {@code t}. */
    private static final Set<String> COMMENTED_ON_TABLE = Set.of("trigger", "constraint", "policy", "rule");

    /**
     * PostgreSQL {@code COMMENT ON kind name [(argument types)] [ON table] IS 'text' | NULL}, exactly (pg_dump writes one
     * for every object with a description; the parser reads only tables, views and columns): a {@code comment} on the
     * object (a schema's as {@code s.*}; a trigger's, constraint's, policy's or rule's also on its table). It stores a
     * description and runs nothing: the argument types name types, and the text must be one literal or {@code NULL}
     * ending the statement (an expression there is not read).
     */
    private List<StatementAnalysis> commentOn(Tokens tokens) {
        if (dialect != Dialect.POSTGRESQL || !tokens.isWord(1, "on")) {
            return null;
        }
        int i = 2;
        String kind = tokens.get(i).kind() == TokenSpacing.Kind.WORD ? tokens.get(i).text() : "";
        if (kind.equals("materialized") || kind.equals("foreign")) {
            if (!tokens.isWord(i + 1, kind.equals("foreign") ? "table" : "view")) {
                return null;
            }
            i++;
        } else if (!COMMENTED_KINDS.contains(kind) && !COMMENTED_ON_TABLE.contains(kind)) {
            return null;
        }
        i++;
        List<String> name = tokens.nameAt(i);
        if (name.isEmpty() || name.size() > 2 || kind.equals("schema") && name.size() != 1) {
            return null;
        }
        StatementBuilder out = new StatementBuilder(Action.COMMENT);
        TableRef object = kind.equals("schema") ? new TableRef(dialect.normalizeIdentifier(name.get(0)), "*")
                : tableRef(name);
        i += name.size() * 2 - 1;
        if (symbol(tokens, i, "(")) {
            int close = matchingParenthesis(tokens, i);
            if (close < 0 || !typesOnly(tokens, i + 1, close)) {
                return null;
            }
            i = close + 1;
        }
        out.tablesWritten.add(object);
        if (COMMENTED_ON_TABLE.contains(kind)) {
            if (!tokens.isWord(i, "on") || tokens.nameAt(i + 1).isEmpty() || tokens.nameAt(i + 1).size() > 2) {
                return null;
            }
            List<String> table = tokens.nameAt(i + 1);
            out.tablesWritten.add(tableRef(table));
            i += 1 + table.size() * 2 - 1;
        }
        boolean text = tokens.get(i + 1).kind() == TokenSpacing.Kind.LITERAL || tokens.isWord(i + 1, "null");
        if (!tokens.isWord(i, "is") || !text || tokens.size() != i + 2) {
            return null;
        }
        return out.build();
    }

    /**
     * Whether the tokens from {@code from} to {@code end} (exclusive) are a routine's argument types only: words (names,
     * modes such as {@code IN}, {@code VARIADIC}), quoted names, numbers, dots, commas, brackets and the parentheses of
     * a type's modifiers ({@code numeric(12,2)}); no call can be written with these alone but a word before a
     * parenthesis, which in an argument list is a type's modifier and is refused here when a word follows inside it.
     */
    private static boolean typesOnly(Tokens tokens, int from, int end) {
        for (int i = from; i < end; i++) {
            Tokens.Token t = tokens.get(i);
            switch (t.kind()) {
                case WORD, QUOTED -> {
                }
                case LITERAL -> {
                    if (!t.text().equals("?") && !Character.isDigit(t.text().charAt(0))) {
                        return false;
                    }
                    if (!(symbol(tokens, i - 1, "(") || symbol(tokens, i - 1, ",") || symbol(tokens, i - 1, "["))) {
                        return false; // a number stands only as a type modifier or an array bound
                    }
                }
                case SYMBOL -> {
                    String s = t.text();
                    if (s.equals("(")) {
                        int close = matchingParenthesis(tokens, i);
                        if (close < 0 || close > end || close == i + 1) {
                            return false;
                        }
                        for (int j = i + 1; j < close; j++) {
                            if (tokens.get(j).kind() != TokenSpacing.Kind.LITERAL && !symbol(tokens, j, ",")) {
                                return false; // a modifier is numbers only: anything else could be a call
                            }
                        }
                    } else if (!s.equals(")") && !s.equals(",") && !s.equals(".") && !s.equals("[")
                            && !s.equals("]")) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * PostgreSQL {@code ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c ADD GENERATED ALWAYS | BY DEFAULT AS IDENTITY
     * (sequence options)}, the statement's one clause (pg_dump writes it for every identity column): read as the same
     * statement without the options, which the parser reads, and an {@code alter} of the sequence the options name
     * ({@code SEQUENCE NAME s}), which the statement creates. The options are sequence options, words and numbers only
     * ({@code START WITH 1}, {@code NO MINVALUE}, {@code CACHE 1}, {@code AS bigint}); anything else is not read.
     */
    private List<StatementAnalysis> addIdentity(Tokens tokens, String text) {
        AlteredTable altered = alteredTable(tokens);
        if (dialect != Dialect.POSTGRESQL || altered == null) {
            return null;
        }
        int i = altered.next();
        if (!tokens.isWord(i, "alter")) {
            return null;
        }
        i += tokens.isWord(i + 1, "column") ? 2 : 1;
        if (tokens.nameAt(i).size() != 1 || !tokens.isWord(i + 1, "add") || !tokens.isWord(i + 2, "generated")) {
            return null;
        }
        i += 3;
        if (tokens.isWord(i, "always")) {
            i++;
        } else if (tokens.isWord(i, "by") && tokens.isWord(i + 1, "default")) {
            i += 2;
        } else {
            return null;
        }
        if (!tokens.isWord(i, "as") || !tokens.isWord(i + 1, "identity") || !symbol(tokens, i + 2, "(")) {
            return null;
        }
        int open = i + 2;
        int close = matchingParenthesis(tokens, open);
        if (close != tokens.size() - 1) {
            return null;
        }
        TableRef sequence = null;
        for (int j = open + 1; j < close; j++) {
            Tokens.Token t = tokens.get(j);
            boolean number = t.kind() == TokenSpacing.Kind.LITERAL && !t.text().isEmpty()
                    && (Character.isDigit(t.text().charAt(0)) || t.text().equals("?"));
            if (tokens.isWord(j, "sequence") && tokens.isWord(j + 1, "name")) {
                List<String> name = tokens.nameAt(j + 2);
                if (name.isEmpty() || name.size() > 2) {
                    return null;
                }
                sequence = tableRef(name);
                j += 1 + name.size() * 2 - 1;
            } else if (!(t.kind() == TokenSpacing.Kind.WORD || number || symbol(tokens, j, "-"))) {
                return null;
            }
        }
        List<StatementAnalysis> analysed = reparse.apply(text.substring(0, tokens.get(open).offset()));
        if (analysed == null || analysed.size() != 1 || analysed.get(0).action() != Action.ALTER) {
            return null;
        }
        if (sequence == null) {
            return analysed;
        }
        return List.of(analysed.get(0).withTablesWritten(List.of(sequence)));
    }

    /**
     * PostgreSQL {@code UPDATE ONLY t …} and {@code DELETE FROM ONLY t …}, {@code ONLY} right after the statement's
     * first words: read as the same statement without {@code ONLY}, which the parser reads. {@code ONLY} spares the
     * tables that inherit from {@code t} and its partitions, so the statement writes the same table and reads the same
     * columns as the one judged, on fewer rows; a row filter's rewrite keeps it ({@link RowFilterRewriter}). A later
     * {@code ONLY} (after {@code FROM}, {@code USING}, {@code JOIN}) is left to the reparse, which reads {@code FROM
     * ONLY} and refuses the others.
     */
    private List<StatementAnalysis> writeOfOnly(Tokens tokens, String text) {
        int only = onlyAfterWriteHead(tokens, dialect);
        if (only < 0) {
            return null;
        }
        List<StatementAnalysis> analysed = reparse.apply(text.substring(0, tokens.get(only).offset())
                + text.substring(tokens.get(only + 1).offset()));
        Action expected = tokens.isWord(0, "update") ? Action.UPDATE : Action.DELETE;
        return analysed != null && analysed.size() == 1 && analysed.get(0).action() == expected ? analysed : null;
    }

    /**
     * The index of the {@code ONLY} of PostgreSQL's {@code UPDATE ONLY name} or {@code DELETE FROM ONLY name} at the
     * start of the tokens, or -1.
     */
    static int onlyAfterWriteHead(Tokens tokens, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL) {
            return -1;
        }
        int only = tokens.isWord(0, "update") && tokens.isWord(1, "only") ? 1
                : tokens.isWord(0, "delete") && tokens.isWord(1, "from") && tokens.isWord(2, "only") ? 2 : -1;
        return only > 0 && !tokens.nameAt(only + 1).isEmpty() ? only : -1;
    }

    /** {@code ALTER TABLE … SET DATA TYPE t}: the same change as {@code … TYPE t}, which the parser reads. */
    private List<StatementAnalysis> setDataType(Tokens tokens, String text) {
        if (!tokens.isWord(1, "table")) {
            return null;
        }
        StringBuilder rewritten = new StringBuilder();
        int from = 0;
        for (int i = 2; i + 2 < tokens.size(); i++) {
            if (tokens.isWord(i, "set") && tokens.isWord(i + 1, "data") && tokens.isWord(i + 2, "type")) {
                rewritten.append(text, from, tokens.get(i).offset()).append("TYPE");
                from = tokens.get(i + 2).offset() + "type".length();
            }
        }
        if (from == 0) {
            return quotedQualifiedWords(tokens, text);
        }
        return reparse.apply(rewritten.append(text.substring(from)).toString());
    }

    /** {@code SET [SESSION|LOCAL] name TO|= v [, v…]} whose values are names and literals only. */
    private static List<StatementAnalysis> setList(Tokens tokens) {
        int i = tokens.isWord(1, "session") || tokens.isWord(1, "local") ? 2 : 1;
        if (tokens.get(i).kind() != TokenSpacing.Kind.WORD) {
            return null;
        }
        i++;
        if (!tokens.isWord(i, "to") && !tokens.get(i).text().equals("=")) {
            return null;
        }
        i++;
        boolean value = true;
        for (; i < tokens.size(); i++, value = !value) {
            Tokens.Token t = tokens.get(i);
            boolean ok = value
                    ? t.isName() || t.kind() == TokenSpacing.Kind.LITERAL
                    : t.kind() == TokenSpacing.Kind.SYMBOL && t.text().equals(",");
            if (!ok) {
                return null;
            }
        }
        return value ? null : simple(Action.SET, null);
    }

    /**
     * Quotes every unquoted word that follows a qualifying dot ({@code schema.word}), where it can only be
     * a name, folded as the dialect folds unquoted names, and reads the text again.
     */
    private List<StatementAnalysis> quotedQualifiedWords(Tokens tokens, String text) {
        StringBuilder quoted = new StringBuilder();
        int from = 0;
        for (int i = 2; i < tokens.size(); i++) {
            Tokens.Token t = tokens.get(i);
            Tokens.Token dot = tokens.get(i - 1);
            if (t.kind() == TokenSpacing.Kind.WORD && dot.kind() == TokenSpacing.Kind.SYMBOL && dot.text().equals(".")
                    && tokens.get(i - 2).isName() && dot.offset() + 1 == t.offset()) {
                String word = text.substring(t.offset(), t.offset() + t.text().length());
                quoted.append(text, from, t.offset()).append(quote(dialect.normalizeIdentifier(word)));
                from = t.offset() + word.length();
            }
        }
        if (from == 0) {
            return null;
        }
        quoted.append(text.substring(from));
        return reparse.apply(quoted.toString());
    }

    private String quote(String name) {
        return dialect == Dialect.MARIADB ? "`" + name.replace("`", "``") + "`" : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static boolean onlyTransactionModes(Tokens tokens, int from) {
        for (int i = from; i < tokens.size(); i++) {
            Tokens.Token t = tokens.get(i);
            if (!(t.kind() == TokenSpacing.Kind.WORD && TRANSACTION_MODES.contains(t.text())) && !t.text().equals(",")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The ends of a transaction the parser cannot read: {@code COMMIT|ROLLBACK [WORK|TRANSACTION] [AND [NO] CHAIN]},
     * on MariaDB followed by {@code [NO] RELEASE}; {@code ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name}; PostgreSQL's
     * {@code COMMIT PREPARED 'id'} and {@code ROLLBACK PREPARED 'id'}. Each is a transaction's control naming nothing,
     * as {@code COMMIT} is; any other word makes it unread.
     */
    private List<StatementAnalysis> transactionEnd(Tokens tokens) {
        if (dialect == Dialect.POSTGRESQL && tokens.isWord(1, "prepared")) {
            return tokens.size() == 3 && isLiteral(tokens.get(2)) ? simple(Action.TWO_PHASE_COMMIT, null) : null;
        }
        int i = 1;
        if (tokens.isWord(i, "work") || tokens.isWord(i, "transaction")) {
            i++;
        }
        if (tokens.isWord(0, "rollback") && tokens.isWord(i, "to")) {
            i += tokens.isWord(i + 1, "savepoint") ? 2 : 1;
            return i == tokens.size() - 1 && tokens.get(i).isName() ? simple(Action.TRANSACTION, null) : null;
        }
        if (tokens.isWord(i, "and")) {
            i += tokens.isWord(i + 1, "no") ? 2 : 1;
            if (!tokens.isWord(i, "chain")) {
                return null;
            }
            i++;
        }
        if (dialect == Dialect.MARIADB) {
            if (tokens.isWord(i, "no") && tokens.isWord(i + 1, "release")) {
                i += 2;
            } else if (tokens.isWord(i, "release")) {
                i++;
            }
        }
        return i == tokens.size() ? simple(Action.TRANSACTION, null) : null;
    }

    /**
     * MariaDB's XA statements, two-phase commit ({@link Action#TWO_PHASE_COMMIT}): {@code XA {START|BEGIN} xid
     * [JOIN|RESUME]}, {@code XA END xid [SUSPEND [FOR MIGRATE]]}, {@code XA PREPARE xid}, {@code XA COMMIT xid [ONE
     * PHASE]}, {@code XA ROLLBACK xid}, {@code XA RECOVER [FORMAT = 'RAW'|'SQL']}, where {@code xid} is {@code gtrid [,
     * bqual [, formatID]]}, literals all; any other word makes it unread.
     */
    private static List<StatementAnalysis> xa(Tokens tokens) {
        if (tokens.isWord(1, "recover")) {
            boolean plain = tokens.size() == 2;
            boolean format = tokens.size() == 5 && tokens.isWord(2, "format") && tokens.get(3).text().equals("=")
                    && isLiteral(tokens.get(4));
            return plain || format ? simple(Action.TWO_PHASE_COMMIT, null) : null;
        }
        String verb = tokens.get(1).kind() == TokenSpacing.Kind.WORD ? tokens.get(1).text() : "";
        if (!List.of("start", "begin", "end", "prepare", "commit", "rollback").contains(verb) || !isLiteral(tokens.get(2))) {
            return null;
        }
        int i = 3;
        for (int part = 0; part < 2 && tokens.get(i).text().equals(",") && tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL;
             part++) {
            if (!isLiteral(tokens.get(i + 1))) {
                return null;
            }
            i += 2;
        }
        switch (verb) {
            case "start", "begin" -> i += tokens.isWord(i, "join") || tokens.isWord(i, "resume") ? 1 : 0;
            case "end" -> {
                if (tokens.isWord(i, "suspend")) {
                    i += tokens.isWord(i + 1, "for") && tokens.isWord(i + 2, "migrate") ? 3 : 1;
                }
            }
            case "commit" -> i += tokens.isWord(i, "one") && tokens.isWord(i + 1, "phase") ? 2 : 0;
            default -> {
            }
        }
        return i == tokens.size() ? simple(Action.TWO_PHASE_COMMIT, null) : null;
    }

    /** Whether {@code token} is a literal (a two-phase transaction's id is a string), or one replaced by a parameter. */
    private static boolean isLiteral(Tokens.Token token) {
        return token.kind() == TokenSpacing.Kind.LITERAL || token.kind() == TokenSpacing.Kind.PARAMETER;
    }

    /** {@code RELEASE [SAVEPOINT] name}. */
    private static List<StatementAnalysis> releaseSavepoint(Tokens tokens) {
        int name = tokens.isWord(1, "savepoint") ? 2 : 1;
        return tokens.size() == name + 1 && tokens.get(name).isName() ? simple(Action.TRANSACTION, null) : null;
    }

    /**
     * {@code PREPARE name [(types)] AS statement} (PostgreSQL) or {@code PREPARE name FROM text}
     * (MariaDB): dynamic SQL; a statement body after {@code AS} that can be read is nested, so policies see what it
     * would do (MariaDB: right after the name only, the form the driver analyses for {@code FROM '…'}).
     */
    private List<StatementAnalysis> prepare(Tokens tokens, String text) {
        StatementBuilder out = new StatementBuilder(Action.EXECUTE);
        out.trait(Trait.DYNAMIC_SQL);
        // MariaDB's own form is PREPARE s FROM text, whose string the analysis never sees (it depends on the fingerprint
        // alone); PREPARE s AS statement, which MariaDB refuses, is what the driver analyses in its stead when the text
        // is one plain string (the statement it holds, read from the text as written), so only right after the name
        int as = dialect == Dialect.MARIADB ? (tokens.isWord(2, "as") ? 2 : -1) : tokens.indexOfWord("as", 2);
        if (as > 0 && as + 1 < tokens.size()) {
            List<StatementAnalysis> body = reparse.apply(text.substring(tokens.get(as + 1).offset()));
            if (body != null) {
                out.nest(body);
            }
        }
        out.tablesWritten.addAll(out.tablesRead); // the statement prepared acts on them: so does the PREPARE
        return out.build();
    }

    private static List<StatementAnalysis> simple(Action action, Trait trait) {
        StatementBuilder out = new StatementBuilder(action);
        if (trait != null) {
            out.trait(trait);
        }
        return out.build();
    }

    private List<StatementAnalysis> copy(Tokens tokens, String text) {
        StatementBuilder out = new StatementBuilder(Action.COPY);
        int i = 1;
        TableRef table = null;
        if (tokens.get(i).text().equals("(")) {
            int close = matchingParenthesis(tokens, i);
            if (close < 0) {
                return null;
            }
            String inner = text.substring(tokens.get(i + 1).offset(), tokens.get(close).offset());
            List<StatementAnalysis> query = reparse.apply(inner);
            if (query == null) {
                return null;
            }
            query.forEach(s -> out.tablesRead.addAll(s.tablesRead()));
            // and the routines it calls: each is a call, whose result may be what the routine read out of sight
            query.forEach(s -> out.routines.addAll(s.routines()));
            // and what it does besides reading: a write whose returned rows are copied (COPY (DELETE … RETURNING *)
            // TO) runs, and is judged as itself, its target and WHERE included, as it is on its own; the query's
            // traits (a file read, dynamic SQL, a lock) are the COPY's
            out.nest(query.stream().filter(s -> s.action() != Action.SELECT).toList());
            query.stream().filter(s -> !s.has(Trait.NESTED)).forEach(s -> s.traits().forEach(out::trait));
            i = close + 1;
        } else {
            List<String> name = tokens.nameAt(i);
            if (name.isEmpty()) {
                return null;
            }
            table = tableRef(name);
            i += name.size() * 2 - 1;
            if (tokens.get(i).text().equals("(")) {
                i = matchingParenthesis(tokens, i) + 1;
                if (i == 0) {
                    return null;
                }
            }
        }
        boolean from = tokens.isWord(i, "from");
        if (!from && !tokens.isWord(i, "to")) {
            return null;
        }
        if (table != null) {
            (from ? out.tablesWritten : out.tablesRead).add(table);
        }
        // COPY … TO is a copy of each table it reads: the action carries them, so a permit of copy on some tables does
        // not reach others
        out.tablesWritten.addAll(out.tablesRead);
        if (tokens.isWord(i + 1, "program")) {
            out.trait(Trait.PROGRAM_EXECUTION);
        } else if (tokens.get(i + 1).kind() == TokenSpacing.Kind.LITERAL) {
            out.trait(Trait.FILE_ACCESS);
        }
        return out.build();
    }

    private List<StatementAnalysis> load(Tokens tokens) {
        if (!tokens.isWord(1, "data") && !tokens.isWord(1, "xml")) {
            return null;
        }
        StatementBuilder out = new StatementBuilder(Action.COPY);
        out.trait(Trait.FILE_ACCESS);
        int into = tokens.indexOfWord("into", 2);
        if (into >= 0 && tokens.isWord(into + 1, "table")) {
            List<String> name = tokens.nameAt(into + 2);
            if (!name.isEmpty()) {
                out.tablesWritten.add(tableRef(name));
            }
        }
        return out.build();
    }

    /** {@code … WHERE CURRENT OF cursor} as the last clause: analysed without it, bounded to one row. */
    private List<StatementAnalysis> currentOf(Tokens tokens, String text) {
        int where = -1;
        for (int i = 0; i + 3 < tokens.size(); i++) {
            if (tokens.isWord(i, "where") && tokens.isWord(i + 1, "current") && tokens.isWord(i + 2, "of")) {
                where = i;
            }
        }
        if (where < 0 || !tokens.get(where + 3).isName()) {
            return null;
        }
        int after = where + 4;
        String rest = text.substring(0, tokens.get(where).offset())
                + (after < tokens.size() ? text.substring(tokens.get(after).offset()) : "");
        List<StatementAnalysis> analysed = reparse.apply(rest);
        if (analysed == null || analysed.isEmpty()) {
            return null;
        }
        StatementAnalysis s = analysed.get(0);
        StatementAnalysis bounded = s.with(s.action(), WhereKind.PRESENT);
        List<StatementAnalysis> result = new ArrayList<>(analysed);
        result.set(0, bounded);
        return result;
    }

    /** H2 {@code MERGE INTO t [(cols)] KEY (k) VALUES …/SELECT …}: an upsert keyed on k. */
    private List<StatementAnalysis> h2Merge(Tokens tokens, String text) {
        int key = tokens.indexOfWord("key", 2);
        if (!tokens.isWord(1, "into") || key < 0 || !tokens.get(key + 1).text().equals("(")) {
            return null;
        }
        int close = matchingParenthesis(tokens, key + 1);
        if (close < 0) {
            return null;
        }
        String insert = "insert " + text.substring(tokens.get(1).offset(), tokens.get(key).offset())
                + (close + 1 < tokens.size() ? text.substring(tokens.get(close + 1).offset()) : "");
        List<StatementAnalysis> analysed = reparse.apply(insert);
        if (analysed == null || analysed.isEmpty()) {
            return null;
        }
        StatementAnalysis s = analysed.get(0);
        Set<Trait> traits = new HashSet<>(s.traits());
        traits.add(Trait.UPSERT);
        List<StatementAnalysis> result = new ArrayList<>(analysed);
        result.set(0, s.with(Action.MERGE, WhereKind.NOT_APPLICABLE).withTraits(traits));
        if (close + 1 >= tokens.size() || !tokens.isWord(close + 1, "values")) {
            // KEY (k) SELECT …: the query may yield every key of the target, so every row may be rewritten.
            StatementBuilder update = new StatementBuilder(Action.UPDATE);
            update.tablesWritten.addAll(s.tablesWritten());
            update.where = WhereKind.ABSENT;
            result.addAll(1, update.build());
        }
        return result;
    }

    /**
     * H2 {@code TABLE(name type = expression, …)} in a FROM list: read as {@code UNNEST(expression, …)},
     * whose columns carry the lineage of the expressions (the database runs the original text).
     */
    private List<StatementAnalysis> h2TableFunction(Tokens tokens, String text) {
        StringBuilder rewritten = new StringBuilder();
        int from = 0;
        boolean found = false;
        for (int i = 1; i + 1 < tokens.size(); i++) {
            if (!tokens.isWord(i, "table") || !symbol(tokens, i + 1, "(")
                    || !(tokens.isWord(i - 1, "from") || tokens.isWord(i - 1, "join") || symbol(tokens, i - 1, ","))) {
                continue;
            }
            int close = matchingParenthesis(tokens, i + 1);
            if (close < 0) {
                return null;
            }
            List<String> expressions = new ArrayList<>();
            int depth = 0;
            int equals = -1;
            for (int j = i + 2; j <= close; j++) {
                boolean end = j == close || depth == 0 && symbol(tokens, j, ",");
                if (end) {
                    if (equals < 0) {
                        return null;
                    }
                    expressions.add(text.substring(tokens.get(equals + 1).offset(), tokens.get(j).offset()));
                    equals = -1;
                } else if (symbol(tokens, j, "(") || symbol(tokens, j, "[")) {
                    depth++;
                } else if (symbol(tokens, j, ")") || symbol(tokens, j, "]")) {
                    depth--;
                } else if (depth == 0 && equals < 0 && symbol(tokens, j, "=")) {
                    equals = j;
                }
            }
            rewritten.append(text, from, tokens.get(i).offset()).append("UNNEST(").append(String.join(", ", expressions))
                    .append(')');
            from = close + 1 < tokens.size() ? tokens.get(close + 1).offset() : text.length();
            if (close + 1 >= tokens.size()) {
                from = text.length();
            }
            found = true;
            i = close;
        }
        if (!found) {
            return null;
        }
        rewritten.append(text.substring(from));
        return reparse.apply(rewritten.toString());
    }

    private static boolean symbol(Tokens tokens, int index, String symbol) {
        return index >= 0 && index < tokens.size() && tokens.get(index).kind() == TokenSpacing.Kind.SYMBOL
                && tokens.get(index).text().equals(symbol);
    }

    private List<StatementAnalysis> truncateOnly(Tokens tokens, String text) {
        StringBuilder without = new StringBuilder();
        int from = 0;
        boolean found = false;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.isWord(i, "only")) {
                without.append(text, from, tokens.get(i).offset());
                from = i + 1 < tokens.size() ? tokens.get(i + 1).offset() : text.length();
                found = true;
            }
        }
        if (!found) {
            return null;
        }
        without.append(text.substring(from));
        return reparse.apply(without.toString());
    }

    private static int matchingParenthesis(Tokens tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            String t = tokens.get(i).kind() == TokenSpacing.Kind.SYMBOL ? tokens.get(i).text() : "";
            if (t.equals("(")) {
                depth++;
            } else if (t.equals(")") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private TableRef tableRef(List<String> parts) {
        String name = dialect.normalizeIdentifier(parts.get(parts.size() - 1));
        String schema = parts.size() > 1 ? dialect.normalizeIdentifier(parts.get(parts.size() - 2)) : null;
        return new TableRef(schema, name);
    }
}
