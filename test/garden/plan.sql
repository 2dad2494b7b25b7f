-- test/garden/plan.sql: the list of calls (garden.call) and the function that makes one
-- (garden.try).  psql variables: mode (ci or fuzz), seed, calls (fuzz: how many).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Polymorphic arguments take float8 values; domains those of their base type.
CREATE FUNCTION garden.type_of(t regtype) RETURNS regtype LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN t IN ('anyelement', 'anycompatible', 'anynonarray', 'anycompatiblenonarray', '"any"')
            THEN 'float8'::regtype
        WHEN t IN ('anyarray', 'anycompatiblearray') THEN 'float8[]'::regtype
        WHEN (SELECT typtype FROM pg_type WHERE oid = t) = 'd'
            THEN (SELECT typbasetype FROM pg_type WHERE oid = t)::regtype
        ELSE t END
$$;

-- Types of the extension itself (enums, composite or base types) get their labels or
-- garbage text for their input function.
INSERT INTO garden.value (typ, label, expr)
SELECT t.oid, v.label, v.expr
  FROM pg_type t
  JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
  CROSS JOIN LATERAL (
      SELECT 'normal', quote_literal(min(enumlabel)) FROM pg_enum
       WHERE enumtypid = t.oid HAVING count(*) > 0
      UNION ALL SELECT 'NULL', 'NULL'
      UNION ALL SELECT 'empty text', ''''''
      UNION ALL SELECT 'garbage text', '''(x''''), NaN, {}, ['''
      UNION ALL SELECT 'long text', 'repeat(''9'', 100000)') v(label, expr)
 WHERE t.typtype IN ('b', 'c', 'e') AND NOT t.typname LIKE '\_%';

-- The functions of the extension, with their input arguments.
CREATE VIEW garden.fn AS
SELECT p.oid::regprocedure AS fn, p.proname::text AS proname, p.prokind, p.pronargs AS n,
       p.provariadic, a.aggkind, a.aggnumdirectargs,
       quote_ident(ns.nspname) || '.' || quote_ident(p.proname) AS qname
  FROM pg_proc p
  JOIN pg_namespace ns ON ns.oid = p.pronamespace
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
  LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
 WHERE NOT EXISTS (SELECT 1 FROM garden.exclude x WHERE x.fn = p.oid);

-- Every argument's normal value, evaluated once into a literal of its type (precedence:
-- test/garden/normals.sql).  how: where the value came from, or the error evaluating it.
CREATE FUNCTION garden.build_args() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f record;
    pos int[];
    atyp regtype;
    aname text;
    dflt text;
    expr text;
    src text;
    lit text;
BEGIN
    FOR f IN SELECT p.oid, p.oid::regprocedure AS sig, p.proname::text AS proname, p.pronargs, p.proargtypes,
                    p.proargnames, p.proargmodes
               FROM pg_proc p JOIN garden.fn g ON g.fn = p.oid LOOP
        IF f.proargmodes IS NULL THEN
            pos := ARRAY(SELECT generate_series(1, f.pronargs));
        ELSE
            pos := ARRAY(SELECT i FROM unnest(f.proargmodes) WITH ORDINALITY u(m, i)
                          WHERE m IN ('i', 'b', 'v') ORDER BY i);
        END IF;
        FOR i IN 1 .. f.pronargs LOOP
            atyp := garden.type_of((f.proargtypes::oid[])[i - 1]);
            aname := coalesce(f.proargnames[pos[i]], '');
            dflt := pg_get_function_arg_default(f.oid, pos[i]);
            expr := NULL;
            src := NULL;
            SELECT g.expr, 'normals.sql' INTO expr, src FROM garden.normal g
             WHERE g.argname = aname AND g.typ = atyp AND g.fname IN (f.proname, f.sig::text)
             ORDER BY g.fname = f.sig::text DESC LIMIT 1;
            IF expr IS NULL AND dflt !~* '^NULL(::.*)?$' THEN
                expr := dflt; src := 'default';
            END IF;
            IF expr IS NULL THEN
                SELECT g.expr, 'normals.sql' INTO expr, src FROM garden.normal g
                 WHERE g.argname = aname AND g.typ = atyp AND g.fname IS NULL;
            END IF;
            IF expr IS NULL AND dflt IS NOT NULL THEN
                expr := dflt; src := 'default';
            END IF;
            IF expr IS NULL THEN
                SELECT v.expr, 'type' INTO expr, src FROM garden.value v WHERE v.typ = atyp AND v.normal;
            END IF;
            BEGIN
                EXECUTE format('SELECT (%s)::%s::text', coalesce(expr, 'NULL'), format_type(atyp, NULL)) INTO lit;
            EXCEPTION WHEN OTHERS THEN
                src := 'error: ' || sqlerrm;
                lit := NULL;
            END;
            INSERT INTO garden.arg VALUES (f.sig, i, aname, atyp, lit, src);
        END LOOP;
    END LOOP;
END $$;

-- An argument as SQL: the value cast to its argument's type.
CREATE FUNCTION garden.cast(expr text, typ regtype) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT '(' || expr || ')::' || format_type(typ, NULL)
$$;
CREATE FUNCTION garden.lit(a garden.arg) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a.lit IS NULL THEN 'NULL' ELSE quote_literal(a.lit) END
$$;

-- The hostile values of one argument: its type's, and those made from its normal value.
CREATE FUNCTION garden.hostile(a garden.arg) RETURNS TABLE (label text, expr text, guc text)
LANGUAGE sql STABLE AS $$
    SELECT v.label, v.expr, v.guc FROM garden.value v WHERE v.typ = a.typ AND NOT v.normal
    UNION ALL
    SELECT d.label, format(d.expr, garden.cast(garden.lit(a), a.typ)), NULL
      FROM garden.derived d, pg_type t
     WHERE t.oid = a.typ AND t.typelem <> 0 AND t.typlen = -1 AND a.lit IS NOT NULL
       AND (d.elem IS NULL OR d.elem::regtype = t.typelem)
$$;

-- One call of function f with argument list lst, in every form its kind takes.
CREATE FUNCTION garden.add_call(f garden.fn, label text, lst text, normal_lst text, guc text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    cols text;
    rows text;
BEGIN
    IF f.prokind = 'p' THEN
        INSERT INTO garden.call (fn, how, label, sql, guc) VALUES (f.fn, 'call', label, format('CALL %s(%s)', f.qname, lst), guc);
    ELSIF f.prokind = 'f' THEN
        INSERT INTO garden.call (fn, how, label, sql, guc)
        VALUES (f.fn, 'select', label, format('SELECT (%s(%s))::text', f.qname, lst), guc);
    ELSIF f.n = 0 THEN
        INSERT INTO garden.call (fn, how, label, sql, guc)
        VALUES (f.fn, 'rows', label,
                format('SELECT (%s() %s)::text FROM generate_series(1, 3) o',
                       f.qname, CASE WHEN f.prokind = 'w' THEN 'OVER (ORDER BY o)' ELSE '' END), guc);
    ELSE
        -- rows (o, c1..cn): normal, this call's arguments, normal
        cols := (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(1, f.n) i);
        rows := format('(VALUES (1, %s), (2, %s), (3, %s)) v(o, %s)', normal_lst, lst, normal_lst, cols);
        IF f.prokind = 'w' THEN
            INSERT INTO garden.call (fn, how, label, sql, guc) VALUES
              (f.fn, 'window', label, format('SELECT (%s(%s) OVER (ORDER BY o))::text FROM %s', f.qname, cols, rows), guc),
              (f.fn, 'window partitioned', label,
               format('SELECT (%s(%s) OVER (PARTITION BY o %% 2 ORDER BY o DESC))::text FROM %s', f.qname, cols, rows), guc);
        ELSIF f.aggkind = 'n' THEN
            INSERT INTO garden.call (fn, how, label, sql, guc) VALUES
              (f.fn, 'aggregate', label, format('SELECT (%s(%s))::text FROM %s', f.qname, cols, rows), guc),
              (f.fn, 'moving aggregate', label,
               format('SELECT (%s(%s) OVER (ORDER BY o ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))::text FROM %s',
                      f.qname, cols, rows), guc);
        ELSE
            RAISE EXCEPTION 'garden: no call form for %', f.fn;
        END IF;
    END IF;
END $$;

CREATE FUNCTION garden.arg_list(f garden.fn, vals text[]) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(
               CASE WHEN f.provariadic <> 0 AND a.pos = f.n AND (SELECT typelem <> 0 FROM pg_type WHERE oid = a.typ)
                    THEN 'VARIADIC ' ELSE '' END || garden.cast(vals[a.pos], a.typ), ', ' ORDER BY a.pos), '')
      FROM garden.arg a WHERE a.fn = f.fn
$$;

-- The call list.  ci: the normal call, an all-NULL call, each argument through each of its
-- hostile values, and every pair of array arguments one element short together.  fuzz:
-- also n_calls seeded random calls with one to three arguments hostile at once, and every
-- pair of array arguments short and long in both orders.
CREATE FUNCTION garden.plan(mode text, seed float8, n_calls int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f garden.fn;
    a garden.arg;
    b garden.arg;
    h record;
    normals text[];
    vals text[];
    nlst text;
    label text;
    arrs int[];
    fns garden.fn[];
    guc text;
    p int;
BEGIN
    PERFORM garden.build_args();
    FOR f IN SELECT * FROM garden.fn ORDER BY fn::text COLLATE "C" LOOP
        normals := ARRAY(SELECT garden.lit(x) FROM garden.arg x WHERE x.fn = f.fn ORDER BY x.pos);
        nlst := garden.arg_list(f, normals);
        PERFORM garden.add_call(f, 'normal', nlst, nlst, NULL);
        IF f.n > 0 THEN
            PERFORM garden.add_call(f, 'all NULL', garden.arg_list(f, array_fill('NULL'::text, ARRAY[f.n])), nlst, NULL);
        END IF;
        FOR a IN SELECT * FROM garden.arg x WHERE x.fn = f.fn ORDER BY x.pos LOOP
            FOR h IN SELECT * FROM garden.hostile(a) ORDER BY 1 LOOP
                vals := normals;
                vals[a.pos] := h.expr;
                PERFORM garden.add_call(f, format('arg %s %s = %s', a.pos, a.name, h.label),
                                        garden.arg_list(f, vals), nlst, h.guc);
            END LOOP;
        END LOOP;
        -- pairs of array arguments: each length valid alone, the two together mismatched
        arrs := ARRAY(SELECT x.pos FROM garden.arg x JOIN pg_type t ON t.oid = x.typ
                       WHERE x.fn = f.fn AND t.typelem <> 0 AND t.typlen = -1 AND x.lit IS NOT NULL ORDER BY x.pos);
        FOR i IN 1 .. coalesce(cardinality(arrs), 0) LOOP
            FOR j IN i + 1 .. cardinality(arrs) LOOP
                SELECT * INTO a FROM garden.arg x WHERE x.fn = f.fn AND x.pos = arrs[i];
                SELECT * INTO b FROM garden.arg x WHERE x.fn = f.fn AND x.pos = arrs[j];
                FOR h IN SELECT d1.label AS l1, d1.expr AS e1, d2.label AS l2, d2.expr AS e2
                           FROM garden.derived d1, garden.derived d2
                          WHERE d1.label IN ('normal one element short', 'normal one element long')
                            AND d2.label IN ('normal one element short', 'normal one element long')
                            AND (mode = 'fuzz' OR (d1.label = 'normal one element short' AND d2.label = d1.label)) LOOP
                    vals := normals;
                    vals[a.pos] := format(h.e1, garden.cast(garden.lit(a), a.typ));
                    vals[b.pos] := format(h.e2, garden.cast(garden.lit(b), b.typ));
                    PERFORM garden.add_call(f, format('args %s %s = %s, %s %s = %s', a.pos, a.name, h.l1, b.pos, b.name, h.l2),
                                            garden.arg_list(f, vals), nlst, NULL);
                END LOOP;
            END LOOP;
        END LOOP;
        -- aggregates and window functions: also no rows and many rows
        IF f.prokind IN ('a', 'w') AND f.n > 0 AND coalesce(f.aggkind, 'n') = 'n' THEN
            INSERT INTO garden.call (fn, how, label, sql) VALUES
              (f.fn, 'no rows', 'normal',
               format('SELECT (%s(%s) %s)::text FROM (VALUES (1, %s)) v(o, %s) WHERE false', f.qname,
                      (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(1, f.n) i),
                      CASE WHEN f.prokind = 'w' THEN 'OVER (ORDER BY o)' ELSE '' END, nlst,
                      (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(1, f.n) i))),
              (f.fn, '200000 rows', 'normal',
               format('SELECT count(x) FROM (SELECT %s(%s) %s AS x FROM generate_series(1, 200000) o, (VALUES (%s)) v(%s)) s',
                      f.qname, (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(1, f.n) i),
                      CASE WHEN f.prokind = 'w' THEN 'OVER (PARTITION BY o % 4 ORDER BY o)' ELSE '' END, nlst,
                      (SELECT string_agg('c' || i, ', ' ORDER BY i) FROM generate_series(1, f.n) i)));
        END IF;
    END LOOP;

    IF mode = 'fuzz' THEN
        PERFORM setseed(mod(abs(seed)::numeric, 1000003) / 1000003);   -- any seed into setseed's [-1, 1]
        fns := ARRAY(SELECT x FROM garden.fn x WHERE x.n > 0 ORDER BY x.fn::text COLLATE "C");
        FOR r IN 1 .. n_calls LOOP
            f := fns[1 + floor(random() * cardinality(fns))::int];
            normals := ARRAY(SELECT garden.lit(x) FROM garden.arg x WHERE x.fn = f.fn ORDER BY x.pos);
            nlst := garden.arg_list(f, normals);
            vals := normals;
            label := format('fuzz %s:', r);
            guc := NULL;
            FOR k IN 1 .. 1 + floor(random() * least(3, f.n))::int LOOP
                p := 1 + floor(random() * f.n)::int;
                SELECT * INTO a FROM garden.arg x WHERE x.fn = f.fn AND x.pos = p;
                SELECT * INTO h FROM garden.hostile(a) ORDER BY random() LIMIT 1;
                IF FOUND THEN
                    vals[a.pos] := h.expr;
                    label := label || format(' arg %s %s = %s;', a.pos, a.name, h.label);
                    guc := coalesce(h.guc, guc);
                END IF;
            END LOOP;
            PERFORM garden.add_call(f, label, garden.arg_list(f, vals), nlst, guc);
        END LOOP;
    END IF;

    -- Normal calls of functions labelled PARALLEL SAFE run again under force_parallel_mode,
    -- which runs the query in a parallel worker where it can; an outcome that differs from
    -- the leader's is a wrong label.  Each runs right after its leader call.
    INSERT INTO garden.call (fn, how, label, sql, parallel, after)
    SELECT c.fn, c.how || ' in a parallel worker', c.label, c.sql, true, c.id
      FROM garden.call c JOIN pg_proc p ON p.oid = c.fn
     WHERE p.proparallel = 's' AND c.label = 'normal' AND c.how IN ('select', 'aggregate', 'window')
     ORDER BY c.id;
END $$;

-- Make one call in a subtransaction that is always rolled back (every call finds the
-- same objects), and record how it ended.  The session's statement_timeout is the
-- watchdog's cancel: a call it cancels records how long after the timeout it ended.
CREATE FUNCTION garden.try(call_id int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c garden.call;
    t0 timestamptz := clock_timestamp();
    st text;
    msg text;
    timeout float8 := extract(epoch FROM current_setting('statement_timeout')::interval);
BEGIN
    SELECT * INTO c FROM garden.call WHERE id = call_id;
    BEGIN
        IF c.guc IS NOT NULL THEN
            PERFORM set_config('mixmodel.max_array_length', c.guc, true);
        END IF;
        IF c.parallel THEN
            PERFORM set_config('force_parallel_mode', 'regress', true);
        END IF;
        EXECUTE c.sql;
        RAISE EXCEPTION USING ERRCODE = 'GRDN0';   -- undo what the call did
    EXCEPTION
        WHEN query_canceled OR assert_failure THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    END;
    IF st = 'GRDN0' THEN
        st := '00000';
        msg := NULL;
    END IF;
    UPDATE garden.call
       SET sqlstate = st, message = msg, ms = 1000 * extract(epoch FROM clock_timestamp() - t0),
           cancel_ms = CASE WHEN st = '57014' THEN
                           1000 * (extract(epoch FROM clock_timestamp() - statement_timestamp()) - timeout) END
     WHERE id = call_id;
END $$;

SELECT garden.plan(:'mode', :seed, :calls);
SELECT count(*) AS calls FROM garden.call;
