-- catalog: every function of the extension with its labels, and every relation
-- and type, one line each, so that a relabel or a changed signature is a
-- visible diff.  Adding or changing an object means reviewing the new lines and
-- updating expected/catalog.out.
\pset format unaligned
\pset tuples_only on
SELECT format('%s %s(%s) RETURNS %s %s%s PARALLEL %s%s',
              CASE p.prokind WHEN 'f' THEN 'FUNCTION' WHEN 'a' THEN 'AGGREGATE'
                             WHEN 'w' THEN 'WINDOW' WHEN 'p' THEN 'PROCEDURE' END,
              p.oid::regproc, pg_get_function_arguments(p.oid),
              coalesce(pg_get_function_result(p.oid), 'void'),
              CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
              CASE WHEN p.proisstrict THEN ' STRICT' ELSE '' END,
              CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END,
              CASE WHEN p.proretset THEN ' ROWS ' || p.prorows ELSE '' END) AS function
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
 ORDER BY p.oid::regprocedure::text COLLATE "C";

SELECT format('%s %s%s',
              CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                             WHEN 'S' THEN 'SEQUENCE' WHEN 'i' THEN 'INDEX' WHEN 'p' THEN 'PARTITIONED TABLE'
                             ELSE c.relkind::text END,
              c.oid::regclass,
              (SELECT ' (' || string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                                        || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY a.attnum) || ')'
                 FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND c.relkind IN ('r', 'v', 'm', 'p'))) AS relation
  FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
 ORDER BY c.oid::regclass::text COLLATE "C";

SELECT format('TYPE %s %s', t.oid::regtype,
              CASE t.typtype WHEN 'b' THEN 'BASE' WHEN 'c' THEN 'COMPOSITE' WHEN 'd' THEN 'DOMAIN'
                             WHEN 'e' THEN 'ENUM' WHEN 'r' THEN 'RANGE' ELSE t.typtype::text END) AS type
  FROM pg_type t
  JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
 ORDER BY t.oid::regtype::text COLLATE "C";
