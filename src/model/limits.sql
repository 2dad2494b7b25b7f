-- model limits checked when a model is created (issue 12): the fit takes at most 64
-- regressors, channels and fixed terms together (src/model/fit.c), so a model
-- that cannot train is refused before any data is read.
CREATE FUNCTION mixmodel._model_check_terms(channels integer, factors integer, options jsonb)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- the fixed terms mixmodel.train adds (src/model/train.sql): trend, two Fourier terms
    -- per seasonality order, the holiday indicator, then the factors
    trend int := CASE WHEN coalesce((options->>'trend')::boolean, true) THEN 1 ELSE 0 END;
    season int := 2 * coalesce((options->>'seasonality')::int, 2);
    holiday int := CASE WHEN options ? 'holidays' THEN 1 ELSE 0 END;
BEGIN
    IF channels + trend + season + holiday + factors > 64 THEN
        RAISE EXCEPTION 'a model takes at most 64 channels and fixed terms together' USING ERRCODE = '54000',
            DETAIL = format('%s channels + %s fixed terms (trend %s, seasonality %s, holidays %s, factors %s) = %s.',
                            channels, trend + season + holiday + factors, trend, season, holiday, factors,
                            channels + trend + season + holiday + factors),
            HINT = 'Drop channels or factors, or lower option "seasonality".';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._model_check_terms(integer, integer, jsonb) IS 'Internal: error 54000 when channels plus the fixed terms the options imply (trend, seasonality, holidays, factors) exceed the 64 regressors a fit takes.';
