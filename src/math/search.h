/*
 * search.h: training of a marketing-mix model (formulas §1-3, §8): design
 * building per candidate, the exact constrained ridge fit, the objectives,
 * and the hyperparameter search (quasi-random global exploration plus a
 * deterministic local pattern search), Pareto front and selection.
 *
 * Plain C: the caller owns every buffer (mm_search_work_size) and the GSL
 * objects (the quasi-random generator); nothing here allocates.
 */
#ifndef MM_SEARCH_H
#define MM_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_qrng.h>

#include "math/mm_status.h"
#include "math/mmm.h"
#include "math/objective.h"

/* Hyperparameters per channel, in this order, then one lambda_hp at the end. */
#define MM_HP_PER_CHANNEL 4		/* adstock p1, adstock p2, saturation p1, saturation p2 */

/*
 * Search box of one channel (media or organic).  Parameter meaning:
 *   adstock GEOMETRIC: p1 theta (p2 unused); WEIBULL_CDF/PDF: p1 shape,
 *   p2 Robyn's relative scale in [0, 1] (lambda from the whole series);
 *   DELAYED: p1 alpha, p2 peak; BINOMIAL: p1 alpha.
 *   saturation on a / max(a over the modelling window): HILL p1 alpha,
 *   p2 gamma (K = gamma max a, Robyn v3.12); MICHAELIS_MENTEN p1 V (fixed
 *   1), p2 gamma; POWER p1 theta; LOGISTIC p1 lambda; TANH p1 b, p2 c.
 * lo[i] == hi[i] fixes a parameter.
 */
typedef struct MMChannelBox
{
	MMAdstockKind adstock;
	int			max_lag;		/* lags 0..max_lag; -1 = recursive geometric; Weibull: whole series */
	bool		normalize;
	MMSaturationKind saturation;
	double		lo[MM_HP_PER_CHANNEL];
	double		hi[MM_HP_PER_CHANNEL];
	bool		paid;			/* counts in DECOMP.RSSD; organic otherwise */
} MMChannelBox;

/* One lift study (formulas §8.1) over window rows r0..r1 of one channel. */
typedef struct MMExperiment
{
	int			channel;
	int			r0,
				r1;
	double		lift_abs;
	double		scale;			/* lift days / decomposition days */
	bool		immediate;		/* scope immediate: carry-in from before the study removed */
	double		lift_se;		/* standard error of lift_abs (<= 0: none; Gaussian penalty off) */
} MMExperiment;

/*
 * Calibration axis of the Pareto front (formulas §8): Robyn's MAPE.LIFT, or the
 * Gaussian lift-study penalty (PyMC-style likelihood term, §8.2/§8.4 (b)), which
 * weighs each study by its precision 1/lift_se^2.
 */
typedef enum MMCalibration
{
	MM_CALIB_MAPE_LIFT = 0,
	MM_CALIB_GAUSSIAN
} MMCalibration;

typedef struct MMSearchData
{
	MMModelForm form;
	int			T;				/* rows of x: history before the window included */
	int			t0;				/* row of x where the modelling window starts */
	int			n;				/* rows of the modelling window */
	int			n_train;		/* first n_train window rows are fitted; the rest is holdout */
	int			n_val;			/* Robyn's ts_validation: the next n_val rows validate (NRMSE
								 * objective on them), the rest is test; 0 = no validation split */
	int			C;
	const double *x;			/* C x T media inputs, row-major */
	const double *spend;		/* C x n window spend (DECOMP.RSSD); organic rows ignored */
	const MMChannelBox *box;	/* C */
	int			F;
	const double *Z;			/* F x n fixed regressors over the window, row-major */
	const double *zlo;			/* F coefficient bounds (raw scale) */
	const double *zhi;
	const double *y;			/* n KPI (> 0 for multiplicative) */
	bool		intercept_nonneg;	/* Robyn's intercept_sign = non_negative */
	const double *prior;		/* C prior shares (NaN: none) or NULL */
	const double *prior_weight; /* C */
	int			E;
	const MMExperiment *exps;
	MMObjectiveWeights weights;
	MMCalibration calibration;	/* the fourth Pareto axis; its weight is weights.lift or weights.lift_gauss */
} MMSearchData;

/* Doubles and ints of workspace the search needs. */
extern long mm_search_work_size(const MMSearchData *d);
extern long mm_search_iwork_size(const MMSearchData *d);

/* Number of hyperparameters: C * MM_HP_PER_CHANNEL + 1 (lambda_hp). */
extern int	mm_search_dim(const MMSearchData *d);

/* Number of searched (free) dimensions, the dimension of the quasi-random sequence. */
extern int	mm_search_free_dim(const MMSearchData *d);

typedef struct MMSearch
{
	const MMSearchData *d;
	double	   *work;
	int		   *iwork;
	double		lambda_max;		/* Robyn's lambda_max (formulas §2.3) */
	double		y_sd;			/* population SD of the fitted KPI: glmnet's lambda scale */
	/* results of the last mm_candidate_eval, views into work */
	double	   *beta;			/* C + F raw-scale coefficients */
	double		intercept;
	bool		has_intercept;
	double		kkt;
	double	   *input_scale;	/* C */
	double	   *yhat;			/* n predictions (original scale) */
	double	   *contrib;		/* (1 + C + F) x n decomposition: base, channels, fixed */
	double	   *S;				/* C x n saturated media */
	MMMetrics	train,
				val,			/* validation rows (n 0 without the split) */
				test;
} MMSearch;

/* Set up the workspace; computes Robyn's lambda_max on the untransformed design. */
extern MMStatus mm_search_init(MMSearch *s, const MMSearchData *d, double *work, int *iwork);

/* Fit one candidate h (mm_search_dim values); fills s's result views and o. */
extern MMStatus mm_candidate_eval(MMSearch *s, const double *h, MMObjectives *o);

/* The channel specs of the last evaluated candidate h (absolute units). */
extern void mm_candidate_specs(const MMSearch *s, const double *h, MMChannelSpec *spec);

typedef struct MMCandidate
{
	MMObjectives obj;
	double		total;			/* mm_objective_total */
	double		lambda;
	int			front;			/* 1 = Pareto front, 0 = dominated or failed */
	bool		local;			/* found by the local refinement */
} MMCandidate;

typedef struct MMSearchOptions
{
	int			budget;			/* candidates in all */
	double		local_share;	/* share of the budget for local refinement, [0, 0.9] */
	int			local_starts;	/* best candidates the refinement starts from */
	gsl_qrng   *qrng;			/* quasi-random generator of mm_search_free_dim dims */
	const double *shift;		/* random shift of the sequence (free dims), in [0, 1) */
	MMInterruptFn interrupt;
	void		(*progress) (void *arg, int done, double best);
	void	   *progress_arg;
	int			progress_every;
	void	   *pareto_work;	/* mm_pareto_select_work(budget) bytes */
} MMSearchOptions;

/*
 * Run the search: fills H (budget x mm_search_dim, row-major) and cand
 * (budget), *n_done candidates evaluated, *chosen the selected one: among
 * Pareto front 1 of the active objectives, the least weighted squared
 * distance sum_i w_i z_i^2 to the utopia point, z_i each objective min-max
 * normalised over the front, w_i the objective weights.
 * MM_ESING when no candidate could be fitted.
 */
extern MMStatus mm_search_run(MMSearch *s, const MMSearchOptions *opt, double *H,
							  MMCandidate *cand, int *n_done, int *chosen);

/*
 * Mark Pareto front 1 of cand[0..n-1] and return the selected index (-1 if
 * none), in O(n log n) time (O(n log^2 n) with four active objectives);
 * work holds mm_pareto_select_work(n) bytes; interrupt may be NULL.
 */
extern size_t mm_pareto_select_work(int n);
extern int	mm_pareto_select(const MMSearchData *d, MMCandidate *cand, int n, void *work,
							 MMInterruptFn interrupt);

#endif
