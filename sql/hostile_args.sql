-- Hostile arguments that reach the deep cores (issue 12).  Before the fixes each
-- call here crashed the backend, ignored a cancel, or failed with an internal
-- error (XX000); now each fails with a proper SQLSTATE, or is cancelled at once.
SET client_min_messages = warning;

-- the SQLSTATE and message of a statement, 'ok' when it succeeds
CREATE FUNCTION pg_temp.outcome(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN sqlstate || ' ' || sqlerrm;
END $$;

-- run a statement that takes seconds under the statement_timeout of the calling
-- statement: 'cancelled in time' when the cancel is honoured within 1 s of it
CREATE FUNCTION pg_temp.cancel_latency(q text, timeout_ms int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := statement_timestamp();
BEGIN
    EXECUTE q;
    RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
    RETURN CASE WHEN clock_timestamp() - t0 < make_interval(secs => timeout_ms / 1000.0 + 1)
                THEN 'cancelled in time'
                ELSE format('cancelled late: %s ms', round(1000 * extract(epoch FROM clock_timestamp() - t0))) END;
END $$;

-- 1. _response_core: start + len overflowed int, then read out of bounds (segfault)
SELECT pg_temp.outcome($$SELECT mixmodel._response_core('additive','geometric',0.5,0,-1,false,'hill',1,1,1,1,'{1,2,3}',2147483647,1,NULL,1,'{1}')$$);
SELECT pg_temp.outcome($$SELECT mixmodel._response_core('additive','geometric',0.5,0,-1,false,'hill',1,1,1,1,'{1,2,3}',1,2147483647,NULL,1,'{1}')$$);
SELECT pg_temp.outcome($$SELECT mixmodel._immediate_share('geometric',0.5,0,-1,false,'hill',1,1,1,'{1,2,3}',2147483647,2147483647)$$);

-- max_lag: -1 (recursive) or 0 .. 10000 everywhere (22023 below, 54000 above); it was
-- unchecked in _response_core (any negative value passed) and overflowed the
-- allocation size (XX000) at 2147483647 and 10^8 in every function
SELECT l AS max_lag, pg_temp.outcome(format($$SELECT mixmodel._response_core('additive','geometric',0.5,0,%s,false,'hill',1,1,1,1,'{1,2,3}',1,1,NULL,1,'{1}')$$, l)) AS response_core
  FROM unnest(ARRAY[-2147483648, -2, 10001, 200000, 100000000, 2147483647]) l;
SELECT l AS max_lag,
       pg_temp.outcome(format($$SELECT mixmodel._adstock_impulse('geometric',0.5,0,%s,false,3)$$, l)) AS adstock_impulse,
       pg_temp.outcome(format($$SELECT mixmodel._channel_term('geometric',0.5,0,%s,false,'hill',1,1,1,1,'{1,2,3}')$$, l)) AS channel_term,
       pg_temp.outcome(format($$SELECT mixmodel._immediate_share('geometric',0.5,0,%s,false,'hill',1,1,1,'{1,2,3}',0,3)$$, l)) AS immediate_share
  FROM unnest(ARRAY[-2, 100000000, 2147483647]) l;
SELECT l AS max_lag,
       pg_temp.outcome(format($$SELECT mixmodel._synergy_core('multiplicative','{geometric,geometric}','{0.5,0.5}','{0,0}','{2,%s}',
              '{false,false}','{hill,hill}','{1,1}','{1,1}','{1,1}','{0.1,0.1}','{1,2,3,1,2,3}',0,3,'{10}')$$, l)) AS synergy_core,
       pg_temp.outcome(format($$SELECT mixmodel._response_vector_core('additive','{geometric,geometric}','{0.5,0.5}','{0,0}','{2,%s}',
              '{false,false}','{hill,hill}','{1,1}','{1,1}','{1,1}','{0.1,0.1}','{1,2,3,1,2,3}',0,3,'{10}','{1,1}')$$, l)) AS response_vector_core
  FROM unnest(ARRAY[-2, 200000, 100000000, 2147483647]) l;
SELECT l AS max_lag,
       pg_temp.outcome(format($$SELECT mixmodel._plan_core('{geometric}','{0.5}','{0}','{%s}','{false}','{hill}','{2}','{1}','{1}','{1}',
              '{1,1,1}',4,'{0}','{4}','{10}','{0}','{Infinity}',NULL,'budget',NULL,NULL)$$, l)) AS plan_core,
       pg_temp.outcome(format($$SELECT mixmodel._plan_core_mult('{geometric}','{0.5}','{0}','{%s}','{false}','{power}','{0.5}','{0}','{1}','{0.1}',
              '{1,1,1}',4,'{0}','{4}','{10}','{0}','{100}',NULL,'{100,100,100}',0,'{1}')$$, l)) AS plan_core_mult
  FROM unnest(ARRAY[-2, 2, 100000000, 2147483647]) l;

-- a windowed adstock of 10000 lags over 10^6 periods (10^10 multiply-adds) ignored
-- statement_timeout and cancel; now each is cancelled within 1 s of the timeout
SET statement_timeout = '200ms';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._response_core('additive','geometric',0.5,0,10000,false,'hill',1,1,1,1,
       array_fill(1.0::float8, ARRAY[1000000]),0,1000000,NULL,1,'{1}')$$, 200);
SET statement_timeout = '200ms';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._channel_term('geometric',0.5,0,10000,false,'hill',1,1,1,1,
       array_fill(1.0::float8, ARRAY[1000000]))$$, 200);
SET statement_timeout = '200ms';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._immediate_share('geometric',0.5,0,10000,false,'hill',1,1,1,
       array_fill(1.0::float8, ARRAY[1000000]),0,1000000)$$, 200);
SET statement_timeout = '200ms';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._synergy_core('multiplicative','{geometric}','{0.5}','{0}','{10000}',
       '{false}','{hill}','{1}','{1}','{1}','{0.1}',array_fill(1.0::float8, ARRAY[1000000]),0,1000000,'{10}')$$, 200);
SET statement_timeout = '200ms';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._response_vector_core('additive','{geometric}','{0.5}','{0}','{10000}',
       '{false}','{hill}','{1}','{1}','{1}','{0.1}',array_fill(1.0::float8, ARRAY[1000000]),0,1000000,'{10}','{1}')$$, 200);
-- many spends over a long window: every curve evaluation is interruptible
SET statement_timeout = '200ms';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._response_core('additive','geometric',0.5,0,-1,false,'hill',1,1,1,1,
       array_fill(1.0::float8, ARRAY[1000000]),0,1000000,NULL,1,array_fill(1.0::float8, ARRAY[100000]))$$, 200);
RESET statement_timeout;

-- 2, 3. train_core on the arrays of a real model, one made hostile: t0 + n overflowed
-- int and max_lag was never checked (both read out of bounds: segfault)
SELECT count(*) FROM mixmodel.generate_raw_data('ha', seed => 3, weeks => 104, events => 1000,
       channels => ARRAY['tv','search']);
SELECT mixmodel.create_model('ha1', source => 'ha.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend','search_spend'], options => '{"inference": "ridge", "adstock": "delayed"}');
SELECT mixmodel._model_inputs('ha1', NULL, NULL) AS i \gset
SELECT (mixmodel._model_fit(:'i', 20, 1, NULL)->>'candidates_done')::int AS normal_call;
SELECT k, pg_temp.outcome(format('SELECT mixmodel._model_fit(%L, 20, 1, NULL)', jsonb_set(:'i'::jsonb, ARRAY[k], v::jsonb)))
  FROM (VALUES ('t0', '2147483647'), ('t0', '-1'), ('n_train', '2147483647'),
               ('max_lag', '[1000000, 8]'), ('max_lag', '[2147483647, 8]'), ('max_lag', '[-2, 8]'),
               ('max_lag', '[104, 8]')) h(k, v);

-- Bayesian inference over a long series (40,000 periods): the BFGS search of the mode
-- and the sampler's starting search ran for seconds between interrupt checks (a 1 s
-- statement_timeout ended inference map 8.6 s late, inference bayes 3.6 s late); now
-- every log-density evaluation checks, NUTS trees included.
DO $$
BEGIN
    CREATE TABLE ha.long AS
    SELECT date '1700-01-04' + 7 * i AS week, 100 + 50 * (1 + sin(i * 0.37)) AS tv_spend,
           80 + 40 * (1 + cos(i * 0.23)) AS search_spend
      FROM generate_series(0, 39999) i;
    ALTER TABLE ha.long ADD COLUMN revenue float8;
    UPDATE ha.long SET revenue = 1000 + 0.5 * tv_spend + 0.3 * search_spend + 20 * sin(extract(epoch FROM week::timestamp) / 86400 * 1.3);
END $$;
SELECT mixmodel.create_model('ha_map', source => 'ha.long', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "map"}');
SELECT mixmodel.create_model('ha_nuts', source => 'ha.long', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"max_treedepth": 15}');
CREATE TEMP TABLE ha_long_inputs AS
SELECT m, mixmodel._model_inputs(m, NULL, NULL) AS i FROM unnest(ARRAY['ha_map', 'ha_nuts']) m;
SET statement_timeout = '1s';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._model_fit_bayes(i, 1, NULL, NULL) FROM ha_long_inputs WHERE m = 'ha_map'$$, 1000);
SET statement_timeout = '1s';
SELECT pg_temp.cancel_latency($$SELECT mixmodel._model_fit_bayes(i, 1, NULL, NULL) FROM ha_long_inputs WHERE m = 'ha_nuts'$$, 1000);
RESET statement_timeout;

-- a credible band of 100 draws at 10^6 spends needs 1.6 GB of workspace: 54000, not an
-- internal error (XX000, invalid memory alloc request size)
SELECT pg_temp.outcome($$SELECT mixmodel._response_band('geometric', -1, false, 'hill', 1, 'additive',
       (SELECT array_agg(v) FROM generate_series(1, 100) d, unnest(ARRAY[0.5, 0, 1, 1, 1]::float8[]) v), '{1,2,3}', 0, 3,
       NULL, NULL, 0.9, array_fill(1.0::float8, ARRAY[1000000]))$$);

-- 9. more than 64 channels and fixed terms: refused when the model is created (train
-- failed only after reading all the data)
DO $$
BEGIN
    EXECUTE 'CREATE TABLE ha.wide70 (week date, kpi float8, '
         || (SELECT string_agg(format('m%s float8', i), ', ' ORDER BY i) FROM generate_series(1, 62) i) || ')';
END $$;
SELECT pg_temp.outcome(format('SELECT mixmodel.create_model(%L, source => %L, date_column => %L, kpi => %L, media => %L)',
                              'ha_big', 'ha.wide70', 'week', 'kpi', ARRAY(SELECT 'm' || i FROM generate_series(1, 60) i)));
SELECT pg_temp.outcome(format('SELECT mixmodel.create_model(%L, source => %L, date_column => %L, kpi => %L, media => %L, options => %L)',
                              'ha_big', 'ha.wide70', 'week', 'kpi', ARRAY(SELECT 'm' || i FROM generate_series(1, 60) i),
                              '{"seasonality": 0}'));
SELECT pg_temp.outcome(format('SELECT mixmodel.create_model(%L, source => %L, date_column => %L, kpi => %L, media => %L, factors => %L, options => %L)',
                              'ha_big2', 'ha.wide70', 'week', 'kpi', ARRAY(SELECT 'm' || i FROM generate_series(1, 58) i),
                              ARRAY['m59', 'm60', 'm61'], '{"holidays": {"calendar": "ha.holidays"}}'));

-- 10. plans over hundreds of channels: the additive planner converges (480 channels,
-- S-curves, every week optimised); the multiplicative one states its limit up front
SELECT pg_temp.outcome($$SELECT horizon FROM mixmodel._plan_core(array_fill('geometric'::text, ARRAY[480]), array_fill(0.3::float8, ARRAY[480]),
   array_fill(0::float8, ARRAY[480]), array_fill(8, ARRAY[480]), array_fill(false, ARRAY[480]), array_fill('hill'::text, ARRAY[480]),
   (SELECT array_agg(2 + 0.01 * (i % 7)) FROM generate_series(1, 480) i), (SELECT array_agg(0.5 + 0.1 * (i % 11)::float8) FROM generate_series(1, 480) i),
   array_fill(1000::float8, ARRAY[480]), array_fill(1000::float8, ARRAY[480]), array_fill(500::float8, ARRAY[480 * 52]), 52, '{0}', '{52}',
   ARRAY[480 * 1000 * 0.52::float8], array_fill(0::float8, ARRAY[480]), array_fill('Infinity'::float8, ARRAY[480]), NULL, 'budget', NULL, 'Infinity')$$);
SELECT pg_temp.outcome($$SELECT horizon FROM mixmodel._plan_core_mult(array_fill('geometric'::text, ARRAY[65]), array_fill(0.3::float8, ARRAY[65]),
   array_fill(0::float8, ARRAY[65]), array_fill(8, ARRAY[65]), array_fill(false, ARRAY[65]), array_fill('power'::text, ARRAY[65]),
   array_fill(0.5::float8, ARRAY[65]), array_fill(0::float8, ARRAY[65]), array_fill(1000::float8, ARRAY[65]), array_fill(0.02::float8, ARRAY[65]),
   array_fill(500::float8, ARRAY[65 * 52]), 52, '{0}', '{52}', ARRAY[65 * 520::float8], array_fill(0::float8, ARRAY[65]),
   array_fill(65 * 520::float8, ARRAY[65]), NULL, array_fill(100000::float8, ARRAY[52]), 0, array_fill(1::float8, ARRAY[65]))$$);
