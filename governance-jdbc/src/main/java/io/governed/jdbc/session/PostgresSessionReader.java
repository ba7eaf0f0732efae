package io.governed.jdbc.session;

import io.governed.jdbc.routines.PostgresRoutineCatalog;
import io.governed.sql.Action;
import io.governed.sql.Dialect;
import io.governed.sql.PlpgsqlBody;
import io.governed.sql.SessionEffects;
import io.governed.sql.TableRef;
import io.governed.sql.names.CascadedWrite;
import io.governed.sql.names.NameResolver;
import io.governed.sql.names.PostgresSearchPath;
import io.governed.sql.names.RelationLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * PostgreSQL: the effective search path from {@code current_schemas(true)} (temporary schema and
 * {@code pg_catalog} where the server searches them), and, for the names statements use, which
 * schemas hold a relation of that name and what kind it is, from {@code pg_class}, and which tables it is a
 * partition or inheritance child of, and which are its own, from {@code pg_inherits}. Every catalog query runs as
 * {@link CatalogQuery#leavingTheTransaction} runs it: one that fails inside the application's transaction leaves the
 * transaction as it was, and what it was to tell counts as not known.
 */
final class PostgresSessionReader implements SessionReader {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSessionReader.class);

    /** Partitions of partitions (and children of children) are followed this deep; a deeper one counts as unknown. */
    private static final int MAXIMUM_ANCESTRY = 32;

    /** How many views deep a view's own views are followed; one deeper counts as running code. */
    private static final int VIEW_DEPTH = 8;
    /** PostgreSQL's first object id for objects not made by initdb: the system's own objects are below. */
    private static final int FIRST_NORMAL_OBJECT_ID = 16384;
    /**
     * The events of a write every routine but a trigger's runs for: all of them. Its bit 128, which no trigger's events
     * have, tells a routine the database runs with values of the relation's rows as arguments (a check's, an index
     * expression's, a trigger condition's: every one but a trigger's own function).
     */
    private static final int ALL_EVENTS = WriteEvents.ALL;
    /** The bit of {@link #ALL_EVENTS} no trigger's events have. */
    private static final int GIVEN_ROWS = 128;
    /**
     * The events a routine of the relation's expressions (a default's, a check's, an index expression's, a rule's) runs
     * for: every write but a {@code TRUNCATE}, which computes none of them.
     */
    private static final int EXPRESSION_EVENTS = ALL_EVENTS & ~WriteEvents.TRUNCATE;
    /** {@code pg_trigger.tgtype}'s event bits: insert, delete, update, truncate. */
    private static final int TRIGGER_EVENTS = WriteEvents.INSERT | WriteEvents.DELETE | WriteEvents.UPDATE
            | WriteEvents.TRUNCATE;

    /** A view ({@code c}) and the views it reads, as deep as followed: {@code v(oid, depth)}. */
    private static final String VIEW_CLOSURE = "WITH RECURSIVE v(oid, depth) AS (SELECT c.oid, 0"
            + " UNION SELECT d.refobjid, v.depth OPERATOR(pg_catalog.+) 1 FROM v JOIN pg_catalog.pg_rewrite r ON"
            + " r.ev_class OPERATOR(pg_catalog.=) v.oid"
            + " JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) r.oid"
            + "  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid"
            + " OPERATOR(pg_catalog.<>) v.oid"
            + " JOIN pg_catalog.pg_class vc ON vc.oid OPERATOR(pg_catalog.=) d.refobjid AND vc.relkind"
            + " OPERATOR(pg_catalog.=) 'v' WHERE v.depth OPERATOR(pg_catalog.<) " + VIEW_DEPTH + ")";

    /** The schemas of the whole database holding a relation, a routine or a type of a name ({@code schemasNaming}). */
    static final String NAMED = "SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE EXISTS (SELECT 1 FROM"
            + " pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) n.oid AND c.relname"
            + " OPERATOR(pg_catalog.=) ?::pg_catalog.name) OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE"
            + " p.pronamespace OPERATOR(pg_catalog.=) n.oid AND p.proname OPERATOR(pg_catalog.=) ?::pg_catalog.name)"
            + " OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) n.oid AND"
            + " t.typname OPERATOR(pg_catalog.=) ?::pg_catalog.name)";

    static final String RELATIONS = "SELECT n.nspname, c.relname,"
            + " CASE WHEN c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,S}'::pg_catalog.\"char\"[]) THEN NOT"
            + " c.relhasrules AND NOT c.relrowsecurity"
            + "  WHEN c.relkind OPERATOR(pg_catalog.=) 'm' THEN NOT c.relrowsecurity"
            // a view's (a plain view's: 'v') is read by VIEWS, only for the views a statement can mean
            + "  ELSE false END AS read_plain,"
            + " c.relkind OPERATOR(pg_catalog.=) 'r' AND NOT c.relhasrules AND NOT c.relrowsecurity AND NOT"
            + " c.relhassubclass"
            // (OFFSET 0 in these per-relation tests keeps the server from answering one for every relation of the
            // database at once, a "hashed SubPlan" reading the whole catalog, which its statistics choose when they
            // have not been gathered since the catalog grew: every column of the database for the domain test; with
            // it, each test reads the named relations' own rows through the catalog's index)
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g WHERE g.tgrelid OPERATOR(pg_catalog.=) c.oid AND"
            + " NOT g.tgisinternal OFFSET 0)"
            // (the foreign keys that cascade into it: pg_constraint has no index on confrelid, so the server reads the
            // catalog's foreign keys once per execution into a hashed set (confrelid and oid are never null: the same
            // answer as "NOT EXISTS ... confrelid = c.oid"); written as a correlated EXISTS, the planner costed that
            // read once for every relation, and the estimate crossed jit_above_cost on large catalogs)
            + " AND NOT c.oid OPERATOR(pg_catalog.=) ANY (SELECT f.confrelid FROM pg_catalog.pg_constraint f WHERE"
            + " f.contype OPERATOR(pg_catalog.=) 'f'"
            + "   AND (NOT (f.confdeltype OPERATOR(pg_catalog.=) ANY ('{a,r}'::pg_catalog.\"char\"[]))"
            + "    OR NOT (f.confupdtype OPERATOR(pg_catalog.=) ANY ('{a,r}'::pg_catalog.\"char\"[]))))"
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid"
            + " OPERATOR(pg_catalog.=) a.atttypid"
            + "   WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT"
            + " a.attisdropped AND t.typtype OPERATOR(pg_catalog.=) 'd' OFFSET 0) AS write_plain,"
            // the definitions (which the functions printing them read with a lock on the relation, waiting for one a
            // migration holds) only of the relations a statement can mean (m.meant)
            + " CASE WHEN m.meant THEN (SELECT pg_catalog.string_agg(pg_catalog.pg_get_expr(d.adbin, d.adrelid), ' , ')"
            + " FROM pg_catalog.pg_attrdef d"
            + "   WHERE d.adrelid OPERATOR(pg_catalog.=) c.oid) END AS defaults,"
            + " CASE WHEN m.meant THEN (SELECT pg_catalog.string_agg(pg_catalog.pg_get_constraintdef(k.oid), ' , ') FROM"
            + " pg_catalog.pg_constraint k"
            + "   WHERE k.conrelid OPERATOR(pg_catalog.=) c.oid AND k.contype OPERATOR(pg_catalog.=) 'c') END AS checks,"
            + " CASE WHEN m.meant AND c.relkind OPERATOR(pg_catalog.=) 'm' THEN"
            + " pg_catalog.pg_get_viewdef(c.oid) END AS view_definition,"
            // a view's definitions (its own and those of the views it reads) are read by VIEWS
            + " NULL::pg_catalog.text AS view_definitions,"
            + " up.schemas, up.names, up.depth, down.schemas, down.names, down.depth, w.schemas, w.names,"
            // a rule other than a view's own (CREATE RULE … ON INSERT|UPDATE|DELETE … DO ALSO|INSTEAD) runs statements
            // no analysis sees when the relation is written: which routines and tables they reach cannot be told
            + " EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite r WHERE r.ev_class OPERATOR(pg_catalog.=) c.oid AND"
            + " r.ev_type OPERATOR(pg_catalog.<>) '1' OFFSET 0) AS write_rules,"
            + " c.relkind, rs.schemas, rs.names, w.events, m.meant, c.oid"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=)"
            + " c.relnamespace"
            // a relation a statement can mean: one of a schema of the session's path (an unqualified name's), or of a
            // schema asked for by name (a qualified name's, the first parameter)
            + " CROSS JOIN LATERAL (SELECT n.nspname OPERATOR(pg_catalog.=) ANY (pg_catalog.current_schemas(true))"
            + "  OR n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY (CAST((SELECT ?::pg_catalog.text[]) AS"
            + " pg_catalog.text[])) AS meant) m"
            // the tables it is a partition or inheritance child of, at every level (attached partitions and INHERITS alike)
            + " LEFT JOIN LATERAL (WITH RECURSIVE a(parent, depth) AS ("
            + "   SELECT i.inhparent, 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid OPERATOR(pg_catalog.=) c.oid"
            + "   UNION ALL SELECT i.inhparent, a.depth OPERATOR(pg_catalog.+) 1 FROM pg_catalog.pg_inherits i JOIN a"
            + " ON i.inhrelid OPERATOR(pg_catalog.=) a.parent"
            + "   WHERE a.depth OPERATOR(pg_catalog.<) " + MAXIMUM_ANCESTRY + ")"
            + "  SELECT pg_catalog.array_agg(pn.nspname::pg_catalog.text ORDER BY a.depth) AS schemas,"
            + "   pg_catalog.array_agg(pc.relname::pg_catalog.text ORDER BY a.depth) AS names, pg_catalog.max(a.depth)"
            + " AS depth"
            + "  FROM a JOIN pg_catalog.pg_class pc ON pc.oid OPERATOR(pg_catalog.=) a.parent"
            + "  JOIN pg_catalog.pg_namespace pn ON pn.oid OPERATOR(pg_catalog.=) pc.relnamespace) up ON true"
            // and the partitions and children it has, at every level, whose rows reading it reads
            + " LEFT JOIN LATERAL (WITH RECURSIVE d(child, depth) AS ("
            + "   SELECT i.inhrelid, 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent OPERATOR(pg_catalog.=) c.oid"
            + "   UNION ALL SELECT i.inhrelid, d.depth OPERATOR(pg_catalog.+) 1 FROM pg_catalog.pg_inherits i JOIN d ON"
            + " i.inhparent OPERATOR(pg_catalog.=) d.child"
            + "   WHERE d.depth OPERATOR(pg_catalog.<) " + MAXIMUM_ANCESTRY + ")"
            + "  SELECT pg_catalog.array_agg(dn.nspname::pg_catalog.text ORDER BY d.depth) AS schemas,"
            + "   pg_catalog.array_agg(dc.relname::pg_catalog.text ORDER BY d.depth) AS names, pg_catalog.max(d.depth)"
            + " AS depth"
            + "  FROM d JOIN pg_catalog.pg_class dc ON dc.oid OPERATOR(pg_catalog.=) d.child"
            + "  JOIN pg_catalog.pg_namespace dn ON dn.oid OPERATOR(pg_catalog.=) dc.relnamespace) down ON true"
            // and the routines of the database's own that writing it runs: what its defaults (generated columns too),
            // checks, its columns' domains (at any depth, of array elements too), index expressions and predicates,
            // trigger conditions and rules (not a view's own definition) call, directly or through an operator, and its
            // triggers' functions
            + " LEFT JOIN LATERAL (WITH RECURSIVE ty(oid) AS ("
            + "   SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND"
            + " a.attnum OPERATOR(pg_catalog.>) 0"
            + "   AND NOT a.attisdropped"
            + "   UNION SELECT CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN t.typbasetype ELSE t.typelem END"
            + " FROM pg_catalog.pg_type t"
            + "   JOIN ty ON t.oid OPERATOR(pg_catalog.=) ty.oid WHERE t.typtype OPERATOR(pg_catalog.=) 'd' OR"
            + " t.typelem OPERATOR(pg_catalog.<>) 0),"
            // with the events each runs for: a trigger's (and its condition's) those of its tgtype (insert 4, delete 8,
            // update 16, truncate 32), any other's every write but a truncate (EXPRESSION_EVENTS); every one but a
            // trigger's own function with the bit GIVEN_ROWS
            + "  code(classid, objid, events) AS ("
            // (its defaults column by column, each through pg_attrdef's unique index: a default's adnum is one of the
            // relation's columns; the planner, without recent statistics, guesses a share of the whole catalog for
            // "adrelid = c.oid" and its estimate grew with the database)
            + "   SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, ad.oid, " + EXPRESSION_EVENTS
            + "    FROM pg_catalog.pg_attribute da JOIN pg_catalog.pg_attrdef ad ON ad.adrelid OPERATOR(pg_catalog.=) c.oid"
            + "     AND ad.adnum OPERATOR(pg_catalog.=) da.attnum"
            + "    WHERE da.attrelid OPERATOR(pg_catalog.=) c.oid AND da.attnum OPERATOR(pg_catalog.>) 0"
            // (its own constraints, then its domains' (whose conrelid is 0): each through an index, where one test of
            // "conrelid = c.oid OR contypid IN ty" read the whole pg_constraint for every relation; a domain's
            // constraint is never the relation's own (a constraint found twice through two dependency rows changes
            // nothing: used keeps distinct rows), and ty holds no 0, the contypid of every constraint but a domain's)
            + "   UNION ALL SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, k.oid, " + EXPRESSION_EVENTS
            + "    FROM pg_catalog.pg_constraint k WHERE k.conrelid OPERATOR(pg_catalog.=) c.oid"
            + "   UNION ALL SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, k.oid, " + EXPRESSION_EVENTS
            // (found through the automatic dependency every domain constraint records on its domain, on pg_depend's
            // index of referenced objects: the server omits such a row only for a pinned object, and no domain is one
            // (the built-in ones come after initdb's pinned range); the pg_constraint row found is checked against the
            // same conditions as before. The planner's estimate for contypid, whose statistics say it has a few
            // distinct values, was a share of the whole catalog, growing with it)
            + "    FROM pg_catalog.pg_depend kd JOIN pg_catalog.pg_constraint k ON k.oid OPERATOR(pg_catalog.=) kd.objid"
            + "    WHERE kd.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass AND kd.refobjid"
            + " OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT ty.oid FROM ty))"
            + "     AND kd.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_constraint'::pg_catalog.regclass"
            + "     AND k.contypid OPERATOR(pg_catalog.=) kd.refobjid"
            + "     AND k.contypid OPERATOR(pg_catalog.<>) 0 AND k.conrelid OPERATOR(pg_catalog.<>) c.oid"
            + "   UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, ty.oid, " + EXPRESSION_EVENTS + " FROM ty"
            // (an index's own expressions and predicate: those REINDEX INDEX computes)
            + "   UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, i.indexrelid, " + EXPRESSION_EVENTS
            + "    FROM pg_catalog.pg_index i WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid OR i.indexrelid"
            + " OPERATOR(pg_catalog.=) c.oid"
            + "   UNION ALL SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, g.oid, g.tgtype::int"
            + " OPERATOR(pg_catalog.&) " + TRIGGER_EVENTS
            + "    OPERATOR(pg_catalog.|) " + GIVEN_ROWS + " FROM pg_catalog.pg_trigger g WHERE g.tgrelid"
            + " OPERATOR(pg_catalog.=) c.oid"
            // (its extended statistics' expressions, which ANALYZE computes and no write does)
            + "   UNION ALL SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, x.oid, " + GIVEN_ROWS
            + "    FROM pg_catalog.pg_statistic_ext x WHERE x.stxrelid OPERATOR(pg_catalog.=) c.oid"
            + "   UNION ALL SELECT 'pg_catalog.pg_rewrite'::pg_catalog.regclass, r.oid, " + EXPRESSION_EVENTS
            + "    FROM pg_catalog.pg_rewrite r WHERE r.ev_class OPERATOR(pg_catalog.=) c.oid AND r.rulename"
            + " OPERATOR(pg_catalog.<>) '_RETURN'),"
            + "  used(oid, events) AS ("
            + "   SELECT d.refobjid, code.events FROM pg_catalog.pg_depend d"
            + "    JOIN code ON d.classid OPERATOR(pg_catalog.=) code.classid AND d.objid OPERATOR(pg_catalog.=)"
            + " code.objid"
            + "    WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass"
            // (only the routines w keeps: without it the server reads every dependency on a routine for each relation)
            + "     AND d.refobjid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID
            + "   UNION SELECT o.oprcode::pg_catalog.oid, code.events FROM pg_catalog.pg_depend d"
            + "    JOIN code ON d.classid OPERATOR(pg_catalog.=) code.classid AND d.objid OPERATOR(pg_catalog.=)"
            + " code.objid"
            + "    JOIN pg_catalog.pg_operator o ON d.refclassid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_operator'::pg_catalog.regclass"
            + "     AND o.oid OPERATOR(pg_catalog.=) d.refobjid"
            + "   UNION SELECT g.tgfoid, g.tgtype::int OPERATOR(pg_catalog.&) " + TRIGGER_EVENTS + " FROM pg_catalog.pg_trigger g"
            + "    WHERE g.tgrelid OPERATOR(pg_catalog.=) c.oid)"
            + "  SELECT pg_catalog.array_agg(wn.nspname::pg_catalog.text) AS schemas,"
            + " pg_catalog.array_agg(wp.proname::pg_catalog.text) AS names,"
            // (a trigger's own function, which no expression can call, is given no row: it reads NEW and OLD)
            + "   pg_catalog.array_agg(CASE WHEN wp.prorettype OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.trigger'::pg_catalog.regtype"
            + "    THEN u.events OPERATOR(pg_catalog.&) (" + ~GIVEN_ROWS + ") ELSE u.events END) AS events"
            + "  FROM (SELECT used.oid, pg_catalog.bit_or(used.events) AS events FROM used GROUP BY used.oid) u"
            + "  JOIN pg_catalog.pg_proc wp ON wp.oid OPERATOR(pg_catalog.=) u.oid JOIN pg_catalog.pg_namespace wn ON"
            + " wn.oid OPERATOR(pg_catalog.=) wp.pronamespace"
            + "  WHERE wp.oid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID + ") w ON true"
            // and those its row security runs when it is read or written: what its policies' expressions call, directly
            // or through an operator (while row security is enabled on it; its owner's bypass is not told)
            + " LEFT JOIN LATERAL (WITH pd(refclassid, refobjid) AS ("
            + "   SELECT d.refclassid, d.refobjid FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_depend d"
            + "    ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid"
            + " OPERATOR(pg_catalog.=) pol.oid"
            + "   WHERE c.relrowsecurity AND pol.polrelid OPERATOR(pg_catalog.=) c.oid)"
            + "  SELECT pg_catalog.array_agg(sn.nspname::pg_catalog.text) AS schemas,"
            + " pg_catalog.array_agg(sp.proname::pg_catalog.text) AS names"
            + "  FROM pg_catalog.pg_proc sp JOIN pg_catalog.pg_namespace sn ON sn.oid OPERATOR(pg_catalog.=)"
            + " sp.pronamespace"
            + "  WHERE sp.oid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID + " AND sp.oid OPERATOR(pg_catalog.=)"
            + " ANY ("
            + "   SELECT pd.refobjid FROM pd WHERE pd.refclassid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_proc'::pg_catalog.regclass"
            + "   UNION SELECT o.oprcode::pg_catalog.oid FROM pd JOIN pg_catalog.pg_operator o"
            + "    ON pd.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid"
            + " OPERATOR(pg_catalog.=) pd.refobjid)) rs ON true"
            // the names come from a subquery the planner cannot see into, so that every lookup's plan is the same
            // whatever names it looks up: after five plans made for the names at hand, the server keeps one generic plan
            // of this statement (prepared on the server once pgjdbc's prepareThreshold is reached) instead of planning
            // it afresh each time, 2-10 ms of the server's time for a statement of this size
            + " WHERE c.relname OPERATOR(pg_catalog.=) ANY (CAST((SELECT ?::pg_catalog.text[]) AS pg_catalog.text[]))";

    /**
     * Of the views (plain views, {@code relkind 'v'}) of the object ids given, those {@link #RELATIONS} found that a
     * statement can mean: whether reading the view runs no code, its definition, and the definitions of it and the views
     * it reads ({@link #VIEW_CLOSURE}). Asked in a query of its own, only when a lookup found such a view: the recursive
     * closure is a good part of what the server plans for the relation lookup in a new session (see
     * benchmarks/README.md), and a statement naming tables alone has no use for it.
     */
    static final String VIEWS = "SELECT c.oid,"
            // a view runs no code when read if what it reads (views, as deep as followed) runs none and every object
            // its queries use that the catalog records is the system's own; the system's functions are not recorded
            // (pinned), so the definitions (view_definitions) are read for those
            + " NOT EXISTS (" + VIEW_CLOSURE
            + "   SELECT 1 FROM v JOIN pg_catalog.pg_rewrite r ON r.ev_class OPERATOR(pg_catalog.=) v.oid AND r.ev_type"
            + " OPERATOR(pg_catalog.=) '1'"
            + "   JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) r.oid"
            + "   LEFT JOIN pg_catalog.pg_class rc ON d.refclassid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_class'::pg_catalog.regclass"
            + "    AND rc.oid OPERATOR(pg_catalog.=) d.refobjid"
            + "   WHERE CASE"
            + "    WHEN d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass THEN rc.oid IS"
            + " NULL OR NOT (rc.oid OPERATOR(pg_catalog.=) v.oid"
            + "     OR (rc.relkind OPERATOR(pg_catalog.=) 'v' AND v.depth OPERATOR(pg_catalog.<) " + VIEW_DEPTH + ") OR (rc.relkind OPERATOR(pg_catalog.=) 'm' AND NOT rc.relrowsecurity)"
            + "     OR (rc.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,S}'::pg_catalog.\"char\"[]) AND NOT rc.relhasrules"
            + " AND NOT rc.relrowsecurity))"
            + "    ELSE d.refobjid OPERATOR(pg_catalog.>=) " + FIRST_NORMAL_OBJECT_ID + " END) AS read_plain,"
            + " pg_catalog.pg_get_viewdef(c.oid) AS view_definition,"
            + " (" + VIEW_CLOSURE
            + "  SELECT pg_catalog.string_agg(pg_catalog.pg_get_viewdef(v.oid), ' ; ') FROM v) AS view_definitions"
            + " FROM pg_catalog.pg_class c WHERE c.relkind OPERATOR(pg_catalog.=) 'v'"
            + " AND c.oid OPERATOR(pg_catalog.=) ANY (CAST((SELECT ?::pg_catalog.oid[]) AS pg_catalog.oid[]))";


    /**
     * The tables the database writes through foreign keys when rows of the relations {@code schema.name} (every schema
     * when the schema is null) are deleted ({@code d}), updated ({@code u}) or truncated with {@code CASCADE}
     * ({@code t}), followed from each table so written on: a key {@code ON DELETE CASCADE} deletes, {@code SET NULL} and
     * {@code SET DEFAULT} (and every {@code ON UPDATE} action but {@code NO ACTION} and {@code RESTRICT}) update, and a
     * truncate empties every referencing table. An update counts as one of any column, the referenced ones included.
     * {@code UNION} ends a cycle where it began. Partitions' own copies of a key are rows of their own here.
     */
    private static final String CASCADES = "WITH RECURSIVE w(oid, kind) AS ("
            + " SELECT c.oid, ?::pg_catalog.text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid"
            + " OPERATOR(pg_catalog.=) c.relnamespace"
            + "  WHERE c.relname OPERATOR(pg_catalog.=) ? AND (?::pg_catalog.text IS NULL OR n.nspname"
            + " OPERATOR(pg_catalog.=) ?)"
            + " UNION SELECT f.conrelid, CASE WHEN w.kind OPERATOR(pg_catalog.=) 't' THEN 't' WHEN w.kind"
            + " OPERATOR(pg_catalog.=) 'd' AND f.confdeltype OPERATOR(pg_catalog.=) 'c' THEN 'd'"
            + "  ELSE 'u' END"
            + "  FROM w JOIN pg_catalog.pg_constraint f ON f.contype OPERATOR(pg_catalog.=) 'f' AND f.confrelid"
            + " OPERATOR(pg_catalog.=) w.oid"
            + "  WHERE w.kind OPERATOR(pg_catalog.=) 't' OR (w.kind OPERATOR(pg_catalog.=) 'd' AND f.confdeltype"
            + " OPERATOR(pg_catalog.=) ANY ('{c,n,d}'::pg_catalog.\"char\"[]))"
            + "   OR (w.kind OPERATOR(pg_catalog.=) 'u' AND f.confupdtype OPERATOR(pg_catalog.=) ANY"
            + " ('{c,n,d}'::pg_catalog.\"char\"[])))"
            + " SELECT w.kind, n.nspname, c.relname FROM w JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=)"
            + " w.oid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
            + " ORDER BY w.kind, n.nspname, c.relname"; // one order, so that a refusal names the same table every time

    /**
     * What {@code DROP … CASCADE} (or an {@code ALTER … CASCADE}) of the relations and routines named {@code schema.name}
     * (every schema when the schema is null) drops or changes beyond what the same statement without {@code CASCADE}
     * would, read from {@code pg_depend}: every object reached from them through dependencies (whatever is internal to
     * an object reached, a view's own rule's view, is reached with it) on a path with at least one normal dependency
     * (the kind {@code RESTRICT} refuses; automatic and internal ones go without {@code CASCADE}). Each row: what kind of
     * object it is ({@code relation}: a relation, with the action {@code drop} for the relation itself, {@code alter} for
     * a part of it, the table of an index, a constraint, a trigger, a default, a policy, extended statistics or a rule;
     * {@code routine}; {@code none}: a type or a domain's constraint, whose columns are reached as such; {@code other}:
     * what cannot be told as a table), the action, and the schema and name. Not remembered: a view created a moment ago
     * is a dependent too.
     */
    private static final String DEPENDENTS = ("""
            WITH RECURSIVE named(classid, objid) AS (
              SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.oid FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = ? AND (?::pg_catalog.text IS NULL OR n.nspname = ?)
              UNION ALL SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid, p.oid FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                WHERE p.proname = ? AND (?::pg_catalog.text IS NULL OR n.nspname = ?)),
            reach(classid, objid, objsubid, cascaded) AS (
              SELECT classid, objid, 0, false FROM named
              UNION SELECT x.classid, x.objid, x.objsubid, r.cascaded OR x.normal FROM reach r CROSS JOIN LATERAL (
                SELECT d.classid, d.objid, d.objsubid, d.deptype = 'n' AS normal FROM pg_catalog.pg_depend d
                  WHERE d.refclassid = r.classid AND d.refobjid = r.objid
                  AND (r.objsubid = 0 OR d.refobjsubid = r.objsubid)
                  AND d.deptype = ANY ('{n,a,i}'::pg_catalog."char"[])
                UNION ALL SELECT d.refclassid, d.refobjid, d.refobjsubid, false FROM pg_catalog.pg_depend d
                  WHERE d.classid = r.classid AND d.objid = r.objid AND d.deptype = 'i') x),
            reached AS (
              SELECT r.classid, r.objid, r.objsubid,
                CASE
                  WHEN r.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid THEN COALESCE((SELECT i.indrelid
                    FROM pg_catalog.pg_index i WHERE i.indexrelid = r.objid), r.objid)
                  WHEN r.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid THEN (SELECT w.ev_class
                    FROM pg_catalog.pg_rewrite w WHERE w.oid = r.objid)
                  WHEN r.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid THEN (SELECT k.conrelid
                    FROM pg_catalog.pg_constraint k WHERE k.oid = r.objid AND k.conrelid <> 0)
                  WHEN r.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass::pg_catalog.oid THEN (SELECT t.tgrelid
                    FROM pg_catalog.pg_trigger t WHERE t.oid = r.objid)
                  WHEN r.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass::pg_catalog.oid THEN (SELECT a.adrelid
                    FROM pg_catalog.pg_attrdef a WHERE a.oid = r.objid)
                  WHEN r.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass::pg_catalog.oid THEN (SELECT o.polrelid
                    FROM pg_catalog.pg_policy o WHERE o.oid = r.objid)
                  WHEN r.classid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass::pg_catalog.oid THEN (SELECT e.stxrelid
                    FROM pg_catalog.pg_statistic_ext e WHERE e.oid = r.objid)
                END AS relation,
                CASE WHEN r.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND r.objsubid = 0
                    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = r.objid) THEN 'drop'
                  WHEN r.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid AND EXISTS (SELECT 1
                    FROM pg_catalog.pg_rewrite w WHERE w.oid = r.objid AND w.rulename = '_RETURN') THEN 'drop'
                  ELSE 'alter' END AS action
              FROM reach r WHERE r.cascaded)
            SELECT CASE WHEN x.relation IS NOT NULL THEN 'relation'
                WHEN x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid THEN 'routine'
                WHEN x.classid = ANY (ARRAY['pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid,
                    'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid]) THEN 'none'
                ELSE 'other' END,
              CASE WHEN x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid THEN 'drop'
                ELSE x.action END,
              COALESCE(cn.nspname, pn.nspname), COALESCE(c.relname, p.proname)
            FROM reached x
            LEFT JOIN pg_catalog.pg_class c ON c.oid = x.relation
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_proc p ON x.relation IS NULL
              AND x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid AND p.oid = x.objid
            LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
            ORDER BY 1, 2, 3, 4""").replace(" = ", " OPERATOR(pg_catalog.=) ").replace(" <> ", " OPERATOR(pg_catalog.<>) ");

    /** Whether the session's PL/pgSQL resolves a name both a variable and a column as by default. */
    private static final String VARIABLE_CONFLICT = "SELECT COALESCE(pg_catalog.current_setting("
            + "'plpgsql.variable_conflict', true), 'error') OPERATOR(pg_catalog.=) 'error'";

    /** The columns of {@link #ROUTINE_BODIES} after the body, and its FROM and WHERE. */
    private static final String ROUTINE_SETTINGS =
            " EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c WHERE c OPERATOR(pg_catalog.~~)"
                    + " 'search\\_path=%'),"
            + " p.proargnames,"
            + " p.prorettype OPERATOR(pg_catalog.=) ANY"
            + " ('{pg_catalog.trigger,pg_catalog.event_trigger}'::pg_catalog.regtype[]),"
            + " EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c WHERE c OPERATOR(pg_catalog.~~)"
            + " 'plpgsql.variable\\_conflict=%'"
            + "  AND c OPERATOR(pg_catalog.<>) 'plpgsql.variable_conflict=error')"
            + " OR COALESCE(pg_catalog.current_setting('plpgsql.variable_conflict', true), 'error')"
            + " OPERATOR(pg_catalog.<>) 'error',"
            + " EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid OPERATOR(pg_catalog.=)"
            + " 'pg_catalog.pg_proc'::pg_catalog.regclass"
            + "  AND d.objid OPERATOR(pg_catalog.=) p.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')"
            + " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace"
            + " JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang WHERE n.nspname"
            + " OPERATOR(pg_catalog.=) ? AND p.proname OPERATOR(pg_catalog.=) ?";

    /**
     * The routines of a schema and name (every overload): the language each is written in, and its body, as
     * {@code prosrc} holds it or, for a {@code BEGIN ATOMIC} body (PostgreSQL 14 and later), as the server prints it;
     * whether it sets its own search path; for a PL/pgSQL body, its parameters' names, whether it is a trigger function,
     * and whether its names resolve otherwise than by default ({@code plpgsql.variable_conflict} other than
     * {@code error}, set for the routine or for the session); whether it is a member of an extension.
     */
    private static final String ROUTINE_BODIES = "SELECT l.lanname, p.prosrc,"
            + " CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) END,"
            + ROUTINE_SETTINGS;
    /**
     * {@link #ROUTINE_BODIES} before PostgreSQL 14, which has no {@code BEGIN ATOMIC} bodies (nor the column and function
     * that print them, whose mention would fail the query and so the caller's open transaction).
     */
    private static final String ROUTINE_BODIES_BEFORE_14 = "SELECT l.lanname, p.prosrc, NULL::pg_catalog.text,"
            + ROUTINE_SETTINGS;

    /**
     * The functions of the enabled event triggers (any but those disabled: one enabled for replicas only runs when the
     * session's role says so, which is not told).
     */
    private static final String EVENT_TRIGGERS = "SELECT n.nspname, p.proname FROM pg_catalog.pg_event_trigger e"
            + " JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) e.evtfoid JOIN pg_catalog.pg_namespace n ON"
            + " n.oid OPERATOR(pg_catalog.=) p.pronamespace"
            + " WHERE e.evtenabled OPERATOR(pg_catalog.<>) 'D' ORDER BY e.evtname";

    /** The effective search path, and whether {@code standard_conforming_strings} is on. */
    private static final String SEARCH_PATH = "SELECT pg_catalog.current_schemas(true),"
            + " pg_catalog.current_setting('standard_conforming_strings') OPERATOR(pg_catalog.=) 'on'";

    /**
     * {@link #SEARCH_PATH} and {@link #RELATIONS} sent together (pgjdbc sends the two statements with one {@code Sync}):
     * a session's reading and the first lookup it must make, in one round trip. Not a constant: each of the two is
     * checked as the driver's catalog queries are, and the pair is no query of its own.
     */
    private static String searchPathAndRelations() {
        return SEARCH_PATH + ";" + RELATIONS; // the lookup's text as the server keeps it, as when it is sent alone
    }

    /** A relation's columns: not dropped, not a system column. */
    private static final String COLUMNS = "SELECT a.attname FROM pg_catalog.pg_attribute a"
            + " JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid JOIN pg_catalog.pg_namespace n ON"
            + " n.oid OPERATOR(pg_catalog.=) c.relnamespace"
            + " WHERE n.nspname OPERATOR(pg_catalog.=) ? AND c.relname OPERATOR(pg_catalog.=) ? AND a.attnum"
            + " OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped";

    /**
     * Whether reading, and writing, a relation runs no code; for a view (or materialized view), its defining query; the
     * tables it is a partition or inheritance child of, nearest first, and its own partitions and children
     * ({@code null}: too deep to be sure); the routines of the database's own that writing it runs ({@code null}: a rule
     * of it runs statements of its own, so any routine), and those its row security runs; whether its definitions were
     * read ({@code false} for a relation of a schema off the session's path that no statement named: then it counts as
     * running code, and its definition is not known until they are read); and its object id, so that a relation dropped
     * and made again under the same name is another (a renewed reading compares them, {@link PgReading#continues}).
     */
    private record Plain(boolean read, boolean write, String viewDefinition, List<TableRef> ancestors,
                         List<TableRef> descendants, Map<TableRef, Integer> writeRoutines, NameResolver.RelationKind kind,
                         List<TableRef> routinesOfRowSecurity, boolean definitionsRead, long oid) {

        /**
         * Those of the routines writing it runs that run with values of its rows as arguments (every one but a trigger's
         * own function), or {@code null} (any routine).
         */
        List<TableRef> routinesGivenRows() {
            return routinesRunOn(GIVEN_ROWS);
        }

        /** The routines writing it runs, in the catalog's order, or {@code null} (any routine). */
        List<TableRef> routinesRunOnWrite() {
            return routinesRunOn(ALL_EVENTS);
        }

        /**
         * Those of the routines writing it runs ({@link #writeRoutines}, each with the events it runs for) that run for a
         * write of {@code events} ({@link WriteEvents#of}): a trigger's function only for the events its triggers fire on.
         */
        List<TableRef> routinesRunOn(int events) {
            return writeRoutines == null ? null : WriteEvents.runningFor(writeRoutines, events);
        }
    }

    /**
     * What a {@code pg_class.relkind} is: an ordinary or partitioned table holds rows of its own (its relatives are
     * {@code pg_inherits}'), a view or materialized view those its definition reads; a foreign table may be a table of
     * this very database, and any other kind is told as such. A sequence holds its own state alone.
     */
    private static NameResolver.RelationKind kind(String relkind) {
        if ("r".equals(relkind) || "p".equals(relkind)) {
            return NameResolver.RelationKind.TABLE;
        }
        if ("S".equals(relkind)) {
            return NameResolver.RelationKind.SEQUENCE;
        }
        if ("v".equals(relkind) || "m".equals(relkind)) {
            return NameResolver.RelationKind.VIEW;
        }
        return NameResolver.RelationKind.OTHER;
    }

    /**
     * The most relation names a lookup carries beyond those a statement missed (the names the reading before looked up,
     * and those the database's other connections found): names beyond these are looked up as statements name them.
     */
    static final int MOST_NAMES_AHEAD = 256;

    @Override
    public Reading read(Supplier<Connection> connection) throws SQLException {
        return read(connection, null);
    }

    /**
     * Per database (the connection's URL): the relation names its connections in this process found most recently, at
     * most {@link #MOST_NAMES_AHEAD}. A session's first reading looks up those it has not looked up with each lookup it
     * must make, as a renewed reading looks up the names its session named before: a pool's new connection then runs
     * one relation query for the names the application uses, not one per statement naming another, each planned afresh
     * by a server process that has not planned it before; connections starting together share what each found in
     * between. Later readings carry only what their session named (a reading renewed at every transaction would
     * otherwise look up every name the database's connections use, 10 ms for 250, at every transaction).
     */
    private static final Map<String, NamesInUse> NAMES_IN_USE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The relation names last found through a database's connections, the most recent last. */
    private static final class NamesInUse {
        private final java.util.LinkedHashMap<String, Boolean> names = new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > MOST_NAMES_AHEAD;
            }
        };

        synchronized void found(Iterable<String> found) {
            found.forEach(name -> names.put(name, Boolean.TRUE));
        }

        synchronized Set<String> names() {
            return Set.copyOf(names.keySet());
        }
    }

    /** Forgets the names found through every database's connections (for tests that count lookups). */
    static void forgetNamesInUse() {
        NAMES_IN_USE.clear();
    }

    @Override
    public Reading read(Supplier<Connection> connection, Set<String> expected) throws SQLException {
        Connection physical = connection.get();
        if (physical == null) {
            return Reading.UNKNOWN;
        }
        String url = PostgresRoutineCatalog.urlOf(physical);
        NamesInUse inUse = url == null ? null : NAMES_IN_USE.computeIfAbsent(url, u -> new NamesInUse());
        List<String> path = new ArrayList<>();
        Boolean standardStrings = CatalogQuery.leavingTheTransaction(physical, p -> {
            try (Statement s = p.createStatement();
                 ResultSet rs = s.executeQuery(SEARCH_PATH)) {
                return searchPath(rs, path);
            }
        });
        if (standardStrings == null) {
            return Reading.UNKNOWN;
        }
        return new PgReading(connection, path, standardStrings, expected == null ? Set.of() : expected, inUse,
                expected == null);
    }

    /**
     * As {@link #read(Supplier, Set)}, with the relations {@code first} looked up in the same round trip
     * ({@link #searchPathAndRelations}), with the names the reading's first lookup would carry ahead of them: what
     * the reading then holds is what its first lookup of {@code first} would have found. When that query fails, the
     * search path is read alone, as {@link #read(Supplier, Set)} reads it, and the names are looked up when asked again
     * (a lookup that fails leaves them unknown, as it always did).
     */
    @Override
    public Reading read(Supplier<Connection> connection, Set<String> expected, Set<String> first) throws SQLException {
        return read(connection, expected, first, false).reading();
    }

    /**
     * A reading and, read in the same round trip, the database's user code ({@code null}: not read, or the round trip
     * that read both failed and the reading was made as {@link #read(Supplier, Set)} makes it).
     */
    record WithUserCode(Reading reading, Map<String, List<String>> userCode) {
    }

    /**
     * As {@link #read(Supplier, Set, Set)}, with the database's user code under built-in names
     * ({@link PostgresRoutineCatalog#userCodeQuery()}, one more statement of the same round trip) read too when
     * {@code withUserCode}: both read by the statements pgjdbc sends with one {@code Sync}, at the same moment. When that
     * round trip fails the reading is made as {@link #read(Supplier, Set)} makes it and the user code is not read.
     */
    WithUserCode read(Supplier<Connection> connection, Set<String> expected, Set<String> first, boolean withUserCode)
            throws SQLException {
        Connection physical = connection.get();
        if (physical == null) {
            return new WithUserCode(Reading.UNKNOWN, null);
        }
        if (first == null || first.isEmpty()) {
            return new WithUserCode(read(connection, expected), null);
        }
        String url = PostgresRoutineCatalog.urlOf(physical);
        NamesInUse inUse = url == null ? null : NAMES_IN_USE.computeIfAbsent(url, u -> new NamesInUse());
        boolean firstOfSession = expected == null;
        List<String> names = new ArrayList<>(first);
        int room = ahead(expected == null ? Set.of() : expected, names, MOST_NAMES_AHEAD, Map.of());
        if (firstOfSession && inUse != null) {
            ahead(inUse.names(), names, room, Map.of());
        }
        List<String> path = new ArrayList<>();
        Map<String, Map<String, Plain>> found = new HashMap<>();
        Map<String, List<String>> userCode = withUserCode ? new HashMap<>() : null;
        Boolean standardStrings;
        List<Array> arrays = new ArrayList<>();
        try {
            String sql = withUserCode ? searchPathAndRelations() + ";" + PostgresRoutineCatalog.userCodeQuery()
                    : searchPathAndRelations();
            standardStrings = CatalogQuery.leavingTheTransaction(physical, sql, s -> {
                Array inSchemas = physical.createArrayOf("text", new Object[0]);
                Array array = physical.createArrayOf("text", names.toArray());
                arrays.add(inSchemas);
                arrays.add(array);
                s.setArray(1, inSchemas);
                s.setArray(2, array);
            }, s -> {
                path.clear();
                found.clear();
                Boolean strings;
                try (ResultSet rs = s.getResultSet()) {
                    strings = searchPath(rs, path);
                }
                if (strings == null || !s.getMoreResults()) {
                    throw new SQLException("The relations were not looked up", "XX000");
                }
                try (ResultSet rs = s.getResultSet()) {
                    PgReading.rows(physical, rs, names, found);
                }
                if (userCode != null) {
                    userCode.clear();
                    if (!s.getMoreResults()) {
                        throw new SQLException("The user code was not read", "XX000");
                    }
                    try (ResultSet rs = s.getResultSet()) {
                        PostgresRoutineCatalog.valuesByKind(rs, userCode);
                    }
                }
                return strings;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not read the search path with the relations a statement names ({}): the path is read alone",
                    e.getClass().getSimpleName());
            return new WithUserCode(read(connection, expected), null);
        } finally {
            for (Array array : arrays) {
                try {
                    array.free();
                } catch (SQLException | RuntimeException ignored) {
                    // an array the driver holds nothing for
                }
            }
        }
        PgReading reading = new PgReading(connection, path, standardStrings, Set.of(), inUse, firstOfSession);
        reading.lookedUp(found, names, first.size());
        return new WithUserCode(reading, userCode);
    }

    /** The path and {@code standard_conforming_strings} of {@link #SEARCH_PATH}'s result, into {@code path}. */
    private static Boolean searchPath(ResultSet rs, List<String> path) throws SQLException {
        if (!rs.next()) {
            return null;
        }
        Array schemas = rs.getArray(1);
        for (Object schema : (Object[]) schemas.getArray()) {
            path.add((String) schema);
        }
        schemas.free();
        return rs.getBoolean(2);
    }

    /**
     * Adds to {@code missing} the names of {@code candidates} not in {@code looked} (looked up already), at most
     * {@code room}; returns the room left.
     */
    private static int ahead(Set<String> candidates, List<String> missing, int room, Map<String, ?> looked) {
        for (String name : candidates) {
            if (room == 0) {
                break;
            }
            if (!looked.containsKey(name) && !missing.contains(name)) {
                missing.add(name);
                room--;
            }
        }
        return room;
    }

    /** A reading: the path, and relations looked up as names are asked for. */
    private static final class PgReading implements Reading, RelationLocator {
        private final Supplier<Connection> connection;
        private final PostgresSearchPath names;
        /** Per relation name: schema → whether reading and writing it run no code; absent: not looked up. */
        private final Map<String, Map<String, Plain>> relations = new HashMap<>();
        /** {@code standard_conforming_strings} was on. */
        private final boolean standardStrings;

        /** Per kind of write and relation, what the database writes through foreign keys then; looked up for writes only. */
        private final Map<List<String>, List<CascadedWrite>> cascades = new HashMap<>();
        /**
         * Per {@code schema.name} of a routine: the SQL bodies of its overloads, or {@code null} (as the value of a key
         * present) when one is in another language; absent: not looked up, or the catalog could not be read.
         */
        private final Map<TableRef, List<String>> routineBodies = new HashMap<>();
        /** The functions of the enabled event triggers, looked up on the first statement that runs them. */
        private List<TableRef> eventTriggers;

        /** Relations' columns, looked up when a statement's bound rests on them. */
        private final RelationColumns columns;

        /**
         * Names the session's statements named in the reading before this one, looked up with the first lookup this
         * reading makes ({@link #prepare}): a connection renewing its reading (every few seconds, or after its session
         * may have changed) then runs one relation query for the names it uses, not one per statement naming another.
         * Emptied by that lookup.
         */
        private Set<String> ahead;

        /** The names the database's connections found, which this reading adds its own to; null: not shared. */
        private final NamesInUse inUse;
        /** The session's first reading: its lookups also look up the names in {@link #inUse} it has not. */
        private final boolean firstOfSession;
        /**
         * Names looked up ahead ({@link #ahead}, {@link #inUse}) that no statement of this reading has asked about yet:
         * left out of {@link #relationNamesRead()}, so that a renewal carries the names its session named.
         */
        private final Set<String> unasked = new java.util.HashSet<>();
        /** The effective search path read. */
        private final List<String> path;
        /**
         * Something was asked of this reading that {@link #continues} cannot compare with a later reading: a lookup that
         * failed (its names answered as unknown), or an answer read afresh on each question or not kept by the reading's
         * first lookup (columns, routine bodies, event triggers, PL/pgSQL's setting, a drop's dependents, the schemas
         * naming a name). Under the reading's monitor.
         */
        private boolean uncomparable;

        PgReading(Supplier<Connection> connection, List<String> path, boolean standardStrings, Set<String> expected,
                  NamesInUse inUse, boolean firstOfSession) {
            this.path = List.copyOf(path);
            this.connection = connection;
            this.inUse = inUse;
            this.firstOfSession = firstOfSession;
            this.columns = new RelationColumns(connection, COLUMNS, true);
            this.names = new PostgresSearchPath(path, this);
            this.standardStrings = standardStrings;
            this.ahead = expected;
        }

        @Override
        public synchronized Set<String> relationNamesRead() {
            if (unasked.isEmpty()) {
                return Set.copyOf(relations.keySet());
            }
            Set<String> named = new java.util.HashSet<>(relations.keySet());
            named.removeAll(unasked);
            return Set.copyOf(named);
        }

        @Override
        public NameResolver names() {
            return names;
        }

        @Override
        public boolean readsPlainStringsTheUsualWay() {
            return standardStrings;
        }

        /**
         * Whether this reading answers every question {@code older} was asked as {@code older} answered it, proven field
         * by field from what both hold: the same effective search path and {@code standard_conforming_strings}; for each
         * name of {@code names} (those {@code older}'s statements asked about, and those the readings before it were
         * compared on) the same relations in the same schemas, each with the same object id, kind, definitions read,
         * view definition, relatives, routines run when written and by row security, and whether reading and writing
         * it run code; and for each write's cascades {@code older} looked up, the relation unchanged and running no code
         * when written (which proves no foreign key cascades a delete or an update of it: {@link #RELATIONS}'
         * {@code write_plain}), so that its answer (none) is kept. Anything else {@code older} was asked (a failed
         * lookup, columns, routine bodies, event triggers, a setting, what a drop reaches, the schemas naming a name),
         * a name either lacks, or an answer of another shape makes them not comparable: {@code false}.
         */
        @Override
        public boolean continues(Reading older, Set<String> names) {
            if (!(older instanceof PgReading o)) {
                return false;
            }
            if (o == this) {
                return true;
            }
            Map<String, Map<String, Plain>> theirs = new HashMap<>();
            Map<List<String>, List<CascadedWrite>> theirCascades;
            synchronized (o) {
                if (o.uncomparable || !o.routineBodies.isEmpty() || o.eventTriggers != null || o.plpgsqlDefault != null) {
                    return false;
                }
                for (String name : names) {
                    Map<String, Plain> holders = o.relations.get(name);
                    if (holders == null) {
                        return false;
                    }
                    theirs.put(name, holders);
                }
                for (List<String> key : o.cascades.keySet()) {
                    Map<String, Plain> holders = o.relations.get(key.get(2));
                    if (holders == null) {
                        return false;
                    }
                    theirs.put(key.get(2), holders);
                }
                theirCascades = new HashMap<>(o.cascades);
            }
            synchronized (this) {
                if (uncomparable || !path.equals(o.path) || standardStrings != o.standardStrings) {
                    return false;
                }
                for (Map.Entry<String, Map<String, Plain>> e : theirs.entrySet()) {
                    if (!e.getValue().equals(relations.get(e.getKey()))) {
                        return false;
                    }
                }
                for (Map.Entry<List<String>, List<CascadedWrite>> e : theirCascades.entrySet()) {
                    String kind = e.getKey().get(0);
                    String schema = e.getKey().get(1);
                    Plain plain = schema == null ? null : relations.get(e.getKey().get(2)).get(schema);
                    if (!("d".equals(kind) || "u".equals(kind)) || e.getValue() == null || !e.getValue().isEmpty()
                            || plain == null || !plain.write()) {
                        return false;
                    }
                }
                theirCascades.forEach(cascades::putIfAbsent); // proven: none, as then
                return true;
            }
        }

        @Override
        public synchronized boolean runsNoCode(TableRef table, boolean write) {
            Plain plain = withDefinitions(table.schema(), table.name());
            return plain != null && (write ? plain.write() : plain.read());
        }

        @Override
        public synchronized NameResolver.RelationKind relationKind(String schema, String name) {
            Map<String, Plain> holders = holders(name);
            Plain plain = holders == null ? null : holders.get(schema);
            return plain == null ? null : plain.kind();
        }

        @Override
        public synchronized String viewDefinition(String schema, String name) {
            Plain plain = withDefinitions(schema, name);
            return plain == null ? null : plain.viewDefinition();
        }

        /**
         * The lookup of the name failed, or the relation is a view (or materialized view) whose definition the lookup
         * with its schema (a second one, for a schema the first did not mean) could not read.
         */
        @Override
        public synchronized boolean viewDefinitionUnknown(String schema, String name) {
            Map<String, Plain> holders = holders(name);
            if (holders == null) {
                return true;
            }
            Plain plain = holders.get(schema);
            if (plain == null || plain.kind() != NameResolver.RelationKind.VIEW) {
                return false;
            }
            Plain read = withDefinitions(schema, name);
            return read == null || read.viewDefinition() == null;
        }

        @Override
        public synchronized List<TableRef> ancestors(String schema, String name) {
            return relatives(schema, name, Plain::ancestors);
        }

        @Override
        public synchronized List<TableRef> descendants(String schema, String name) {
            return relatives(schema, name, Plain::descendants);
        }

        /** {@code which} relatives of {@code schema.name}, or of every relation of that name when {@code schema} is null. */
        private List<TableRef> relatives(String schema, String name, java.util.function.Function<Plain, List<TableRef>> which) {
            Map<String, Plain> holders = holders(name);
            if (holders == null) {
                return null; // not looked up
            }
            if (schema != null) {
                Plain plain = holders.get(schema);
                return plain == null ? List.of() : which.apply(plain);
            }
            List<TableRef> all = new ArrayList<>();
            for (Plain plain : holders.values()) {
                List<TableRef> some = which.apply(plain);
                if (some == null) {
                    return null;
                }
                all.addAll(some);
            }
            return all;
        }

        @Override
        public synchronized List<TableRef> routinesRunOnWrite(String schema, String name) {
            return relatives(schema, name, Plain::routinesRunOnWrite);
        }

        @Override
        public synchronized List<TableRef> routinesRunOnWrite(String schema, String name, Action action,
                                                              boolean upsert) {
            int events = WriteEvents.of(action, upsert);
            return relatives(schema, name, plain -> plain.routinesRunOn(events));
        }

        @Override
        public synchronized List<TableRef> routinesOfRowSecurity(String schema, String name) {
            return relatives(schema, name, Plain::routinesOfRowSecurity);
        }

        @Override
        public synchronized List<TableRef> routinesGivenRows(String schema, String name) {
            return relatives(schema, name, Plain::routinesGivenRows);
        }

        @Override
        public synchronized List<CascadedWrite> cascadedWrites(String schema, String name, Action action) {
            if (action == Action.DROP) {
                return dependents(schema, name);
            }
            String kind = switch (action) {
                case DELETE -> "d";
                case UPDATE -> "u";
                case TRUNCATE -> "t";
                default -> null;
            };
            if (kind == null) {
                return null;
            }
            List<String> key = java.util.Arrays.asList(kind, schema, name);
            if (cascades.containsKey(key)) {
                return cascades.get(key);
            }
            Connection physical = connection.get();
            if (physical == null) {
                uncomparable = true;
                return null; // no way to the session left: unknown, so a write of any table
            }
            Set<CascadedWrite> found = new java.util.LinkedHashSet<>();
            try {
                CatalogQuery.leavingTheTransaction(physical, p -> {
                    found.clear();
                    try (PreparedStatement s = p.prepareStatement(CASCADES)) {
                        s.setString(1, kind);
                        s.setString(2, name);
                        s.setString(3, schema);
                        s.setString(4, schema);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                String written = rs.getString(1);
                                TableRef table = new TableRef(rs.getString(2), rs.getString(3));
                                Action what = "d".equals(written) ? Action.DELETE : "t".equals(written) ? Action.TRUNCATE
                                        : Action.UPDATE;
                                boolean itself = what == action && table.name().equals(name)
                                        && (schema == null || table.schema().equals(schema));
                                if (!itself) {
                                    found.add(new CascadedWrite(what, table));
                                }
                            }
                        }
                    }
                    return found;
                });
            } catch (SQLException | RuntimeException e) {
                // not remembered: the write counts as one of any table, and the next statement asks again
                LOG.debug("Could not look up foreign keys in pg_constraint ({}): the write counts as one of any table",
                        e.getClass().getSimpleName());
                uncomparable = true;
                return null;
            }
            List<CascadedWrite> writes = List.copyOf(found);
            cascades.put(key, writes);
            return writes;
        }

        /**
         * What a {@code DROP … CASCADE} of {@code schema.name} drops ({@code drop}) or changes ({@code alter}) besides
         * ({@link #DEPENDENTS}); {@code null} when the catalog cannot be read or reaches an object that is neither a
         * relation, a part of one nor a routine (an operator class, a cast, an event trigger, …).
         */
        private List<CascadedWrite> dependents(String schema, String name) {
            uncomparable = true; // read afresh on every question: nothing a later reading holds to compare
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            try {
                return CatalogQuery.leavingTheTransaction(physical, p -> {
                    Set<CascadedWrite> found = new java.util.LinkedHashSet<>();
                    try (PreparedStatement s = p.prepareStatement(DEPENDENTS)) {
                        for (int i = 0; i < 2; i++) {
                            s.setString(3 * i + 1, name);
                            s.setString(3 * i + 2, schema);
                            s.setString(3 * i + 3, schema);
                        }
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                String kind = rs.getString(1);
                                if ("none".equals(kind)) {
                                    continue;
                                }
                                if ("other".equals(kind) || rs.getString(3) == null || rs.getString(4) == null) {
                                    return null;
                                }
                                TableRef object = new TableRef(rs.getString(3), rs.getString(4));
                                Action what = "drop".equals(rs.getString(2)) ? Action.DROP : Action.ALTER;
                                if (!(object.name().equals(name) && (schema == null || object.schema().equals(schema)))) {
                                    found.add(new CascadedWrite(what, object));
                                }
                            }
                        }
                    }
                    return List.copyOf(found);
                });
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up dependents in pg_depend ({}): the drop counts as one of any table",
                        e.getClass().getSimpleName());
                return null;
            }
        }

        /** See {@link #plpgsqlResolvesAsDefault}: {@code null} until read. */
        private Boolean plpgsqlDefault;

        /**
         * Whether the session's PL/pgSQL code (a DO block) resolves names as by default: its
         * {@code plpgsql.variable_conflict} is {@code error} or not set. False when it cannot be read.
         */
        @Override
        public synchronized boolean plpgsqlResolvesAsDefault() {
            if (plpgsqlDefault != null) {
                return plpgsqlDefault;
            }
            Connection physical = connection.get();
            if (physical == null) {
                uncomparable = true;
                return false;
            }
            try {
                plpgsqlDefault = CatalogQuery.leavingTheTransaction(physical, p -> {
                    try (PreparedStatement s = p.prepareStatement(VARIABLE_CONFLICT); ResultSet rs = s.executeQuery()) {
                        return rs.next() && rs.getBoolean(1);
                    }
                });
            } catch (SQLException | RuntimeException e) {
                // not remembered: the DO block's code counts as not read, and the next statement asks again
                LOG.debug("Could not read plpgsql.variable_conflict ({}): a DO block's code counts as not read",
                        e.getClass().getSimpleName());
                uncomparable = true;
                return false;
            }
            return plpgsqlDefault;
        }

        @Override
        public synchronized List<TableRef> routinesOfEventTriggers() {
            if (eventTriggers != null) {
                return eventTriggers;
            }
            Connection physical = connection.get();
            if (physical == null) {
                uncomparable = true;
                return null;
            }
            try {
                // inside a transaction under a savepoint set and released in the query's own round trip
                eventTriggers = List.copyOf(CatalogQuery.leavingTheTransaction(physical, EVENT_TRIGGERS, s -> {
                }, s -> {
                    List<TableRef> functions = new ArrayList<>();
                    try (ResultSet rs = s.getResultSet()) {
                        while (rs.next()) {
                            functions.add(new TableRef(rs.getString(1), rs.getString(2)));
                        }
                    }
                    return functions;
                }));
                return eventTriggers;
            } catch (SQLException | RuntimeException e) {
                // not remembered: the statement counts as calling any routine, and the next one asks again
                LOG.debug("Could not read event triggers from pg_event_trigger ({}): DDL counts as calling any routine",
                        e.getClass().getSimpleName());
                uncomparable = true;
                return null;
            }
        }

        @Override
        public synchronized List<String> routineBodies(String schema, String name) {
            uncomparable = true; // routine bodies are not in a renewal's lookup: a later reading cannot be compared on them
            TableRef routine = new TableRef(schema, name);
            if (routineBodies.containsKey(routine)) {
                return routineBodies.get(routine);
            }
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            List<String> found;
            try {
                found = CatalogQuery.leavingTheTransaction(physical, p -> bodies(p, schema, name));
            } catch (SQLException | RuntimeException e) {
                // not remembered: the routine's body counts as not analysed, and the next statement asks again
                LOG.debug("Could not read routine bodies from pg_proc ({}): a call counts as reading what cannot be told",
                        e.getClass().getSimpleName());
                return null;
            }
            routineBodies.put(routine, found);
            return found;
        }

        /**
         * The bodies of the routines {@code schema.name} as {@link #routineBodies} gives them, read through {@code p}:
         * {@code null} when one is not analysed.
         */
        private static List<String> bodies(Connection p, String schema, String name) throws SQLException {
            List<String> bodies = new ArrayList<>();
            try (PreparedStatement s = p.prepareStatement(p.getMetaData().getDatabaseMajorVersion() >= 14
                    ? ROUTINE_BODIES : ROUTINE_BODIES_BEFORE_14)) {
                s.setString(1, schema);
                s.setString(2, name);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next() && bodies != null) {
                        String language = rs.getString(1);
                        String atomic = rs.getString(3);
                        // a routine that sets its own search path (SET search_path = …) finds its body's unqualified
                        // names elsewhere than the caller's statement does: not analysed
                        if (rs.getBoolean(4)) {
                            bodies = null;
                        } else if ("sql".equals(language)) {
                            bodies = atomic != null ? withBodies(bodies, atomicBody(atomic))
                                    : withBodies(bodies, rs.getString(2));
                        } else if ("plpgsql".equals(language) && !rs.getBoolean(7)) {
                            bodies = withStatements(bodies, PlpgsqlBody.statements(rs.getString(2), name,
                                    names(rs.getArray(5)), rs.getBoolean(6)));
                        } else if (!"plpgsql".equals(language) && rs.getBoolean(8)) {
                            // an extension's function in C (pgcrypto's crypt, PostGIS): the server's installed code, like
                            // pg_catalog's; a member replaced in SQL or PL/pgSQL is read as any other
                            continue;
                        } else {
                            bodies = null; // another language, or PL/pgSQL resolving names otherwise than by default
                        }
                    }
                }
            }
            return bodies == null ? null : List.copyOf(bodies);
        }

        /** {@code bodies} with a PL/pgSQL body's statements added; {@code null} when they are not known. */
        private static List<String> withStatements(List<String> bodies, List<String> statements) {
            if (statements == null) {
                return null;
            }
            bodies.addAll(statements);
            return bodies;
        }

        /** The names of a routine's parameters ({@code proargnames}, {@code NULL} when none is named). */
        private static List<String> names(Array proargnames) throws SQLException {
            if (proargnames == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (Object name : (Object[]) proargnames.getArray()) {
                if (name instanceof String named && !named.isEmpty()) {
                    names.add(named);
                }
            }
            return names;
        }

        private static List<String> withBodies(List<String> bodies, String body) {
            if (body == null) {
                return null; // a body that cannot be read is not analysed
            }
            bodies.add(body);
            return bodies;
        }

        /**
         * The statements of a {@code BEGIN ATOMIC … END} body as {@code pg_get_function_sqlbody} prints it (a
         * {@code RETURN expression} body prints as that): without the words around them; {@code null} when it is not so.
         */
        static String atomicBody(String printed) {
            String body = printed.strip();
            if (body.regionMatches(true, 0, "RETURN", 0, 6) && body.length() > 6
                    && Character.isWhitespace(body.charAt(6))) {
                return "SELECT " + body.substring(7);
            }
            if (!body.regionMatches(true, 0, "BEGIN ATOMIC", 0, 12)
                    || !body.regionMatches(true, body.length() - 3, "END", 0, 3)) {
                return null;
            }
            return body.substring(12, body.length() - 3);
        }

        @Override
        public Set<String> columns(String schema, String name) {
            synchronized (this) {
                uncomparable = true; // columns are not in a renewal's lookup: a later reading cannot be compared on them
            }
            return columns.of(schema, name);
        }

        /**
         * The schemas holding a relation, a routine or a type named {@code name}, in the whole database
         * ({@link #NAMED}); asked only for what a caller a mask applies to creates, so looked up each time, and
         * {@code null} when the lookup failed.
         */
        @Override
        public Set<String> schemasNaming(String name) {
            synchronized (this) {
                uncomparable = true; // read afresh on every question: nothing a later reading holds to compare
            }
            Connection physical = connection.get();
            if (physical == null) {
                return null;
            }
            try {
                return CatalogQuery.leavingTheTransaction(physical, p -> {
                    Set<String> schemas = new java.util.TreeSet<>();
                    try (PreparedStatement s = p.prepareStatement(NAMED)) {
                        s.setString(1, name);
                        s.setString(2, name);
                        s.setString(3, name);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                schemas.add(rs.getString(1));
                            }
                        }
                    }
                    return Set.copyOf(schemas);
                });
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not look up the schemas using a name ({}): any schema may", e.getClass().getSimpleName());
                return null;
            }
        }

        @Override
        public synchronized Set<String> schemasHolding(String name) {
            prepare(Set.of(name));
            Map<String, Plain> holders = relations.get(name);
            return holders == null ? null : holders.keySet();
        }

        /** The relations of this name by schema, looked up first when they were not: {@code null} when that failed. */
        private Map<String, Plain> holders(String name) {
            Map<String, Plain> holders = relations.get(name);
            if (holders == null) { // asked on every statement: the lookup's set is made only for a name not seen
                prepare(Set.of(name));
                holders = relations.get(name);
            } else if (!unasked.isEmpty()) {
                unasked.remove(name);
            }
            return holders;
        }

        @Override
        public synchronized void prepare(Set<String> wanted) {
            List<String> missing = null;
            for (String name : wanted) {
                if (!relations.containsKey(name)) {
                    if (missing == null) {
                        missing = new ArrayList<>();
                    }
                    missing.add(name);
                } else if (!unasked.isEmpty()) {
                    unasked.remove(name);
                }
            }
            Connection physical = missing == null ? null : connection.get();
            if (physical == null) {
                if (missing != null) {
                    uncomparable = true;
                }
                return; // nothing to look up, or no way to the session left: the names stay unknown
            }
            // with the names missed: the names the session named in the reading before (with this reading's first
            // lookup), and in a session's first reading those the database's other connections found that it has not
            int asked = missing.size();
            int room = ahead(ahead, missing, MOST_NAMES_AHEAD, relations);
            ahead = Set.of();
            if (firstOfSession && inUse != null) {
                ahead(inUse.names(), missing, room, relations);
            }
            Map<String, Map<String, Plain>> found = new HashMap<>();
            List<String> names = missing;
            try {
                CatalogQuery.leavingTheTransaction(physical, p -> lookUp(p, names, List.of(), found));
            } catch (SQLException | RuntimeException e) {
                // not remembered: these names count as anywhere on the path, and the next statement asks again
                LOG.debug("Could not look up relations in pg_class ({}): unqualified names count as in any schema of the path",
                        e.getClass().getSimpleName());
                uncomparable = true;
                return;
            }
            lookedUp(found, missing, asked);
        }

        /**
         * Remembers what a lookup of {@code looked} found, of which the first {@code asked} were asked for (the others
         * looked up ahead), and shares the names found with the database's other connections.
         */
        private void lookedUp(Map<String, Map<String, Plain>> found, List<String> looked, int asked) {
            found.forEach((name, holders) -> relations.put(name, Map.copyOf(holders)));
            unasked.addAll(looked.subList(asked, looked.size()));
            if (inUse != null) {
                // names that name a relation: the names a statement used that are none (a CTE's, say) stay this reading's
                inUse.found(found.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList());
            }
        }

        /**
         * Runs {@link #RELATIONS} through {@code p} for {@code names}, with the definitions of the relations of the
         * session's path and of {@code schemas}, into {@code found} (emptied first): per name, its relations by schema.
         */
        private static Map<String, Map<String, Plain>> lookUp(Connection p, List<String> names, List<String> schemas,
                                                              Map<String, Map<String, Plain>> found) throws SQLException {
            try (PreparedStatement s = p.prepareStatement(RELATIONS)) {
                Array inSchemas = p.createArrayOf("text", schemas.toArray());
                Array array = p.createArrayOf("text", names.toArray());
                s.setArray(1, inSchemas);
                s.setArray(2, array);
                try (ResultSet rs = s.executeQuery()) {
                    rows(p, rs, names, found);
                }
                array.free();
                inSchemas.free();
            }
            return found;
        }

        /**
         * The relations of {@link #RELATIONS}' result {@code rs} for {@code names}, into {@code found} (emptied first),
         * with what the views among them that a statement can mean are read by {@link #VIEWS} through {@code p}: until
         * that is read, such a view counts as running code, its definition unknown.
         */
        static void rows(Connection p, ResultSet rs, List<String> names, Map<String, Map<String, Plain>> found)
                throws SQLException {
            found.clear();
            names.forEach(n -> found.put(n, new HashMap<>()));
            Map<Long, TableRef> views = new HashMap<>();
            while (rs.next()) {
                Plain plain;
                if (rs.getBoolean(22)) {
                    boolean write = rs.getBoolean(4)
                            && !SessionEffects.expressionMayLeaveSomething(rs.getString(5), Dialect.POSTGRESQL)
                            && !SessionEffects.expressionMayLeaveSomething(rs.getString(6), Dialect.POSTGRESQL);
                    boolean read = rs.getBoolean(3)
                            && !SessionEffects.textMayLeaveSomething(rs.getString(8), Dialect.POSTGRESQL);
                    plain = new Plain(read, write, rs.getString(7), relatives(rs, 9), relatives(rs, 12),
                            rs.getBoolean(17) ? null : eventsIn(rs, 15, 21), kind(rs.getString(18)),
                            namesIn(rs, 19), true, rs.getLong(23));
                } else {
                    // a relation no statement can mean unless it names its schema: its definitions are not read
                    // (until one does), and it counts as running code when read or written
                    plain = new Plain(false, false, null, relatives(rs, 9), relatives(rs, 12),
                            rs.getBoolean(17) ? null : eventsIn(rs, 15, 21), kind(rs.getString(18)),
                            namesIn(rs, 19), false, rs.getLong(23));
                }
                found.get(rs.getString(2)).put(rs.getString(1), plain);
                if (plain.definitionsRead() && "v".equals(rs.getString(18))) {
                    views.put(rs.getLong(23), new TableRef(rs.getString(1), rs.getString(2)));
                }
            }
            if (!views.isEmpty()) {
                views(p, views, found);
            }
        }

        /**
         * Completes the views {@code views} (by object id) of {@code found} with what {@link #VIEWS} reads of them: a view
         * it does not find (dropped since) keeps counting as running code, its definition unknown.
         */
        private static void views(Connection p, Map<Long, TableRef> views, Map<String, Map<String, Plain>> found)
                throws SQLException {
            // read while the lookup's results are: after its savepoint is released, under one of its own
            CatalogQuery.followUp(p, q -> {
                viewsRead(q, views, found);
                return null;
            });
        }

        private static void viewsRead(Connection p, Map<Long, TableRef> views, Map<String, Map<String, Plain>> found)
                throws SQLException {
            try (PreparedStatement s = p.prepareStatement(VIEWS)) {
                Array oids = p.createArrayOf("oid", views.keySet().toArray());
                s.setArray(1, oids);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        TableRef view = views.get(rs.getLong(1));
                        if (view == null) {
                            continue;
                        }
                        Map<String, Plain> holders = found.get(view.name());
                        Plain plain = holders.get(view.schema());
                        boolean read = rs.getBoolean(2)
                                && !SessionEffects.textMayLeaveSomething(rs.getString(4), Dialect.POSTGRESQL);
                        holders.put(view.schema(), new Plain(read, plain.write(), rs.getString(3), plain.ancestors(),
                                plain.descendants(), plain.writeRoutines(), plain.kind(), plain.routinesOfRowSecurity(),
                                true, plain.oid()));
                    }
                }
                oids.free();
            }
        }

        /**
         * {@code schema.name}'s relation, with its definitions: looked up again with them when the lookup of its name
         * did not read them (its schema was not on the path), and the name's relations replaced by what this lookup
         * found. {@code null} when there is none, or when the lookup failed (then the name counts as not looked up).
         */
        private Plain withDefinitions(String schema, String name) {
            Map<String, Plain> holders = holders(name);
            Plain plain = holders == null ? null : holders.get(schema);
            if (plain == null || plain.definitionsRead()) {
                return plain;
            }
            Connection physical = connection.get();
            Map<String, Map<String, Plain>> found = new HashMap<>();
            try {
                if (physical == null) {
                    throw new SQLException("The session's connection is gone", "08003");
                }
                CatalogQuery.leavingTheTransaction(physical, p -> lookUp(p, List.of(name), List.of(schema), found));
            } catch (SQLException | RuntimeException e) {
                // forgotten: the name counts as not looked up, and the next statement asks again
                LOG.debug("Could not read a relation's definitions from the catalog ({}): it counts as not looked up",
                        e.getClass().getSimpleName());
                relations.remove(name);
                uncomparable = true;
                return null;
            }
            Map<String, Plain> again = found.get(name);
            relations.put(name, Map.copyOf(again));
            Plain read = again.get(schema);
            return read == null || !read.definitionsRead() ? null : read;
        }

        /**
         * The relations of the row's relation in columns {@code column} (schemas), {@code column + 1} (names) and
         * {@code column + 2} (deepest level), {@code null} when they reach deeper than is followed.
         */
        private static List<TableRef> relatives(ResultSet rs, int column) throws SQLException {
            List<TableRef> relatives = namesIn(rs, column);
            return !relatives.isEmpty() && rs.getInt(column + 2) >= MAXIMUM_ANCESTRY ? null : relatives;
        }

        /**
         * Each routine named in columns {@code column} (schemas) and {@code column + 1} (names), in their order, with the
         * events it runs for, from column {@code events}, aligned with them; overloads of one name merged.
         */
        private static Map<TableRef, Integer> eventsIn(ResultSet rs, int column, int events) throws SQLException {
            Array schemas = rs.getArray(column);
            Array bits = rs.getArray(events);
            if (schemas == null || bits == null) {
                return Map.of();
            }
            Array names = rs.getArray(column + 1);
            Object[] s = (Object[]) schemas.getArray();
            Object[] n = (Object[]) names.getArray();
            Object[] b = (Object[]) bits.getArray();
            schemas.free();
            names.free();
            bits.free();
            Map<TableRef, Integer> found = new java.util.LinkedHashMap<>();
            for (int i = 0; i < s.length; i++) {
                found.merge(new TableRef((String) s[i], (String) n[i]), ((Number) b[i]).intValue(), (x, y) -> x | y);
            }
            return java.util.Collections.unmodifiableMap(found);
        }

        /** The schema-qualified names in the arrays of columns {@code column} (schemas) and {@code column + 1}, each once. */
        private static List<TableRef> namesIn(ResultSet rs, int column) throws SQLException {
            Array schemas = rs.getArray(column);
            if (schemas == null) {
                return List.of();
            }
            Array names = rs.getArray(column + 1);
            Object[] s = (Object[]) schemas.getArray();
            Object[] n = (Object[]) names.getArray();
            schemas.free();
            names.free();
            Set<TableRef> found = new java.util.LinkedHashSet<>();
            for (int i = 0; i < s.length; i++) {
                found.add(new TableRef((String) s[i], (String) n[i]));
            }
            return List.copyOf(found);
        }

        @Override
        public String toString() {
            return names.toString();
        }
    }
}
