-- Catalog promises that hold for every object of the extension, present and future.
BEGIN;
SELECT plan(4);

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

SELECT * FROM finish();
ROLLBACK;
