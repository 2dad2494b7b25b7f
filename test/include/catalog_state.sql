-- test/include/catalog_state.sql: the mixmodel extension's catalog as sorted text lines,
-- one fact per line, so two databases can be compared line by line (sql/upgrade.sql:
-- a fresh install against an upgraded one).  Covers the extension's members and, for
-- each, everything an upgrade script could leave different: function definitions (labels,
-- arguments, defaults, SET clauses, bodies), aggregate support, columns in order with
-- types, defaults and NOT NULL, constraints, indexes, triggers, view definitions and
-- options, row-level security and policies, sequences, types, grants (current and
-- initial), comments, the tables pg_dump dumps, and the rows the install script inserts.
-- Creates the temporary view catalog_state(line).
CREATE TEMP VIEW catalog_state AS
WITH ext AS (
    SELECT e.oid, e.extversion, e.extconfig, e.extcondition FROM pg_extension e WHERE e.extname = 'mixmodel'
), member AS (
    SELECT d.classid, d.objid FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rel AS (
    -- member relations, and the indexes and sequences that belong to member tables
    SELECT c.oid, c.relname FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
    UNION
    SELECT i.indexrelid, ic.relname FROM pg_index i
      JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = i.indrelid
      JOIN pg_class ic ON ic.oid = i.indexrelid
), fn AS (
    SELECT p.* FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
)
SELECT 'version ' || extversion AS line FROM ext
UNION ALL
SELECT 'member ' || pg_describe_object(m.classid, m.objid, 0) FROM member m
UNION ALL
SELECT 'dumped ' || c::regclass::text || coalesce(' where ' || nullif(ext.extcondition[i], ''), '')
  FROM ext, generate_subscripts(ext.extconfig, 1) i, LATERAL (SELECT ext.extconfig[i] AS c) x
UNION ALL
-- functions and procedures: the whole definition
SELECT 'function ' || p.oid::regprocedure::text || E':\n' || pg_get_functiondef(p.oid)
  FROM fn p WHERE p.prokind <> 'a'
UNION ALL
SELECT format('aggregate %s: kind %s direct %s trans %s state %s space %s init %s final %s extra %s modify %s combine %s serial %s deserial %s mtrans %s minv %s mstate %s minit %s mfinal %s sortop %s parallel %s',
              p.oid::regprocedure, a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure, a.aggtranstype::regtype,
              a.aggtransspace, a.agginitval, a.aggfinalfn::regprocedure, a.aggfinalextra, a.aggfinalmodify,
              a.aggcombinefn::regprocedure, a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure,
              a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure, a.aggmtranstype::regtype, a.aggminitval,
              a.aggmfinalfn::regprocedure, a.aggsortop::regoperator, p.proparallel)
  FROM fn p JOIN pg_aggregate a ON a.aggfnoid = p.oid
UNION ALL
SELECT format('function %s: acl %s', p.oid::regprocedure,
              (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(p.proacl) x))
  FROM fn p
UNION ALL
SELECT format('function %s: comment %s', p.oid::regprocedure, obj_description(p.oid, 'pg_proc'))
  FROM fn p
UNION ALL
-- relations: kind, options, row-level security, grants, comment
SELECT format('relation %s: kind %s persistence %s options %s rls %s force %s acl %s',
              r.relname, c.relkind, c.relpersistence, c.reloptions, c.relrowsecurity, c.relforcerowsecurity,
              (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(c.relacl) x))
  FROM rel r JOIN pg_class c ON c.oid = r.oid
UNION ALL
SELECT format('relation %s: comment %s', r.relname, obj_description(r.oid, 'pg_class'))
  FROM rel r
UNION ALL
-- columns in order (position among the live columns), with everything a column carries
SELECT format('column %s.%s: position %s type %s not null %s default %s identity %s generated %s collation %s acl %s comment %s',
              r.relname, a.attname, row_number() OVER (PARTITION BY r.relname ORDER BY a.attnum),
              format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
              a.attidentity, a.attgenerated, nullif(a.attcollation, 0)::regcollation,
              (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a.attacl) x),
              col_description(r.oid, a.attnum))
  FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
UNION ALL
SELECT format('constraint %s.%s: %s deferrable %s comment %s', r.relname, k.conname, pg_get_constraintdef(k.oid),
              k.condeferrable, obj_description(k.oid, 'pg_constraint'))
  FROM rel r JOIN pg_constraint k ON k.conrelid = r.oid
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM rel r JOIN pg_index i ON i.indrelid = r.oid
UNION ALL
SELECT format('trigger %s: %s', r.relname, pg_get_triggerdef(t.oid))
  FROM rel r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
UNION ALL
SELECT format('view %s: %s', r.relname, pg_get_viewdef(r.oid))
  FROM rel r JOIN pg_class c ON c.oid = r.oid AND c.relkind IN ('v', 'm')
UNION ALL
SELECT format('policy %s.%s: %s %s to %s using %s check %s comment %s', p.tablename, p.policyname, p.permissive,
              p.cmd, p.roles, p.qual, p.with_check,
              (SELECT obj_description(y.oid, 'pg_policy') FROM pg_policy y
                WHERE y.polrelid = format('%I.%I', p.schemaname, p.tablename)::regclass AND y.polname = p.policyname))
  FROM pg_policies p JOIN rel r ON r.oid = format('%I.%I', p.schemaname, p.tablename)::regclass
UNION ALL
SELECT format('sequence %s: type %s start %s increment %s min %s max %s cache %s cycle %s owned by %s',
              r.relname, s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
              (SELECT d.refobjid::regclass || '.' || a.attname FROM pg_depend d
                 JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.deptype IN ('a', 'i')
                  AND d.refclassid = 'pg_class'::regclass))
  FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
UNION ALL
SELECT format('type %s: %s %s comment %s', t.oid::regtype, t.typtype,
              CASE t.typtype WHEN 'e' THEN (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                              FROM pg_enum e WHERE e.enumtypid = t.oid)
                             WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
                             WHEN 'c' THEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                              FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
                             ELSE t.typinput::text || ' ' || t.typoutput::text END,
              obj_description(t.oid, 'pg_type'))
  FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
UNION ALL
-- privileges the extension scripts granted (pg_dump leaves these out of a dump)
SELECT format('initial privileges %s: %s %s', pg_describe_object(i.classoid, i.objoid, i.objsubid), i.privtype,
              (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(i.initprivs) x))
  FROM pg_init_privs i
 WHERE (i.classoid, i.objoid) IN (SELECT m.classid, m.objid FROM member m)
    OR (i.classoid = 'pg_namespace'::regclass AND i.objoid = 'mixmodel'::regnamespace)
UNION ALL
SELECT format('schema mixmodel: owner is the extension''s owner %s acl %s comment %s',
              n.nspowner = (SELECT e.extowner FROM pg_extension e WHERE e.extname = 'mixmodel'),
              (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(n.nspacl) x),
              obj_description(n.oid, 'pg_namespace'))
  FROM pg_namespace n WHERE n.nspname = 'mixmodel'
UNION ALL
-- the rows the install script itself inserts
SELECT format('row fields: %s %s %s %s %s %s %s', f.name, f.display_name, f.category, f.data_type, f.formula,
              f.owner, f.mappable)
  FROM mixmodel.fields f WHERE f.owner = 'global'
UNION ALL
SELECT 'row merge_preferences: ' || (to_jsonb(p) - 'id' - 'updated_at')::text FROM mixmodel.merge_preferences p;
