-- common: schema-level objects shared by every stage.

COMMENT ON SCHEMA mixmodel IS 'mixmodel: marketing-mix modelling in the database (harmonize, transform, fit, score, plan)';

-- common: extension metadata
CREATE FUNCTION mixmodel.version() RETURNS pg_catalog.text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '0.2.0';
COMMENT ON FUNCTION mixmodel.version() IS 'Version of the mixmodel extension SQL (matches mixmodel.control).';
