/*
 * unit.h: a tiny TAP emitter for the core unit tests (no server, no postgres.h).
 */
#ifndef MM_UNIT_H
#define MM_UNIT_H

#include <math.h>
#include <stdio.h>

extern int	unit_count;
extern int	unit_failed;

/* Report one assertion as a TAP line. */
#define UNIT_OK(cond, ...) do { \
	unit_count++; \
	if (cond) printf("ok %d - ", unit_count); \
	else { unit_failed++; printf("not ok %d - ", unit_count); } \
	printf(__VA_ARGS__); printf("\n"); \
} while (0)

/* Assert |got - want| <= tol (absolute), naming the check. */
#define UNIT_NEAR(got, want, tol, ...) do { \
	double g_ = (got), w_ = (want); \
	int ok_ = fabs(g_ - w_) <= (tol) || (isnan(g_) && isnan(w_)); \
	UNIT_OK(ok_, __VA_ARGS__); \
	if (!ok_) printf("#   got %.17g, want %.17g\n", g_, w_); \
} while (0)

/* Each suite is a function; test/unit/main.c calls them in turn. */
void		test_status(void);
void		test_plan(void);
void		test_plan_flight(void);
void		test_plan_scurve(void);
void		test_plan_coupled(void);
void		test_plan_model(void);
void		test_adstock(void);
void		test_fuzz(void);
void		test_formula(void);
void		test_saturation(void);
void		test_generate(void);
void		test_pareto(void);
void		test_ridge(void);
void		test_search(void);
void		test_decompose(void);
void		test_response(void);
void		test_attribution(void);
void		test_exact_sum(void);
void		test_posterior(void);
void		test_drift(void);
void		test_experiment(void);
void		test_svg(void);
void		test_suffstats(void);
void		test_geo(void);

#endif
