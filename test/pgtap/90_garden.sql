-- Garden test: call every function, aggregate and window function of the
-- extension with hostile arguments and check that each call either succeeds or
-- fails with a proper SQLSTATE.  Functions are read from the catalog (extension
-- members in pg_depend), so functions added later are covered automatically.
--
-- For each function: one call with "normal" arguments, one with every argument
-- NULL, then each argument position in turn takes each hostile value of its type
-- while the others stay normal.  Aggregates run over a three-row VALUES list
-- (normal, hostile, normal), over no rows and over many rows, and also as moving
-- window aggregates; window functions run OVER (ORDER BY ...).  Each call is its
-- own top-level statement (psql \gexec) so that statement_timeout applies to it,
-- and runs in a subtransaction that records its SQLSTATE.
--
-- Flagged outcomes (the test fails and lists the calls):
--   XX***   internal error: an elog(ERROR) or an unmapped library status
--   58***   system error
--   53***   out of memory or disk: a missing size check
--   57014   statement timeout (5 s): a missing size limit or CHECK_FOR_INTERRUPTS
--   P0001 / P0004  a PL/pgSQL RAISE without a SQLSTATE, a failed ASSERT
-- A backend crash ends the psql session, so the file stops short of its plan.
-- Normal calls of PARALLEL SAFE functions are repeated in a parallel worker
-- (force_parallel_mode); a different outcome there means a wrong label.
--
-- To exercise a new argument type, add its values to garden_value; to give an
-- argument a better normal value than its type's, add it to garden_normal.
-- Functions that must not be called go in garden_exclude with the reason; they
-- are printed on every run.  Everything runs inside this file's transaction,
-- which is rolled back, so functions that write or drop are called too.
BEGIN;
SELECT plan(7);

SET LOCAL client_min_messages = warning;

-- A table for regclass arguments: the usual shape of marketing data.
CREATE TEMP TABLE garden_src (week date, geo text, channel text, spend float8,
                              impressions float8, revenue float8, orders int4);
INSERT INTO garden_src
SELECT DATE '2024-01-01' + 7 * w, 'g' || g, c, 100 + w + g, 1000 * w, 500 + 3 * w, w
  FROM generate_series(0, 51) w, generate_series(1, 2) g, unnest(ARRAY['tv', 'search']) c;
CREATE TEMP TABLE garden_nocols ();
CREATE TEMP TABLE "garden ""weird"" name" ("we""ek" text, "spend" text, "select" int, "x'); DROP TABLE garden_src; --" float8);
INSERT INTO "garden ""weird"" name" VALUES ('not a date', 'NaN', NULL, 'Infinity');
CREATE TEMP VIEW garden_view AS SELECT * FROM garden_src;
CREATE TEMP TABLE garden_dropped (x int);
SELECT 'garden_dropped'::regclass::oid AS garden_dropped_oid \gset
DROP TABLE garden_dropped;

-- Values per argument type: the one labelled 'normal', and hostile ones.
-- guc: mixmodel.max_array_length for the call (to test the limit at small cost).
CREATE TEMP TABLE garden_value (typ regtype, label text, expr text, guc text,
                                normal bool GENERATED ALWAYS AS (label = 'normal') STORED);
INSERT INTO garden_value (typ, label, expr) VALUES
  ('float8', 'normal', '0.5'), ('float8', '0', '0'), ('float8', '-1', '-1'),
  ('float8', '1', '1'), ('float8', 'NaN', '''NaN'''), ('float8', 'Infinity', '''Infinity'''),
  ('float8', '-Infinity', '''-Infinity'''), ('float8', '1e308', '1e308'),
  ('float8', '-1e308', '-1e308'), ('float8', 'denormal', '5e-324'), ('float8', '1e6', '1e6'),
  ('float4', 'normal', '0.5'), ('float4', '0', '0'), ('float4', '-1', '-1'),
  ('float4', 'NaN', '''NaN'''), ('float4', 'Infinity', '''Infinity'''),
  ('float4', '-Infinity', '''-Infinity'''), ('float4', '3e38', '3e38'),
  ('numeric', 'normal', '0.5'), ('numeric', '0', '0'), ('numeric', '-1', '-1'),
  ('numeric', 'NaN', '''NaN'''), ('numeric', 'Infinity', '''Infinity'''),
  ('numeric', '-Infinity', '''-Infinity'''), ('numeric', '1e1000', '1e1000'),
  ('numeric', '1e-1000', '1e-1000'),
  ('int2', 'normal', '3'), ('int2', '0', '0'), ('int2', '-1', '-1'),
  ('int2', 'max', '32767'), ('int2', 'min', '-32768'),
  ('int4', 'normal', '3'), ('int4', '0', '0'), ('int4', '-1', '-1'),
  ('int4', '1000000', '1000000'), ('int4', 'max', '2147483647'), ('int4', 'min', '-2147483648'),
  ('int8', 'normal', '3'), ('int8', '0', '0'), ('int8', '-1', '-1'),
  ('int8', 'max', '9223372036854775807'), ('int8', 'min', '-9223372036854775808'),
  ('bool', 'normal', 'true'), ('bool', 'false', 'false'),
  ('text', 'normal', '''tv'''), ('text', 'empty', ''''''),
  ('text', 'injection', $q$'x''); DROP TABLE garden_src; --'$q$),
  ('text', 'unknown name', '''no_such_name'''), ('text', 'quoted', '''"TV" ''''x'''''''),
  ('text', 'unicode', $q$U&'\00e9\+01F600'$q$), ('text', 'long', 'repeat(''x'', 100000)'),
  ('text', 'number', '''1e308'''),
  ('varchar', 'normal', '''tv'''), ('varchar', 'empty', ''''''),
  ('varchar', 'unknown name', '''no_such_name'''),
  ('name', 'normal', '''tv'''), ('name', 'empty', ''''''),
  ('name', 'unknown name', '''no_such_name'''),
  ('date', 'normal', '''2024-01-01'''), ('date', 'infinity', '''infinity'''),
  ('date', '-infinity', '''-infinity'''), ('date', 'far past', '''4713-01-01 BC'''),
  ('date', 'far future', '''5874897-12-31'''),
  ('timestamp', 'normal', '''2024-01-01 00:00'''), ('timestamp', 'infinity', '''infinity'''),
  ('timestamp', '-infinity', '''-infinity'''), ('timestamp', 'far past', '''4713-01-01 00:00 BC'''),
  ('timestamp', 'far future', '''294276-12-31 23:59:59'''),
  ('timestamptz', 'normal', '''2024-01-01 00:00+00'''), ('timestamptz', 'infinity', '''infinity'''),
  ('timestamptz', '-infinity', '''-infinity'''), ('timestamptz', 'far past', '''4713-01-01 00:00+00 BC'''),
  ('timestamptz', 'far future', '''294276-12-30 23:59:59+00'''),
  ('interval', 'normal', '''7 days'''), ('interval', '0', '''0'''),
  ('interval', 'negative', '''-7 days'''), ('interval', 'huge', '''178000000 years'''),
  ('regclass', 'normal', '''garden_src'''), ('regclass', 'catalog', '''pg_catalog.pg_class'''),
  ('regclass', 'statistic', '''pg_catalog.pg_statistic'''), ('regclass', 'no columns', '''garden_nocols'''),
  ('regclass', 'weird columns', $q$'"garden ""weird"" name"'$q$), ('regclass', 'view', '''garden_view'''),
  ('regclass', 'oid 0', '0::oid'), ('regclass', 'dropped', :'garden_dropped_oid' || '::oid'),
  ('regrole', 'normal', 'CAST(CURRENT_USER::text AS regrole)'), ('regrole', 'oid 0', '0::oid'),
  ('regrole', 'a group role', '''mixmodel_reader'''), ('regrole', 'no such role', '424242::oid'),
  ('jsonb', 'normal', '''{}'''), ('jsonb', 'null', '''null'''), ('jsonb', 'array', '''[]'''),
  ('jsonb', 'string', '''"x"'''), ('jsonb', 'unknown key', '''{"no_such_key": 1}'''),
  ('jsonb', 'bad types', '''{"form": 1, "adstock": [], "saturation": {}, "seed": "x", "budget": -1}'''),
  ('jsonb', 'huge number', '''{"budget": 1e400, "seed": -1e400}'''),
  ('jsonb', 'deep', 'repeat(''['', 5000) || repeat('']'', 5000)'),
  ('json', 'normal', '''{}'''), ('json', 'null', '''null'''), ('json', 'unknown key', '''{"no_such_key": 1}'''),
  ('bytea', 'normal', '''\x00'''), ('bytea', 'empty', '''\x'''),
  ('float8[]', 'normal', '''{100, 0, 0, 50, 20}'''), ('float8[]', 'empty', '''{}'''),
  ('float8[]', '{NULL}', '''{NULL}'''), ('float8[]', 'NULL element', '''{1, NULL, 3}'''),
  ('float8[]', 'NaN element', '''{1, NaN, 3}'''), ('float8[]', 'infinite elements', '''{Infinity, -Infinity}'''),
  ('float8[]', 'negative element', '''{1, -2, 3}'''), ('float8[]', 'zeros', '''{0, 0, 0}'''),
  ('float8[]', 'one element', '''{7}'''), ('float8[]', 'huge elements', '''{1e308, 1e308, 1e308}'''),
  ('float8[]', 'two-dimensional', '''{{1, 2}, {3, 4}}'''), ('float8[]', 'lower bound 0', '''[0:2]={1, 2, 3}'''),
  ('float8[]', '1e6 elements', 'array_fill(1.5::float8, ARRAY[1000000])'),
  ('int4[]', 'normal', '''{1, 2, 3}'''), ('int4[]', 'empty', '''{}'''),
  ('int4[]', 'NULL element', '''{1, NULL}'''), ('int4[]', 'negative', '''{-1, -2147483648}'''),
  ('int4[]', '1e6 elements', 'array_fill(1, ARRAY[1000000])'),
  ('int8[]', 'normal', '''{1, 2, 3}'''), ('int8[]', 'empty', '''{}'''),
  ('int8[]', 'NULL element', '''{1, NULL}'''),
  ('text[]', 'normal', '''{tv, search}'''), ('text[]', 'empty', '''{}'''),
  ('text[]', '{NULL}', '''{NULL}'''), ('text[]', 'empty element', '''{""}'''),
  ('text[]', 'duplicates', '''{tv, tv}'''), ('text[]', 'unknown names', '''{no_such_name, "x''); DROP TABLE garden_src; --"}'''),
  ('text[]', 'two-dimensional', '''{{a, b}, {c, d}}'''),
  ('text[]', '1e6 elements', 'array_fill(''tv''::text, ARRAY[1000000])'),
  ('bool[]', 'normal', '''{true, false}'''), ('bool[]', 'empty', '''{}'''),
  ('bool[]', 'NULL element', '''{true, NULL}'''), ('bool[]', 'two-dimensional', '''{{true}, {false}}'''),
  ('numeric[]', 'normal', '''{1.5, 2.5}'''), ('numeric[]', 'empty', '''{}'''),
  ('numeric[]', 'NULL element', '''{1, NULL}'''), ('numeric[]', 'NaN and infinities', '''{NaN, Infinity, -Infinity}'''),
  ('float4[]', 'normal', '''{1.5, 2.5}'''), ('float4[]', 'empty', '''{}'''),
  ('float4[]', 'NULL element', '''{1, NULL}'''), ('float4[]', 'NaN element', '''{NaN}'''),
  ('date[]', 'normal', '''{2024-01-01, 2024-01-08}'''), ('date[]', 'empty', '''{}'''),
  ('date[]', 'NULL element', '''{2024-01-01, NULL}'''), ('date[]', 'infinite', '''{-infinity, infinity}''');
-- Arrays just above the limit, with the limit lowered for that call.
INSERT INTO garden_value (typ, label, expr, guc) VALUES
  ('float8[]', 'above max_array_length', 'array_fill(1.5::float8, ARRAY[1001])', '1000'),
  ('int4[]', 'above max_array_length', 'array_fill(1, ARRAY[1001])', '1000'),
  ('text[]', 'above max_array_length', 'array_fill(''tv''::text, ARRAY[1001])', '1000');
-- Every type gets a NULL too.
INSERT INTO garden_value (typ, label, expr)
SELECT DISTINCT typ, 'NULL', 'NULL' FROM garden_value;

-- Normal values by argument name, where the argument's DEFAULT or its type's
-- normal value would be rejected before the other arguments are looked at.
-- Order: a row for this function, a DEFAULT other than NULL, a row for every
-- function, a DEFAULT NULL, the type's normal value.
CREATE TEMP TABLE garden_normal (argname text, typ regtype, expr text, fname text);
INSERT INTO garden_normal (argname, typ, expr) VALUES
  ('granularity', 'text', '''week'''), ('week_start', 'text', '''monday'''), ('rule', 'text', '''channel = tv'''),
  ('variant', 'text', '''cdf'''), ('kind', 'text', '''geometric_windowed'''), ('form', 'text', '''additive'''),
  ('goal', 'text', '''budget'''), ('category', 'text', '''metric'''),
  ('theta', 'float8', '0.5'), ('shape', 'float8', '2'), ('k', 'float8', '2'), ('vmax', 'float8', '10'),
  ('max_lag', 'int4', '4'), ('peak', 'int4', '1'), ('peak', 'float8', '1');
-- The same for one function only.
INSERT INTO garden_normal (fname, argname, typ, expr) VALUES
  ('adstock_weights', 'shape', 'float8', 'NULL'), ('adstock_weights', 'peak', 'float8', 'NULL'),
  ('saturation', 'kind', 'text', '''hill'''), ('saturation_deriv', 'kind', 'text', '''hill'''),
  ('saturation_inverse', 'kind', 'text', '''hill'''),
  ('optimize_budget', 'alpha', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_budget', 'k', 'float8[]', '''{10, 10, 10, 10, 10}'''),
  ('optimize_budget', 'theta', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_budget', 'lower', 'float8[]', 'NULL'), ('optimize_budget', 'upper', 'float8[]', 'NULL'),
  ('optimize_budget', 'spend_pattern', 'text', '''flat'''),
  ('optimize_target', 'metric', 'text', '''volume'''),
  ('optimize_target', 'alpha', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_target', 'k', 'float8[]', '''{10, 10, 10, 10, 10}'''),
  ('optimize_target', 'theta', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_target', 'lower', 'float8[]', 'NULL'), ('optimize_target', 'upper', 'float8[]', 'NULL'),
  ('optimize_target', 'spend_pattern', 'text', '''flat''');

-- State the calls can find: objects named 'tv' (the normal text), made through
-- the extension's own API.  A statement that fails is printed, not fatal.
CREATE TEMP TABLE garden_setup (id serial, sql text, sqlstate text, message text);
INSERT INTO garden_setup (sql) VALUES
  ($$SELECT mixmodel.add_field('tv', category => 'metric', data_type => 'number')$$),
  ($$SELECT mixmodel.add_dataset_rule('tv', 'garden_src', granularity => 'week', date_column => 'week',
        mappings => '{"dimensions": {"channel": "channel", "geo": "geo"},
                      "metrics": {"spend": {"op": "sum", "column": "spend"}, "tv": {"op": "sum", "column": "impressions"},
                                  "revenue": {"op": "sum", "column": "revenue"}, "orders": {"op": "sum", "column": "orders"}}}')$$),
  ($$SELECT * FROM mixmodel.sync()$$),
  ($$SELECT mixmodel.add_touchpoint('tv', rule => 'channel = tv', volume_metric => 'tv', spend_metric => 'spend')$$),
  ($$SELECT mixmodel.add_conversion('tv', rule => 'channel = tv', metric => 'orders', revenue_metric => 'revenue')$$);
DO $$
DECLARE
    st record;
    code text;
    msg text;
BEGIN
    FOR st IN SELECT * FROM pg_temp.garden_setup ORDER BY id LOOP
        BEGIN
            EXECUTE st.sql;
            code := '00000';
            msg := NULL;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        END;
        UPDATE pg_temp.garden_setup SET sqlstate = code, message = msg WHERE id = st.id;
    END LOOP;
END
$$;

-- Functions the test must not call, with the reason (printed on every run).
CREATE TEMP TABLE garden_exclude (fn regprocedure PRIMARY KEY, reason text NOT NULL);

CREATE TEMP TABLE garden_call (id serial PRIMARY KEY, fn regprocedure, how text, label text,
                               sql text, guc text, parallel bool DEFAULT false, after int,
                               sqlstate text, message text, ms float8);

-- Polymorphic arguments take float8 values; domains those of their base type.
CREATE FUNCTION pg_temp.garden_type(t regtype) RETURNS regtype LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN t IN ('anyelement', 'anycompatible', 'anynonarray', 'anycompatiblenonarray', '"any"')
            THEN 'float8'::regtype
        WHEN t IN ('anyarray', 'anycompatiblearray') THEN 'float8[]'::regtype
        WHEN (SELECT typtype FROM pg_type WHERE oid = t) = 'd'
            THEN (SELECT typbasetype FROM pg_type WHERE oid = t)::regtype
        ELSE t END
$$;

-- Types of the extension itself (enums, composite or base types) get their
-- labels or garbage text for their input function.
INSERT INTO garden_value (typ, label, expr)
SELECT t.oid, v.label, v.expr
  FROM pg_type t
  JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
  CROSS JOIN LATERAL (
      SELECT 'normal', quote_literal(min(enumlabel)), true FROM pg_enum
       WHERE enumtypid = t.oid HAVING count(*) > 0
      UNION ALL SELECT 'NULL', 'NULL', false
      UNION ALL SELECT 'empty text', '''''', false
      UNION ALL SELECT 'garbage text', '''(x''''), NaN, {}, [''', false
      UNION ALL SELECT 'long text', 'repeat(''9'', 100000)', false) v(label, expr, normal)
 WHERE t.typtype IN ('b', 'c', 'e') AND NOT t.typname LIKE '\_%';

-- Build the list of calls.
CREATE FUNCTION pg_temp.garden_plan() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f record;
    v record;
    types regtype[];
    names text[];
    normals text[];
    args text[];
    pos int[];
    n int;
    variadic_array bool;
    callee text;
    variants text[];     -- label, then the argument list, for each variant
    guc text[];
    rows text;
    cols text;
    lst text;
    ndirect int;
BEGIN
    FOR f IN
        SELECT p.oid, p.oid::regprocedure AS sig, p.proname::text, p.prokind, p.pronargs, p.proargtypes,
               p.proargnames, p.proargmodes, p.provariadic, p.proretset,
               a.aggkind, a.aggnumdirectargs,
               quote_ident(ns.nspname) || '.' || quote_ident(p.proname) AS qname
          FROM pg_proc p
          JOIN pg_namespace ns ON ns.oid = p.pronamespace
          JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
          JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
          LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
         WHERE NOT EXISTS (SELECT 1 FROM pg_temp.garden_exclude x WHERE x.fn = p.oid)
         ORDER BY p.oid::regprocedure::text
    LOOP
        n := f.pronargs;
        types := ARRAY(SELECT pg_temp.garden_type(t) FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY i);
        -- positions of the input arguments among all arguments (names, defaults)
        IF f.proargmodes IS NULL THEN
            pos := ARRAY(SELECT generate_series(1, n));
        ELSE
            pos := ARRAY(SELECT i FROM unnest(f.proargmodes) WITH ORDINALITY u(m, i)
                          WHERE m IN ('i', 'b', 'v') ORDER BY i);
        END IF;
        names := ARRAY(SELECT coalesce(f.proargnames[pos[i]], '') FROM generate_series(1, n) i);
        normals := ARRAY(
            SELECT coalesce(
                       (SELECT g.expr FROM pg_temp.garden_normal g
                         WHERE g.argname = names[i] AND g.typ = types[i] AND g.fname = f.proname),
                       CASE WHEN pg_get_function_arg_default(f.oid, pos[i]) !~* '^NULL(::.*)?$'
                            THEN pg_get_function_arg_default(f.oid, pos[i]) END,
                       (SELECT g.expr FROM pg_temp.garden_normal g
                         WHERE g.argname = names[i] AND g.typ = types[i] AND g.fname IS NULL),
                       pg_get_function_arg_default(f.oid, pos[i]),
                       (SELECT gv.expr FROM pg_temp.garden_value gv
                         WHERE gv.typ = types[i] AND gv.normal),
                       'NULL')
              FROM generate_series(1, n) i);
        variadic_array := f.provariadic <> 0 AND n > 0
            AND (SELECT typelem <> 0 FROM pg_type WHERE oid = types[n]);

        -- variants: normal, all NULL, then each position through its hostile values
        variants := ARRAY['normal', NULL, 'all NULL', NULL];
        guc := ARRAY[NULL, NULL]::text[];
        variants[2] := pg_temp.garden_args(types, normals, variadic_array);
        variants[4] := pg_temp.garden_args(types, array_fill('NULL'::text, ARRAY[n]), variadic_array);
        FOR i IN 1 .. n LOOP
            FOR v IN SELECT * FROM pg_temp.garden_value gv
                      WHERE gv.typ = types[i] AND NOT gv.normal ORDER BY gv.label LOOP
                args := normals;
                args[i] := v.expr;
                variants := variants || format('arg %s %s = %s', i, names[i], v.label)
                                     || pg_temp.garden_args(types, args, variadic_array);
                guc := guc || v.guc;
            END LOOP;
        END LOOP;

        FOR j IN 1 .. array_length(variants, 1) / 2 LOOP
            lst := variants[2 * j];
            IF f.prokind = 'p' THEN
                INSERT INTO pg_temp.garden_call (fn, how, label, sql, guc)
                VALUES (f.sig, 'call', variants[2 * j - 1], format('CALL %s(%s)', f.qname, lst), guc[j]);
            ELSIF f.prokind = 'f' THEN
                INSERT INTO pg_temp.garden_call (fn, how, label, sql, guc)
                VALUES (f.sig, 'select', variants[2 * j - 1],
                        format('SELECT (%s(%s))::text', f.qname, lst), guc[j]);
            ELSIF n = 0 THEN
                -- aggregate or window function of no argument: over a few rows
                INSERT INTO pg_temp.garden_call (fn, how, label, sql, guc)
                VALUES (f.sig, 'rows', variants[2 * j - 1],
                        format('SELECT (%s() %s)::text FROM generate_series(1, 3) o',
                               f.qname, CASE WHEN f.prokind = 'w' THEN 'OVER (ORDER BY o)' ELSE '' END),
                        guc[j]);
            ELSE
                -- rows (o, c1..cn): normal, this variant, normal
                cols := (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(1, n) i);
                rows := format('(VALUES (1, %s), (2, %s), (3, %s)) v(o, %s)',
                               variants[2], lst, variants[2], cols);
                IF f.prokind = 'w' THEN
                    INSERT INTO pg_temp.garden_call (fn, how, label, sql, guc) VALUES
                      (f.sig, 'window', variants[2 * j - 1],
                       format('SELECT (%s(%s) OVER (ORDER BY o))::text FROM %s', f.qname, cols, rows), guc[j]),
                      (f.sig, 'window partitioned', variants[2 * j - 1],
                       format('SELECT (%s(%s) OVER (PARTITION BY o %% 2 ORDER BY o DESC))::text FROM %s',
                              f.qname, cols, rows), guc[j]);
                ELSIF f.aggkind = 'n' THEN
                    INSERT INTO pg_temp.garden_call (fn, how, label, sql, guc) VALUES
                      (f.sig, 'aggregate', variants[2 * j - 1],
                       format('SELECT (%s(%s))::text FROM %s', f.qname, cols, rows), guc[j]),
                      (f.sig, 'moving aggregate', variants[2 * j - 1],
                       format('SELECT (%s(%s) OVER (ORDER BY o ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))::text FROM %s',
                              f.qname, cols, rows), guc[j]);
                ELSE
                    -- ordered-set or hypothetical-set aggregate
                    ndirect := f.aggnumdirectargs;
                    INSERT INTO pg_temp.garden_call (fn, how, label, sql, guc) VALUES
                      (f.sig, 'ordered-set aggregate', variants[2 * j - 1],
                       format('SELECT (%s(%s) WITHIN GROUP (ORDER BY %s))::text FROM %s', f.qname,
                              (SELECT string_agg('(' || normals[i] || ')::' || format_type(types[i], NULL), ', ' ORDER BY i)
                                 FROM generate_series(1, ndirect) i),
                              (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(ndirect + 1, n) i),
                              rows), guc[j]);
                END IF;
            END IF;
        END LOOP;

        -- aggregates and window functions: also no rows and many rows
        IF f.prokind IN ('a', 'w') AND n > 0 AND coalesce(f.aggkind, 'n') = 'n' THEN
            cols := (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(1, n) i);
            INSERT INTO pg_temp.garden_call (fn, how, label, sql) VALUES
              (f.sig, 'no rows', 'normal',
               format('SELECT (%s(%s) %s)::text FROM (VALUES (1, %s)) v(o, %s) WHERE false', f.qname, cols,
                      CASE WHEN f.prokind = 'w' THEN 'OVER (ORDER BY o)' ELSE '' END, variants[2], cols)),
              (f.sig, '200000 rows', 'normal',
               format('SELECT count(x) FROM (SELECT %s(%s) %s AS x FROM generate_series(1, 200000) o, (VALUES (%s)) v(%s)) s',
                      f.qname, cols, CASE WHEN f.prokind = 'w' THEN 'OVER (PARTITION BY o % 4 ORDER BY o)' ELSE '' END,
                      variants[2], cols));
        END IF;
    END LOOP;
END
$$;

-- The argument list: each value cast to its argument's type.
CREATE FUNCTION pg_temp.garden_args(types regtype[], vals text[], variadic_array bool)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(string_agg(
               CASE WHEN variadic_array AND i = cardinality(types) THEN 'VARIADIC ' ELSE '' END
               || '(' || vals[i] || ')::' || format_type(types[i], NULL), ', ' ORDER BY i), '')
      FROM generate_series(1, cardinality(types)) i
$$;

-- Run one call in a subtransaction and record how it ended.
CREATE FUNCTION pg_temp.garden_try(call_id int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c record;
    t0 timestamptz := clock_timestamp();
    st text := '00000';
    msg text;
    saved text := current_setting('mixmodel.max_array_length', true);
BEGIN
    SELECT * INTO c FROM pg_temp.garden_call WHERE id = call_id;
    BEGIN
        IF c.guc IS NOT NULL THEN
            PERFORM set_config('mixmodel.max_array_length', c.guc, true);
        END IF;
        IF c.parallel THEN
            PERFORM set_config('force_parallel_mode', 'regress', true);
        END IF;
        EXECUTE c.sql;
        IF c.guc IS NOT NULL THEN
            PERFORM set_config('mixmodel.max_array_length', saved, true);
        END IF;
        IF c.parallel THEN
            PERFORM set_config('force_parallel_mode', 'off', true);
        END IF;
    EXCEPTION
        WHEN query_canceled OR assert_failure THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    END;
    UPDATE pg_temp.garden_call
       SET sqlstate = st, message = msg,
           ms = 1000 * extract(epoch FROM clock_timestamp() - t0)
     WHERE id = call_id;
END
$$;

SELECT pg_temp.garden_plan();

-- Normal calls of functions labelled PARALLEL SAFE run again under
-- force_parallel_mode, which runs the query in a parallel worker where it can
-- (calls the planner folds to a constant, IMMUTABLE ones, stay in the leader).
-- An outcome that differs from the leader's is a wrong label.  Each runs right
-- after its leader call, so that other calls cannot change what it finds.
INSERT INTO garden_call (fn, how, label, sql, parallel, after)
SELECT c.fn, c.how || ' in a parallel worker', c.label, c.sql, true, c.id
  FROM garden_call c JOIN pg_proc p ON p.oid = c.fn
 WHERE p.proparallel = 's' AND c.label = 'normal' AND c.how IN ('select', 'aggregate', 'window')
 ORDER BY c.id;
SELECT pg_backend_pid() AS garden_pid \gset

-- One top-level statement per call, so that statement_timeout applies to each.
SET LOCAL statement_timeout = '5s';
\o /dev/null
-- The comment names the call in the server log if the backend crashes.
SELECT format('SELECT pg_temp.garden_try(%s) -- %s [%s; %s]', id, fn, how, label)
  FROM pg_temp.garden_call ORDER BY coalesce(after, id), id \gexec
\o
RESET statement_timeout;

SELECT is(pg_backend_pid(), :garden_pid, 'the session survived every call');

SELECT ok(to_regclass('pg_temp.garden_src') IS NOT NULL
          AND (SELECT count(*) FROM garden_src) = 208,
          'the SQL-injection strings dropped and changed nothing');

SELECT is_empty($$
    SELECT fn::text || ' [' || how || '; ' || label || ']: ' || sqlstate || ' ' || coalesce(message, '')
      FROM pg_temp.garden_call
     WHERE sqlstate IS NULL
        OR left(sqlstate, 2) IN ('XX', '58', '53')
        OR sqlstate IN ('57014', 'P0001', 'P0004')
     ORDER BY id
$$, 'no call raised an internal error, ran out of memory, timed out or lacked a SQLSTATE');

SELECT is_empty($$
    SELECT w.fn::text || ' [' || w.how || ']: ' || w.sqlstate || ' ' || coalesce(w.message, '')
           || ' (in the leader: ' || l.sqlstate || ')'
      FROM pg_temp.garden_call w
      JOIN pg_temp.garden_call l ON l.id = w.after
     WHERE w.parallel AND w.sqlstate IS DISTINCT FROM l.sqlstate
     ORDER BY w.id
$$, 'every function labelled PARALLEL SAFE behaves the same in a parallel worker');

SELECT is_empty($$
    SELECT DISTINCT p.oid::regprocedure::text || ': no garden values for type ' || format_type(t, NULL)
      FROM pg_proc p
      JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
      CROSS JOIN LATERAL unnest(p.proargtypes::oid[]) t
     WHERE NOT EXISTS (SELECT 1 FROM pg_temp.garden_value v WHERE v.typ = pg_temp.garden_type(t) AND v.label <> 'NULL')
       AND NOT EXISTS (SELECT 1 FROM pg_temp.garden_exclude x WHERE x.fn = p.oid)
$$, 'every argument type of every function has hostile values');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
      JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
     WHERE NOT EXISTS (SELECT 1 FROM pg_temp.garden_call c WHERE c.fn = p.oid)
       AND NOT EXISTS (SELECT 1 FROM pg_temp.garden_exclude x WHERE x.fn = p.oid)
$$, 'every function of the extension was called (or is excluded with a reason)');

SELECT cmp_ok((SELECT count(DISTINCT fn)::int FROM pg_temp.garden_call), '>=', 1,
              'at least one function was exercised');

-- Summary.
SELECT diag(format('garden: %s calls of %s functions in %s s',
                   count(*), count(DISTINCT fn), round(sum(ms)::numeric / 1000, 1)))
  FROM pg_temp.garden_call;
SELECT diag(format('garden: %s %s', sqlstate, count(*)))
  FROM pg_temp.garden_call GROUP BY sqlstate ORDER BY sqlstate;
SELECT diag('garden: excluded ' || fn::text || ': ' || reason) FROM pg_temp.garden_exclude;
SELECT diag(format('garden: set-up statement %s fails with %s %s', id, sqlstate, message))
  FROM pg_temp.garden_setup WHERE sqlstate <> '00000' ORDER BY id;
SELECT diag(format('garden: normal call of %s fails with %s %s', fn, sqlstate, message))
  FROM pg_temp.garden_call WHERE label = 'normal' AND how IN ('select', 'call', 'aggregate', 'window')
   AND sqlstate <> '00000' ORDER BY fn::text;
SELECT diag(format('garden: slowest %s ms: %s [%s; %s]', round(ms::numeric), fn, how, label))
  FROM (SELECT * FROM pg_temp.garden_call ORDER BY ms DESC LIMIT 3) s;

SELECT * FROM finish();
ROLLBACK;
