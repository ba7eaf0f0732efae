package io.governed.policy.engine;

import io.governed.identity.Identity;
import io.governed.policy.Decision;
import io.governed.policy.masking.ColumnMask;
import io.governed.policy.masking.MaskPlanner;
import io.governed.sql.Action;
import io.governed.sql.Clause;
import io.governed.sql.ColumnRef;
import io.governed.sql.Dialect;
import io.governed.sql.ResultColumn;
import io.governed.sql.SourceColumn;
import io.governed.sql.SqlAnalysis;
import io.governed.sql.StatementAnalysis;
import io.governed.sql.TableRef;
import io.governed.sql.Trait;
import io.governed.sql.names.NameResolver;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps masked values from leaving by a way other than a result column, for a caller a mask applies to:
 * <ul>
 *   <li><b>copy-out</b>, always denied: a statement that writes a masked column's values somewhere in
 *       clear ({@code INSERT … SELECT ssn}, {@code CREATE TABLE … AS SELECT}, {@code SELECT … INTO},
 *       {@code UPDATE t SET x = ssn}, {@code MERGE … SET x = s.ssn}, {@code INSERT … SELECT *} over a
 *       table with a masked column, {@code COPY … TO} of a table that may hold one, a session variable or
 *       setting assigned from one: {@code @v := ssn}, {@code SET @v = (SELECT ssn …)},
 *       {@code SET max_join_size = (SELECT card_number …)}); and a user variable's value written anywhere
 *       ({@code INSERT … VALUES (@v)}, {@code UPDATE t SET x = @v}): the session keeps it between statements, and a
 *       pooled connection between borrowers, so it may hold what someone the mask exempts assigned; and the result of
 *       a function off the dialect's lists of built-ins written anywhere ({@code INSERT … VALUES (s.f(1))},
 *       {@code UPDATE t SET x = s.f(y)}): the function may read a masked column out of the analysis' sight, and its
 *       result, which a result set redacts, may be a masked value;</li>
 *   <li><b>inference</b>, denied for the identity kinds in the mask's {@code deny-inference} (agents
 *       unless the policy says otherwise): a masked column in WHERE, JOIN, GROUP BY, HAVING or ORDER BY,
 *       where {@code ssn LIKE '1%'} or a sort order gives its values away one question at a time; a user variable
 *       there too ({@code WHERE @v LIKE '1%'}), whose value may be a masked one; and a masked column in any
 *       computation not proven unable to fail on any of its values ({@code 1 / (ascii(ssn) - 49)}, a cast), whose
 *       error, or its absence, answers the same questions.</li>
 * </ul>
 * Each denial names the mask as its rule and says how to get the statement through; where that is to have an identity
 * the mask exempts run it, the migration identity's denial also says how to exempt migrations ({@link #migrationHint}).
 */
final class MaskedDataFlow {

    /** Whether a column in {@code clause} answers questions about its values: a filter's, or one compared with other rows'. */
    private static boolean infers(Clause clause) {
        return clause.filters() || clause == Clause.COMPARED;
    }

    /** Clauses whose values come back as results, masked there; in a statement that writes, they may feed the write. */
    private static final Set<Clause> RESULT_CLAUSES = EnumSet.of(Clause.SELECT, Clause.RETURNING);

    /** Writes whose SET values may select from other tables; an INSERT's query is checked through its copied columns. */
    private static final Set<Action> WRITES = EnumSet.of(Action.UPDATE, Action.MERGE);

    private final MaskPlanner planner;

    MaskedDataFlow(MaskPlanner planner) {
        this.planner = planner;
    }

    /**
     * A denial when the analysis would copy or probe masked values; {@code null} otherwise. A column of a view counts
     * as the column of the view's definition it is, and a PostgreSQL table's column as its partitions' and parents', as
     * {@code names} tells them: as in the results, where the same column is masked.
     */
    Decision check(Identity identity, SqlAnalysis analysis, String defaultSchema, NameResolver names) {
        return check(identity, analysis, defaultSchema, names, null);
    }

    /**
     * As {@link #check(Identity, SqlAnalysis, String, NameResolver)}, and for the code the database runs for the
     * statement ({@code code}, may be {@code null}; see {@link #inCode}).
     */
    Decision check(Identity identity, SqlAnalysis analysis, String defaultSchema, NameResolver names, RunCode code) {
        Dialect dialect = analysis.dialect();
        for (StatementAnalysis statement : analysis.statements()) {
            Decision kept = keptValue(identity, statement, defaultSchema, dialect, names, null);
            if (kept != null) {
                return kept;
            }
        }
        List<RunCode.Unit> units = code == null ? List.of() : code.units();
        for (RunCode.Unit unit : units) {
            for (StatementAnalysis statement : unit.statements()) {
                Decision kept = keptValue(identity, statement, defaultSchema, dialect, names,
                        readsTriggerRow(statement) ? unit : null);
                if (kept != null) {
                    return inCode(unit, kept);
                }
            }
        }
        if (!planner.masksAnythingFor(identity)) {
            return null;
        }
        for (StatementAnalysis statement : analysis.statements()) {
            Decision denial = plantedCode(identity, statement, dialect, names);
            if (denial != null) {
                return denial;
            }
        }
        for (StatementAnalysis statement : analysis.statements()) {
            Decision denial = renamedTable(identity, statement, defaultSchema, dialect);
            if (denial == null && dialect == Dialect.MARIADB) {
                denial = mergeTables(identity, statement, defaultSchema, dialect, names);
            }
            if (denial == null) {
                denial = copyOut(identity, statement, defaultSchema, dialect, names);
            }
            if (denial == null) {
                denial = inference(identity, statement, defaultSchema, dialect, names);
            }
            if (denial != null) {
                return denial;
            }
        }
        for (RunCode.Unit unit : units) {
            Decision denial = codeFlow(identity, unit, defaultSchema, dialect, names);
            if (denial != null) {
                return denial;
            }
        }
        for (StatementAnalysis statement : analysis.statements()) {
            Decision denial = shadowing(identity, statement, dialect, names);
            if (denial != null) {
                return denial;
            }
        }
        for (RunCode.Unit unit : units) {
            for (StatementAnalysis statement : unit.statements()) {
                Decision denial = shadowing(identity, statement, dialect, names);
                if (denial != null) {
                    return inCode(unit, denial);
                }
            }
        }
        return null;
    }

    /**
     * A denial when the statement, of an AI agent a mask applies to (or a human or service whose kind a mask applying to
     * it names in deny-shaping, see {@link #untrustedMask}), may change where other sessions' unqualified names
     * lead: sessions of the application share the caller's database role, and a name of theirs that finds an object of
     * the caller's making ({@code INSERT INTO customers …} landing in the caller's view, whose column takes another name
     * in the caller's table; a call of {@code app_log(ssn)} reaching the caller's routine) hands it values the mask hides,
     * to read in clear. Refused, whatever the rules permit:
     * <ul>
     *   <li>a setting stored for other sessions ({@link Trait#SERVER_SETTING}: {@code ALTER ROLE|USER|DATABASE … SET
     *       search_path}, {@code ALTER SYSTEM}, a global setting), in every dialect;</li>
     *   <li>a new schema (not on MariaDB, which has no search path): it may be on another session's path ahead of the
     *       schemas its names find now (PostgreSQL's default {@code "$user", public} looks first in a schema named like
     *       the role; a path may list a schema that does not exist yet), and which it is cannot be told;</li>
     *   <li>a relation or routine created, replaced or defined ({@code CREATE TABLE|VIEW|…}, {@code CREATE OR REPLACE},
     *       {@code CREATE FUNCTION}, …) under a name an object of another schema has, or a rename or move to a name any
     *       other object has ({@link NameResolver#schemasNaming}): on another session's path its schema may come first.
     *       Where the catalog cannot tell which schemas use the name, any may: refused. A temporary one is its session's
     *       alone (refused under a mask anyway, see the engine).</li>
     * </ul>
     * {@code null} otherwise.
     */
    private Decision shadowing(Identity identity, StatementAnalysis statement, Dialect dialect, NameResolver names) {
        if (!planner.deniesShapingTo(identity)) {
            // an AI agent shares the application's database role without its trust to shape the names every session
            // resolves; a migration identity or an application a mask applies to creates schemas and tables as its work
            // (Flyway's CREATE SCHEMA, one flyway_schema_history per schema), which this would refuse, unless a mask
            // that applies to it names its kind in deny-shaping
            return null;
        }
        if (statement.has(Trait.SERVER_SETTING)) {
            ColumnMask mask = untrustedMask(identity, "a stored setting changes other sessions");
            return mask == null ? null : Decision.deny(List.of(mask.maskId()), "The statement stores a setting for other"
                    + " sessions (ALTER ROLE, USER or DATABASE … SET or RESET, ALTER SYSTEM, a global setting), and mask "
                    + mask.maskId() + " applies to " + identity.describe() + ": a stored setting such as search_path"
                    + " changes how the sessions sharing the role or the database resolve their unqualified names, so"
                    + " their reads and writes of values the mask hides could reach relations or routines the caller reads"
                    + " in clear. Have an identity the mask exempts change stored settings (SET search_path changes the"
                    + " caller's own session only)" + migrationHint(identity, "stored setting", false));
        }
        Action action = statement.action();
        boolean renames = statement.has(Trait.RENAMES) && action != Action.CREATE;
        boolean creates = action == Action.CREATE && !statement.has(Trait.TEMPORARY) || action == Action.DEFINE_CODE
                || action == Action.ALTER && statement.has(Trait.REPLACES) || renames;
        if (!creates || dialect == Dialect.MARIADB || statement.tablesWritten().isEmpty()
                || renames && statement.tablesWritten().size() < 2) {
            return null; // MariaDB has no search path: an unqualified name is the current database's; a column renamed
        }
        List<TableRef> written = List.copyOf(statement.tablesWritten());
        String before = renames ? written.get(0).name() : null;
        // a renamed or moved object's schemas (the one it leaves, the one it moves to): its new name may be used there
        // only, where the database refuses a second relation of the name and the object stays where it was found
        Set<String> ownSchemas = new java.util.HashSet<>();
        for (TableRef table : written) {
            if (renames && table.name().equals(before) && table.schema() != null) {
                ownSchemas.add(table.schema());
            }
        }
        for (TableRef table : written) {
            if ("*".equals(table.name())) {
                if (action == Action.CREATE || renames) {
                    return newSchemaDenial(identity, statement, table);
                }
                continue;
            }
            if (renames && table.name().equals(before) && !written.get(written.size() - 1).name().equals(before)) {
                continue; // the name it had
            }
            Set<String> allowed = renames ? ownSchemas : table.schema() == null ? Set.of() : Set.of(table.schema());
            Set<String> holders = names.schemasNaming(table.name());
            if (holders == null || !allowed.containsAll(holders)) {
                return shadowDenial(identity, table, holders, renames);
            }
        }
        return null;
    }

    /**
     * A denial when the statement, of an AI agent a mask applies to (or a human or service whose kind a mask applying to
     * it names in deny-shaping, see {@link #untrustedMask}), defines code that other sessions' statements run
     * later: sessions of the application share the caller's database role, and their writes and reads of its tables
     * run a trigger, a rule, a row security policy, a default's, a check's or an index expression's routine, a cast or
     * an operator with the application's identity, which sees in clear what the mask hides from the caller; the code
     * may copy those values where the caller reads them ({@code CREATE TRIGGER … ON customers … INSERT INTO copy VALUES
     * (NEW.ssn)}, {@code CREATE OR REPLACE FUNCTION app_log(…)} of the application's own routine). Refused, whatever
     * the rules permit:
     * <ul>
     *   <li>a statement with {@link Trait#ATTACHES_CODE}: code attached to an object the statement does not create, or
     *       a change of the code an existing object or routine runs ({@code CREATE OR REPLACE}, {@code ALTER FUNCTION},
     *       {@code ENABLE TRIGGER}, …), a definition of a kind the analysis does not know;</li>
     *   <li>a new routine ({@code CREATE FUNCTION|PROCEDURE}, H2's {@code CREATE ALIAS}) whose name any schema holds, or
     *       where the catalog cannot tell which do: it may overload the application's routine of the name, which its
     *       calls would then reach (MariaDB has neither overloading nor a search path, and refuses a second routine of a
     *       name: there a plain definition is a new routine the application never calls).</li>
     * </ul>
     * What stays allowed is proven to run only where the caller calls it: a brand-new routine under a name no schema
     * holds, a {@code DO} block (code run at once, judged as the statement's own by {@link #codeFlow}), and a table or
     * view created with defaults or checks calling routines (its name shadows nothing, see {@link #shadowing}). A
     * migration identity, an application or a human a mask applies to defines code as its work: agents only.
     */
    private Decision plantedCode(Identity identity, StatementAnalysis statement, Dialect dialect, NameResolver names) {
        if (!planner.deniesShapingTo(identity)) {
            return null; // Flyway's migrations create triggers, functions and policies as the application's work
        }
        String what = null;
        if (statement.has(Trait.ATTACHES_CODE)) {
            what = "attaches code to an object it does not create, or changes the code an existing object or routine"
                    + " runs (a trigger, a rule, a row security policy or turning row security on, a default, a generated"
                    + " column, a check or an index expression calling a routine that is not a built-in, a domain's check,"
                    + " a cast, an operator, an event trigger, an extension, CREATE OR REPLACE or ALTER of a routine, a"
                    + " MariaDB event)";
        } else if (statement.action() == Action.DEFINE_CODE && statement.code() == null
                && !statement.has(Trait.DYNAMIC_SQL) && !statement.has(Trait.NESTED) && dialect != Dialect.MARIADB) {
            for (TableRef routine : statement.tablesWritten()) {
                Set<String> holders = names.schemasNaming(routine.name());
                if (holders == null || !holders.isEmpty()) {
                    what = "defines routine " + routine.qualifiedName() + ", but " + (holders == null ? "the catalog"
                            + " cannot tell which schemas hold a routine of the name (no database session was read, or"
                            + " the lookup failed), so it may overload or replace one" : "an object named " + routine.name()
                            + " exists in schema " + String.join(", ", new java.util.TreeSet<>(holders)) + ", which the new"
                            + " routine may overload") + ", and calls of the name would reach it";
                    break;
                }
            }
        }
        if (what == null) {
            return null;
        }
        // a routine's new name that shadows another schema's says more (a trigger's, a rule's, a policy's table is no
        // name it takes)
        Decision shadows = statement.tablesWritten().size() > 1 && !statement.has(Trait.RENAMES) ? null
                : shadowing(identity, statement, dialect, names);
        if (shadows != null) {
            return shadows;
        }
        ColumnMask mask = untrustedMask(identity, "code it defines runs in the application's statements");
        return mask == null ? null : Decision.deny(List.of(mask.maskId()), "The statement " + what + ", and mask "
                + mask.maskId() + " applies to " + identity.describe() + ": such code runs later in other sessions'"
                + " statements, those of the application sharing the database role included, with their identity, which"
                + " sees in clear the values the mask hides, and it could copy them where the caller reads them. Have an"
                + " identity the mask exempts, such as the migration identity, define it (a new routine under a name no"
                + " schema uses, or a table's own defaults and checks as it is created, stay allowed)"
                + migrationHint(identity, "code", false));
    }

    /**
     * The mask that keeps {@code identity} from shaping what other sessions resolve and run (the shadowing and
     * planted-code checks): the strictest that applies to it and names its kind in {@code deny-shaping} (by default an
     * AI agent's only: a migration identity, or an application a mask applies to, creates schemas, tables and code as
     * its work); {@code null} when there is none.
     */
    private ColumnMask untrustedMask(Identity identity, String why) {
        return planner.shapingRedactionFor(identity, why);
    }

    private Decision newSchemaDenial(Identity identity, StatementAnalysis statement, TableRef table) {
        ColumnMask mask = untrustedMask(identity, "a new schema may shadow other sessions' names");
        if (mask == null) {
            return null;
        }
        String schema = table.schema() == null || "*".equals(table.schema()) ? "" : " " + table.schema();
        return Decision.deny(List.of(mask.maskId()), "The statement creates schema" + schema + (statement.action()
                == Action.CREATE ? "" : " (or gives an object a name the analysis cannot read)") + ", and mask "
                + mask.maskId() + " applies to " + identity.describe() + ": a new schema may be on the search path of"
                + " other sessions sharing the database role ahead of the schemas their unqualified names find now"
                + " (PostgreSQL's default path \"$user\", public looks first in a schema named like the connection's role;"
                + " a path may list a schema that does not exist yet), and what is created in it would shadow their"
                + " relations and routines and take their reads and writes, values the mask hides included, where the"
                + " caller reads them in clear. Have an identity the mask exempts create the schema"
                + migrationHint(identity, "new schema", false));
    }

    private Decision shadowDenial(Identity identity, TableRef table, Set<String> holders, boolean renames) {
        ColumnMask mask = untrustedMask(identity, "a new object may shadow other sessions' names");
        if (mask == null) {
            return null;
        }
        String where = holders == null ? "the catalog cannot tell which schemas hold an object named " + table.name()
                + " (no database session was read, or the lookup failed), so any may" : "an object named " + table.name()
                + " (a relation, routine or type) exists in schema " + String.join(", ", new java.util.TreeSet<>(holders));
        return Decision.deny(List.of(mask.maskId()), "The statement " + (renames ? "gives an object the name "
                + table.name() + " (" + table.qualifiedName() + " as the analysis reads it)" : "creates "
                + table.qualifiedName()) + ", but " + where + ", and mask " + mask.maskId() + " applies to "
                + identity.describe() + ": a session whose search path lists the new object's schema first would find it"
                + " in place of the other (the new one would shadow it), and its unqualified reads, writes and calls, values"
                + " the mask hides included, would reach an object the caller reads in clear. Give it a name no other"
                + " schema uses, or have an identity the mask exempts create it"
                + migrationHint(identity, renames ? "rename" : "new object", false));
    }

    /**
     * Traits of a statement of a routine's body that put no value anywhere but in the body's variables and results:
     * what the body reads there reaches the caller as the routine's result (redacted for a caller a mask applies to).
     * Every other trait (a value kept, a file written, a sequence set) counts as a place values may leave to.
     */
    private static final Set<Trait> STAYS_IN_CODE = EnumSet.of(Trait.IF_EXISTS, Trait.NESTED, Trait.JDBC_ESCAPE,
            Trait.TESTS_UNTRACEABLE, Trait.LOCKS_ROWS, Trait.ADVANCES_SEQUENCE, Trait.CHOOSES_ROWS);

    /**
     * A denial when the code the database runs for the statement ({@code unit}: a routine's body, a {@code DO} block's
     * code, a trigger's, a default's or a check's routine, and the routines they call) would copy or probe a value a
     * mask applying to the caller covers; {@code null} otherwise. Each of its statements is checked as the statement
     * itself is (an {@code INSERT … SELECT ssn} there, a filter on {@code ssn}); and since values pass between its
     * statements through variables the analysis does not follow ({@code SELECT ssn INTO v …; INSERT … VALUES (v)}), code
     * that reads such a value anywhere is refused when any of its statements may put a value anywhere but in its
     * variables and results (it writes a table, keeps a value, runs anything but a query), and code a write runs (whose
     * value a default writes, a trigger assigns to the row or a check tests) when it reads one at all. A trigger's
     * {@code NEW} and {@code OLD} are the written table's row: its stored values for an update, a delete, a merge or an
     * upsert, the caller's own for a plain insert.
     */
    private Decision codeFlow(Identity identity, RunCode.Unit unit, String defaultSchema, Dialect dialect,
                              NameResolver names) {
        for (StatementAnalysis statement : unit.statements()) {
            if (readsTriggerRow(statement)) {
                continue; // its trigger's row is the written table's: judged below, where the row is known
            }
            Decision denial = copyOut(identity, statement, defaultSchema, dialect, names);
            if (denial == null) {
                denial = inference(identity, statement, defaultSchema, dialect, names);
            }
            if (denial != null) {
                return inCode(unit, denial);
            }
        }
        ColumnMask read = null;
        String readColumn = null;
        StatementAnalysis leaves = null;
        for (StatementAnalysis statement : unit.statements()) {
            for (ColumnRef ref : statement.columns()) {
                if (read != null) {
                    break;
                }
                ColumnRef column = unit.asRead(ref);
                if (column == null) {
                    continue; // the row a plain insert writes holds what its caller gave
                }
                ColumnMask mask = planner.maskForReference(identity, column, statement, defaultSchema, dialect, names);
                if (mask != null) {
                    read = mask;
                    readColumn = column.allColumns() ? "every column of " + (column.table() == null
                            ? String.valueOf(statement.tablesRead()) : column.table()) : column.column();
                }
            }
            if (leaves == null && !staysInCode(statement)) {
                leaves = statement;
            }
        }
        if (read == null && unit.caller() != null && (leaves != null || unit.unseenWrites())) {
            // the routine's parameters are values of the calling statement, which its texts read as NULL: a masked column
            // the statement names may be one of its arguments (SELECT s.log(ssn) FROM customers), and the code writes
            for (ColumnRef ref : unit.caller().columns()) {
                ColumnMask mask = planner.maskForReference(identity, ref, unit.caller(), defaultSchema, dialect, names);
                if (mask != null) {
                    read = mask;
                    readColumn = (ref.allColumns() ? "every column of " + ref.table() : ref.column()) + (unit.view()
                            == null ? " (the calling statement names it" : " (the definition of view "
                            + unit.view().qualifiedName() + ", which calls it, names it") + ", and its values may be the"
                            + " routine's arguments)";
                    break;
                }
            }
        }
        if (read == null && unit.rowSecurityOf() != null && (leaves != null || unit.unseenWrites())) {
            // a row security policy's expression hands the routine values of the row: any column of it
            read = planner.redactionFor(identity, "a routine of row security may take any column of the row");
            readColumn = "every column of " + unit.rowSecurityOf().qualifiedName() + " (a row-level security policy of it"
                    + " calls the routine, whose arguments may be any of the row's values)";
        }
        if (read == null && unit.storedRowsGiven() != null && (leaves != null || unit.unseenWrites())) {
            // a check's or an index expression's routine takes the stored row's values (CHECK (s.log(ssn) > 0) runs for
            // an update setting another column; REINDEX runs an index's expression over every row): any column of it
            TableRef rows = unit.storedRowsGiven();
            read = maskOfAnyColumn(identity, rows, unit.writing(), defaultSchema, dialect, names);
            readColumn = "every column of " + rows.qualifiedName() + " (a check, a generated column or an index expression"
                    + " of it calls the routine, whose arguments may be any of the stored row's values)";
        }
        if (read == null && unit.unseenReads()) {
            read = planner.redactionFor(identity, "code the analysis cannot read may read any column");
            readColumn = "tables the analysis cannot tell (code of it cannot be read: dynamic SQL, another language, a"
                    + " body not visible to the session, or what the policy declares the routine reads), any column of"
                    + " which may be masked";
        }
        if (read == null || leaves == null && !unit.unseenWrites() && unit.rowOf() == null) {
            return null;
        }
        String how = leaves == null && unit.unseenWrites() ? "and code of it the analysis cannot read may write, keep or"
                + " hand out any value" : leaves != null ? "and it also " + whatItDoes(leaves) + ": values pass between the code's statements"
                + " through its variables, which the analysis does not follow, so any value it reads may be what it puts"
                + " there" : "and the database puts what that code computes into the row written (a default, a"
                + " trigger's assignment to NEW) or tests it (a check)";
        return Decision.deny(List.of(read.maskId()), "The statement runs code the database runs for it (" + unitName(unit)
                + ") that reads " + readColumn + ", which mask " + read.maskId() + " may hide from " + identity.describe()
                + " (" + read.reason() + "), " + how + ": masked values may not leave through code either. Have the code"
                + " read no masked column, or have the statement run by an identity the mask exempts"
                + migrationHint(identity, "statement running such code", false));
    }

    /**
     * A mask applying to the caller that covers a column of {@code relation} (a table's or a view's columns, as
     * the catalog tells them); where they cannot be told (no catalog, an index, a relation of another kind), the
     * redaction of any mask applying to the caller.
     */
    private ColumnMask maskOfAnyColumn(Identity identity, TableRef relation, StatementAnalysis statement,
                                       String defaultSchema, Dialect dialect, NameResolver names) {
        NameResolver.RelationKind kind = names.relationKind(relation.schema(), relation.name());
        Set<String> columns = kind == NameResolver.RelationKind.TABLE || kind == NameResolver.RelationKind.VIEW
                ? names.columns(relation.schema(), relation.name()) : null;
        if (columns == null) {
            return planner.redactionFor(identity, "a routine of a relation's expressions may take any column of its rows");
        }
        for (String column : columns) {
            ColumnMask mask = planner.maskForReference(identity, new ColumnRef(relation, column, Clause.SELECT), statement,
                    defaultSchema, dialect, names);
            if (mask != null) {
                return mask;
            }
        }
        return null;
    }

    /** Whether the statement, of a routine's body, may put a value anywhere but in the body's variables and results. */
    private static boolean staysInCode(StatementAnalysis statement) {
        Action action = statement.action();
        if (action != Action.SELECT && action != Action.CALL && action != Action.TRANSACTION
                && action != Action.TWO_PHASE_COMMIT
                && !(statement.runsCode() && statement.code() != null && statement.code().read())) {
            return false;
        }
        if (!statement.tablesWritten().isEmpty()) {
            return false;
        }
        for (Trait trait : statement.traits()) {
            if (!STAYS_IN_CODE.contains(trait)) {
                return false;
            }
        }
        for (ColumnRef ref : statement.columns()) {
            if (ref.clause() == Clause.KEPT) {
                return false;
            }
        }
        return true; // a value the session keeps read (current_setting('app.tenant'), @v) puts none anywhere
    }

    /** What a statement of a routine's body does that lets values leave, in the words of a denial. */
    private static String whatItDoes(StatementAnalysis statement) {
        if (!statement.tablesWritten().isEmpty()) {
            return "writes " + statement.tablesWritten();
        }
        if (statement.has(Trait.KEEPS_VALUE) || statement.has(Trait.KEEPS_UNTRACEABLE)) {
            return "keeps a value past the statement (pg_notify's payload, an advisory lock's key, a setting)";
        }
        if (statement.has(Trait.FILE_ACCESS) || statement.has(Trait.PROGRAM_EXECUTION)) {
            return "hands values to a file, a program or another database";
        }
        return "runs a statement other than a query (" + statement.action().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ') + ")";
    }

    /** Whether a statement of a trigger's body reads its row ({@link io.governed.sql.PlpgsqlBody#TRIGGER_ROW}). */
    private static boolean readsTriggerRow(StatementAnalysis statement) {
        for (TableRef table : statement.tablesRead()) {
            if (Access.triggerRow(table)) {
                return true;
            }
        }
        return false;
    }

    /** The code a unit stands for, in the words of a denial. */
    private static String unitName(RunCode.Unit unit) {
        if (unit.routine() == null) {
            return "code writing " + (unit.rowOf() == null ? "tables that cannot be told" : unit.rowOf().qualifiedName())
                    + " runs that the catalog cannot show, a rule's statements, say";
        }
        if (unit.routine() == Access.DO_BLOCK) {
            return "its DO block's code";
        }
        if (unit.eventTrigger()) {
            return "routine " + unit.routine().qualifiedName() + ", an event trigger's function, which its DDL fires";
        }
        if (unit.rowSecurityOf() != null) {
            return "routine " + unit.routine().qualifiedName() + ", which the row security of "
                    + unit.rowSecurityOf().qualifiedName() + " runs for the rows read or written";
        }
        return unit.rowOf() != null ? "routine " + unit.routine().qualifiedName() + ", which writing " + unit.rowOf()
                .qualifiedName() + " runs: a trigger's function, a default's, a check's" : "routine " + unit.routine()
                .qualifiedName() + ", which it calls, and the routines that one calls";
    }

    /** {@code denial}, of a statement of the code {@code unit} stands for, said of that code. */
    private static Decision inCode(RunCode.Unit unit, Decision denial) {
        String reason = denial.reason();
        // the denial speaks of "the statement": here that is a statement of the code, not the caller's
        String said = reason.startsWith("The statement ") ? "a statement of that code "
                + reason.substring("The statement ".length()) : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        return Decision.deny(denial.rules(), "The statement runs code the database runs for it (" + unitName(unit)
                + "), where " + said);
    }

    /**
     * A denial when the statement keeps a value computed from a column some mask covers, for any caller, where the
     * session or the server keeps it past the statement ({@link Clause#KEPT}: {@code @v := ssn}, {@code SET @v = …},
     * {@code set_config(…, ssn, …)}, {@code LAST_INSERT_ID(…)}, an advisory lock's key): it outlives the statement and
     * its caller, and a pooled connection's next borrower (or another session probing a lock) reads it, whoever that
     * is. So it is refused even to a caller the mask exempts. The result of a function off the dialect's lists kept
     * there ({@code pg_notify('c', s.f(1))}) cannot be traced, so it is refused so whenever the policy has a mask.
     * {@code null} otherwise. For a statement of a trigger's body that reads its row, {@code row} is the trigger's unit,
     * whose written table the row's columns are ({@link RunCode.Unit#asRead}: {@code pg_notify('c', NEW.ssn)} on an
     * update keeps the stored ssn; the row a plain insert writes holds the caller's own values); {@code null} otherwise.
     */
    private Decision keptValue(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect,
                               NameResolver names, RunCode.Unit row) {
        if (untraceable(statement, Trait.KEEPS_UNTRACEABLE)) {
            // whoever reads it back, some mask may apply to them: any mask of the policy counts
            ColumnMask mask = planner.redactionFor(null, UNTRACEABLE_FUNCTION);
            if (mask != null) {
                return Decision.deny(List.of(mask.maskId()), "The statement keeps the result of a function not known to"
                        + " derive only from its arguments (it calls " + named(statement) + ") past itself (pg_notify's payload, a"
                        + " setting, an advisory lock's key, a session variable), but " + UNTRACEABLE_FUNCTION + ", so the"
                        + " analysis cannot trace the value and it may be a masked one, and mask " + mask.maskId()
                        + " covers values for some callers: masked values may not be kept in clear where the next borrower"
                        + " of a pooled connection, or another session, reads them, whoever the mask exempts and whoever"
                        + " " + identity.describe() + " is. Select the function's result instead (it comes back masked),"
                        + " keep a literal or a bound parameter there, or have the function read no masked column and be"
                        + " known to the database's catalog as such");
            }
        }
        for (ColumnRef kept : statement.columns()) {
            if (kept.clause() != Clause.KEPT) {
                continue;
            }
            ColumnRef ref = row == null ? kept : row.asRead(kept);
            if (ref == null) {
                continue; // the row a plain insert writes holds what its caller gave
            }
            ColumnMask mask = planner.maskForAnyone(ref, statement, defaultSchema, dialect, names);
            if (mask != null) {
                return Decision.deny(List.of(mask.maskId()), "The statement copies " + (ref.allColumns() ? "whole rows"
                        : ref.column()) + " into a value kept past the statement (a session variable, setting or other value"
                        + " the session keeps: @v := …, SET @v = …, set_config, LAST_INSERT_ID(…), SETVAL; an advisory"
                        + " lock's key, pg_notify's payload), but mask " + mask.maskId() + " covers it for some callers: masked values may not be"
                        + " copied in clear into what outlives the statement and " + identity.describe() + ", where the next"
                        + " borrower of a pooled connection, or another session, reads it, whoever the mask exempts. Keep a"
                        + " value no mask covers there, or pass the value as a bound parameter where it is used");
            }
        }
        return null;
    }

    /**
     * A denial when a mask applies to the caller and the statement may put values of tables where no result set
     * shows them, in a file or another database ({@link Trait#FILE_ACCESS}): SQL given as text that it runs
     * ({@link Trait#DYNAMIC_SQL} too: H2's {@code CSVWRITE(file, query)} writes the query's rows, whose tables the
     * analysis cannot see, to a file), or values of the tables it reads ({@code SELECT FILE_WRITE(ssn, …) FROM t},
     * {@code pg_file_write}, {@code dblink_exec(…, '… ' || ssn)}). Where the policy permits such statements, the
     * masks still hold: what reaches a file or another database cannot be masked. SQL given as text whose rows come
     * back as a result ({@code query_to_xml}, {@code EXECUTE}) is redacted as untraceable instead. {@code null}
     * otherwise.
     */
    private Decision outOfSight(Identity identity, StatementAnalysis statement) {
        boolean dynamic = statement.has(Trait.DYNAMIC_SQL);
        if (!statement.has(Trait.FILE_ACCESS) || !dynamic && statement.tablesRead().isEmpty()) {
            return null;
        }
        ColumnMask mask = planner.redactionFor(identity, "the statement may put values out of sight of masks");
        if (mask == null) {
            return null;
        }
        return Decision.deny(List.of(mask.maskId()), "The statement " + (statement.tablesRead().isEmpty()
                ? "runs SQL given as text, whose tables the analysis cannot see, and writes its rows to a file (CSVWRITE),"
                : "reads " + statement.tablesRead() + " and hands values to a file or another database,")
                + " and mask " + mask.maskId() + " applies to " + identity.describe() + ": values it puts in a file, another"
                + " database or the session cannot be masked. Write the statement itself, whose results are masked, or have it"
                + " run by an identity no mask applies to" + migrationHint(identity, "file or database access", true));
    }

    private Decision copyOut(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect,
                             NameResolver names) {
        // a query over no table that calls a routine (COPY (SELECT s.f(1)) TO STDOUT) may hand out what it read
        boolean routinesOnly = statement.tablesRead().isEmpty() && !statement.routines().isEmpty();
        if (statement.action() == Action.COPY && (!statement.tablesRead().isEmpty() || routinesOnly)) {
            String what = routinesOnly ? "the results of " + named(statement) + ", which may read any table out of the"
                    + " analysis' sight," : String.valueOf(statement.tablesRead());
            ColumnMask mask = planner.redactionFor(identity, "COPY … TO hands rows out past the result set, where nothing"
                    + " can mask them, and " + what + " may hold masked columns");
            if (mask != null) {
                return Decision.deny(List.of(mask.maskId()), "The statement copies rows of " + what
                        + " out with COPY, but mask " + mask.maskId() + " applies to " + identity.describe()
                        + " and COPY output cannot be masked. Read the rows with a SELECT instead, whose results are masked");
            }
        }
        Decision outOfSight = outOfSight(identity, statement);
        if (outOfSight != null) {
            return outOfSight;
        }
        List<ResultColumn> copied = new ArrayList<>(statement.copiedColumns());
        if (statement.action() == Action.SELECT && statement.has(Trait.COPIES_DATA)) {
            copied.addAll(statement.resultColumns());
        }
        for (ResultColumn column : copied) {
            ColumnMask mask = copiedMask(identity, column, statement, defaultSchema, dialect, names);
            if (mask != null) {
                return column.sources().isEmpty() && untracedCall(column, statement)
                        ? untraceableCopyDenial(identity, statement, mask)
                        : copyDenial(identity, statement, "'" + column.label() + "'", mask);
            }
        }
        if (untraceable(statement, Trait.WRITES_UNTRACEABLE)) {
            ColumnMask mask = planner.redactionFor(identity, UNTRACEABLE_FUNCTION);
            if (mask != null) {
                return untraceableCopyDenial(identity, statement, mask);
            }
        }
        boolean writes = WRITES.contains(statement.action());
        Decision sessionValue = sessionValueCopy(identity, statement);
        if (sessionValue != null) {
            return sessionValue;
        }
        for (ColumnRef ref : statement.columns()) {
            // in a write, a selected column feeds what is written (SET x = (SELECT ssn …)), or a subquery's test
            if (ref.clause() == Clause.VALUE || writes && ref.clause() == Clause.SELECT) {
                ColumnMask mask = planner.maskForReference(identity, ref, statement, defaultSchema, dialect, names);
                if (mask != null) {
                    return statement.action() == Action.ALTER && statement.has(Trait.RENAMES)
                            ? renameDenial(identity, statement, ref.column(), mask)
                            : copyDenial(identity, statement, ref.column(), mask);
                }
            }
        }
        return null;
    }

    /**
     * A user variable written somewhere ({@code INSERT … VALUES (@v)}, {@code UPDATE t SET x = @v}, {@code INSERT …
     * SELECT @v}, {@code SET max_join_size = @v}, a lock's key): the session keeps its value between statements, and
     * on a pooled connection between borrowers, so it may hold a masked value an earlier statement assigned, by
     * someone the mask exempts ({@code SELECT @v := ssn …}). Its origin cannot be traced, so it is copied as a masked
     * value would be.
     */
    private Decision sessionValueCopy(Identity identity, StatementAnalysis statement) {
        // fail closed: every clause but a result's (whose value is masked) and a filter's (inference, below) writes it
        boolean writes = !statement.tablesWritten().isEmpty() || statement.has(Trait.COPIES_DATA);
        boolean copies = false;
        for (Clause clause : statement.sessionValues()) {
            copies |= RESULT_CLAUSES.contains(clause) ? writes : !infers(clause);
        }
        if (!copies) {
            return null;
        }
        ColumnMask mask = planner.redactionFor(identity, SESSION_VALUE);
        return mask == null ? null : Decision.deny(List.of(mask.maskId()), "The statement writes a value the session keeps"
                + " (a user variable @v, a custom setting current_setting('app.x')) into " + (statement.tablesWritten().isEmpty() ? "the server's state outside the result set"
                : String.valueOf(statement.tablesWritten())) + ", but " + SESSION_VALUE + ", and mask " + mask.maskId()
                + " applies to " + identity.describe() + ": values that may be masked may not be copied in clear. Write the"
                + " value itself (a literal or a bound parameter), or a column the mask does not cover, instead");
    }

    private static final String UNTRACEABLE_FUNCTION = "such a function (a user function, table_to_xml, database_to_xml,"
            + " …) may read any table, masked columns included, out of the analysis' sight";

    /**
     * Whether the statement writes or keeps ({@code trait}) the result of a function not on the dialect's lists, one of
     * its routines still: a routine the database's catalog knows as a built-in that reads no table is no longer one.
     */
    private static boolean untraceable(StatementAnalysis statement, Trait trait) {
        return statement.has(trait) && !statement.routines().isEmpty();
    }

    /** The routines a statement calls, for a denial: "s.f", "pg_notify, s.f". */
    private static String named(StatementAnalysis statement) {
        return String.join(", ", statement.routines().stream().map(TableRef::toString).toList());
    }

    private static Decision untraceableCopyDenial(Identity identity, StatementAnalysis statement, ColumnMask mask) {
        String place = statement.tablesWritten().isEmpty() ? "a place outside the result set"
                : String.valueOf(statement.tablesWritten());
        return Decision.deny(List.of(mask.maskId()), "The statement writes the result of a function not known to derive"
                + " only from its arguments (it calls " + named(statement) + ") into " + place + ", but " + UNTRACEABLE_FUNCTION
                + ", so the analysis cannot trace the value and it may be a masked one, and mask " + mask.maskId()
                + " applies to " + identity.describe() + ": masked values may not be copied in clear. Select the"
                + " function's result instead (it comes back masked), have the write run by an identity the mask"
                + " exempts, or have the function read no masked column and be known to the database's catalog as such"
                + migrationHint(identity, "copy (a backfill, say)", false));
    }

    private static final String SESSION_VALUE = "such a value is whatever any earlier statement on the same"
            + " connection assigned to it (on a pooled connection, another user's too), so its origin cannot be traced and"
            + " it may be a masked value";

    /** The mask of what a copied column carries: its sources, every column of a {@code *}, or a redaction when it cannot be traced. */
    private ColumnMask copiedMask(Identity identity, ResultColumn column, StatementAnalysis statement, String defaultSchema,
                                  Dialect dialect, NameResolver names) {
        if (column.aggregateOnly()) {
            return null;
        }
        for (SourceColumn source : column.sources()) {
            io.governed.classification.QualifiedColumn base = MaskPlanner.qualified(source.table(), source.column(), defaultSchema);
            ColumnMask mask = planner.stricter(planner.maskForResolvedColumn(identity, base, dialect, names),
                    planner.unproven(identity, base, dialect));
            if (mask != null) {
                return mask;
            }
        }
        boolean star = !column.allColumnsOf().isEmpty() || column.label().endsWith("*");
        if (star || column.unknownLineage()) {
            List<TableRef> tables = column.allColumnsOf().isEmpty() ? List.copyOf(statement.tablesRead()) : column.allColumnsOf();
            if (!tables.isEmpty()) {
                return planner.redactionFor(identity, (star ? "it copies every column" : "it copies values the analysis"
                        + " cannot trace") + " of " + tables + ", which the analysis cannot tell apart from masked ones");
            }
            if (untracedCall(column, statement)) {
                return planner.redactionFor(identity, UNTRACEABLE_FUNCTION);
            }
        }
        return null;
    }

    /**
     * Whether a copied column of a query over no table is untraceable because the statement calls a routine, whose result
     * may be what the routine read out of sight ({@code VALUES (s.f(1))}): the listed built-ins compute from their
     * arguments and the session alone ({@code now()}, {@code nextval('s')}, {@code gen_random_uuid()}).
     */
    private static boolean untracedCall(ResultColumn column, StatementAnalysis statement) {
        return column.unknownLineage() && column.allColumnsOf().isEmpty() && !column.label().endsWith("*")
                && statement.tablesRead().isEmpty() && !statement.routines().isEmpty();
    }

    private static Decision copyDenial(Identity identity, StatementAnalysis statement, String what, ColumnMask mask) {
        // what the session or the server keeps is refused before, by keptValue, whoever the caller
        String place = statement.tablesWritten().isEmpty() ? "a place outside the result set"
                : String.valueOf(statement.tablesWritten());
        return Decision.deny(List.of(mask.maskId()), "The statement copies " + what + " into " + place
                + ", but it carries values mask " + mask.maskId() + " hides from " + identity.describe() + " (" + mask.reason()
                + "): masked values may not be copied in clear. Copy only columns the mask does not cover, or have the copy run"
                + " by someone the mask exempts" + migrationHint(identity, "copy (a backfill, say)", false));
    }

    /** The purpose of the migration identity, which schema migrations (Flyway's, Liquibase's) run with. */
    private static final String MIGRATION = "migration";

    /**
     * What a refusal on a mask whose advice is to have an identity the mask exempts run the statement adds when the
     * caller is the migration identity ({@code identity}'s purpose is {@code migration}): how to exempt schema migrations
     * from the mask. {@code what} is what the migration's statement does, in the hint's words ("copy (a backfill, say)",
     * "rename"); {@code everyMask} when the refusal's advice speaks of every mask applying to the caller ("someone the
     * masks exempt", "an identity no mask applies to"), not of the one it names. Empty for any other caller, whose
     * refusal stays as it is.
     */
    static String migrationHint(Identity identity, String what, boolean everyMask) {
        if (!MIGRATION.equals(identity.purpose())) {
            return "";
        }
        return "; for a schema migration's " + what + ", exempt migrations from " + (everyMask
                ? "every mask that applies to them" : "the mask") + " with unless: { purposes: [migration] }, or give the"
                + " migration identity what the " + (everyMask ? "masks' unless name" : "mask's unless names")
                + " (governed.migration.groups with the Spring Boot starter)";
    }

    /**
     * A denial when the statement gives a table another name or schema, or joins it to another table (a {@code RENAME
     * TO}, a {@code SET SCHEMA}, MariaDB's {@code RENAME TABLE}, an {@code ATTACH PARTITION}: an ALTER or RENAME that
     * writes more than one table), and a mask applying to the caller names columns of one of those tables by the
     * table's name or schema: under the new name, or read through the other table, its values would no longer match
     * the mask's pattern. A pattern that follows a column in any table ({@code *.ssn}) is not affected.
     */
    private Decision renamedTable(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect) {
        if (statement.action() == Action.CREATE && statement.has(Trait.RENAMES)) {
            return secondName(identity, statement, defaultSchema, dialect);
        }
        if (statement.action() != Action.ALTER && statement.action() != Action.RENAME || statement.tablesWritten().size() < 2) {
            return null;
        }
        for (TableRef table : statement.tablesWritten()) {
            if ("*".equals(table.name()) && table.schema() != null && !"*".equals(table.schema())) {
                // ALTER SCHEMA s RENAME TO r: every relation of s gets another qualified name
                ColumnMask mask = planner.redactionFor(identity, "the statement renames a schema");
                if (mask != null) {
                    return Decision.deny(List.of(mask.maskId()), "The statement renames schema " + table.schema()
                            + " (" + statement.tablesWritten() + "), which gives every relation in it another qualified"
                            + " name, and mask " + mask.maskId() + " applies to " + identity.describe() + ": a mask"
                            + " follows a column by the names the policy gives, and under the new schema's name its values"
                            + " would be read in clear. Have someone the masks exempt rename the schema, with the policy's"
                            + " patterns naming the new schema" + migrationHint(identity, "rename of a schema", true));
                }
            }
        }
        for (TableRef table : statement.tablesWritten()) {
            if ("*".equals(table.name())) {
                ColumnMask mask = planner.redactionFor(identity, "the statement renames columns of tables it does not name");
                if (mask != null) {
                    return Decision.deny(List.of(mask.maskId()), "The statement renames columns, or moves rows, of tables"
                            + " it does not name (ALTER TYPE … RENAME ATTRIBUTE … CASCADE renames the column in every typed"
                            + " table of the type; an INHERIT whose parent cannot be read), and mask " + mask.maskId()
                            + " applies to " + identity.describe() + ": a mask follows a column by the names the policy gives,"
                            + " and under a new name its values would be read in clear. Have someone the masks exempt run it"
                            + " (or rename the attribute without CASCADE, which the database refuses while typed tables use the type)"
                            + migrationHint(identity, "rename", true));
                }
            }
        }
        for (TableRef table : statement.tablesWritten()) {
            String schema = table.schema() != null ? table.schema() : defaultSchema;
            MaskPlanner.TableNaming naming = planner.maskNamingTable(identity, schema, table.name(), dialect);
            if (naming != null) {
                return Decision.deny(List.of(naming.maskId()), "The statement gives " + table.qualifiedName()
                        + " another name or schema, or makes its rows another table's (" + statement.tablesWritten()
                        + "), but mask " + naming.maskId() + ", which applies to " + identity.describe() + ", names its"
                        + " columns by " + naming.pattern() + ", which matches the table by its name: under another name"
                        + " its values would be read in clear. Have someone the mask exempts run it, with the policy's"
                        + " patterns naming the table's new name (or a pattern such as *.column, which follows the column"
                        + " in any table)" + migrationHint(identity, "rename or move", false));
            }
        }
        return null;
    }

    /**
     * A denial when the statement gives a table a second name ({@code CREATE SYNONYM s FOR customers}) and a mask
     * applying to the caller names columns of it by the table's name or schema: read under the synonym, its values would
     * match no pattern. A pattern that follows a column in any table ({@code *.ssn}) is not affected.
     */
    private Decision secondName(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect) {
        for (TableRef table : statement.tablesRead()) {
            String schema = table.schema() != null ? table.schema() : defaultSchema;
            MaskPlanner.TableNaming naming = planner.maskNamingTable(identity, schema, table.name(), dialect);
            if (naming != null) {
                return Decision.deny(List.of(naming.maskId()), "The statement gives " + table.qualifiedName()
                        + " a second name " + statement.tablesWritten() + ", but mask " + naming.maskId() + ", which applies"
                        + " to " + identity.describe() + ", names its columns by " + naming.pattern() + ", which matches"
                        + " the table by its name: read under the second name its values would be read in clear. Have"
                        + " someone the mask exempt run it, with the policy's patterns naming the second name too (or a"
                        + " pattern such as *.column, which follows the column in any table)"
                        + migrationHint(identity, "second name for a table", false));
            }
        }
        return null;
    }

    /**
     * MariaDB's MERGE tables: a denial when the statement makes a table a second name for the rows of others and a mask
     * applying to the caller covers a column of one of them, by any pattern ({@code *.ssn} too: the MERGE table's columns
     * may have other names), or when what it makes one of cannot be read.
     * <ul>
     *   <li>An {@code ALTER TABLE … UNION=(t, …)} (an ALTER writing more tables than the altered one, and renaming none)
     *   or a {@code CREATE TABLE … UNION=(t, …)} (a create giving the tables it reads and writes a second name): every
     *   column of every listed table, as the catalog shows it, is matched against the masks; a table whose columns the
     *   catalog cannot show counts as holding a masked column.</li>
     *   <li>Any other relation a {@code CREATE} reads ({@code CREATE TABLE t LIKE m}, which copies a MERGE table's
     *   UNION list with its definition): unless the catalog shows it a table holding rows of its own (or a sequence),
     *   it may be a MERGE table whose list the driver does not read, so any mask applying to the caller refuses it.
     *   Judged only with a catalog ({@link NameResolver#readsCatalog}); without one a name is judged by itself.</li>
     * </ul>
     */
    private Decision mergeTables(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect,
                                 NameResolver names) {
        List<TableRef> written = new ArrayList<>(statement.tablesWritten()); // the altered table first
        boolean alterUnion = statement.action() == Action.ALTER && !statement.has(Trait.RENAMES) && written.size() > 1;
        boolean create = statement.action() == Action.CREATE;
        if (!alterUnion && !create) {
            return null;
        }
        for (int i = alterUnion ? 1 : 0; i < written.size(); i++) {
            TableRef listed = written.get(i);
            if (alterUnion || statement.has(Trait.RENAMES) && statement.tablesRead().contains(listed)) {
                Decision denial = maskedColumnListed(identity, statement, listed, defaultSchema, dialect, names);
                if (denial != null) {
                    return denial;
                }
            }
        }
        if (!create || names == null || !names.readsCatalog()) {
            return null;
        }
        for (TableRef read : statement.tablesRead()) {
            if (written.contains(read) || "*".equals(read.name())) {
                continue;
            }
            String schema = read.schema() != null ? read.schema() : defaultSchema;
            NameResolver.RelationKind kind = schema == null ? null : names.relationKind(schema, read.name());
            if (kind == NameResolver.RelationKind.TABLE || kind == NameResolver.RelationKind.SEQUENCE) {
                continue;
            }
            ColumnMask mask = planner.redactionFor(identity, read.qualifiedName() + " may be a MERGE table");
            if (mask != null) {
                return Decision.deny(List.of(mask.maskId()), "The statement creates " + written + " from "
                        + read.qualifiedName() + ", which the catalog does not show as a table holding rows of its own (a"
                        + " MERGE table, say, whose UNION list CREATE TABLE … LIKE copies, making the new table a second"
                        + " name for the tables it lists), and mask " + mask.maskId() + " applies to " + identity.describe()
                        + ": read under the new name those tables' values would not be traced to their masks. Create the"
                        + " table with its own column list, or have someone the masks exempt run it"
                        + migrationHint(identity, "new table", true));
            }
        }
        return null;
    }

    /** A denial when a mask applying to the caller covers a column of {@code listed}, or its columns cannot be read. */
    private Decision maskedColumnListed(Identity identity, StatementAnalysis statement, TableRef listed,
                                        String defaultSchema, Dialect dialect, NameResolver names) {
        String schema = listed.schema() != null ? listed.schema() : defaultSchema;
        java.util.Set<String> columns = schema == null || names == null ? null : names.columns(schema, listed.name());
        if (columns == null) {
            ColumnMask mask = planner.redactionFor(identity, "the columns of " + listed.qualifiedName() + " cannot be read");
            return mask == null ? null : Decision.deny(List.of(mask.maskId()), "The statement makes a MERGE table a"
                    + " second name for " + listed.qualifiedName() + " (" + statement.tablesWritten() + "), whose columns"
                    + " the catalog does not show, and mask " + mask.maskId() + " applies to " + identity.describe()
                    + ": under the MERGE table's names its values would not be traced to their masks. Have someone the"
                    + " masks exempt run it" + migrationHint(identity, "MERGE table", true));
        }
        for (String column : new java.util.TreeSet<>(columns)) {
            ColumnMask mask = planner.maskForColumn(identity,
                    new io.governed.classification.QualifiedColumn(schema, listed.name(), column), dialect, names);
            if (mask != null) {
                return Decision.deny(List.of(mask.maskId()), "The statement makes a MERGE table a second name for "
                        + listed.qualifiedName() + " (" + statement.tablesWritten() + "), but mask " + mask.maskId()
                        + " covers its column " + column + " for " + identity.describe() + ": the MERGE table's columns"
                        + " may have other names, under which its values would not be traced to the mask. Have someone"
                        + " the mask exempts run it" + migrationHint(identity, "MERGE table", false));
            }
        }
        return null;
    }

    /** An ALTER TABLE that renames a masked column (or, in another of its changes, reads it in an expression). */
    private static Decision renameDenial(Identity identity, StatementAnalysis statement, String column, ColumnMask mask) {
        return Decision.deny(List.of(mask.maskId()), "The statement renames " + column + " of " + statement.tablesWritten()
                + " (or reads it in an expression of its changes), but mask " + mask.maskId() + " hides its values from "
                + identity.describe() + " (" + mask.reason() + "), and a mask follows a column by the names the policy"
                + " gives: under a new name its values would be read in clear. Have the rename run by someone the mask"
                + " exempts, with the policy's tags or patterns naming the new column" + migrationHint(identity, "rename", false));
    }

    /** "a human", "a service", "an agent". */
    private static String kindWithArticle(Identity identity) {
        String kind = identity.kind().externalName();
        return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    private Decision inference(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect,
                               NameResolver names) {
        for (Clause clause : statement.sessionValues()) {
            if (!infers(clause)) {
                continue;
            }
            ColumnMask mask = planner.inferenceRedactionFor(identity, SESSION_VALUE);
            if (mask != null) {
                return Decision.deny(List.of(mask.maskId()), "The statement tests a value the session keeps (a user variable @v,"
                        + " a custom setting current_setting('app.x')) in "
                        + where(clause) + ", but " + SESSION_VALUE + ", and mask " + mask.maskId()
                        + " applies to " + identity.describe() + ", who may not use a masked value in a filter or sort:"
                        + " its value could be inferred from the answers. Compare with the value itself (a literal or a"
                        + " bound parameter) instead");
            }
        }
        if (statement.has(Trait.TESTS_UNTRACEABLE)) {
            ColumnMask mask = planner.inferenceRedactionFor(identity, UNTRACEABLE_FUNCTION);
            if (mask != null) {
                return Decision.deny(List.of(mask.maskId()), "The statement tests the result of a function not known to"
                        + " derive only from its arguments in a filter, grouping, sort or a set-returning function's"
                        + " arguments, but " + UNTRACEABLE_FUNCTION + ", and mask " + mask.maskId() + " applies to "
                        + identity.describe() + ", who may not use a masked value in a filter or sort: its value could be"
                        + " inferred from the answers. Select the function's result instead (it comes back masked), or"
                        + " filter on columns no mask covers");
            }
        }
        // a filter's denial first: it says more than that of a computation, which may be the same column's
        for (boolean computed : new boolean[] {false, true}) {
            Decision denial = inference(identity, statement, defaultSchema, dialect, names, computed);
            if (denial != null) {
                return denial;
            }
        }
        return null;
    }

    private Decision inference(Identity identity, StatementAnalysis statement, String defaultSchema, Dialect dialect,
                               NameResolver names, boolean computed) {
        for (ColumnRef ref : statement.columns()) {
            if (!infers(ref.clause()) || (ref.clause() == Clause.COMPUTED) != computed) {
                continue;
            }
            ColumnMask mask = planner.maskForReference(identity, ref, statement, defaultSchema, dialect, names);
            if (mask != null && mask.mask().deniesInferenceTo(identity)) {
                if (ref.clause() == Clause.COMPUTED) {
                    return Decision.deny(List.of(mask.maskId()), "Column " + ref.column() + " is masked for " + identity.describe()
                            + " by mask " + mask.maskId() + " (" + mask.reason() + "), and " + kindWithArticle(identity)
                            + " may not compute on a masked column (a cast, arithmetic, CASE, a function other than upper,"
                            + " lower, concat or a length): whether the computation fails could answer questions about the"
                            + " values one statement at a time. Select " + (ref.allColumns() ? "the masked columns as they are"
                            : ref.column() + " as it is") + ", or change the mask's deny-inference");
                }
                String clause = where(ref.clause());
                return Decision.deny(List.of(mask.maskId()), "Column " + ref.column() + " is masked for " + identity.describe()
                        + " by mask " + mask.maskId() + " (" + mask.reason() + "), and " + kindWithArticle(identity)
                        + " may not use a masked column in " + clause + why(ref.clause()) + ": its values could be inferred"
                        + " from the answers."
                        + " Leave " + ref.column() + " out of " + clause
                        + (ref.allColumns() && ref.clause() == Clause.JOIN ? " (a whole row there, or a NATURAL JOIN, which compares"
                        + " every column its sides share: join with USING or ON naming the columns instead)" : "")
                        + ", or change the mask's deny-inference");
            }
        }
        return null;
    }

    /** Where in the statement a column of {@code clause} stands, in the words of a denial. */
    private static String where(Clause clause) {
        return switch (clause) {
            case ROWS -> "the arguments of a set-returning function (generate_series, unnest, …)";
            case COMPARED -> "SELECT DISTINCT or a set operation (UNION, INTERSECT, EXCEPT, or a UNION ALL or VALUES that puts"
                    + " other values in its column)";
            case CONDITION -> "a condition within a value (a CASE's WHEN or operand, a comparison or predicate selected as a value)";
            case WINDOW -> "a window's PARTITION BY, ORDER BY or frame, or an aggregate's FILTER";
            case COUNTED -> "what a count counts other than rows or bare columns (count(DISTINCT …), a count of a computed value)";
            default -> clause.name().replace('_', ' ');
        };
    }

    /** Why a column of {@code clause} answers questions about its values, when the clause's name does not say it. */
    private static String why(Clause clause) {
        return switch (clause) {
            case ROWS -> ", which decide how many rows come back";
            case COMPARED -> ", where it is compared with other values, a guess among them";
            case CONDITION -> ", which tests it";
            case WINDOW -> ", which decide which rows feed the value and in which order";
            case COUNTED -> ", which compares or tests the values";
            default -> "";
        };
    }
}
