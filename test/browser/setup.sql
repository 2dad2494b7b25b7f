-- test/browser/setup.sql: a generated model, two plans and a few weeks of actuals for the
-- browser checks (test/browser/run), plus a model whose labels are hostile.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION mixmodel;
SELECT count(*) FROM mixmodel.generate_raw_data('br', seed => 11, weeks => 130, events => 2000,
       channels => ARRAY['tv', 'search', 'social', 'display', 'email']) \g /dev/null
SELECT mixmodel.create_model('br_m', source => 'br.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend', 'display_spend'], organic => ARRAY['email_sends'],
       factors => ARRAY['price_index', 'competitor_spend', 'holiday'],
       options => '{"factor_signs": {"price_index": "negative"}}') \g /dev/null
SELECT count(*) FROM mixmodel.train('br_m', seed => 3) \g /dev/null
SELECT (max(week) + 7)::text AS q_from, (max(week) + 97)::text AS q_to,
       round(sum(tv_spend + search_spend + social_spend + display_spend) / count(*) * 13) AS budget
  FROM br.weekly_wide \gset
SELECT count(*) FROM mixmodel.create_plan('br_q', 'br_m',
         flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', :budget))) \g /dev/null
SELECT count(*) FROM mixmodel.create_plan('br_flat', 'br_m', spend_pattern => 'flat',
         flights => jsonb_build_array(jsonb_build_object('from', :'q_from', 'to', :'q_to', 'budget', :budget)),
         constraints => '{"tv_spend": {"min_pct": 40}}') \g /dev/null
-- the first six plan weeks arrive (the data's last six weeks again, shifted)
INSERT INTO br.weekly_wide
SELECT (jsonb_populate_record(w, jsonb_build_object('week', w.week + 42))).* FROM br.weekly_wide w
 WHERE w.week > :'q_from'::date - 49;

CREATE TABLE br.hostile AS
SELECT week, revenue, tv_spend AS "tv <b>&'""spend</b>", search_spend AS "بحث مدفوع",
       social_spend AS "x<script>alert(1)</script>", display_spend AS "a display channel with a rather long name that goes on",
       email_sends AS "e‮evil", price_index
  FROM br.weekly_wide WHERE week < :'q_from';
SELECT mixmodel.create_model('br <hostile> & "m"', source => 'br.hostile', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv <b>&''"spend</b>', 'بحث مدفوع', 'x<script>alert(1)</script>',
                      'a display channel with a rather long name that goes on'],
       organic => ARRAY['e‮evil'], factors => ARRAY['price_index']) \g /dev/null
SELECT count(*) FROM mixmodel.train('br <hostile> & "m"', seed => 1) \g /dev/null

-- a geo-level model (doc/geo.md): 14 generated geos, 3 channels, at the posterior mode
SELECT count(*) FROM mixmodel.generate_geo_data('brg', seed => 5, geos => 14, weeks => 104,
       channels => ARRAY['tv', 'search', 'social']) \g /dev/null
SELECT mixmodel.create_model('br_geo', 'brg.geo_weekly', 'week', 'revenue', ARRAY['tv_spend', 'search_spend', 'social_spend'],
       ARRAY['price_index'], options => '{"geo": {"column": "geo", "population": "population"},
                                          "chains": 2, "draws": 300, "warmup": 300}') \g /dev/null
SELECT count(*) FROM mixmodel.train('br_geo', seed => 2) \g /dev/null
