-- ops: model and plan lifecycle: status list, description, drop, rename, duplicate,
-- delete_run, drop_plan, rename_plan (doc/operations.md)

-- a plan needs its model: deleting a model with plans is refused (drop_model cascade => true
-- drops the plans first)
ALTER TABLE mixmodel.plans DROP CONSTRAINT plans_model_fkey;
ALTER TABLE mixmodel.plans ADD CONSTRAINT plans_model_fkey
    FOREIGN KEY (model) REFERENCES mixmodel.models (name) ON UPDATE CASCADE ON DELETE RESTRICT;

-- the model row, locked; 22004 / 42704 otherwise
CREATE FUNCTION mixmodel._lock_model(model text)
    RETURNS mixmodel.models
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO m FROM mixmodel.models x WHERE x.name = model FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model "%" does not exist', model USING ERRCODE = '42704';
    END IF;
    RETURN m;
END $$;
COMMENT ON FUNCTION mixmodel._lock_model(text) IS 'Internal: the model''s row, locked against trainings, scorings and other changes (22004 NULL, 42704 unknown).';

-- a new name for a model or plan: not NULL, not empty, not taken
CREATE FUNCTION mixmodel._check_new_name(kind text, new_name text)
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF new_name IS NULL THEN
        RAISE EXCEPTION 'new_name must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF btrim(new_name) = '' THEN
        RAISE EXCEPTION 'new_name must not be empty' USING ERRCODE = '22023';
    END IF;
    IF kind = 'model' AND EXISTS (SELECT 1 FROM mixmodel.models x WHERE x.name = new_name)
       OR kind = 'plan' AND EXISTS (SELECT 1 FROM mixmodel.plans x WHERE x.name = new_name) THEN
        RAISE EXCEPTION '% "%" already exists', kind, new_name USING ERRCODE = '23505';
    END IF;
END $$;
COMMENT ON FUNCTION mixmodel._check_new_name(text, text) IS 'Internal: a new model or plan name must be given, not empty and free (22004, 22023, 23505).';

CREATE FUNCTION mixmodel.set_model_description(model text, description text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM mixmodel._lock_model(model);
    UPDATE mixmodel.models x SET description = set_model_description.description WHERE x.name = model;
    PERFORM mixmodel._audit_model('update', model, jsonb_build_object('description', description));
    RETURN model;
END $$;
COMMENT ON FUNCTION mixmodel.set_model_description(text, text) IS 'Sets (NULL: clears) a model''s description, shown in model_status; audited.';

-- plans that need a model: built on it, or weighing it among several models
CREATE FUNCTION mixmodel._model_plans(model text)
    RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT coalesce(array_agg(p.name ORDER BY p.name), '{}') FROM mixmodel.plans p
             WHERE p.model = _model_plans.model
                OR (jsonb_typeof(p.arguments->'models') = 'object' AND p.arguments->'models' ? _model_plans.model));
COMMENT ON FUNCTION mixmodel._model_plans(text) IS 'Internal: names of the plans built on a model or weighing it (create_plan models).';

CREATE FUNCTION mixmodel.drop_plan(name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p mixmodel.plans;
BEGIN
    IF name IS NULL THEN
        RAISE EXCEPTION 'name must not be NULL' USING ERRCODE = '22004';
    END IF;
    -- queue behind a rebuild of the same plan (create_plan takes this lock)
    PERFORM pg_advisory_xact_lock(hashtext('mixmodel.create_plan'), hashtext(name));
    DELETE FROM mixmodel.plans x WHERE x.name = drop_plan.name RETURNING * INTO p;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'plan "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    PERFORM mixmodel._audit('drop', 'plan', name, jsonb_build_object('model', p.model, 'run', p.run, 'arguments', p.arguments));
    RETURN name;
END $$;
COMMENT ON FUNCTION mixmodel.drop_plan(text) IS 'Drops a plan with its flights, constraints, allocations and summaries; audited.';

CREATE FUNCTION mixmodel.rename_plan(name text, new_name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF name IS NULL THEN
        RAISE EXCEPTION 'name must not be NULL' USING ERRCODE = '22004';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('mixmodel.create_plan'), hashtext(name));
    PERFORM pg_advisory_xact_lock(hashtext('mixmodel.create_plan'), hashtext(new_name));
    IF NOT EXISTS (SELECT 1 FROM mixmodel.plans x WHERE x.name = rename_plan.name) THEN
        RAISE EXCEPTION 'plan "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    PERFORM mixmodel._check_new_name('plan', new_name);
    UPDATE mixmodel.plans x SET name = new_name WHERE x.name = rename_plan.name;
    PERFORM mixmodel._audit('rename', 'plan', new_name, jsonb_build_object('from', name, 'to', new_name));
    RETURN new_name;
END $$;
COMMENT ON FUNCTION mixmodel.rename_plan(text, text) IS 'Renames a plan (its flights, constraints, allocations and summaries follow); audited.';

-- plans that depend on what is dropped: refused (2BP01) unless cascade, which drops them
CREATE FUNCTION mixmodel._drop_dependent_plans(plans text[], cascade boolean, what text, caller text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p text;
BEGIN
    IF cardinality(plans) > 0 AND NOT coalesce(cascade, false) THEN
        RAISE EXCEPTION 'cannot % because plans use it', what USING ERRCODE = '2BP01',
            DETAIL = format('Plans: %s.', array_to_string(plans, ', ')),
            HINT = format('Drop the plans first (mixmodel.drop_plan), or call %s with cascade => true to drop them too.', caller);
    END IF;
    FOREACH p IN ARRAY coalesce(plans, '{}') LOOP
        PERFORM mixmodel.drop_plan(p);
    END LOOP;
END $$;
COMMENT ON FUNCTION mixmodel._drop_dependent_plans(text[], boolean, text, text) IS 'Internal (drop_model, delete_run): 2BP01 naming the plans that use what is dropped, unless cascade, which drops them (audited).';

CREATE FUNCTION mixmodel.drop_model(model text, cascade boolean DEFAULT false)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    plans text[];
BEGIN
    m := mixmodel._lock_model(model);
    plans := mixmodel._model_plans(model);
    PERFORM mixmodel._drop_dependent_plans(plans, cascade, format('drop model "%s"', model), 'drop_model');
    PERFORM mixmodel._audit_model('drop', model,
        jsonb_build_object('cascade', coalesce(cascade, false), 'plans', to_jsonb(plans), 'source_kind', m.source_kind,
                           'source', m.source::text, 'definition', m.definition, 'options', m.options,
                           'runs', (SELECT count(*) FROM mixmodel.runs r WHERE r.model = m.name)));
    -- runs and everything keyed by them (run tables, scores, drift checks) and the schedule go with it
    DELETE FROM mixmodel.models x WHERE x.name = model;
    RETURN model;
END $$;
COMMENT ON FUNCTION mixmodel.drop_model(text, boolean) IS 'Drops a model with its runs, their results and scores, drift checks and schedule; refused (2BP01, naming them) while plans use it unless cascade => true, which drops those plans first (like DROP ... CASCADE). Audited.';

CREATE FUNCTION mixmodel.rename_model(model text, new_name text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM mixmodel._lock_model(model);
    PERFORM mixmodel._check_new_name('model', new_name);
    -- runs, their tables, scores, plans and the schedule follow through ON UPDATE CASCADE;
    -- names kept in plan documents are updated here
    UPDATE mixmodel.models x SET name = new_name WHERE x.name = model;
    UPDATE mixmodel.plan_model_summary x SET model = new_name WHERE x.model = rename_model.model;
    UPDATE mixmodel.plans x
       SET arguments = jsonb_set(x.arguments, '{models}',
                                 ((x.arguments->'models') - rename_model.model)
                                 || jsonb_build_object(new_name, x.arguments->'models'->rename_model.model))
     WHERE jsonb_typeof(x.arguments->'models') = 'object' AND x.arguments->'models' ? rename_model.model;
    PERFORM mixmodel._audit_model('rename', new_name, jsonb_build_object('from', model, 'to', new_name));
    RETURN new_name;
END $$;
COMMENT ON FUNCTION mixmodel.rename_model(text, text) IS 'Renames a model: its runs, results, scores, schedule and the plans built on it (or weighing it) follow; audit entries keep the old name and the model''s id. Audited.';

CREATE FUNCTION mixmodel.duplicate_model(model text, new_name text, run integer DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    t regclass;
    cols text;
    sel text;
BEGIN
    m := mixmodel._lock_model(model);
    PERFORM mixmodel._check_new_name('model', new_name);
    IF run IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mixmodel.runs r WHERE r.model = m.name AND r.run = duplicate_model.run) THEN
        RAISE EXCEPTION 'run % of model "%" does not exist', run, model USING ERRCODE = '42704';
    END IF;
    INSERT INTO mixmodel.models (name, source_kind, source, definition, options, description)
    VALUES (new_name, m.source_kind, m.source, m.definition, m.options, m.description);
    IF run IS NOT NULL THEN
        -- the run becomes run 1 of the copy: the runs row, then every table of its results
        -- (the tables named run_* that reference mixmodel.runs); scores and drift checks stay
        FOR t IN SELECT x.rel FROM (SELECT 'mixmodel.runs'::regclass AS rel, 0 AS o
                                    UNION ALL
                                    SELECT c.conrelid::regclass, 1 FROM pg_constraint c JOIN pg_class k ON k.oid = c.conrelid
                                     WHERE c.confrelid = 'mixmodel.runs'::regclass AND c.contype = 'f'
                                       AND k.relname LIKE 'run\_%') x
                  ORDER BY x.o, x.rel::text LOOP
            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
                   string_agg(CASE a.attname WHEN 'model' THEN '$1' WHEN 'run' THEN '1' ELSE 'x.' || quote_ident(a.attname) END,
                              ', ' ORDER BY a.attnum)
              INTO cols, sel
              FROM pg_attribute a
             WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' AND a.attidentity <> 'a';
            EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s x WHERE x.model = $2 AND x.run = $3', t, cols, sel, t)
              USING new_name, m.name, run;
        END LOOP;
        UPDATE mixmodel.models x SET current_run = 1 WHERE x.name = new_name;
    END IF;
    PERFORM mixmodel._audit_model('duplicate', new_name, jsonb_build_object('source', model, 'run', run));
    RETURN new_name;
END $$;
COMMENT ON FUNCTION mixmodel.duplicate_model(text, text, integer) IS 'Copies a model''s data source, definition, options and description under a new name; with run, that run and its results (run_* tables) become run 1 of the copy, its current run (scores, drift checks and plans are not copied). Audited.';

CREATE FUNCTION mixmodel.delete_run(model text, run integer, cascade boolean DEFAULT false)
    RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m mixmodel.models;
    plans text[];
BEGIN
    m := mixmodel._lock_model(model);
    IF run IS NULL THEN
        RAISE EXCEPTION 'run must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM mixmodel.runs r WHERE r.model = m.name AND r.run = delete_run.run) THEN
        RAISE EXCEPTION 'run % of model "%" does not exist', run, model USING ERRCODE = '42704';
    END IF;
    IF m.current_run = run THEN
        RAISE EXCEPTION 'run % is the current run of model "%"', run, model USING ERRCODE = '55006',
            HINT = 'Make another run current first (mixmodel.select_candidate), or drop the model.';
    END IF;
    plans := ARRAY(SELECT x.name FROM mixmodel.plans x WHERE x.model = m.name AND x.run = delete_run.run ORDER BY x.name);
    PERFORM mixmodel._drop_dependent_plans(plans, cascade, format('delete run %s of model "%s"', run, model), 'delete_run');
    DELETE FROM mixmodel.runs r WHERE r.model = m.name AND r.run = delete_run.run;
    PERFORM mixmodel._audit_model('delete_run', model, jsonb_build_object('run', run, 'cascade', coalesce(cascade, false),
                                                                        'plans', to_jsonb(plans)));
    RETURN model;
END $$;
COMMENT ON FUNCTION mixmodel.delete_run(text, integer, boolean) IS 'Deletes a run of a model that is not its current run, with its results, scores and drift checks; refused (2BP01) while plans are built on it unless cascade => true, which drops them; the current run cannot be deleted (55006). Audited.';
