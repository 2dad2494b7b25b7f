-- adstock: every convention of formulas.md §1.1 pinned against hand-computed
-- values (1e-12), every error path with its SQLSTATE, and the window
-- functions against the array functions on a table with several partitions.
\pset footer off

-- got and want agree elementwise to 1e-12 and have the same length
CREATE FUNCTION pg_temp.near(got float8[], want float8[]) RETURNS bool
    LANGUAGE sql IMMUTABLE
    RETURN cardinality(got) = cardinality(want)
       AND (SELECT bool_and(abs(g - w) < 1e-12) FROM unnest(got, want) AS u(g, w));

-- the SQLSTATE and message of a statement, or 'ok'
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- weights of one kind as an array
CREATE FUNCTION pg_temp.w(kind text, max_lag int, theta float8 = NULL, alpha float8 = NULL,
        peak float8 = NULL, shape float8 = NULL, scale float8 = NULL, norm bool = NULL)
    RETURNS float8[] LANGUAGE sql IMMUTABLE
    RETURN (SELECT array_agg(weight ORDER BY lag)
              FROM mixmodel.adstock_weights(kind, max_lag, theta, alpha, peak, shape, scale, norm));

------------------------------------------------------------------------
-- geometric_recursive (Robyn): a_1 = x_1, a_t = x_t + theta a_{t-1}
------------------------------------------------------------------------
SELECT mixmodel.adstock_geometric(ARRAY[100, 0, 0, 50]::float8[], 0.5) AS readme_example;
SELECT
  -- impulse: theta^(t-1)
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[1,0,0,0,0]::float8[], 0.5),
               ARRAY[1, 0.5, 0.25, 0.125, 0.0625]) AS impulse,
  -- (1, 2, 3): 1, 2 + 0.5, 3 + 1.25
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[1,2,3]::float8[], 0.5),
               ARRAY[1, 2.5, 4.25]) AS short_series,
  -- normalize (LightweightMMM): times 1 - theta = 0.2
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[1,0,0,0]::float8[], 0.8, NULL, true),
               ARRAY[0.2, 0.16, 0.128, 0.1024]) AS normalised,
  -- constant spend 10, normalised: 10 (1 - 0.5^t), the steady state is 10
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[10,10,10]::float8[], 0.5, NULL, true),
               ARRAY[5, 7.5, 8.75]) AS steady_state,
  mixmodel.adstock_geometric(ARRAY[7]::float8[], 0.9) = ARRAY[7]::float8[] AS length_one_unchanged,
  mixmodel.adstock_geometric(ARRAY[3,1,4]::float8[], 0) = ARRAY[3,1,4]::float8[] AS theta_zero_unchanged;

------------------------------------------------------------------------
-- geometric_windowed (Meridian, PyMC): theta^l for l = 0..max_lag
------------------------------------------------------------------------
SELECT
  -- toy 1.1.8: theta 0.5, max_lag 2, normalised: (1, .5, .25)/1.75
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[1,0,0,0]::float8[], 0.5, 2, true),
               ARRAY[4/7.0, 2/7.0, 1/7.0, 0]) AS toy_normalised,
  -- (1,2,3,4) with weights (1, .5): 1, 2.5, 4, 5.5
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[1,2,3,4]::float8[], 0.5, 1),
               ARRAY[1, 2.5, 4, 5.5]) AS short_series,
  -- theta 1 is a flat window (allowed only with max_lag)
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[3,0,0,0,0]::float8[], 1, 2),
               ARRAY[3, 3, 3, 0, 0]) AS flat_window,
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[3,0,0,0]::float8[], 1, 2, true),
               ARRAY[1, 1, 1, 0]) AS flat_normalised,
  -- a window longer than the series: zero padding, no truncation
  pg_temp.near(mixmodel.adstock_geometric(ARRAY[1,1]::float8[], 0.5, 5, true),
               ARRAY[1/1.96875, 1.5/1.96875]) AS window_longer_than_series,
  mixmodel.adstock_geometric(ARRAY[3,1,4]::float8[], 0, 4) = ARRAY[3,1,4]::float8[] AS theta_zero_unchanged;

------------------------------------------------------------------------
-- Weibull, Robyn's relative scale: lambda = round-half-even(type-7 quantile)
------------------------------------------------------------------------
SELECT
  -- T = 8, scale 0.5: quantile 4.5, lambda 4 (C round() would give 5);
  -- CDF weights exp(-sum_{j<=l} (j/4)^2) = exp(-(0,1,5,14,30,55,91,140)/16)
  pg_temp.near(mixmodel.adstock_weibull(ARRAY[1,0,0,0,0,0,0,0]::float8[], 2, 0.5, 'cdf'),
               ARRAY(SELECT exp(-c / 16.0)::float8
                       FROM unnest(ARRAY[0,1,5,14,30,55,91,140]) WITH ORDINALITY AS u(c, i) ORDER BY i))
    AS robyn_t8_lambda4,
  NOT pg_temp.near(mixmodel.adstock_weibull(ARRAY[1,0,0,0,0,0,0,0]::float8[], 2, 0.5, 'cdf'),
                   ARRAY(SELECT exp(-c / 25.0)::float8
                           FROM unnest(ARRAY[0,1,5,14,30,55,91,140]) WITH ORDINALITY AS u(c, i) ORDER BY i))
    AS not_lambda5,
  -- PDF, T = 3, scale 0.5: lambda 2, shape 1: f(j) = e^(-j/2)/2, min-max
  pg_temp.near(mixmodel.adstock_weibull(ARRAY[1,0,0]::float8[], 1, 0.5, 'pdf'),
               ARRAY[1, (exp(-1) - exp(-1.5)) / (exp(-0.5) - exp(-1.5)), 0]) AS pdf_t3,
  -- with max_lag, the window (Robyn's windlen) is max_lag + 1 = 8: lambda 4 again
  pg_temp.near((mixmodel.adstock_weibull(ARRAY[1,0,0,0,0,0,0,0,0,0]::float8[], 2, 0.5, 'cdf', 7))[1:8],
               mixmodel.adstock_weibull(ARRAY[1,0,0,0,0,0,0,0]::float8[], 2, 0.5, 'cdf'))
    AND (mixmodel.adstock_weibull(ARRAY[1,0,0,0,0,0,0,0,0,0]::float8[], 2, 0.5, 'cdf', 7))[9:10]
        = ARRAY[0,0]::float8[] AS windlen_max_lag_7,
  -- shape 0 or scale 0: no adstock; a length-1 series is unchanged
  mixmodel.adstock_weibull(ARRAY[3,1,4]::float8[], 0, 0.5, 'pdf') = ARRAY[3,1,4]::float8[] AS shape_zero,
  mixmodel.adstock_weibull(ARRAY[3,1,4]::float8[], 2, 0, 'cdf') = ARRAY[3,1,4]::float8[] AS scale_zero,
  mixmodel.adstock_weibull(ARRAY[5]::float8[], 3, 0.7, 'pdf') = ARRAY[5]::float8[] AS length_one,
  -- variant and scale type are case-insensitive, like Robyn's tolower(type)
  mixmodel.adstock_weibull(ARRAY[1,2,3]::float8[], 2, 0.5, 'PDF', scale_type => 'Relative')
    = mixmodel.adstock_weibull(ARRAY[1,2,3]::float8[], 2, 0.5, 'pdf') AS case_insensitive;

------------------------------------------------------------------------
-- Weibull, PyMC's absolute lambda in periods
------------------------------------------------------------------------
SELECT
  -- CDF, shape 1, lambda 2, max_lag 3 (PyMC l_max = 3): cumprod(1, e^-1/2, e^-1, e^-3/2)
  pg_temp.near(mixmodel.adstock_weibull(ARRAY[1,0,0,0,0]::float8[], 1, 2, 'cdf', 3, scale_type => 'absolute'),
               ARRAY[1, exp(-0.5), exp(-1.5), exp(-3), 0]) AS cdf_absolute,
  -- PDF, shape 3, lambda 3, max_lag 3 (PyMC l_max = 4): f(j) = (j^2/9) e^(-j^3/27),
  -- min-max over f(1..4): the peak is at lag 2 and lag 0 weighs 0
  pg_temp.near(mixmodel.adstock_weibull(ARRAY[1,0,0,0]::float8[], 3, 3, 'pdf', 3, scale_type => 'absolute'),
               (SELECT array_agg((f - f1) / (f3 - f1) ORDER BY j)
                  FROM (SELECT j, (j * j / 9.0) * exp(-(j ^ 3) / 27.0) AS f,
                               (1 / 9.0) * exp(-1 / 27.0) AS f1, exp(-1.0) AS f3
                          FROM generate_series(1, 4) j) s)::float8[]) AS pdf_lagged_peak,
  -- normalize divides by the sum after the min-max step
  pg_temp.near(mixmodel.adstock_weibull(ARRAY[1,0,0]::float8[], 1, 1, 'pdf', 2, true, 'absolute'),
               ARRAY[1 / (1 + (exp(-2) - exp(-3)) / (exp(-1) - exp(-3))),
                     (exp(-2) - exp(-3)) / (exp(-1) - exp(-3)) / (1 + (exp(-2) - exp(-3)) / (exp(-1) - exp(-3))),
                     0]) AS pdf_normalised,
  -- max_lag 0: max = min, weights (1)
  mixmodel.adstock_weibull(ARRAY[2,5]::float8[], 3, 3, 'pdf', 0, scale_type => 'absolute')
    = ARRAY[2,5]::float8[] AS pdf_single_weight;

------------------------------------------------------------------------
-- delayed and binomial
------------------------------------------------------------------------
SELECT
  -- toy 1.1.8: alpha 0.5, peak 1, max_lag 2: (0.5, 1, 0.5), normalised (0.25, 0.5, 0.25)
  pg_temp.near(mixmodel.adstock_delayed(ARRAY[4,0,0,0]::float8[], 0.5, 1, 2),
               ARRAY[1, 2, 1, 0]) AS delayed_toy,
  pg_temp.near(mixmodel.adstock_delayed(ARRAY[4,0,0,0]::float8[], 0.5, 1, 2, false),
               ARRAY[2, 4, 2, 0]) AS delayed_unnormalised,
  -- toy 1.1.8: binomial alpha 0.5, max_lag 2: (1, 2/3, 1/3)/2
  pg_temp.near(mixmodel.adstock_binomial(ARRAY[6,0,0,0]::float8[], 0.5, 2),
               ARRAY[3, 2, 1, 0]) AS binomial_toy,
  pg_temp.near(mixmodel.adstock_binomial(ARRAY[4,0,0,0,0]::float8[], 1, 3),
               ARRAY[1, 1, 1, 1, 0]) AS binomial_flat,
  mixmodel.adstock_binomial(ARRAY[3,1,4]::float8[], 0, 3) = ARRAY[3,1,4]::float8[] AS binomial_alpha_zero,
  mixmodel.adstock_delayed(NULL::float8[], 0.5, 1, 2) IS NULL AS delayed_strict,
  mixmodel.adstock_binomial(ARRAY[1]::float8[], NULL, 2) IS NULL AS binomial_strict;

------------------------------------------------------------------------
-- adstock_weights: lag weights of every kind
------------------------------------------------------------------------
SELECT * FROM mixmodel.adstock_weights('geometric_windowed', 2, theta => 0.5, "normalize" => true);
SELECT
  pg_temp.near(pg_temp.w('geometric_recursive', 3, theta => 0.5), ARRAY[1, 0.5, 0.25, 0.125]) AS geometric_recursive,
  pg_temp.near(pg_temp.w('geometric_recursive', 2, theta => 0.8, norm => true), ARRAY[0.2, 0.16, 0.128]) AS geometric_recursive_normalised,
  pg_temp.near(pg_temp.w('geometric_windowed', 2, theta => 0.5), ARRAY[1, 0.5, 0.25]) AS geometric_windowed,
  pg_temp.near(pg_temp.w('weibull_cdf_relative', 3, shape => 2, scale => 0.5),
               -- T = 4: quantile 2.5 -> lambda 2; exp(-(0, 1, 5, 14)/4)
               ARRAY[1, exp(-0.25), exp(-1.25), exp(-3.5)]) AS weibull_cdf_relative,
  pg_temp.near(pg_temp.w('weibull_pdf_relative', 2, shape => 1, scale => 0.5),
               ARRAY[1, (exp(-1) - exp(-1.5)) / (exp(-0.5) - exp(-1.5)), 0]) AS weibull_pdf_relative,
  pg_temp.near(pg_temp.w('weibull_cdf_absolute', 3, shape => 1, scale => 2),
               ARRAY[1, exp(-0.5), exp(-1.5), exp(-3)]) AS weibull_cdf_absolute,
  pg_temp.near(pg_temp.w('weibull_pdf_absolute', 2, shape => 1, scale => 1),
               ARRAY[1, (exp(-2) - exp(-3)) / (exp(-1) - exp(-3)), 0]) AS weibull_pdf_absolute,
  pg_temp.near(pg_temp.w('delayed', 2, alpha => 0.5, peak => 1), ARRAY[0.25, 0.5, 0.25]) AS delayed_default_normalised,
  pg_temp.near(pg_temp.w('delayed', 2, alpha => 0.5, peak => 1, norm => false), ARRAY[0.5, 1, 0.5]) AS delayed_raw,
  pg_temp.near(pg_temp.w('binomial', 2, alpha => 0.5), ARRAY[0.5, 1/3.0, 1/6.0]) AS binomial;

-- the weights are the impulse response of the transform, for every kind
SELECT
  pg_temp.near(pg_temp.w('weibull_pdf_absolute', 5, shape => 2.5, scale => 2.2),
               mixmodel.adstock_weibull(ARRAY[1,0,0,0,0,0]::float8[], 2.5, 2.2, 'pdf', 5, scale_type => 'absolute')) AS pdf_absolute,
  pg_temp.near(pg_temp.w('weibull_cdf_relative', 5, shape => 0.7, scale => 0.3),
               mixmodel.adstock_weibull(ARRAY[1,0,0,0,0,0]::float8[], 0.7, 0.3, 'cdf')) AS cdf_relative,
  pg_temp.near(pg_temp.w('delayed', 4, alpha => 0.3, peak => 1.5),
               mixmodel.adstock_delayed(ARRAY[1,0,0,0,0]::float8[], 0.3, 1.5, 4)) AS delayed,
  pg_temp.near(pg_temp.w('binomial', 4, alpha => 0.25),
               mixmodel.adstock_binomial(ARRAY[1,0,0,0,0]::float8[], 0.25, 4)) AS binomial;

------------------------------------------------------------------------
-- errors: SQLSTATE and message
------------------------------------------------------------------------
SELECT q AS statement, pg_temp.err(q) AS error FROM (VALUES
  ($$SELECT mixmodel.adstock_geometric(NULL::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], NULL)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 0.5, NULL, NULL)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[]::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[[1,2],[3,4]]::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1,NULL]::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1,'NaN']::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1,'Infinity']::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1,'-Infinity']::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1,-2]::float8[], 0.5)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 1)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], -0.1)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 1.5, 3)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 'NaN')$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 'Infinity', 3)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 0.5, -1)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 0.5, 10000) IS NOT NULL$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 0.5, 10001)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1e308, 1e308]::float8[], 0.9)$$),
  ($$SELECT mixmodel.adstock_geometric(ARRAY[1e308, 1e308]::float8[], 1, 1)$$),
  ($$SELECT mixmodel.adstock_weibull(NULL::float8[], 2, 0.5)$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], -1, 0.5)$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 'Infinity', 0.5)$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 1.5)$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, -1, 'cdf', 3, false, 'absolute')$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 'NaN', 'cdf', 3, false, 'absolute')$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, 'gamma')$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, NULL)$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, 'cdf', 3, false, 'periods')$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, 'cdf', 3, false, NULL)$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, 'cdf', -1)$$),
  ($$SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, NULL)$$),
  ($$SELECT mixmodel.adstock_delayed(ARRAY[1]::float8[], 0, 1, 2)$$),
  ($$SELECT mixmodel.adstock_delayed(ARRAY[1]::float8[], 1.5, 1, 2)$$),
  ($$SELECT mixmodel.adstock_delayed(ARRAY[1]::float8[], 0.5, 3, 2)$$),
  ($$SELECT mixmodel.adstock_delayed(ARRAY[1]::float8[], 0.5, -1, 2)$$),
  ($$SELECT mixmodel.adstock_delayed(ARRAY[1]::float8[], 0.5, 0, -1)$$),
  ($$SELECT mixmodel.adstock_delayed(ARRAY[-1]::float8[], 0.5, 0, 1)$$),
  ($$SELECT mixmodel.adstock_binomial(ARRAY[1]::float8[], -0.1, 2)$$),
  ($$SELECT mixmodel.adstock_binomial(ARRAY[1]::float8[], 1.1, 2)$$),
  ($$SELECT mixmodel.adstock_binomial(ARRAY[1]::float8[], 0.5, 20000)$$),
  ($$SELECT mixmodel.adstock_binomial(ARRAY[]::float8[], 0.5, 2)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('hyperbolic', 3)$$),
  ($$SELECT * FROM mixmodel.adstock_weights(NULL, 3)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('delayed', NULL, alpha => 0.5, peak => 1)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('geometric_windowed', 3)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('geometric_windowed', 3, theta => 0.5, alpha => 0.5)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('geometric_recursive', 3, theta => 1)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('weibull_cdf_relative', 3, shape => 2)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('weibull_pdf_relative', 3, shape => 2, scale => 2)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('delayed', 3, alpha => 0.5, peak => 4)$$),
  ($$SELECT * FROM mixmodel.adstock_weights('binomial', -1, alpha => 0.5)$$)
) AS t(q);

-- mixmodel.max_array_length bounds the input (limit at N and N + 1)
SET mixmodel.max_array_length = 3;
SELECT pg_temp.err($$SELECT mixmodel.adstock_geometric(ARRAY[1,2,3]::float8[], 0.5)$$) AS at_limit,
       pg_temp.err($$SELECT mixmodel.adstock_geometric(ARRAY[1,2,3,4]::float8[], 0.5)$$) AS over_limit;
RESET mixmodel.max_array_length;

-- messages carry details and hints
SELECT mixmodel.adstock_geometric(ARRAY[1,NULL]::float8[], 0.5);
SELECT mixmodel.adstock_geometric(ARRAY[1]::float8[], 0.5, 10001);
SELECT mixmodel.adstock_weibull(ARRAY[1]::float8[], 2, 0.5, 'gamma');

------------------------------------------------------------------------
-- window functions: equal to the array functions, bit for bit
------------------------------------------------------------------------
-- four channels of 1, 3, 40 and 121 weeks, spend with zeros and spikes
CREATE TEMP TABLE plan AS
SELECT ch, wk, CASE WHEN (wk * 7 + k) % 5 = 0 THEN 0
                    ELSE ((wk * 37 + k * 11) % 23) * 10.5 END::float8 AS spend
  FROM (VALUES ('a', 1, 1), ('b', 2, 3), ('c', 3, 40), ('d', 4, 121)) AS c(ch, k, n),
       generate_series(1, n) AS wk;

CREATE TEMP TABLE by_window AS
SELECT ch, wk,
       mixmodel.adstock_geometric(spend, 0.7) OVER w AS geo_rec,
       mixmodel.adstock_geometric(spend, 0.7, NULL, true) OVER w AS geo_rec_norm,
       mixmodel.adstock_geometric(spend, 0.6, 3) OVER w AS geo_win,
       mixmodel.adstock_geometric(spend, 0.6, 0, true) OVER w AS geo_win0,
       mixmodel.adstock_geometric(spend, 0.6, 12, true) OVER w AS geo_win12,
       mixmodel.adstock_weibull(spend, 2, 3.5, 'pdf', 8, scale_type => 'absolute') OVER w AS wb_pdf_abs,
       mixmodel.adstock_weibull(spend, 1.5, 3, 'cdf', 6, true, 'absolute') OVER w AS wb_cdf_abs,
       mixmodel.adstock_weibull(spend, 2, 0.5, 'cdf', 7) OVER w AS wb_cdf_rel,
       mixmodel.adstock_delayed(spend, 0.4, 2, 5) OVER w AS delayed,
       mixmodel.adstock_binomial(spend, 0.3, 4) OVER w AS binomial,
       -- a frame that is not the default changes nothing: the frame is ignored
       mixmodel.adstock_geometric(spend, 0.7) OVER (PARTITION BY ch ORDER BY wk
           ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS geo_rec_frame,
       mixmodel.adstock_delayed(spend, 0.4, 2, 5) OVER (PARTITION BY ch ORDER BY wk
           ROWS BETWEEN 2 FOLLOWING AND 5 FOLLOWING) AS delayed_frame,
       -- the series runs in the window's ORDER BY: descending is the reversed series
       mixmodel.adstock_geometric(spend, 0.7) OVER (PARTITION BY ch ORDER BY wk DESC) AS geo_rec_desc
  FROM plan
WINDOW w AS (PARTITION BY ch ORDER BY wk);

CREATE TEMP TABLE by_array AS
SELECT ch,
       mixmodel.adstock_geometric(x, 0.7) AS geo_rec,
       mixmodel.adstock_geometric(x, 0.7, NULL, true) AS geo_rec_norm,
       mixmodel.adstock_geometric(x, 0.6, 3) AS geo_win,
       mixmodel.adstock_geometric(x, 0.6, 0, true) AS geo_win0,
       mixmodel.adstock_geometric(x, 0.6, 12, true) AS geo_win12,
       mixmodel.adstock_weibull(x, 2, 3.5, 'pdf', 8, scale_type => 'absolute') AS wb_pdf_abs,
       mixmodel.adstock_weibull(x, 1.5, 3, 'cdf', 6, true, 'absolute') AS wb_cdf_abs,
       mixmodel.adstock_weibull(x, 2, 0.5, 'cdf', 7) AS wb_cdf_rel,
       mixmodel.adstock_delayed(x, 0.4, 2, 5) AS delayed,
       mixmodel.adstock_binomial(x, 0.3, 4) AS binomial,
       mixmodel.adstock_geometric(xr, 0.7) AS geo_rec_rev
  FROM (SELECT ch, array_agg(spend ORDER BY wk) AS x, array_agg(spend ORDER BY wk DESC) AS xr
          FROM plan GROUP BY ch) s;

SELECT count(*) AS rows_compared,
       count(DISTINCT w.ch) AS partitions,
       bool_and(w.geo_rec = a.geo_rec[w.wk]) AS geo_rec,
       bool_and(w.geo_rec_norm = a.geo_rec_norm[w.wk]) AS geo_rec_norm,
       bool_and(w.geo_win = a.geo_win[w.wk]) AS geo_win,
       bool_and(w.geo_win0 = a.geo_win0[w.wk]) AS geo_win0,
       bool_and(w.geo_win12 = a.geo_win12[w.wk]) AS geo_win12,
       bool_and(w.wb_pdf_abs = a.wb_pdf_abs[w.wk]) AS wb_pdf_abs,
       bool_and(w.wb_cdf_abs = a.wb_cdf_abs[w.wk]) AS wb_cdf_abs,
       bool_and(w.wb_cdf_rel = a.wb_cdf_rel[w.wk]) AS wb_cdf_rel,
       bool_and(w.delayed = a.delayed[w.wk]) AS delayed,
       bool_and(w.binomial = a.binomial[w.wk]) AS binomial,
       bool_and(w.geo_rec_frame = a.geo_rec[w.wk]) AS frame_ignored,
       bool_and(w.delayed_frame = a.delayed[w.wk]) AS frame_ignored_following,
       bool_and(w.geo_rec_desc = a.geo_rec_rev[cardinality(a.geo_rec_rev) + 1 - w.wk]) AS descending
  FROM by_window w JOIN by_array a USING (ch);

-- parameters may differ between partitions (per-channel theta from a join)
SELECT bool_and(a = (mixmodel.adstock_geometric(x, theta))[wk]) AS per_channel_theta
  FROM (SELECT p.ch, p.wk, t.theta,
               mixmodel.adstock_geometric(p.spend, t.theta) OVER (PARTITION BY p.ch ORDER BY p.wk) AS a
          FROM plan p JOIN (VALUES ('a', 0.1), ('b', 0.2), ('c', 0.5), ('d', 0.9)) AS t(ch, theta) USING (ch)) w
  JOIN (SELECT ch, array_agg(spend ORDER BY wk) AS x FROM plan GROUP BY ch) s USING (ch);

-- window errors
SELECT q AS statement, pg_temp.err(q) AS error FROM (VALUES
  ($$SELECT mixmodel.adstock_geometric(s, 0.5) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8), (2, NULL)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(s, 0.5) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8), (2, -1)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(s, 0.5) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8), (2, 'NaN')) v(i, s)$$),
  ($$SELECT mixmodel.adstock_delayed(s, 0.5, 1, 2) OVER (ORDER BY i) FROM (VALUES (1, 'Infinity'::float8)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(s, i / 10.0) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8), (2, 1)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(s, NULL) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(s, 1) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(s, 0.5, 10001) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_weibull(s, 2, 3, 'cdf', NULL) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_weibull(s, 2, 3, 'cdf', 4) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_binomial(s, 0.5, -1) OVER (ORDER BY i) FROM (VALUES (1, 1.0::float8)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(s, 0.9) OVER (ORDER BY i) FROM (VALUES (1, 1e308::float8), (2, 1e308)) v(i, s)$$),
  ($$SELECT mixmodel.adstock_geometric(1.0::float8, 0.5)$$)
) AS t(q);

-- labels: pure math is IMMUTABLE and PARALLEL SAFE; the window forms are WINDOW
SELECT p.oid::regprocedure AS function, p.prokind AS kind, p.provolatile AS volatility,
       p.proisstrict AS strict, p.proparallel AS parallel
  FROM pg_proc p
 WHERE p.pronamespace = 'mixmodel'::regnamespace AND p.proname LIKE 'adstock%'
 ORDER BY 1::text;

------------------------------------------------------------------------
-- long inputs: the convolution checks for interrupts
------------------------------------------------------------------------
-- a window of 10001 lags over a million periods is 1e10 multiply-adds;
-- the statement timeout must be able to stop it
SET statement_timeout = '300ms';
SELECT cardinality(mixmodel.adstock_geometric(array_fill(1::float8, ARRAY[1000000]), 0.9999, 10000));
RESET statement_timeout;
-- a whole-series Weibull window is limited to 1e9 multiply-adds (non-zero weights only)
SELECT pg_temp.err($$SELECT mixmodel.adstock_weibull(array_fill(1::float8, ARRAY[1000000]), 1, 0.5, 'pdf')$$) AS quadratic_refused;
SELECT mixmodel.adstock_weibull(array_fill(1::float8, ARRAY[100000]), 0.5, 0.5, 'cdf');
-- fast-decaying CDF weights underflow to zero, so a long series stays cheap:
-- shape 2, lambda 5000: 4163 non-zero weights over 10000 periods (the product
-- underflows near lag 3800 but stays at the smallest subnormal while S(j) > 1/2);
-- the last output is the gain, close to the integral Gamma(4/3) (3 lambda^2)^(1/3) = 376.6
SELECT round((mixmodel.adstock_weibull(array_fill(1::float8, ARRAY[10000]), 2, 0.5, 'cdf'))[10000]::numeric, 6) AS long_cdf;
-- the recursive form is linear: a million periods, the steady state 1/(1 - 0.5)
SELECT (mixmodel.adstock_geometric(array_fill(1::float8, ARRAY[1000000]), 0.5))[1000000] AS steady_state;
