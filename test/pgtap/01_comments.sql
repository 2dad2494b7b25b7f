-- Every column of the extension's tables and views has a COMMENT (issue 13, defect 10), so
-- \d+ explains each one; custom fields add_field creates are commented too.
BEGIN;
SELECT plan(3);

SELECT is_empty($$
    SELECT c.oid::regclass || '.' || a.attname
      FROM pg_class c
      JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') AND col_description(c.oid, a.attnum) IS NULL
     ORDER BY 1
$$, 'every column of every table has a COMMENT');

SELECT is_empty($$
    SELECT c.oid::regclass || '.' || a.attname
      FROM pg_class c
      JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'mixmodel'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL
     ORDER BY 1
$$, 'every column of every view has a COMMENT');

SELECT mixmodel.add_field('tap_comment_metric', category => 'metric', data_type => 'number', display_name => 'Tap metric');
SELECT is(col_description('mixmodel.harmonized'::regclass,
                          (SELECT attnum FROM pg_attribute WHERE attrelid = 'mixmodel.harmonized'::regclass
                              AND attname = 'tap_comment_metric')) IS NOT NULL,
          true, 'a custom field''s harmonized column gets a COMMENT');

SELECT * FROM finish();
ROLLBACK;
