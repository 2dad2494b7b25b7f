-- test/include/dump_state.sql: what a dump and restore must bring back, one text value per
-- item (sql/dump_restore.sql compares a restored database with its source).
CREATE TEMP VIEW state AS
SELECT 'merge_preferences' AS what,
       (SELECT string_agg(format('%s %s %s %s', metric, preference, channels, conversion_types), '; ' ORDER BY id)
          FROM mixmodel.merge_preferences) AS v
UNION ALL SELECT 'merge_preference_for', (SELECT string_agg(m || '/' || c || '/' || t || '=' || mixmodel.merge_preference_for(m, c, t), ' ' ORDER BY m, c, t)
          FROM unnest('{orders,spend,clicks}'::text[]) m, unnest('{tv,email}'::text[]) c, unnest('{online,store}'::text[]) t)
UNION ALL SELECT 'fields', (SELECT string_agg(name || ':' || category || ':' || coalesce(formula, ''), ' ' ORDER BY name) FROM mixmodel.fields WHERE owner = 'client')
UNION ALL SELECT 'dataset_rules', (SELECT string_agg(name || ' ' || source::text || ' ' || mappings::text, '; ' ORDER BY name) FROM mixmodel.dataset_rules)
UNION ALL SELECT 'touchpoints', (SELECT string_agg(name || ' ' || rule, '; ' ORDER BY name) FROM mixmodel.touchpoints)
UNION ALL SELECT 'conversions', (SELECT string_agg(name || ' ' || rule, '; ' ORDER BY name) FROM mixmodel.conversions)
UNION ALL SELECT 'models', (SELECT string_agg(name || ' run ' || current_run, '; ' ORDER BY name) FROM mixmodel.models)
UNION ALL SELECT 'run inputs', (SELECT string_agg(md5(inputs::text), ' ' ORDER BY model, run) FROM mixmodel.runs)
UNION ALL SELECT 'run fit', (SELECT md5(string_agg(format('%s %s %s', model, period, predicted), ' ' ORDER BY model, run, period)) FROM mixmodel.run_fit)
UNION ALL SELECT 'scores', (SELECT md5(string_agg(format('%s %s %s %s', model, period, term, contribution), ' ' ORDER BY model, run, period, term)) FROM mixmodel.scores)
UNION ALL SELECT 'aggregate scores', (SELECT count(*)::text FROM mixmodel.aggregate_scores)
UNION ALL SELECT 'plan', (SELECT md5(string_agg(format('%s %s %s', week, channel, spend), ' ' ORDER BY week, channel)) FROM mixmodel.plan_allocations)
-- harmonized: every column, whatever custom fields have added (none before a sync)
UNION ALL SELECT 'harmonized', (SELECT md5(string_agg(j, ' ' ORDER BY j)) FROM (SELECT to_jsonb(h)::text AS j FROM mixmodel.harmonized h) h)
UNION ALL SELECT 'audit entries', (SELECT count(*)::text FROM mixmodel.audit_log);
