# mixmodel: PGXS build.  `make && make install`, then `make installcheck` (pg_regress)
# and `make prove` (pgTAP) against a running server; tools/test does all of it on a
# throwaway cluster.

EXTENSION  = mixmodel
EXTVERSION = 0.2.0
# The release before EXTVERSION: upgrades start from it (doc/architecture.md, "Upgrades").
PREVVERSION = 0.1.0
MODULE_big = mixmodel

# Stages in dependency order; each keeps its install SQL beside its C.
STAGES = transform

# Objects, listed explicitly.  Add a line when a file joins the build.
OBJS = \
	src/mixmodel.o \
	src/common/errors.o \
	src/common/arrays.o \
	src/common/kinds.o \
	src/math/adstock.o \
	src/transform/adstock_spec.o \
	src/transform/adstock.o \
	src/transform/adstock_window.o \
	src/math/saturation.o \
	src/transform/saturation.o \
	src/transform/calendar.o \
	src/transform/metrics.o \
	src/math/formula.o \
	src/math/plan.o \
	src/math/plan_flight.o \
	src/math/plan_coupled.o \
	src/plan/plan_glue.o \
	src/plan/plan_args.o \
	src/plan/optimize.o \
	src/math/plan_model.o \
	src/plan/plan_core.o \
	src/plan/plan_rows.o \
	src/plan/plan_mult.o \
	src/harmonize/fields.o \
	src/harmonize/rules.o \
	src/harmonize/sync.o \
	src/common/rng.o \
	src/math/generate.o \
	src/harmonize/generate.o \
	src/harmonize/generate_events.o \
	src/harmonize/batch.o \
	src/harmonize/generate_journeys.o \
	src/harmonize/generate_geo.o \
	src/math/ridge.o \
	src/math/objective.o \
	src/math/search.o \
	src/math/pareto.o \
	src/math/diagnostics.o \
	src/model/fit.o \
	src/model/calibration.o \
	src/math/response.o \
	src/math/decompose.o \
	src/score/response.o \
	src/math/attribution/rules.o \
	src/math/attribution/markov.o \
	src/math/attribution/shapley.o \
	src/math/attribution/survival.o \
	src/math/attribution/transforms.o \
	src/attribution/paths.o \
	src/attribution/weights.o \
	src/attribution/transform_path.o \
	src/attribution/markov.o \
	src/attribution/path_models.o \
	src/attribution/algorithmic.o \
	src/attribution/credits.o \
	src/math/exact_sum.o \
	src/common/exact_sum.o \
	src/common/json.o \
	src/common/args.o \
	src/math/transform_grad.o \
	src/math/posterior/prior.o \
	src/math/posterior/model.o \
	src/math/posterior/nuts.o \
	src/math/posterior/mcmc_diag.o \
	src/math/posterior/sample.o \
	src/math/posterior/chains.o \
	src/math/posterior/derive.o \
	src/math/posterior/band.o \
	src/score/band.o \
	src/model/fit_bayes.o \
	src/model/sample_chains.o \
	src/math/drift.o \
	src/ops/drift.o \
	src/ops/autonomous.o \
	src/math/experiment/abtest.o \
	src/math/experiment/bayes.o \
	src/math/experiment/bandit.o \
	src/experiment/arms.o \
	src/experiment/abtest.o \
	src/experiment/posterior.o \
	src/experiment/arm_stats.o \
	src/experiment/bandit.o \
	src/math/experiment/units.o \
	src/experiment/generate.o \
	src/report/svg.o \
	src/report/svg_axis.o \
	src/report/svg_time.o \
	src/report/svg_bars.o \
	src/report/svg_curves.o \
	src/report/chart.o \
	src/math/scale/suffstats.o \
	src/scale/suffstats.o \
	src/math/geo/pool.o \
	src/model/geo.o

# Install SQL, in load order.
STAGE_SQL = \
	src/common/common.sql \
	src/common/exact_sum.sql \
	src/access/roles.sql \
	src/transform/adstock.sql \
	src/plan/optimize.sql \
	src/transform/saturation.sql \
	src/transform/calendar.sql \
	src/transform/metrics.sql \
	src/harmonize/audit.sql \
	src/harmonize/fields.sql \
	src/harmonize/rules.sql \
	src/harmonize/merge.sql \
	src/harmonize/sync.sql \
	src/harmonize/definitions.sql \
	src/harmonize/generate.sql \
	src/model/model.sql \
	src/model/limits.sql \
	src/model/train.sql \
	src/model/posterior.sql \
	src/model/calibration.sql \
	src/model/views.sql \
	src/score/score.sql \
	src/score/aggregate.sql \
	src/plan/plan_mult.sql \
	src/plan/create.sql \
	src/plan/compare.sql \
	src/plan/totals.sql \
	src/plan/bands.sql \
	src/model/window.sql \
	src/harmonize/overlap.sql \
	src/ops/audit.sql \
	src/ops/lifecycle.sql \
	src/ops/drift.sql \
	src/ops/schedule.sql \
	src/ops/status.sql \
	src/ops/comments.sql \
	src/experiment/abtest.sql \
	src/experiment/stats.sql \
	src/experiment/bandit.sql \
	src/experiment/analysis.sql \
	src/experiment/catalog.sql \
	src/experiment/lift.sql \
	src/experiment/generate.sql \
	src/experiment/comments.sql \
	src/report/chart.sql \
	src/report/model_charts.sql \
	src/report/data_chart.sql \
	src/report/plan_charts.sql \
	src/report/report.sql \
	src/scale/fit_metrics.sql \
	src/scale/train_source.sql \
	src/scale/suffstats.sql \
	src/model/geo.sql \
	src/attribution/primitives.sql \
	src/attribution/tables.sql \
	src/attribution/config.sql \
	src/attribution/attribute.sql \
	src/attribution/run.sql \
	src/attribution/unified.sql \
	src/attribution/views.sql \
	src/attribution/comments.sql \
	src/access/policies.sql

# The upgrade from the previous release is composed from src/upgrade/PREV--NEXT/*.sql (in
# name order) by tools/upgrade_sql; released install and upgrade scripts are frozen in
# src/upgrade/ and installed as they are, so the upgrade test can start from them.
UPGRADE_CHANGES = $(sort $(wildcard src/upgrade/$(PREVVERSION)--$(EXTVERSION)/*.sql))
DATA_built = mixmodel--$(EXTVERSION).sql mixmodel--$(PREVVERSION)--$(EXTVERSION).sql
DATA = $(wildcard src/upgrade/mixmodel--*.sql)
EXTRA_CLEAN = $(OBJS:.o=.d) mixmodel--$(EXTVERSION).sql mixmodel--$(PREVVERSION)--$(EXTVERSION).sql test/unit/run_unit regression.diffs regression.out results output_iso

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=$(EXTENSION) --inputdir=. --outputdir=.
# Isolation tests (concurrency): specs/NAME.spec, expected/NAME.out.
ISOLATION      = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --load-extension=$(EXTENSION)

PG_CONFIG ?= pg_config
# PostgreSQL's headers as system headers, so -Wextra judges only our code.
PG_CPPFLAGS += -I$(srcdir)/src -isystem $(shell $(PG_CONFIG) --includedir-server) $(shell pkg-config --cflags gsl lapacke)
# GSL's own CBLAS is replaced by the system BLAS (Debian alternatives: OpenBLAS).
SHLIB_LINK  += $(filter-out -lgslcblas,$(shell pkg-config --libs gsl lapacke)) -lblas -lm
# R's standalone mathematics library (r-mathlib): Beta distribution functions at any count
SHLIB_LINK  += -lRmath

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Rebuild an object when a header it includes changes (PGXS tracks no headers
# unless the server was configured with --enable-depend): a stale object built
# against an older struct layout would crash the backend.
override CPPFLAGS += -MMD -MP
-include $(OBJS:.o=.d)

mixmodel--$(EXTVERSION).sql: $(STAGE_SQL) Makefile
	{ printf '%s\n' '\echo Use "CREATE EXTENSION mixmodel" to load this file. \quit'; cat $(STAGE_SQL); } > $@

mixmodel--$(PREVVERSION)--$(EXTVERSION).sql: $(UPGRADE_CHANGES) $(STAGE_SQL) src/upgrade/mixmodel--$(PREVVERSION).sql tools/upgrade_sql Makefile
	$(srcdir)/tools/upgrade_sql $(PREVVERSION) $(EXTVERSION) $(UPGRADE_CHANGES) -- $(STAGE_SQL) > $@.tmp && mv $@.tmp $@

# Core unit tests: src/math (and the report's chart renderer) without a server.
UNIT_SRC = $(wildcard test/unit/*.c)
MATH_SRC = $(wildcard src/math/*.c src/math/*/*.c) $(wildcard src/report/svg*.c)
test/unit/run_unit: $(UNIT_SRC) $(MATH_SRC) $(wildcard src/math/*.h src/math/*/*.h src/report/svg.h test/unit/*.h)
	$(CC) -std=gnu99 -O2 -Wall -Wextra $(PG_CFLAGS) -Isrc $(shell pkg-config --cflags gsl lapacke) \
		-o $@ $(UNIT_SRC) $(MATH_SRC) \
		$(filter-out -lgslcblas,$(shell pkg-config --libs gsl lapacke)) -lblas -lRmath -lm -pthread

unittest: test/unit/run_unit
	test/unit/run_unit

prove:
	pg_prove --ext .sql -r test/pgtap

check-version:
	@grep -q "default_version = '$(EXTVERSION)'" mixmodel.control && \
	 grep -q '"version": "$(EXTVERSION)"' META.json && echo "version $(EXTVERSION) consistent"

.PHONY: unittest prove check-version
