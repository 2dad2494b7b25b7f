/*
 * search.c: one candidate model from its hyperparameters (transform, design,
 * exact constrained ridge, decomposition, objectives) and the search over
 * hyperparameters.
 *
 * Per candidate only the media columns change, so the fixed regressors are
 * copied into the design once; each evaluation adstocks and saturates the C
 * media series, overwrites their C columns and solves a p x p constrained
 * ridge (warm-started from the previous active set).  Nothing allocates.
 *
 * Search strategy (doc/model.md): a randomly shifted quasi-random sequence
 * (Sobol from GSL) covers the hyperparameter box with (1 - local_share) of
 * the budget; the rest refines the best candidates by a deterministic
 * coordinate pattern search on the scalar objective.  Every candidate is kept,
 * Pareto front 1 is marked and one is chosen by distance to the utopia point.
 */
#include <math.h>
#include <string.h>

#include "math/adstock.h"
#include "math/pareto.h"
#include "math/ridge.h"
#include "math/saturation.h"
#include "math/search.h"

/*
 * Logarithmic mean L(p, q) of formulas §2.2 (log_share).  decompose.c has
 * mm_log_mean; it is not in the build yet, so this stays private until it is.
 */
static double
log_mean(double p, double q)
{
	return p == q ? p : (p - q) / (log(p) - log(q));
}

int
mm_search_dim(const MMSearchData *d)
{
	return d->C * MM_HP_PER_CHANNEL + 1;
}

int
mm_search_free_dim(const MMSearchData *d)
{
	int			k = 1;

	for (int c = 0; c < d->C; c++)
		for (int i = 0; i < MM_HP_PER_CHANNEL; i++)
			k += d->box[c].hi[i] > d->box[c].lo[i];
	return k;
}

long
mm_search_work_size(const MMSearchData *d)
{
	long		p = d->C + d->F;
	long		D = mm_search_dim(d);

	return 2L * d->T				/* adstock output, weights */
		+ (long) d->C * d->n		/* S */
		+ (long) d->n_train * p		/* X */
		+ d->n_train				/* yfit */
		+ p							/* beta */
		+ mm_ridge_work(d->n_train, (int) p)
		+ d->C						/* input scale */
		+ 2L * d->n					/* yhat, eta */
		+ (p + 1) * d->n			/* contributions */
		+ 4L * d->C					/* effect, spend, share, g */
		+ 3L * D					/* local search: current, trial, steps */
		+ 3L * d->T;				/* immediate-scope experiments: masked input, two adstocks */
}

long
mm_search_iwork_size(const MMSearchData *d)
{
	return d->C + d->F;
}

MMStatus
mm_search_init(MMSearch *s, const MMSearchData *d, double *work, int *iwork)
{
	int			p = d->C + d->F;
	double	   *w = work;
	double	   *tmp;

	if (d->n < 2 || d->n_train < 2 || d->n_train > d->n || d->n_val < 0 ||
		d->n_train + d->n_val > d->n || d->t0 < 0 ||
		d->t0 > d->T - d->n || d->C < 0 || d->F < 0)
		return MM_EDOM;
	s->d = d;
	s->work = work;
	s->iwork = iwork;
	w += 2L * d->T;
	s->S = w;
	w += (size_t) d->C * d->n;
	w += (size_t) d->n_train * p;	/* X */
	w += d->n_train;				/* yfit */
	s->beta = w;
	w += p;
	w += mm_ridge_work(d->n_train, p);
	s->input_scale = w;
	w += d->C;
	s->yhat = w;
	w += 2L * d->n;
	s->contrib = w;
	for (int j = 0; j < p; j++)
		iwork[j] = MM_BOX_FREE;

	/* fixed columns of the design and the fitted KPI, once */
	{
		double	   *X = s->S + (size_t) d->C * d->n;
		double	   *yfit = X + (size_t) d->n_train * p;

		for (int k = 0; k < d->F; k++)
			memcpy(X + (size_t) (d->C + k) * d->n_train, d->Z + (size_t) k * d->n,
				   sizeof(double) * d->n_train);
		for (int t = 0; t < d->n_train; t++)
		{
			if (d->form == MM_FORM_MULTIPLICATIVE && !(d->y[t] > 0.0))
				return MM_EDOM;
			yfit[t] = d->form == MM_FORM_MULTIPLICATIVE ? log(d->y[t]) : d->y[t];
		}
	}

	/* Robyn's lambda_max on the untransformed window design (contrib area as scratch) */
	tmp = s->contrib;
	for (int c = 0; c < d->C; c++)
		memcpy(tmp + (size_t) c * d->n, d->x + (size_t) c * d->T + d->t0, sizeof(double) * d->n);
	for (int k = 0; k < d->F; k++)
		memcpy(tmp + (size_t) (d->C + k) * d->n, d->Z + (size_t) k * d->n, sizeof(double) * d->n);
	{
		double	   *yl = tmp + (size_t) p * d->n;

		for (int t = 0; t < d->n; t++)
		{
			if (d->form == MM_FORM_MULTIPLICATIVE && !(d->y[t] > 0.0))
				return MM_EDOM;
			yl[t] = d->form == MM_FORM_MULTIPLICATIVE ? log(d->y[t]) : d->y[t];
		}
		s->lambda_max = mm_ridge_lambda_max(tmp, d->n, p, yl);
		/* glmnet fits the gaussian family on y / sd(y), so its lambda acts as lambda / sd(y) on raw y */
		{
			double		m = 0.0,
						ss = 0.0;

			for (int t = 0; t < d->n_train; t++)
				m += yl[t];
			m /= d->n_train;
			for (int t = 0; t < d->n_train; t++)
				ss += (yl[t] - m) * (yl[t] - m);
			s->y_sd = sqrt(ss / d->n_train);
			if (!(s->y_sd > 0.0))
				s->y_sd = 1.0;
		}
	}
	if (!(s->lambda_max > 0.0))
		s->lambda_max = 1.0;	/* y constant or no regressors: any small penalty */
	return MM_OK;
}

/* Adstock of channel c's input x (T values) under h into a. */
static MMStatus
channel_adstock(const MMSearchData *d, int c, const double *x, const double *h, double *a,
				double *wts, double *lambda_abs, int *max_lag)
{
	const MMChannelBox *b = &d->box[c];
	double		p1 = h[0],
				p2 = h[1];
	int			L;
	MMStatus	st;

	*lambda_abs = p2;
	*max_lag = b->max_lag;
	if (b->adstock == MM_ADSTOCK_GEOMETRIC && b->max_lag < 0)
		return mm_adstock_geometric_recursive(x, d->T, p1, b->normalize, a);
	if (b->adstock == MM_ADSTOCK_WEIBULL_CDF || b->adstock == MM_ADSTOCK_WEIBULL_PDF)
	{
		st = mm_weibull_relative_lambda(p2, d->T, lambda_abs);
		if (st != MM_OK)
			return st;
		L = d->T;
		*max_lag = d->T - 1;
	}
	else
		L = b->max_lag + 1;
	st = mm_adstock_weights(b->adstock, p1, *lambda_abs, L, b->normalize, wts);
	if (st != MM_OK)
		return st;
	mm_adstock_convolve(x, d->T, wts, L, a);
	return MM_OK;
}

/*
 * Robyn's immediate scope (formulas §8.1 step 3): the carry-in from before a
 * study is coef * s((a_full - a_study) / input_scale) over the study rows,
 * a_study being the adstock of the input restarted at the study start.  In
 * the multiplicative form it is weighted like the channel's own
 * contribution (the period's log-mean factor).
 */
static double
carry_in(MMSearch *s, const double *h, const MMExperiment *x)
{
	const MMSearchData *d = s->d;
	int			c = x->channel,
				n = d->n,
				p = d->C + d->F;
	const double *hc = h + c * MM_HP_PER_CHANNEL;
	const double *in = d->x + (size_t) c * d->T;
	double	   *wts = s->work + d->T;
	double	   *xs = s->contrib + (size_t) (p + 1) * n + 4L * d->C + 3L * mm_search_dim(d);
	double	   *afull = xs + d->T;
	double	   *astudy = afull + d->T;
	double		lam,
				total = 0.0;
	int			ml;

	if (channel_adstock(d, c, in, hc, afull, wts, &lam, &ml) != MM_OK)
		return NAN;
	for (int u = 0; u < d->T; u++)
		xs[u] = (u >= d->t0 + x->r0 && u <= d->t0 + x->r1) ? in[u] : 0.0;
	if (channel_adstock(d, c, xs, hc, astudy, wts, &lam, &ml) != MM_OK)
		return NAN;
	for (int t = x->r0; t <= x->r1; t++)
	{
		double		g = s->beta[c] * s->S[(size_t) c * n + t];
		double		weight = g != 0.0 ? s->contrib[(size_t) (1 + c) * n + t] / g : 1.0;
		double		carry = fmax(afull[d->t0 + t] - astudy[d->t0 + t], 0.0);

		total += weight * s->beta[c] *
			mm_saturation(d->box[c].saturation, hc[2], hc[3], carry / s->input_scale[c]);
	}
	return total;
}

MMStatus
mm_candidate_eval(MMSearch *s, const double *h, MMObjectives *o)
{
	const MMSearchData *d = s->d;
	int			C = d->C,
				F = d->F,
				n = d->n,
				nt = d->n_train,
				p = C + F;
	double	   *a = s->work;
	double	   *wts = a + d->T;
	double	   *X = s->S + (size_t) C * n;
	double	   *yfit = X + (size_t) nt * p;
	double	   *rwork = s->beta + p;
	double	   *eta = s->yhat + n;
	double	   *effect = s->contrib + (size_t) (p + 1) * n;
	double	   *spend = effect + C;
	double	   *share = spend + C;
	double		lambda = mm_ridge_lambda(s->lambda_max, h[C * MM_HP_PER_CHANNEL]) / s->y_sd;
	MMRidgeProblem prob = {nt, p, X, yfit, NULL, NULL, NULL, lambda, true};
	double		lower[64],
				upper[64];
	MMRidgeFit	fit;
	MMStatus	st;
	bool		mult = d->form == MM_FORM_MULTIPLICATIVE;

	for (int i = 0; i < MM_NOBJ; i++)
		o->v[i] = NAN;
	o->lift_gauss = NAN;
	if (p > 64)
		return MM_ENOMEM;

	/* media columns: adstock over the whole series, saturate the window on a / max */
	for (int c = 0; c < C; c++)
	{
		const double *hc = h + c * MM_HP_PER_CHANNEL;
		const MMChannelBox *b = &d->box[c];
		double		lam,
					amax = 0.0;
		int			ml;
		double	   *sc = s->S + (size_t) c * n;

		st = channel_adstock(d, c, d->x + (size_t) c * d->T, hc, a, wts, &lam, &ml);
		if (st != MM_OK)
			return st;
		for (int t = 0; t < n; t++)
			amax = fmax(amax, a[d->t0 + t]);
		s->input_scale[c] = amax > 0.0 ? amax : 1.0;
		for (int t = 0; t < n; t++)
			sc[t] = mm_saturation(b->saturation, hc[2], hc[3], a[d->t0 + t] / s->input_scale[c]);
		memcpy(X + (size_t) c * nt, sc, sizeof(double) * nt);
		lower[c] = 0.0;			/* media: positive sign */
		upper[c] = INFINITY;
	}
	for (int k = 0; k < F; k++)
	{
		lower[C + k] = d->zlo ? d->zlo[k] : -INFINITY;
		upper[C + k] = d->zhi ? d->zhi[k] : INFINITY;
	}
	prob.lower = lower;
	prob.upper = upper;

	st = mm_ridge_fit_robyn(&prob, d->intercept_nonneg, s->beta, &fit, s->iwork, true, rwork);
	if (st != MM_OK)
	{
		/* a failed warm start must not leak into the next candidate */
		for (int j = 0; j < p; j++)
			s->iwork[j] = MM_BOX_FREE;
		return st;
	}
	s->intercept = fit.intercept;
	s->has_intercept = fit.has_intercept;
	s->kkt = fit.kkt;

	/* prediction and decomposition over the window */
	for (int t = 0; t < n; t++)
	{
		double		e = s->intercept,
					g = 0.0;

		for (int c = 0; c < C; c++)
		{
			double		v = s->beta[c] * s->S[(size_t) c * n + t];

			g += v;
			s->contrib[(size_t) (1 + c) * n + t] = v;
		}
		e += g;
		for (int k = 0; k < F; k++)
		{
			double		v = s->beta[C + k] * d->Z[(size_t) k * n + t];

			e += v;
			s->contrib[(size_t) (1 + C + k) * n + t] = v;
		}
		eta[t] = e;
		if (!mult)
		{
			s->yhat[t] = e;
			s->contrib[t] = s->intercept;
		}
		else
		{
			double		yh = exp(e);
			double		B = exp(e - g);
			double		P = exp(s->intercept);
			double		Lc = log_mean(yh, B);
			double		Lf = log_mean(B, P);

			if (!isfinite(yh) || !isfinite(B))
				return MM_EOVRFLW;
			s->yhat[t] = yh;
			s->contrib[t] = P;
			for (int c = 0; c < C; c++)
				s->contrib[(size_t) (1 + c) * n + t] *= Lc;
			for (int k = 0; k < F; k++)
				s->contrib[(size_t) (1 + C + k) * n + t] *= Lf;
		}
	}

	mm_metrics(d->y, s->yhat, nt, p, fit.has_intercept ? 1 : 0, nt, &s->train);
	mm_metrics(d->y + nt, s->yhat + nt, d->n_val, p, fit.has_intercept ? 1 : 0, nt, &s->val);
	mm_metrics(d->y + nt + d->n_val, s->yhat + nt + d->n_val, n - nt - d->n_val, p,
			   fit.has_intercept ? 1 : 0, nt, &s->test);

	/* business objectives over the training rows */
	{
		double		total = 0.0;
		bool		paid[64];

		for (int t = 0; t < nt; t++)
			total += s->yhat[t];
		for (int c = 0; c < C; c++)
		{
			effect[c] = spend[c] = 0.0;
			for (int t = 0; t < nt; t++)
			{
				effect[c] += s->contrib[(size_t) (1 + c) * n + t];
				if (d->spend)
					spend[c] += d->spend[(size_t) c * n + t];
			}
			share[c] = total != 0.0 ? effect[c] / total : 0.0;
			paid[c] = d->box[c].paid;
		}
		/* with a validation split the loss is NRMSE on it (Robyn's ts_validation) */
		o->v[0] = d->n_val > 0 ? s->val.nrmse : s->train.nrmse;
		o->v[1] = mm_decomp_rssd(effect, spend, paid, C);
		if (d->prior)
			o->v[2] = mm_prior_distance(share, d->prior, d->prior_weight, C);
	}
	if (d->E > 0)
	{
		double		sum = 0.0,
					gauss = 0.0;
		int			k = 0,
					kg = 0;

		for (int e = 0; e < d->E; e++)
		{
			const MMExperiment *x = &d->exps[e];
			double		pred = 0.0;

			for (int t = x->r0; t <= x->r1; t++)
				pred += s->contrib[(size_t) (1 + x->channel) * n + t];
			if (x->immediate)
				pred -= carry_in(s, h, x);
			if (x->lift_abs != 0.0)
			{
				sum += fabs(pred * x->scale - x->lift_abs) / fabs(x->lift_abs);
				k++;
			}
			if (!isnan(mm_lift_gaussian(pred * x->scale, x->lift_abs, x->lift_se)))
			{
				gauss += mm_lift_gaussian(pred * x->scale, x->lift_abs, x->lift_se);
				kg++;
			}
		}
		o->v[3] = k > 0 ? sum / k : NAN;
		o->lift_gauss = kg > 0 ? gauss : NAN;
	}
	return MM_OK;
}

void
mm_candidate_specs(const MMSearch *s, const double *h, MMChannelSpec *spec)
{
	const MMSearchData *d = s->d;

	for (int c = 0; c < d->C; c++)
	{
		const MMChannelBox *b = &d->box[c];
		const double *hc = h + c * MM_HP_PER_CHANNEL;
		MMChannelSpec *sp = &spec[c];

		sp->adstock = b->adstock;
		sp->adstock_p1 = hc[0];
		sp->adstock_p2 = hc[1];
		sp->max_lag = b->max_lag;
		sp->adstock_normalize = b->normalize;
		if (b->adstock == MM_ADSTOCK_WEIBULL_CDF || b->adstock == MM_ADSTOCK_WEIBULL_PDF)
		{
			(void) mm_weibull_relative_lambda(hc[1], d->T, &sp->adstock_p2);
			sp->max_lag = d->T - 1;
		}
		sp->saturation = b->saturation;
		sp->sat_p1 = hc[2];
		sp->sat_p2 = hc[3];
		sp->input_scale = s->input_scale[c];
		sp->coef = s->beta[c];
	}
}

/* ---- Pareto front and selection ---- */

static bool
active_objective(const MMSearchData *d, int i)
{
	return i < 2 || (i == 2 && d->prior != NULL) || (i == 3 && d->E > 0);
}

/* objective i of a candidate as the front sees it: axis 3 is the calibration error */
static double
axis_value(const MMSearchData *d, const MMCandidate *c, int i)
{
	if (i == 3 && d->calibration == MM_CALIB_GAUSSIAN)
		return c->obj.lift_gauss;
	return c->obj.v[i];
}

static bool
usable(const MMCandidate *c)
{
	return !isnan(c->obj.v[0]) && isfinite(c->total);
}

size_t
mm_pareto_select_work(int n)
{
	return (size_t) (n > 0 ? n : 1) * sizeof(MMParetoPoint) + mm_pareto_work(n);
}

/*
 * Front 1 under the active objectives (NaN counts as +infinity; exact
 * duplicates keep the first), by mm_pareto_front in O(n log n) (O(n log^2 n)
 * with all four objectives), then the least weighted distance to the utopia
 * point in index order.
 */
int
mm_pareto_select(const MMSearchData *d, MMCandidate *cand, int n, void *work,
				 MMInterruptFn interrupt)
{
	MMParetoPoint *pts = work;
	double		lo[MM_NOBJ],
				hi[MM_NOBJ],
				best = INFINITY;
	int			axes[MM_NOBJ],
				nk = 0,
				m = 0,
				chosen = -1;

	for (int i = 0; i < MM_NOBJ; i++)
		if (active_objective(d, i))
			axes[nk++] = i;
	for (int i = 0; i < n; i++)
	{
		cand[i].front = 0;
		if (!usable(&cand[i]))
			continue;
		for (int j = 0; j < nk; j++)
		{
			double		v = axis_value(d, &cand[i], axes[j]);

			pts[m].key[j] = isnan(v) ? INFINITY : v;
		}
		pts[m].tie = &cand[i].obj;
		pts[m].tie_len = sizeof(MMObjectives);
		pts[m].index = i;
		m++;
	}
	if (mm_pareto_front(pts, m, nk, (char *) work + (size_t) (n > 0 ? n : 1) * sizeof(MMParetoPoint),
						interrupt) != MM_OK)
		return -1;
	for (int j = 0; j < m; j++)
		cand[pts[j].index].front = pts[j].front;

	for (int k = 0; k < MM_NOBJ; k++)
		lo[k] = INFINITY, hi[k] = -INFINITY;
	for (int i = 0; i < n; i++)
		if (cand[i].front == 1)
			for (int k = 0; k < MM_NOBJ; k++)
				if (active_objective(d, k) && isfinite(axis_value(d, &cand[i], k)))
				{
					lo[k] = fmin(lo[k], axis_value(d, &cand[i], k));
					hi[k] = fmax(hi[k], axis_value(d, &cand[i], k));
				}
	{
		const double w[MM_NOBJ] = {d->weights.nrmse, d->weights.rssd, d->weights.prior,
		d->calibration == MM_CALIB_GAUSSIAN ? d->weights.lift_gauss : d->weights.lift};

	for (int i = 0; i < n; i++)
	{
		double		dist = 0.0;

		if (cand[i].front != 1)
			continue;
		for (int k = 0; k < MM_NOBJ; k++)
		{
			double		v = axis_value(d, &cand[i], k),
						z;

			if (!active_objective(d, k))
				continue;
			if (!isfinite(v))
				z = 1.0;
			else
				z = hi[k] > lo[k] ? (v - lo[k]) / (hi[k] - lo[k]) : 0.0;
			dist += w[k] * z * z;
		}
		if (dist < best)
			best = dist, chosen = i;
	}
	}
	return chosen;
}

/* ---- the search ---- */

static void
record(MMSearch *s, const double *h, MMCandidate *c, MMStatus st, const MMObjectives *o,
	   bool local)
{
	const MMSearchData *d = s->d;

	c->obj = *o;
	c->local = local;
	c->front = 0;
	c->lambda = mm_ridge_lambda(s->lambda_max, h[d->C * MM_HP_PER_CHANNEL]);
	c->total = st == MM_OK ? mm_objective_total(o, &d->weights) : INFINITY;
	if (isnan(c->total))
		c->total = INFINITY;
}

/* map a point of the free unit cube to a full hyperparameter vector */
static void
from_unit(const MMSearchData *d, const double *u, double *h)
{
	int			k = 0;

	for (int c = 0; c < d->C; c++)
		for (int i = 0; i < MM_HP_PER_CHANNEL; i++)
		{
			double		lo = d->box[c].lo[i],
						hi = d->box[c].hi[i];

			h[c * MM_HP_PER_CHANNEL + i] = hi > lo ? lo + u[k++] * (hi - lo) : lo;
		}
	h[d->C * MM_HP_PER_CHANNEL] = u[k];
}

static void
to_unit(const MMSearchData *d, const double *h, double *u)
{
	int			k = 0;

	for (int c = 0; c < d->C; c++)
		for (int i = 0; i < MM_HP_PER_CHANNEL; i++)
		{
			double		lo = d->box[c].lo[i],
						hi = d->box[c].hi[i];

			if (hi > lo)
				u[k++] = (h[c * MM_HP_PER_CHANNEL + i] - lo) / (hi - lo);
		}
	u[k] = h[d->C * MM_HP_PER_CHANNEL];
}

MMStatus
mm_search_run(MMSearch *s, const MMSearchOptions *opt, double *H, MMCandidate *cand,
			  int *n_done, int *chosen)
{
	const MMSearchData *d = s->d;
	int			D = mm_search_dim(d);
	int			K = mm_search_free_dim(d);
	int			budget = opt->budget;
	int			n_global = budget - (int) floor(opt->local_share * budget);
	int			done = 0;
	double	   *ucur = s->contrib + (size_t) (d->C + d->F + 1) * d->n + 4L * d->C;
	double	   *utry = ucur + D;
	double	   *step = utry + D;
	double		best = INFINITY;
	double		q[64 * MM_HP_PER_CHANNEL + 1];
	MMObjectives o;
	MMStatus	st;

	if (budget < 1 || K > (int) (sizeof(q) / sizeof(q[0])))
		return MM_EDOM;
	if (n_global < 1)
		n_global = 1;

	/* global: shifted quasi-random points of the free box */
	for (; done < n_global; done++)
	{
		gsl_qrng_get(opt->qrng, q);
		for (int k = 0; k < K; k++)
		{
			q[k] += opt->shift[k];
			q[k] -= floor(q[k]);
		}
		from_unit(d, q, H + (size_t) done * D);
		st = mm_candidate_eval(s, H + (size_t) done * D, &o);
		record(s, H + (size_t) done * D, &cand[done], st, &o, false);
		best = fmin(best, cand[done].total);
		if (opt->interrupt)
			opt->interrupt();
		if (opt->progress && opt->progress_every > 0 && (done + 1) % opt->progress_every == 0)
			opt->progress(opt->progress_arg, done + 1, best);
	}

	/* local: coordinate pattern search from the best starts by the scalar objective */
	for (int start = 0; start < opt->local_starts && done < budget; start++)
	{
		int			from = -1;
		double		fcur;

		/* the start-th best distinct global candidate */
		{
			double		prev = -INFINITY;
			int			prev_i = -1;

			for (int r = 0; r <= start; r++)
			{
				from = -1;
				for (int i = 0; i < n_global; i++)
				{
					double		v = cand[i].total;

					if (!isfinite(v) || v < prev || (v == prev && i <= prev_i))
						continue;
					if (from < 0 || v < cand[from].total)
						from = i;
				}
				if (from < 0)
					break;
				prev = cand[from].total;
				prev_i = from;
			}
		}
		if (from < 0)
			break;
		to_unit(d, H + (size_t) from * D, ucur);
		fcur = cand[from].total;
		for (int k = 0; k < K; k++)
			step[k] = 0.125;
		while (done < budget)
		{
			bool		improved = false;
			double		smax = 0.0;

			for (int k = 0; k < K && done < budget; k++)
				for (int sgn = -1; sgn <= 1 && done < budget; sgn += 2)
				{
					double		v = ucur[k] + sgn * step[k];

					/* a step past the box stops at its face */
					v = fmin(fmax(v, 0.0), 1.0);
					if (v == ucur[k])
						continue;
					memcpy(utry, ucur, sizeof(double) * K);
					utry[k] = v;
					from_unit(d, utry, H + (size_t) done * D);
					st = mm_candidate_eval(s, H + (size_t) done * D, &o);
					record(s, H + (size_t) done * D, &cand[done], st, &o, true);
					if (cand[done].total < fcur)
					{
						fcur = cand[done].total;
						ucur[k] = v;
						improved = true;
					}
					best = fmin(best, cand[done].total);
					done++;
					if (opt->interrupt)
						opt->interrupt();
					if (opt->progress && opt->progress_every > 0 && done % opt->progress_every == 0)
						opt->progress(opt->progress_arg, done, best);
					if (improved)
						break;
				}
			if (!improved)
			{
				for (int k = 0; k < K; k++)
				{
					step[k] *= 0.5;
					smax = fmax(smax, step[k]);
				}
				if (smax < 1.0 / 512)
					break;
			}
		}
	}

	*n_done = done;
	if (opt->pareto_work == NULL)
		return MM_ENOMEM;
	*chosen = mm_pareto_select(d, cand, done, opt->pareto_work, opt->interrupt);
	return *chosen < 0 ? MM_ESING : MM_OK;
}
