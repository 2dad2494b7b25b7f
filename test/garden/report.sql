-- test/garden/report.sql: the garden's findings as TAP lines (tests 2..8; the driver
-- prints the plan and test 1, the set-up).  Run with psql -At.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.tap(n int, ok bool, what text, detail text) RETURNS SETOF text LANGUAGE sql AS $$
    SELECT format('%sok %s - %s', CASE WHEN ok THEN '' ELSE 'not ' END, n, what)
    UNION ALL
    SELECT '#   ' || l FROM regexp_split_to_table(detail, E'\n') l WHERE NOT ok AND detail <> ''
$$;

-- calls the garden counts as failures
CREATE VIEW pg_temp.flagged AS
SELECT * FROM garden.call
 WHERE sqlstate IS NULL OR left(sqlstate, 2) IN ('XX', '58', '53')
    OR sqlstate IN ('P0001', 'P0004', 'crash', 'killed', 'no outcome');

SELECT pg_temp.tap(2, NOT EXISTS (SELECT 1 FROM garden.arg WHERE how LIKE 'error:%')
                      AND NOT EXISTS (SELECT 1 FROM garden.fn f WHERE NOT EXISTS (SELECT 1 FROM garden.call c WHERE c.fn = f.fn)),
       'every function was called, every normal value evaluated',
       (SELECT string_agg(format('%s argument %s: %s', fn, name, how), E'\n') FROM garden.arg WHERE how LIKE 'error:%')
       || coalesce(E'\n' || (SELECT string_agg(format('%s: never called', f.fn), E'\n') FROM garden.fn f
                              WHERE NOT EXISTS (SELECT 1 FROM garden.call c WHERE c.fn = f.fn)), ''));

SELECT pg_temp.tap(3, count(*) = 0, 'the normal call of every function succeeds (real model, score and plan)',
                   string_agg(format('%s [%s]: %s %s (normal values: test/garden/normals.sql)', fn, how, sqlstate, message),
                              E'\n' ORDER BY fn::text))
  FROM garden.call
 WHERE label = 'normal' AND NOT parallel AND how IN ('select', 'call', 'aggregate', 'window') AND sqlstate <> '00000';

SELECT pg_temp.tap(4, count(*) = 0, format('no internal error (XX000), out of memory, system error or RAISE without a SQLSTATE: %s', count(*)),
                   string_agg(format('%s [%s; %s]: %s %s', fn, how, label, sqlstate, left(message, 200)), E'\n' ORDER BY id))
  FROM pg_temp.flagged WHERE coalesce(sqlstate, '') NOT IN ('crash', 'killed');

SELECT pg_temp.tap(5, count(*) = 0, format('no crash: %s', count(*)),
                   string_agg(format('%s [%s; %s]', fn, how, label), E'\n' ORDER BY id))
  FROM garden.call WHERE sqlstate IN ('crash', 'killed');

SELECT pg_temp.tap(6, coalesce(max(c.cancel_ms), 0) <= 1000 AND NOT EXISTS (SELECT 1 FROM garden.watchdog),
                   format('every cancel honoured within 1 s: %s cancels, latency max %s ms',
                          count(c.cancel_ms), coalesce(round(max(c.cancel_ms)::numeric), 0)),
                   (SELECT string_agg(format('%s [%s; %s]: ended %s ms after the cancel', fn, how, label, round(cancel_ms::numeric)),
                                      E'\n' ORDER BY id) FROM garden.call WHERE cancel_ms > 1000)
                   || coalesce(E'\n' || (SELECT string_agg(format('call %s: %s after %s s', w.call_id, w.action, round(w.seconds::numeric, 1)),
                                                           E'\n' ORDER BY w.at) FROM garden.watchdog w), ''))
  FROM garden.call c;

SELECT pg_temp.tap(7, count(*) = 0, 'every function labelled PARALLEL SAFE behaves the same in a parallel worker',
                   string_agg(format('%s [%s]: %s %s (in the leader: %s)', w.fn, w.how, w.sqlstate, w.message, l.sqlstate),
                              E'\n' ORDER BY w.id))
  FROM garden.call w JOIN garden.call l ON l.id = w.after
 WHERE w.parallel AND w.sqlstate IS DISTINCT FROM l.sqlstate;

SELECT pg_temp.tap(8, NOT (SELECT is_called FROM garden.injected) AND to_regclass('garden.run') IS NOT NULL,
                   'no SQL-injection string ran', 'garden.injected was advanced: an injected statement ran');

-- summary
SELECT format('# garden: %s calls of %s functions in %s s', count(*), count(DISTINCT fn), round(sum(ms)::numeric / 1000, 1))
  FROM garden.call;
SELECT format('# garden: XX000 %s, crashes %s, cancels %s, cancel latency max %s ms',
              count(*) FILTER (WHERE sqlstate = 'XX000'), count(*) FILTER (WHERE sqlstate IN ('crash', 'killed')),
              count(cancel_ms), coalesce(round(max(cancel_ms)::numeric), 0))
  FROM garden.call;
SELECT '# garden: errors by SQLSTATE: ' || string_agg(format('%s %s', sqlstate, n), ', ' ORDER BY sqlstate)
  FROM (SELECT coalesce(sqlstate, 'not run') AS sqlstate, count(*) AS n FROM garden.call GROUP BY 1) s;
SELECT format('# garden: excluded %s: %s', fn, reason) FROM garden.exclude ORDER BY fn::text;
-- calls stopped before the function was reached (no such signature, syntax): hostile
-- values that test nothing, one example each
SELECT format('# garden: %s calls stopped before the function (%s), e.g. %s [%s]: %s', n, sqlstate, fn, label, left(message, 120))
  FROM (SELECT sqlstate, count(*) OVER (PARTITION BY sqlstate) AS n, fn, label, message,
               row_number() OVER (PARTITION BY sqlstate ORDER BY id) AS k
          FROM garden.call WHERE sqlstate IN ('42883', '42804', '42725')) s
 WHERE k = 1 ORDER BY sqlstate;
SELECT format('# garden: slowest %s ms: %s [%s; %s]', round(ms::numeric), fn, how, label)
  FROM (SELECT * FROM garden.call ORDER BY ms DESC NULLS LAST LIMIT 3) s;
