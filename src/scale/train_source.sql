-- scale: train's read of a wide source table, one query for every column.  doc/scale-out.md.

CREATE FUNCTION mixmodel._wide_source_arrays(source regclass, def jsonb, o jsonb,
        OUT periods date[], OUT kpi float8[], OUT media float8[], OUT spend float8[],
        OUT organic float8[], OUT factors float8[])
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d text := def->>'date_column';
    q text;
    m2 float8[]; s2 float8[]; o2 float8[]; f2 float8[];
BEGIN
    -- one array_agg per column, in period order, gathered into one 2-D array per list
    -- (a row per column); one scan of the source instead of one per column
    q := format('SELECT pg_catalog.array_agg(%1$I::date ORDER BY %1$I), pg_catalog.array_agg(%2$I::float8 ORDER BY %1$I), %3$s, %4$s, %5$s, %6$s FROM %7$s AS src',
                d, def->>'kpi',
                mixmodel._wide_source_list(d, def->'media', NULL),
                mixmodel._wide_source_list(d, def->'media', o->'spend_columns'),
                mixmodel._wide_source_list(d, def->'organic', NULL),
                mixmodel._wide_source_list(d, def->'factors', NULL),
                mixmodel._model_source_sql(source, def, o));
    EXECUTE q INTO periods, kpi, m2, s2, o2, f2;
    -- row-major flattening: the columns one after another, as train_core takes them
    media := ARRAY(SELECT pg_catalog.unnest(m2));
    spend := ARRAY(SELECT pg_catalog.unnest(s2));
    organic := ARRAY(SELECT pg_catalog.unnest(o2));
    factors := ARRAY(SELECT pg_catalog.unnest(f2));
END $$;
COMMENT ON FUNCTION mixmodel._wide_source_arrays(regclass, jsonb, jsonb) IS 'Internal: every column train reads from a wide source table (periods, KPI, media, spend of each medium, organic, factors) in period order, read in one query; media, spend, organic and factors are the columns'' arrays one after another.';

-- the select list of one column list: ARRAY[array_agg(c1 ORDER BY d), ...], or an
-- empty array; with spend_columns, each medium's spend column (NULL as 0) where it has one
CREATE FUNCTION mixmodel._wide_source_list(date_column text, columns jsonb, spend_columns jsonb)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce('ARRAY[' || string_agg(
                       format('pg_catalog.array_agg(%s ORDER BY %I)',
                              CASE WHEN spend_columns->>e.c IS NOT NULL
                                   THEN format('coalesce(%I::float8, 0)', spend_columns->>e.c)
                                   ELSE format('%I::float8', e.c) END,
                              date_column), ', ' ORDER BY e.i) || ']::float8[]',
                     '''{}''::float8[]')
              FROM jsonb_array_elements_text(coalesce(columns, '[]')) WITH ORDINALITY e(c, i));
COMMENT ON FUNCTION mixmodel._wide_source_list(text, jsonb, jsonb) IS 'Internal: the select-list expression of mixmodel._wide_source_arrays for one column list (spend columns substituted where given), every identifier quoted.';
