/*
 * nuts.c: the No-U-Turn sampler with Stan's warm-up (nuts.h).
 *
 * The transition follows the multinomial NUTS of Betancourt (2017),
 * appendix A.3-A.4, as Stan's base_nuts implements it: a trajectory doubled
 * forwards or backwards at random, each new subtree built recursively,
 * states drawn in proportion to exp(-H) with a bias to the newer subtree,
 * and the U-turn criterion p_sharp . rho > 0 checked over the merged tree
 * and across the seams between subtrees.  Divergence: H rises by more than
 * 1000 over the start.  The metric M^-1 is a diagonal or dense covariance.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <lapacke.h>

#include "math/posterior/nuts.h"

#define MAX_DELTA_H 1000.0

typedef struct Point
{
	double	   *q,
			   *p,
			   *g;				/* position, momentum, gradient of lp */
	double		lp;
} Point;

/* per tree depth: what one level of build_tree keeps across its two halves */
typedef struct Level
{
	Point		propose_final;
	double	   *p_init_end,
			   *ps_init_end,
			   *rho_init,
			   *p_final_beg,
			   *ps_final_beg,
			   *rho_final,
			   *rho_ext;
} Level;

typedef struct Nuts
{
	MMLogDensityFn f;
	void	   *arg;
	int			dim;
	gsl_rng    *rng;
	double		eps;
	bool		dense;
	double	   *minv;			/* diag: dim variances; dense: dim x dim covariance */
	double	   *chol;			/* dense: its Cholesky factor (lower, column-major) */
	double	   *tmp;
	Level	   *level;
	long		grads;
	bool		divergent;
} Nuts;

static double
dot(const double *a, const double *b, int n)
{
	double		s = 0.0;

	for (int i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

static void
copy_point(Point *to, const Point *from, int dim)
{
	memcpy(to->q, from->q, sizeof(double) * dim);
	memcpy(to->p, from->p, sizeof(double) * dim);
	memcpy(to->g, from->g, sizeof(double) * dim);
	to->lp = from->lp;
}

/* velocity v = M^-1 p (the gradient of the kinetic energy in p: Stan's p_sharp) */
static void
velocity(const Nuts *s, const double *p, double *v)
{
	if (!s->dense)
	{
		for (int i = 0; i < s->dim; i++)
			v[i] = s->minv[i] * p[i];
		return;
	}
	for (int i = 0; i < s->dim; i++)
	{
		double		acc = 0.0;

		for (int j = 0; j < s->dim; j++)
			acc += s->minv[(size_t) j * s->dim + i] * p[j];
		v[i] = acc;
	}
}

static double
hamiltonian(Nuts *s, const Point *z)
{
	velocity(s, z->p, s->tmp);
	return -z->lp + 0.5 * dot(z->p, s->tmp, s->dim);
}

/* p ~ N(0, M): diag p_i = z_i / sqrt(minv_i); dense p = L^-T z with M^-1 = L L' */
static void
sample_momentum(Nuts *s, double *p)
{
	for (int i = 0; i < s->dim; i++)
		p[i] = gsl_ran_ugaussian(s->rng);
	if (!s->dense)
	{
		for (int i = 0; i < s->dim; i++)
			p[i] /= sqrt(s->minv[i]);
		return;
	}
	(void) LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'L', 'T', 'N', s->dim, 1, s->chol, s->dim, p, s->dim);
}

static void
leapfrog(Nuts *s, Point *z, double eps)
{
	int			d = s->dim;

	for (int i = 0; i < d; i++)
		z->p[i] += 0.5 * eps * z->g[i];
	velocity(s, z->p, s->tmp);
	for (int i = 0; i < d; i++)
		z->q[i] += eps * s->tmp[i];
	z->lp = s->f(s->arg, z->q, z->g);
	s->grads++;
	if (!isfinite(z->lp))
	{
		z->lp = -INFINITY;
		return;
	}
	for (int i = 0; i < d; i++)
		z->p[i] += 0.5 * eps * z->g[i];
}

static double
log_sum_exp(double a, double b)
{
	if (a == -INFINITY)
		return b;
	if (b == -INFINITY)
		return a;
	return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

static bool
criterion(const double *ps_minus, const double *ps_plus, const double *rho, int d)
{
	return dot(ps_plus, rho, d) > 0.0 && dot(ps_minus, rho, d) > 0.0;
}

/*
 * Build a subtree of 2^depth leapfrog steps from z in direction sign (Stan's
 * base_nuts::build_tree): z_propose the state drawn from it, ps_beg/ps_end
 * the velocities and p_beg/p_end the momenta at its ends, rho += its summed
 * momenta, log_sum_weight += log sum exp(H0 - H) over its states.
 */
static bool
build_tree(Nuts *s, int depth, Point *z, Point *z_propose, double *ps_beg, double *ps_end,
		   double *rho, double *p_beg, double *p_end, double H0, double sign,
		   int *n_leapfrog, double *log_sum_weight, double *sum_metro_prob)
{
	int			d = s->dim;
	Level	   *lv;
	double		lsw_init = -INFINITY,
				lsw_final = -INFINITY,
				lsw_sub;
	bool		persist;

	if (depth == 0)
	{
		double		h;

		leapfrog(s, z, sign * s->eps);
		++*n_leapfrog;
		h = z->lp == -INFINITY ? INFINITY : hamiltonian(s, z);
		if (isnan(h))
			h = INFINITY;
		if (h - H0 > MAX_DELTA_H)
			s->divergent = true;
		*log_sum_weight = log_sum_exp(*log_sum_weight, H0 - h);
		*sum_metro_prob += H0 - h > 0.0 ? 1.0 : exp(H0 - h);
		copy_point(z_propose, z, d);
		velocity(s, z->p, ps_beg);
		memcpy(ps_end, ps_beg, sizeof(double) * d);
		for (int i = 0; i < d; i++)
			rho[i] += z->p[i];
		memcpy(p_beg, z->p, sizeof(double) * d);
		memcpy(p_end, z->p, sizeof(double) * d);
		return !s->divergent;
	}

	lv = &s->level[depth];
	memset(lv->rho_init, 0, sizeof(double) * d);
	if (!build_tree(s, depth - 1, z, z_propose, ps_beg, lv->ps_init_end, lv->rho_init,
					p_beg, lv->p_init_end, H0, sign, n_leapfrog, &lsw_init, sum_metro_prob))
		return false;
	memset(lv->rho_final, 0, sizeof(double) * d);
	if (!build_tree(s, depth - 1, z, &lv->propose_final, lv->ps_final_beg, ps_end, lv->rho_final,
					lv->p_final_beg, p_end, H0, sign, n_leapfrog, &lsw_final, sum_metro_prob))
		return false;

	/* multinomial draw between the halves, biased to the final one */
	lsw_sub = log_sum_exp(lsw_init, lsw_final);
	*log_sum_weight = log_sum_exp(*log_sum_weight, lsw_sub);
	if (lsw_final > lsw_sub || gsl_rng_uniform(s->rng) < exp(lsw_final - lsw_sub))
		copy_point(z_propose, &lv->propose_final, d);

	for (int i = 0; i < d; i++)
	{
		double		sub = lv->rho_init[i] + lv->rho_final[i];

		rho[i] += sub;
		lv->rho_ext[i] = sub;
	}
	persist = criterion(ps_beg, ps_end, lv->rho_ext, d);
	for (int i = 0; i < d; i++)
		lv->rho_ext[i] = lv->rho_init[i] + lv->p_final_beg[i];
	persist = persist && criterion(ps_beg, lv->ps_final_beg, lv->rho_ext, d);
	for (int i = 0; i < d; i++)
		lv->rho_ext[i] = lv->rho_final[i] + lv->p_init_end[i];
	persist = persist && criterion(lv->ps_init_end, ps_end, lv->rho_ext, d);
	return persist;
}

/* buffers of one transition, carved from work */
typedef struct Trans
{
	Point		z,
				fwd,
				bck,
				sample,
				propose;
	double	   *rho,
			   *rho_fwd,
			   *rho_bck,
			   *rho_ext,
			   *ps_fwd_bck,
			   *ps_fwd_fwd,
			   *p_fwd_bck,
			   *p_fwd_fwd,
			   *ps_bck_fwd,
			   *ps_bck_bck,
			   *p_bck_fwd,
			   *p_bck_bck;
} Trans;

/*
 * One NUTS transition from cur (Stan's base_nuts::transition); cur becomes
 * the new state.  *accept gets the mean Metropolis acceptance of the tree.
 */
static void
transition(Nuts *s, Trans *tr, Point *cur, int max_depth, double *accept, int *depth_out)
{
	int			d = s->dim,
				depth = 0,
				n_leapfrog = 0;
	double		H0,
				log_sum_weight = 0.0,
				sum_metro_prob = 0.0;

	s->divergent = false;
	sample_momentum(s, cur->p);
	copy_point(&tr->z, cur, d);
	copy_point(&tr->fwd, cur, d);
	copy_point(&tr->bck, cur, d);
	copy_point(&tr->sample, cur, d);
	H0 = hamiltonian(s, cur);
	velocity(s, cur->p, tr->ps_fwd_bck);
	memcpy(tr->ps_fwd_fwd, tr->ps_fwd_bck, sizeof(double) * d);
	memcpy(tr->ps_bck_fwd, tr->ps_fwd_bck, sizeof(double) * d);
	memcpy(tr->ps_bck_bck, tr->ps_fwd_bck, sizeof(double) * d);
	memcpy(tr->p_fwd_bck, cur->p, sizeof(double) * d);
	memcpy(tr->p_fwd_fwd, cur->p, sizeof(double) * d);
	memcpy(tr->p_bck_fwd, cur->p, sizeof(double) * d);
	memcpy(tr->p_bck_bck, cur->p, sizeof(double) * d);
	memcpy(tr->rho, cur->p, sizeof(double) * d);

	while (depth < max_depth)
	{
		double		lsw_sub = -INFINITY;
		bool		valid,
					persist;

		memset(tr->rho_fwd, 0, sizeof(double) * d);
		memset(tr->rho_bck, 0, sizeof(double) * d);
		if (gsl_rng_uniform(s->rng) > 0.5)
		{
			copy_point(&tr->z, &tr->fwd, d);
			memcpy(tr->rho_bck, tr->rho, sizeof(double) * d);
			memcpy(tr->p_bck_fwd, tr->p_fwd_bck, sizeof(double) * d);
			memcpy(tr->ps_bck_fwd, tr->ps_fwd_bck, sizeof(double) * d);
			valid = build_tree(s, depth, &tr->z, &tr->propose, tr->ps_fwd_bck, tr->ps_fwd_fwd,
							   tr->rho_fwd, tr->p_fwd_bck, tr->p_fwd_fwd, H0, 1.0,
							   &n_leapfrog, &lsw_sub, &sum_metro_prob);
			copy_point(&tr->fwd, &tr->z, d);
		}
		else
		{
			copy_point(&tr->z, &tr->bck, d);
			memcpy(tr->rho_fwd, tr->rho, sizeof(double) * d);
			memcpy(tr->p_fwd_bck, tr->p_bck_fwd, sizeof(double) * d);
			memcpy(tr->ps_fwd_bck, tr->ps_bck_fwd, sizeof(double) * d);
			valid = build_tree(s, depth, &tr->z, &tr->propose, tr->ps_bck_fwd, tr->ps_bck_bck,
							   tr->rho_bck, tr->p_bck_fwd, tr->p_bck_bck, H0, -1.0,
							   &n_leapfrog, &lsw_sub, &sum_metro_prob);
			copy_point(&tr->bck, &tr->z, d);
		}
		if (!valid)
			break;
		++depth;
		if (lsw_sub > log_sum_weight || gsl_rng_uniform(s->rng) < exp(lsw_sub - log_sum_weight))
			copy_point(&tr->sample, &tr->propose, d);
		log_sum_weight = log_sum_exp(log_sum_weight, lsw_sub);

		for (int i = 0; i < d; i++)
			tr->rho[i] = tr->rho_bck[i] + tr->rho_fwd[i];
		persist = criterion(tr->ps_bck_bck, tr->ps_fwd_fwd, tr->rho, d);
		for (int i = 0; i < d; i++)
			tr->rho_ext[i] = tr->rho_bck[i] + tr->p_fwd_bck[i];
		persist = persist && criterion(tr->ps_bck_bck, tr->ps_fwd_bck, tr->rho_ext, d);
		for (int i = 0; i < d; i++)
			tr->rho_ext[i] = tr->rho_fwd[i] + tr->p_bck_fwd[i];
		persist = persist && criterion(tr->ps_bck_fwd, tr->ps_fwd_fwd, tr->rho_ext, d);
		if (!persist)
			break;
	}
	*accept = n_leapfrog > 0 ? sum_metro_prob / n_leapfrog : 0.0;
	*depth_out = depth;
	copy_point(cur, &tr->sample, d);
}

/* Stan's init_stepsize: double or halve eps until one step's acceptance crosses 0.8 */
static MMStatus
init_stepsize(Nuts *s, Point *cur, Point *z)
{
	int			direction = 0;

	if (!(s->eps > 0.0) || s->eps > 1e7)
		return MM_OK;
	for (int iter = 0; iter < 200; iter++)
	{
		double		H0,
					h,
					delta;

		copy_point(z, cur, s->dim);
		sample_momentum(s, z->p);
		H0 = hamiltonian(s, z);
		leapfrog(s, z, s->eps);
		h = z->lp == -INFINITY ? INFINITY : hamiltonian(s, z);
		if (isnan(h))
			h = INFINITY;
		delta = H0 - h;
		if (direction == 0)
			direction = delta > log(0.8) ? 1 : -1;
		else if ((direction == 1 && !(delta > log(0.8))) || (direction == -1 && !(delta < log(0.8))))
			return MM_OK;
		s->eps = direction == 1 ? 2.0 * s->eps : 0.5 * s->eps;
		if (s->eps > 1e7 || s->eps < 1e-300)
			return MM_ENOCONV;
	}
	return MM_OK;
}

long
mm_nuts_work_size(int dim, const MMNutsOptions *opt)
{
	long		d = dim;

	return (long) (opt->max_depth + 1) * 10 * d	/* levels */
		+ 5 * 3 * d + 12 * d	/* transition points and vectors */
		+ 3 * d					/* current point */
		+ 2 * d * d + 2 * d		/* metric, Cholesky, tmp, mean */
		+ d * d + d;			/* Welford sums */
}

static double *
take(double **w, long n)
{
	double	   *p = *w;

	*w += n;
	return p;
}

static void
take_point(Point *pt, double **w, int d)
{
	pt->q = take(w, d);
	pt->p = take(w, d);
	pt->g = take(w, d);
	pt->lp = 0.0;
}

/* Stan's adaptation windows: the end (exclusive) of the window that contains iteration i */
static int
window_end(int warmup, int i)
{
	int			init_buffer = 75,
				term_buffer = 50,
				base = 25,
				end;

	if (warmup < 20)
		return -1;
	if (init_buffer + base + term_buffer > warmup)
	{
		/* Stan's fallback for short warm-ups: 15% / 75% / 10% */
		init_buffer = (int) (0.15 * warmup);
		term_buffer = (int) (0.1 * warmup);
		base = warmup - init_buffer - term_buffer;
	}
	if (i < init_buffer || i >= warmup - term_buffer)
		return -1;
	end = init_buffer + base;
	while (end <= i)
	{
		base *= 2;
		end += base;
	}
	/* the last window runs to the terminal buffer */
	if (end + 2 * base > warmup - term_buffer)
		end = warmup - term_buffer;
	return end;
}

MMStatus
mm_nuts_chain(MMLogDensityFn f, void *arg, int dim, const double *q0, gsl_rng *rng,
			  const MMNutsOptions *opt, double *draws, double *lp, MMNutsStats *stats,
			  double *work)
{
	Nuts		s;
	Level		levels[21];
	Trans		tr;
	Point		cur;
	double	   *w = work,
			   *mean,
			   *m2;
	long		nwin = 0;
	/* dual averaging (Stan's stepsize_adaptation) */
	double		mu,
				s_bar = 0.0,
				x_bar = 0.0,
				counter = 0.0;
	const double gamma = 0.05,
				t0 = 10.0,
				kappa = 0.75;
	int			total;
	double		acc_sum = 0.0,
				depth_sum = 0.0;

	if (dim < 1 || opt->warmup < 0 || opt->draws < 1 || opt->max_depth < 1 || opt->max_depth > 20 ||
		!(opt->target_accept > 0.0 && opt->target_accept < 1.0))
		return MM_EDOM;
	memset(&s, 0, sizeof(s));
	s.f = f;
	s.arg = arg;
	s.dim = dim;
	s.rng = rng;
	s.dense = opt->dense;
	s.level = levels;
	for (int k = 0; k <= opt->max_depth; k++)
	{
		take_point(&levels[k].propose_final, &w, dim);
		levels[k].p_init_end = take(&w, dim);
		levels[k].ps_init_end = take(&w, dim);
		levels[k].rho_init = take(&w, dim);
		levels[k].p_final_beg = take(&w, dim);
		levels[k].ps_final_beg = take(&w, dim);
		levels[k].rho_final = take(&w, dim);
		levels[k].rho_ext = take(&w, dim);
	}
	take_point(&tr.z, &w, dim);
	take_point(&tr.fwd, &w, dim);
	take_point(&tr.bck, &w, dim);
	take_point(&tr.sample, &w, dim);
	take_point(&tr.propose, &w, dim);
	tr.rho = take(&w, dim);
	tr.rho_fwd = take(&w, dim);
	tr.rho_bck = take(&w, dim);
	tr.rho_ext = take(&w, dim);
	tr.ps_fwd_bck = take(&w, dim);
	tr.ps_fwd_fwd = take(&w, dim);
	tr.p_fwd_bck = take(&w, dim);
	tr.p_fwd_fwd = take(&w, dim);
	tr.ps_bck_fwd = take(&w, dim);
	tr.ps_bck_bck = take(&w, dim);
	tr.p_bck_fwd = take(&w, dim);
	tr.p_bck_bck = take(&w, dim);
	take_point(&cur, &w, dim);
	s.minv = take(&w, (long) dim * dim);
	s.chol = take(&w, (long) dim * dim);
	s.tmp = take(&w, dim);
	mean = take(&w, dim);
	m2 = take(&w, (long) dim * dim + dim);

	/* unit metric to start; empty Welford sums */
	memset(mean, 0, sizeof(double) * dim);
	memset(m2, 0, sizeof(double) * ((long) dim * dim + dim));
	memset(s.minv, 0, sizeof(double) * dim * dim);
	memset(s.chol, 0, sizeof(double) * dim * dim);
	for (int i = 0; i < dim; i++)
	{
		if (s.dense)
			s.minv[(size_t) i * dim + i] = s.chol[(size_t) i * dim + i] = 1.0;
		else
			s.minv[i] = 1.0;
	}

	memcpy(cur.q, q0, sizeof(double) * dim);
	cur.lp = f(arg, cur.q, cur.g);
	s.grads = 1;
	if (!isfinite(cur.lp))
		return MM_EDOM;
	s.eps = 1.0;
	if (init_stepsize(&s, &cur, &tr.z) != MM_OK)
		return MM_ENOCONV;
	mu = log(10.0 * s.eps);

	memset(stats, 0, sizeof(*stats));
	total = opt->warmup + opt->draws;
	for (int it = 0; it < total; it++)
	{
		double		accept;
		int			depth;

		if (opt->interrupt)
			opt->interrupt();
		if (opt->stop && __atomic_load_n(opt->stop, __ATOMIC_RELAXED))
			return MM_ECANCELED;
		if (opt->iterations)
			__atomic_fetch_add(opt->iterations, 1, __ATOMIC_RELAXED);
		transition(&s, &tr, &cur, opt->max_depth, &accept, &depth);

		if (it < opt->warmup)
		{
			int			end = window_end(opt->warmup, it);

			/* step size by dual averaging */
			counter += 1.0;
			{
				double		eta = 1.0 / (counter + t0),
							x,
							xe;

				s_bar = (1.0 - eta) * s_bar + eta * (opt->target_accept - accept);
				x = mu - s_bar * sqrt(counter) / gamma;
				xe = pow(counter, -kappa);
				x_bar = (1.0 - xe) * x_bar + xe * x;
				s.eps = exp(x);
			}
			/* metric: Welford sums inside an adaptation window */
			if (end > 0)
			{
				nwin++;
				/* delta against the old mean, then the update against the new one */
				for (int i = 0; i < dim; i++)
					s.tmp[i] = cur.q[i] - mean[i];
				for (int i = 0; i < dim; i++)
					mean[i] += s.tmp[i] / nwin;
				for (int i = 0; i < dim; i++)
				{
					if (!s.dense)
						m2[i] += s.tmp[i] * (cur.q[i] - mean[i]);
					else
						for (int j = 0; j <= i; j++)
							m2[(size_t) j * dim + i] += s.tmp[i] * (cur.q[j] - mean[j]);
				}
				if (it + 1 == end)
				{
					double		nn = (double) nwin;
					bool		ok = true;

					if (!s.dense)
						for (int i = 0; i < dim; i++)
							s.minv[i] = (nn / (nn + 5.0)) * (m2[i] / (nn - 1.0)) + 1e-3 * (5.0 / (nn + 5.0));
					else
					{
						for (int i = 0; i < dim; i++)
							for (int j = 0; j <= i; j++)
							{
								double		v = (nn / (nn + 5.0)) * (m2[(size_t) j * dim + i] / (nn - 1.0))
									+ (i == j ? 1e-3 * (5.0 / (nn + 5.0)) : 0.0);

								s.minv[(size_t) j * dim + i] = s.minv[(size_t) i * dim + j] = v;
							}
						memcpy(s.chol, s.minv, sizeof(double) * dim * dim);
						ok = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', dim, s.chol, dim) == 0;
						if (!ok)
						{
							/* fall back to the diagonal of the estimate */
							for (int i = 0; i < dim; i++)
								for (int j = 0; j < dim; j++)
									if (i != j)
										s.minv[(size_t) j * dim + i] = 0.0;
							memset(s.chol, 0, sizeof(double) * dim * dim);
							for (int i = 0; i < dim; i++)
								s.chol[(size_t) i * dim + i] = sqrt(s.minv[(size_t) i * dim + i]);
						}
					}
					nwin = 0;
					memset(mean, 0, sizeof(double) * dim);
					memset(m2, 0, sizeof(double) * ((long) dim * dim + dim));
					/* restart the step size search and its averaging */
					(void) init_stepsize(&s, &cur, &tr.z);
					mu = log(10.0 * s.eps);
					s_bar = x_bar = counter = 0.0;
				}
			}
			if (it + 1 == opt->warmup)
				s.eps = exp(x_bar);
			continue;
		}
		{
			int			k = it - opt->warmup;

			memcpy(draws + (size_t) k * dim, cur.q, sizeof(double) * dim);
			if (lp)
				lp[k] = cur.lp;
			stats->divergences += s.divergent;
			stats->max_depth_hits += depth >= opt->max_depth;
			acc_sum += accept;
			depth_sum += depth;
		}
	}
	stats->step_size = s.eps;
	stats->accept_mean = acc_sum / opt->draws;
	stats->depth_mean = depth_sum / opt->draws;
	stats->gradients = s.grads;
	return MM_OK;
}
