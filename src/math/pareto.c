/*
 * pareto.c: Pareto front 1 by a sweep in lexicographic order.  See pareto.h.
 *
 * After sorting, points equal in every objective form a group; a group is
 * dominated exactly when an earlier group is no worse in objectives 1..k-1
 * (objective 0 is no worse by the order, and the groups differ).  Objectives
 * 1..3 are replaced by their dense ranks, so infinite values need no
 * sentinel and every comparison is on integers.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "math/pareto.h"

#define CHECK_EVERY 4096

typedef struct RankPair
{
	double		v;
	int			g;
} RankPair;

typedef struct Sweep
{
	int			G;				/* groups */
	int		   *rank[MM_PARETO_MAX_DIM];	/* rank[j][g], j = 1..3, from 1 */
	int		   *dominated;		/* per group */
	int		   *fen;			/* Fenwick tree of prefix minima, 1..G */
	int		   *ord;			/* divide and conquer: groups by rank 1 */
	int		   *tmp;
	MMInterruptFn interrupt;
	long		steps;
} Sweep;

static void
tick(Sweep *s)
{
	if (s->interrupt && ++s->steps % CHECK_EVERY == 0)
		s->interrupt();
}

static int
cmp_double(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

/* lexicographic in the keys, then the tie bytes, then the index */
static int
cmp_points(const void *pa, const void *pb)
{
	const MMParetoPoint *a = pa,
			   *b = pb;
	int			c;

	for (int j = 0; j < MM_PARETO_MAX_DIM; j++)
		if ((c = cmp_double(a->key[j], b->key[j])) != 0)
			return c;
	if (a->tie_len != b->tie_len)
		return a->tie_len < b->tie_len ? -1 : 1;
	if (a->tie_len > 0 && (c = memcmp(a->tie, b->tie, a->tie_len)) != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int
cmp_rank_pairs(const void *pa, const void *pb)
{
	const RankPair *a = pa,
			   *b = pb;
	int			c = cmp_double(a->v, b->v);

	return c != 0 ? c : (a->g < b->g ? -1 : a->g > b->g);
}

static bool
same_keys(const MMParetoPoint *a, const MMParetoPoint *b)
{
	for (int j = 0; j < MM_PARETO_MAX_DIM; j++)
		if (cmp_double(a->key[j], b->key[j]) != 0)
			return false;
	return true;
}

static void
fen_update(Sweep *s, int r, int v)
{
	for (; r <= s->G; r += r & -r)
		if (v < s->fen[r])
			s->fen[r] = v;
}

static int
fen_query(const Sweep *s, int r)
{
	int			m = INT_MAX;

	for (; r > 0; r -= r & -r)
		if (s->fen[r] < m)
			m = s->fen[r];
	return m;
}

static void
fen_clear(Sweep *s, int r)
{
	for (; r <= s->G; r += r & -r)
		s->fen[r] = INT_MAX;
}

/*
 * Four objectives: dominated[g] |= some earlier group h in [lo, hi) has
 * ranks 1, 2 and 3 no greater.  Leaves ord[lo..hi) sorted by rank 1.
 */
static void
sweep4(Sweep *s, int lo, int hi)
{
	const int  *r1 = s->rank[1],
			   *r2 = s->rank[2],
			   *r3 = s->rank[3];
	int			mid = lo + (hi - lo) / 2,
				i = lo,
				a,
				b,
				k;

	if (hi - lo == 1)
	{
		s->ord[lo] = lo;
		return;
	}
	sweep4(s, lo, mid);
	sweep4(s, mid, hi);

	/* the right half against the left, both in rank-1 order (left first on ties) */
	for (int j = mid; j < hi; j++)
	{
		int			g = s->ord[j];

		for (; i < mid && r1[s->ord[i]] <= r1[g]; i++)
			fen_update(s, r2[s->ord[i]], r3[s->ord[i]]);
		if (fen_query(s, r2[g]) <= r3[g])
			s->dominated[g] = 1;
		tick(s);
	}
	for (int j = lo; j < i; j++)
		fen_clear(s, r2[s->ord[j]]);

	/* merge the halves by rank 1 */
	for (a = lo, b = mid, k = lo; a < mid || b < hi; k++)
		s->tmp[k] = (b >= hi || (a < mid && r1[s->ord[a]] <= r1[s->ord[b]])) ? s->ord[a++] : s->ord[b++];
	memcpy(s->ord + lo, s->tmp + lo, sizeof(int) * (hi - lo));
}

size_t
mm_pareto_work(int n)
{
	size_t		m = n > 0 ? (size_t) n : 1;

	return m * sizeof(RankPair)		/* ranks */
		+ (m + 1) * sizeof(int)		/* group starts */
		+ 7 * (m + 1) * sizeof(int);	/* 3 ranks, dominated, fen, ord, tmp */
}

MMStatus
mm_pareto_front(MMParetoPoint *pts, int n, int k, void *work, MMInterruptFn interrupt)
{
	Sweep		s;
	RankPair   *pairs = work;
	int		   *start = (int *) (pairs + (n > 0 ? n : 1));
	int		   *iw = start + n + 1;

	if (n < 0 || k < 1 || k > MM_PARETO_MAX_DIM)
		return MM_EDOM;
	if (n == 0)
		return MM_OK;
	for (int i = 0; i < n; i++)
		for (int j = k; j < MM_PARETO_MAX_DIM; j++)
			pts[i].key[j] = 0.0;
	qsort(pts, n, sizeof(MMParetoPoint), cmp_points);
	if (interrupt)
		interrupt();

	/* groups of equal keys */
	memset(&s, 0, sizeof(s));
	s.interrupt = interrupt;
	for (int i = 0; i < n; i++)
		if (i == 0 || !same_keys(&pts[i], &pts[i - 1]))
			start[s.G++] = i;
	start[s.G] = n;
	for (int j = 1; j < MM_PARETO_MAX_DIM; j++)
		s.rank[j] = iw + (size_t) (j - 1) * (s.G + 1);
	s.dominated = iw + 3 * (size_t) (s.G + 1);
	s.fen = s.dominated + s.G + 1;
	s.ord = s.fen + s.G + 1;
	s.tmp = s.ord + s.G + 1;
	memset(s.dominated, 0, sizeof(int) * s.G);
	for (int r = 0; r <= s.G; r++)
		s.fen[r] = INT_MAX;

	/* dense ranks of objectives 1..k-1 */
	for (int j = 1; j < k; j++)
	{
		int			r = 0;

		for (int g = 0; g < s.G; g++)
			pairs[g] = (RankPair) {pts[start[g]].key[j], g};
		qsort(pairs, s.G, sizeof(RankPair), cmp_rank_pairs);
		for (int g = 0; g < s.G; g++)
		{
			if (g == 0 || pairs[g].v > pairs[g - 1].v)
				r++;
			s.rank[j][pairs[g].g] = r;
		}
		if (interrupt)
			interrupt();
	}

	switch (k)
	{
		case 1:
			for (int g = 1; g < s.G; g++)
				s.dominated[g] = 1;
			break;
		case 2:
			{
				int			best = INT_MAX;

				for (int g = 0; g < s.G; g++)
				{
					if (best <= s.rank[1][g])
						s.dominated[g] = 1;
					if (s.rank[1][g] < best)
						best = s.rank[1][g];
					tick(&s);
				}
			}
			break;
		case 3:
			for (int g = 0; g < s.G; g++)
			{
				if (fen_query(&s, s.rank[1][g]) <= s.rank[2][g])
					s.dominated[g] = 1;
				fen_update(&s, s.rank[1][g], s.rank[2][g]);
				tick(&s);
			}
			break;
		default:
			sweep4(&s, 0, s.G);
			break;
	}

	/* a group on the front keeps every point but exact duplicates of an earlier one */
	for (int g = 0; g < s.G; g++)
		for (int i = start[g]; i < start[g + 1]; i++)
			pts[i].front = !s.dominated[g] &&
				(i == start[g] || pts[i].tie_len != pts[i - 1].tie_len ||
				 (pts[i].tie_len > 0 && memcmp(pts[i].tie, pts[i - 1].tie, pts[i].tie_len) != 0));
	return MM_OK;
}
