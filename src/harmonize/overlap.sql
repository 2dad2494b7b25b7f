-- harmonize: touchpoints that select the same harmonized rows (doc/harmonize.md "Overlapping
-- touchpoints"); a model must not count the same data twice (Adobe Mix Modeler forbids it)

CREATE FUNCTION mixmodel.touchpoint_overlap(touchpoints text[])
    RETURNS TABLE (touchpoint_a text, touchpoint_b text, rows bigint, share_a float8, share_b float8)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 4
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int := cardinality(touchpoints);
    t mixmodel.touchpoints;
    w record;
    cond text;
    conds text[] := '{}';
    cols text := '';
    counts bigint[];
    k int := 0;
    own regrole;
BEGIN
    IF touchpoints IS NULL OR array_position(touchpoints, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'touchpoints must not be NULL or hold NULL' USING ERRCODE = '22004';
    END IF;
    IF n > 64 THEN
        RAISE EXCEPTION 'at most 64 touchpoints are compared' USING ERRCODE = '54000', DETAIL = format('Got %s.', n);
    END IF;
    -- the rows a touchpoint counts: its rule matches and the metric a model reads (spend for a
    -- paid touchpoint, volume otherwise) is not NULL; rule values are inlined as literals
    FOR i IN 1 .. coalesce(n, 0) LOOP
        SELECT * INTO t FROM mixmodel.touchpoints x WHERE x.name = touchpoints[i];
        IF NOT FOUND THEN
            RAISE EXCEPTION 'touchpoint "%" does not exist', touchpoints[i] USING ERRCODE = '42704';
        END IF;
        own := coalesce(own, t.owner);   -- a model's touchpoints have one owner (create_model)
        w := mixmodel._rule_where(t.rule);
        cond := w.clause;
        FOR j IN 1 .. coalesce(cardinality(w.vals), 0) LOOP
            cond := replace(cond, format('$1[%s]', j), quote_nullable(w.vals[j]));
        END LOOP;
        conds := conds || format('(%s AND h.%I IS NOT NULL)', cond, coalesce(t.spend_metric, t.volume_metric));
    END LOOP;
    IF coalesce(n, 0) < 2 THEN
        RETURN;
    END IF;
    -- one scan: each touchpoint's rows, then each pair's
    FOR i IN 1 .. n LOOP
        cols := cols || format('pg_catalog.count(*) FILTER (WHERE %s), ', conds[i]);
    END LOOP;
    FOR i IN 1 .. n - 1 LOOP
        FOR j IN i + 1 .. n LOOP
            cols := cols || format('pg_catalog.count(*) FILTER (WHERE %s AND %s), ', conds[i], conds[j]);
        END LOOP;
    END LOOP;
    EXECUTE format('SELECT ARRAY[%s] FROM mixmodel.harmonized h WHERE h.category OPERATOR(pg_catalog.<>) ''factor''
                     AND h.owner OPERATOR(pg_catalog.=) $1', left(cols, -2))
       INTO counts USING own;
    k := n;
    FOR i IN 1 .. n - 1 LOOP
        FOR j IN i + 1 .. n LOOP
            k := k + 1;
            IF counts[k] > 0 THEN
                touchpoint_a := touchpoints[i];
                touchpoint_b := touchpoints[j];
                rows := counts[k];
                share_a := counts[k]::float8 / counts[i];
                share_b := counts[k]::float8 / counts[j];
                RETURN NEXT;
            END IF;
        END LOOP;
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel.touchpoint_overlap(text[]) IS 'Pairs of the given touchpoints that count the same harmonized rows of their owner (both rules match, and both read a value there: spend for paid touchpoints, volume otherwise), with the number of such rows and their share of each touchpoint''s rows; a model refuses such touchpoints (22023).';

CREATE FUNCTION mixmodel._check_touchpoint_overlap(touchpoints text[])
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    o record;
BEGIN
    SELECT * INTO o FROM mixmodel.touchpoint_overlap(touchpoints) x
     ORDER BY x.rows DESC, x.touchpoint_a, x.touchpoint_b LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'touchpoints "%" and "%" overlap', o.touchpoint_a, o.touchpoint_b USING ERRCODE = '22023',
            DETAIL = format('%s harmonized rows count for both: %s%% of "%s"''s rows and %s%% of "%s"''s.', o.rows,
                            round(100 * o.share_a::numeric, 1), o.touchpoint_a, round(100 * o.share_b::numeric, 1), o.touchpoint_b),
            HINT = 'A model must not count the same data twice: narrow one rule (e.g. channel != email and channel != tv) or leave one touchpoint out; mixmodel.touchpoint_overlap lists every overlapping pair.';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._check_touchpoint_overlap(text[]) IS 'Internal: 22023 naming the pair, its rows and their shares when two of the touchpoints overlap (touchpoint_overlap); create_model and train call it for harmonized models.';
