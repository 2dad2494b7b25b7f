-- saturation curves: hand values to 1e-12, derivatives, inverses, errors.
\set VERBOSITY default
\pset null '(null)'

-- Hill toy (formulas §1.2): K = 2, alpha = 2
SELECT mixmodel.hill(2, 2, 2) = 0.5 AS s_at_k,
       abs(mixmodel.hill(1, 2, 2) - 0.2) < 1e-12 AS s_1,
       abs(mixmodel.hill_inflection(2, 2) - 2/sqrt(3)) < 1e-12 AS inflection,
       round(mixmodel.hill_inflection(2, 2)::numeric, 6) AS a_star,
       mixmodel.hill_inflection(0.8, 2) AS inflection_alpha_below_1,
       mixmodel.hill(0, 2, 2) AS s_0;
-- large alpha: no overflow
SELECT mixmodel.hill(2, 1000, 1) AS far_above, mixmodel.hill(0.1, 1000, 1) AS far_below,
       mixmodel.hill(1, 1000, 1) AS at_k;
SELECT mixmodel.hill(ARRAY[0, 1, 2, 4]::float8[], 2, 2) AS hill_array;

-- the other curves
SELECT abs(mixmodel.logistic_saturation(2, 1) - (1 - exp(-2.0))/(1 + exp(-2.0))) < 1e-12 AS logistic,
       mixmodel.michaelis_menten(2, 3, 2) AS mm_at_km,
       mixmodel.power_saturation(4, 0.5) AS power_sqrt,
       abs(mixmodel.tanh_saturation(1, 2, 0.5) - 2 * tanh(1.0)) < 1e-12 AS tanh;
SELECT mixmodel.logistic_saturation(ARRAY[0, 2]::float8[], 1) = ARRAY[0, tanh(1.0)] AS logistic_array,
       mixmodel.michaelis_menten(ARRAY[0, 2, 6]::float8[], 3, 2) AS mm_array,
       mixmodel.power_saturation(ARRAY[0, 4, 9]::float8[], 0.5) AS power_array,
       mixmodel.tanh_saturation(ARRAY[0, 1]::float8[], 2, 0.5) = ARRAY[0, 2 * tanh(1.0)] AS tanh_array;

-- Robyn relative Hill: K = gamma*max (v3.12) or (1-gamma)*min + gamma*max (legacy)
SELECT mixmodel.hill_relative_k(ARRAY[1, 4]::float8[], 0.25) AS k,
       mixmodel.hill_relative_k(ARRAY[1, 4]::float8[], 0.25, legacy => true) AS k_legacy,
       mixmodel.hill_relative(ARRAY[1, 4]::float8[], 2, 0.25) AS relative,
       mixmodel.hill_relative(ARRAY[1, 4]::float8[], 2, 0.25, legacy => true)
           = ARRAY[1/(1 + 1.75^2), 16/(16 + 1.75^2)]::float8[] AS legacy_exact,
       mixmodel.hill_relative(ARRAY[0, 0, 0]::float8[], 2, 0.5) AS all_zero;

-- derivatives: hand values and the limits at 0
SELECT abs(mixmodel.saturation_deriv('hill', 1, 2, 2) - 0.32) < 1e-12 AS hill_d1,
       mixmodel.saturation_deriv('hill', 0, 0.5, 2) AS hill_d0_alpha_lt_1,
       mixmodel.saturation_deriv('hill', 0, 1, 2) AS hill_d0_alpha_1,
       mixmodel.saturation_deriv('hill', 0, 3, 2) AS hill_d0_alpha_gt_1,
       mixmodel.saturation_deriv('logistic', 0, 1) AS logistic_d0,
       mixmodel.saturation_deriv('michaelis_menten', 2, 3, 2) AS mm_d,
       mixmodel.saturation_deriv('power', 4, 0.5) AS power_d,
       mixmodel.saturation_deriv('power', 0, 0.5) AS power_d0,
       mixmodel.saturation_deriv('tanh', 0, 2, 0.5) AS tanh_d0;
-- derivative against a central difference, every kind
SELECT kind, abs((mixmodel.saturation(kind, 1.3 + 1e-6, p1, p2) - mixmodel.saturation(kind, 1.3 - 1e-6, p1, p2))
                 / 2e-6 / mixmodel.saturation_deriv(kind, 1.3, p1, p2) - 1) < 1e-7 AS deriv_ok,
       abs(mixmodel.saturation_inverse(kind, mixmodel.saturation(kind, 1.3, p1, p2), p1, p2) - 1.3) < 1e-12 AS inverse_ok
  FROM (VALUES ('hill', 2.5, 1.1), ('michaelis_menten', 3, 2), ('tanh', 2, 0.5), ('HILL', 0.7, 4)) AS t(kind, p1, p2)
UNION ALL
SELECT kind, abs((mixmodel.saturation(kind, 1.3 + 1e-6, p1) - mixmodel.saturation(kind, 1.3 - 1e-6, p1))
                 / 2e-6 / mixmodel.saturation_deriv(kind, 1.3, p1) - 1) < 1e-7,
       abs(mixmodel.saturation_inverse(kind, mixmodel.saturation(kind, 1.3, p1), p1) - 1.3) < 1e-12
  FROM (VALUES ('logistic', 0.8), ('power', 0.6)) AS t(kind, p1);
-- the named scalar and the generic form agree bit for bit
SELECT mixmodel.hill(1.7, 2.5, 1.1) = mixmodel.saturation('hill', 1.7, 2.5, 1.1) AS hill_same,
       mixmodel.tanh_saturation(1.7, 2, 0.5) = mixmodel.saturation('tanh', 1.7, 2, 0.5) AS tanh_same;
-- inverses: hand values
SELECT mixmodel.saturation_inverse('hill', 0.5, 2, 2) AS hill_inv_half,
       mixmodel.saturation_inverse('michaelis_menten', 1.5, 3, 2) AS mm_inv,
       mixmodel.saturation_inverse('power', 2, 0.5) AS power_inv,
       mixmodel.saturation_inverse('hill', 0, 2, 2) AS hill_inv_0;
-- STRICT: NULL in, NULL out
SELECT mixmodel.hill(NULL::float8, 2, 2) AS null_x, mixmodel.saturation_deriv('hill', 1, NULL, 2) AS null_p;

-- errors: SQLSTATE and message
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT q AS statement, pg_temp.err(q) AS error FROM (VALUES
  ($$SELECT mixmodel.hill(-1, 2, 2)$$),
  ($$SELECT mixmodel.hill('NaN', 2, 2)$$),
  ($$SELECT mixmodel.hill('-Infinity', 2, 2)$$),
  ($$SELECT mixmodel.hill(1, 0, 2)$$),
  ($$SELECT mixmodel.hill(1, 2, -1)$$),
  ($$SELECT mixmodel.hill(1, 'NaN', 2)$$),
  ($$SELECT mixmodel.hill(1, 2, 'Infinity')$$),
  ($$SELECT mixmodel.power_saturation(1, 1.5)$$),
  ($$SELECT mixmodel.power_saturation(1, 1)$$),
  ($$SELECT mixmodel.logistic_saturation(1, 0)$$),
  ($$SELECT mixmodel.michaelis_menten(1, 3, 0)$$),
  ($$SELECT mixmodel.michaelis_menten(1, -3, 1)$$),
  ($$SELECT mixmodel.tanh_saturation(1, 0, 1)$$),
  ($$SELECT mixmodel.tanh_saturation(1, 1, 0)$$),
  ($$SELECT mixmodel.hill(ARRAY[1, NULL]::float8[], 2, 2)$$),
  ($$SELECT mixmodel.hill(ARRAY[1, -2]::float8[], 2, 2)$$),
  ($$SELECT mixmodel.power_saturation(ARRAY[1, 'NaN']::float8[], 0.5)$$),
  ($$SELECT mixmodel.tanh_saturation(ARRAY[1, 'Infinity']::float8[], 1, 1)$$),
  ($$SELECT mixmodel.hill('{}'::float8[], 2, 2)$$),
  ($$SELECT mixmodel.hill(ARRAY[[1,2],[3,4]]::float8[], 2, 2)$$),
  ($$SELECT mixmodel.hill_relative(ARRAY[1, 2]::float8[], 10, 0.5)$$),
  ($$SELECT mixmodel.hill_relative(ARRAY[1, 2]::float8[], 9.99, 0.5)$$),
  ($$SELECT mixmodel.hill_relative(ARRAY[1, 2]::float8[], 2, 0)$$),
  ($$SELECT mixmodel.hill_relative(ARRAY[1, 2]::float8[], 2, 1)$$),
  ($$SELECT mixmodel.hill_relative(ARRAY[1, 2]::float8[], 2, 1.01)$$),
  ($$SELECT mixmodel.hill_relative(ARRAY[1, -2]::float8[], 2, 0.5)$$),
  ($$SELECT mixmodel.hill_relative_k('{}'::float8[], 0.5)$$),
  ($$SELECT mixmodel.hill_inflection(2, 0)$$),
  ($$SELECT mixmodel.saturation('sigmoid', 1, 2, 2)$$),
  ($$SELECT mixmodel.saturation('hill', 1, 2)$$),
  ($$SELECT mixmodel.saturation('power', 1, 0.5, 2)$$),
  ($$SELECT mixmodel.saturation_deriv('hill', -1, 2, 2)$$),
  ($$SELECT mixmodel.saturation_deriv('logistic', 'NaN', 1)$$),
  ($$SELECT mixmodel.saturation_inverse('hill', 1, 2, 2)$$),
  ($$SELECT mixmodel.saturation_inverse('logistic', 1, 2)$$),
  ($$SELECT mixmodel.saturation_inverse('michaelis_menten', 3, 3, 2)$$),
  ($$SELECT mixmodel.saturation_inverse('tanh', 2, 2, 0.5)$$),
  ($$SELECT mixmodel.saturation_inverse('hill', -0.1, 2, 2)$$),
  ($$SELECT mixmodel.saturation_inverse('hill', 'NaN', 2, 2)$$),
  ($$SELECT mixmodel.saturation_inverse('power', 1e300, 0.01)$$)
) AS t(q);

-- messages carry details and hints
SELECT mixmodel.saturation('hill', 1, 2);
SELECT mixmodel.saturation_inverse('michaelis_menten', 3, 3, 2);
-- huge but finite inputs stay finite
SELECT mixmodel.michaelis_menten(1e308, 1e308, 1) = 1e308 AS mm_no_overflow,
       mixmodel.hill(1e308, 3, 1e-300) AS hill_huge_ratio;
