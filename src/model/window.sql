-- model: the one minimum training window (doc/model.md "Training window: one rule")

CREATE FUNCTION mixmodel._check_training_window(model text, window_periods date[], step integer, scoring boolean)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int := coalesce(cardinality(window_periods), 0);
BEGIN
    -- scoring reads a window that holds the run's own: the rule is training's
    IF coalesce(scoring, false) OR n = 0 THEN
        RETURN;
    END IF;
    -- the periods cover last - first + one period; a year is 52 weeks (364 days), as Adobe asks
    -- of a custom retraining range, whether the window is the default, an option or train's range
    IF window_periods[n] - window_periods[1] + coalesce(step, 7) < 364 THEN
        RAISE EXCEPTION 'the training window of model "%" must cover at least one year', model USING ERRCODE = '22023',
            DETAIL = format('It holds %s periods, %s to %s.', n, window_periods[1], window_periods[n]),
            HINT = 'Lengthen the window (option training_window, or train''s from_date and to_date) or load more data.';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._check_training_window(text, date[], integer, boolean) IS 'Internal: 22023 unless a training window''s periods cover at least one year (last - first + step >= 364 days; step NULL: 7); nothing when scoring.';
