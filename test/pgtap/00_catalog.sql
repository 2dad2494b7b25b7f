-- Catalog promises that hold for every object of the extension, present and future.
BEGIN;
SELECT plan(9);

SELECT has_schema('mixmodel');

SELECT is_empty($$
    SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
      FROM pg_depend d
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
     WHERE d.deptype = 'e'
       AND d.classid IN ('pg_proc'::regclass, 'pg_class'::regclass, 'pg_type'::regclass)
       AND NOT EXISTS (SELECT 1 FROM pg_description c
                        WHERE c.classoid = d.classid AND c.objoid = d.objid AND c.objsubid = 0)
       AND NOT (d.classid = 'pg_type'::regclass
                AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = d.objid
                             AND (t.typrelid <> 0 OR t.typelem <> 0 AND t.typname LIKE '\_%')))
$$, 'every function, table, view and type of the extension has a COMMENT');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
     WHERE p.pronamespace = 'mixmodel'::regnamespace
       AND p.provolatile = 'i' AND p.proparallel <> 's'
$$, 'every IMMUTABLE function is PARALLEL SAFE');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
     WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.prokind = 'a'
       AND (SELECT a.aggcombinefn FROM pg_aggregate a WHERE a.aggfnoid = p.oid) = 0
$$, 'every aggregate has a combine function');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
     WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.prokind = 'a'
       AND p.proparallel <> 's'
$$, 'every aggregate is PARALLEL SAFE (the planner reads only the aggregate''s label)');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
      JOIN pg_aggregate a ON a.aggfnoid = p.oid
     WHERE p.pronamespace = 'mixmodel'::regnamespace
       AND (a.aggtranstype = 'internal'::regtype OR a.aggfinalfn <> 0 AND a.aggfinalmodify <> 'r')
$$, 'every aggregate has a non-internal state and a read-only final function');

-- A STRICT function never runs when an argument is NULL, so a DEFAULT NULL
-- (NULL meaning "not given") would make the short call return NULL.
SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
     WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.proisstrict
       AND p.pronargdefaults > 0
       AND EXISTS (SELECT 1 FROM generate_series(1, coalesce(cardinality(p.proallargtypes), p.pronargs)) i
                    WHERE pg_get_function_arg_default(p.oid, i) ~* '^NULL(::.*)?$')
$$, 'no STRICT function has a DEFAULT NULL argument');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
     WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.proretset AND p.prorows = 1000
$$, 'every set-returning function sets ROWS');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
     WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.prosecdef
       AND (p.oid NOT IN ('mixmodel._sync_columns()'::regprocedure, 'mixmodel._event_scores_partition(text, text)'::regprocedure)
            OR pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
            OR pg_catalog.has_function_privilege('mixmodel_reader', p.oid, 'EXECUTE')
            OR NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false))
$$, 'no function is SECURITY DEFINER but _sync_columns and _event_scores_partition, which pin search_path and which neither PUBLIC nor a reader may run (doc/access.md)');

SELECT * FROM finish();
ROLLBACK;
