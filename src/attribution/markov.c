/*
 * markov.c: mixmodel.markov_attribution, exact Markov-chain attribution over
 * a ChannelAttribution-shaped path table (formulas.md §6.3).
 *
 * Reads the table once (an SPI cursor), turns every path into its order-k
 * states (overlapping windows of k channels, consecutive repeats collapsed)
 * and counts transitions; memory grows with states and transitions, not rows.
 * States and channels are then numbered in name order, so the chain does not
 * depend on the table's row order, and the core (src/math/attribution/
 * markov.c) solves one absorbing system per channel plus one.
 */
#include "postgres.h"

#include <math.h>

#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "attribution/paths.h"
#include "common/arrays.h"
#include "common/errors.h"
#include "common/rng.h"
#include "math/attribution/markov.h"

PG_FUNCTION_INFO_V1(markov_attribution);

#define MAX_ORDER 4
/* chains up to this many states are solved by LU, larger ones by sweeps */
#define DENSE_LIMIT 500
#define SWEEP_TOL 1e-15
#define MAX_SWEEPS 1000000
/* states and transitions one call may build */
#define MAX_STATES 2000000
/* Monte-Carlo mode: walks per call, steps per walk */
#define MAX_WALKS INT64CONST(1000000000)
#define MAX_STEPS 100000

typedef struct StateKey
{
	int32		tok[MAX_ORDER];	/* -1 past the window's length */
} StateKey;

typedef struct StateEntry
{
	StateKey	key;
	int			id;
} StateEntry;

typedef struct TransKey
{
	int32		from;
	int32		to;
} TransKey;

typedef struct TransEntry
{
	TransKey	key;
	double		w;
} TransEntry;

typedef struct Chain
{
	int			order;
	bool		use_null;
	AttrTokens	tokens;
	HTAB	   *states;
	HTAB	   *trans;
	int			n;				/* states, (start) = 0 */
	int			cap;
	StateKey   *key;			/* per state */
	double	   *out;			/* total weight leaving the state */
	double	   *conv;			/* conversions ending in the state */
	double	   *value;			/* value ending in the state */
	double		total_conv;
	double		total_value;
	double		total_null;
	int		   *ids;			/* work: the states of one path */
	int			idcap;
} Chain;

static int
state_id(Chain *c, const StateKey *k)
{
	bool		found;
	StateEntry *e = hash_search(c->states, k, HASH_ENTER, &found);

	if (!found)
	{
		if (c->n == MAX_STATES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many Markov states"),
					 errdetail("The limit is %d states.", MAX_STATES),
					 errhint("Lower \"order\" or group rare channels.")));
		if (c->n == c->cap)
		{
			c->cap *= 2;
			c->key = repalloc_huge(c->key, sizeof(StateKey) * c->cap);
			c->out = repalloc_huge(c->out, sizeof(double) * c->cap);
			c->conv = repalloc_huge(c->conv, sizeof(double) * c->cap);
			c->value = repalloc_huge(c->value, sizeof(double) * c->cap);
		}
		e->id = c->n;
		c->key[c->n] = *k;
		c->out[c->n] = c->conv[c->n] = c->value[c->n] = 0.0;
		c->n++;
	}
	return e->id;
}

static void
add_transition(Chain *c, int from, int to, double w)
{
	TransKey	k = {from, to};
	bool		found;
	TransEntry *e = hash_search(c->trans, &k, HASH_ENTER, &found);

	if (!found)
		e->w = 0.0;
	e->w += w;
	c->out[from] += w;
}

static void
add_path(void *arg, const char *path, int ntok, const int *tok, double conv, double value, double nulls)
{
	Chain	   *c = arg;
	double		u = c->use_null ? nulls : 0.0;
	double		w = conv + u;
	int			nwin = ntok < c->order ? 1 : ntok - c->order + 1;
	int			m = 0,
				prev = 0;

	(void) path;

	c->total_conv += conv;
	c->total_value += value;
	c->total_null += u;
	if (!(w > 0.0))
		return;
	if (nwin > c->idcap)
	{
		c->idcap = Max(nwin, 2 * c->idcap);
		c->ids = repalloc(c->ids, sizeof(int) * c->idcap);
	}
	for (int i = 0; i < nwin; i++)
	{
		StateKey	k;
		int			len = Min(c->order, ntok);
		int			id;

		for (int j = 0; j < MAX_ORDER; j++)
			k.tok[j] = j < len ? tok[i + j] : -1;
		id = state_id(c, &k);
		/* consecutive identical states collapse into one */
		if (m > 0 && c->ids[m - 1] == id)
			continue;
		c->ids[m++] = id;
	}
	for (int i = 0; i < m; i++)
	{
		add_transition(c, prev, c->ids[i], w);
		prev = c->ids[i];
	}
	c->conv[prev] += conv;
	c->value[prev] += value;
	c->out[prev] += conv + u;
}

/* channel names ranked alphabetically, for an order-free numbering */
static AttrTokens *sort_tokens;
static int
cmp_token(const void *a, const void *b)
{
	return strcmp(sort_tokens->names[*(const int *) a], sort_tokens->names[*(const int *) b]);
}

static const int *sort_rank;
static const StateKey *sort_keys;
static int
cmp_state(const void *a, const void *b)
{
	const StateKey *x = &sort_keys[*(const int *) a],
			   *y = &sort_keys[*(const int *) b];

	for (int j = 0; j < MAX_ORDER; j++)
	{
		int			rx = x->tok[j] < 0 ? -1 : sort_rank[x->tok[j]],
					ry = y->tok[j] < 0 ? -1 : sort_rank[y->tok[j]];

		if (rx != ry)
			return rx < ry ? -1 : 1;
	}
	return 0;
}

static int
cmp_trans(const void *a, const void *b)
{
	const TransKey *x = a,
			   *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (x->to > y->to) - (x->to < y->to);
}

Datum
markov_attribution(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid;
	char	   *path_col,
			   *conv_col,
			   *value_col,
			   *null_col,
			   *separator;
	Chain		c;
	HASHCTL		ctl;
	int		   *order_tok,
			   *rank,
			   *perm,
			   *newid,
			   *rowptr,
			   *col,
			   *iwork;
	double	   *prob,
			   *r,
			   *rv,
			   *work,
			   *re,
			   *rev;
	TransKey   *tk;
	double		full[2],
				sum_re = 0.0,
				sum_rev = 0.0;
	int			ntrans = 0,
				nchan;
	bool	   *removed;
	MMMarkovChain chain;
	MMStatus	st;
	HASH_SEQ_STATUS seq;
	TransEntry *te;
	int64		walks,
				seed;

	for (int i = 0; i < 3; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(i == 0 ? "source" : i == 1 ? "path_column" : "conversions_column");
	if (PG_ARGISNULL(5) || PG_ARGISNULL(6) || PG_ARGISNULL(7) || PG_ARGISNULL(8) || PG_ARGISNULL(9))
		mm_null_argument(PG_ARGISNULL(5) ? "order" : PG_ARGISNULL(6) ? "use_null" : PG_ARGISNULL(7) ? "separator"
						 : PG_ARGISNULL(8) ? "walks" : "seed");
	relid = PG_GETARG_OID(0);
	path_col = attr_name_arg(fcinfo, 1);
	conv_col = attr_name_arg(fcinfo, 2);
	value_col = attr_name_arg(fcinfo, 3);
	null_col = attr_name_arg(fcinfo, 4);
	c.order = PG_GETARG_INT32(5);
	c.use_null = PG_GETARG_BOOL(6);
	separator = text_to_cstring(PG_GETARG_TEXT_PP(7));
	walks = PG_GETARG_INT64(8);
	seed = PG_GETARG_INT64(9);
	if (walks < 0 || walks > MAX_WALKS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("walks must be in the range [0, %lld]", (long long) MAX_WALKS),
				 errdetail("Got %lld.", (long long) walks),
				 errhint("0 computes the removal effects exactly; a number of walks estimates them by simulation.")));
	if (c.order < 1 || c.order > MAX_ORDER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("order must be in the range [1, %d]", MAX_ORDER),
				 errdetail("Got %d.", c.order)));

	InitMaterializedSRF(fcinfo, 0);

	attr_tokens_init(&c.tokens);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(StateKey);
	ctl.entrysize = sizeof(StateEntry);
	ctl.hcxt = CurrentMemoryContext;
	c.states = hash_create("mixmodel markov states", 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ctl.keysize = sizeof(TransKey);
	ctl.entrysize = sizeof(TransEntry);
	c.trans = hash_create("mixmodel markov transitions", 4096, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	c.n = 0;
	c.cap = 256;
	c.key = palloc(sizeof(StateKey) * c.cap);
	c.out = palloc(sizeof(double) * c.cap);
	c.conv = palloc(sizeof(double) * c.cap);
	c.value = palloc(sizeof(double) * c.cap);
	c.idcap = 64;
	c.ids = palloc(sizeof(int) * c.idcap);
	c.total_conv = c.total_value = c.total_null = 0.0;
	{
		StateKey	start;

		for (int j = 0; j < MAX_ORDER; j++)
			start.tok[j] = -2;	/* no channel: (start) */
		state_id(&c, &start);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "markov_attribution: SPI_connect failed");
	attr_read_paths(relid, path_col, conv_col, value_col, null_col, separator, &c.tokens, add_path, &c);
	SPI_finish();

	nchan = c.tokens.n;
	if (nchan == 0)
		return (Datum) 0;
	if (!(c.total_conv > 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("the paths have no conversions"),
				 errhint("Markov attribution needs at least one converting path.")));

	/* numbering by name: channels, then states (start stays 0) */
	order_tok = palloc(sizeof(int) * nchan);
	rank = palloc(sizeof(int) * nchan);
	for (int i = 0; i < nchan; i++)
		order_tok[i] = i;
	sort_tokens = &c.tokens;
	qsort(order_tok, nchan, sizeof(int), cmp_token);
	for (int i = 0; i < nchan; i++)
		rank[order_tok[i]] = i;
	perm = palloc(sizeof(int) * c.n);
	newid = palloc(sizeof(int) * c.n);
	for (int s = 0; s < c.n; s++)
		perm[s] = s;
	sort_rank = rank;
	sort_keys = c.key;
	qsort(perm + 1, c.n - 1, sizeof(int), cmp_state);
	for (int s = 0; s < c.n; s++)
		newid[perm[s]] = s;

	/* CSR of the transient transitions, rows and columns in the new numbering */
	tk = palloc(sizeof(TransKey) * Max(hash_get_num_entries(c.trans), 1));
	hash_seq_init(&seq, c.trans);
	while ((te = hash_seq_search(&seq)) != NULL)
	{
		tk[ntrans].from = newid[te->key.from];
		tk[ntrans].to = newid[te->key.to];
		ntrans++;
	}
	qsort(tk, ntrans, sizeof(TransKey), cmp_trans);
	rowptr = palloc0(sizeof(int) * (c.n + 1));
	col = palloc(sizeof(int) * Max(ntrans, 1));
	prob = palloc(sizeof(double) * Max(ntrans, 1));
	r = palloc(sizeof(double) * c.n);
	rv = palloc(sizeof(double) * c.n);
	for (int e = 0; e < ntrans; e++)
	{
		TransKey	old = {perm[tk[e].from], perm[tk[e].to]};
		TransEntry *x = hash_search(c.trans, &old, HASH_FIND, NULL);

		rowptr[tk[e].from + 1]++;
		col[e] = tk[e].to;
		prob[e] = x->w / c.out[old.from];
	}
	for (int s = 0; s < c.n; s++)
	{
		int			o = perm[s];

		rowptr[s + 1] += rowptr[s];
		r[s] = c.out[o] > 0.0 ? c.conv[o] / c.out[o] : 0.0;
		rv[s] = c.out[o] > 0.0 ? c.value[o] / c.out[o] : 0.0;
	}
	chain.n = c.n;
	chain.rowptr = rowptr;
	chain.col = col;
	chain.prob = prob;
	chain.conv = r;
	chain.value = rv;

	re = palloc0(sizeof(double) * nchan);
	rev = palloc0(sizeof(double) * nchan);
	if (walks > 0)
	{
		/* the Monte-Carlo estimate: one set of walks serves every removal */
		int		   *chan_ptr = palloc(sizeof(int) * (c.n + 1));
		int		   *chan_ids = palloc(sizeof(int) * Max(c.n * MAX_ORDER, 1));
		double	   *removed_out = palloc(sizeof(double) * 2 * nchan);
		int64	   *stamp = palloc(sizeof(int64) * nchan);

		chan_ptr[0] = 0;
		for (int s = 0; s < c.n; s++)
		{
			const StateKey *k = &c.key[perm[s]];
			int			m = chan_ptr[s];

			for (int j = 0; j < MAX_ORDER; j++)
			{
				bool		dup = k->tok[j] < 0;

				for (int i = chan_ptr[s]; i < m && !dup; i++)
					dup = chan_ids[i] == k->tok[j];
				if (!dup)
					chan_ids[m++] = k->tok[j];
			}
			chan_ptr[s + 1] = m;
		}
		st = mm_markov_simulate(&chain, chan_ptr, chan_ids, nchan, walks, MAX_STEPS,
								mm_rng_create((unsigned long) seed), full, removed_out, stamp,
								mixmodel_interrupt_check);
		mixmodel_check_core(st, "markov_attribution");
		for (int k = 0; k < nchan; k++)
		{
			re[k] = mm_markov_removal_effect(full[0], removed_out[2 * k]);
			rev[k] = mm_markov_removal_effect(full[1], removed_out[2 * k + 1]);
			sum_re += re[k];
			sum_rev += rev[k];
		}
	}
	else
	{
		work = palloc_extended(sizeof(double) * mm_markov_work_doubles(c.n, DENSE_LIMIT), MCXT_ALLOC_HUGE);
		iwork = palloc(sizeof(int) * mm_markov_work_ints(c.n, DENSE_LIMIT));
		st = mm_markov_absorb(&chain, NULL, DENSE_LIMIT, SWEEP_TOL, MAX_SWEEPS, full, work, iwork,
							  mixmodel_interrupt_check);
		mixmodel_check_core(st, "markov_attribution");

		/* one solve per channel, with its states leading to (null) */
		removed = palloc(sizeof(bool) * c.n);
		for (int k = 0; k < nchan; k++)
		{
			double		out[2];
			bool		any = false;

			for (int s = 0; s < c.n; s++)
			{
				removed[s] = false;
				for (int j = 0; j < MAX_ORDER; j++)
					removed[s] |= c.key[perm[s]].tok[j] == k;
				any |= removed[s];
			}
			if (!any)
				continue;		/* seen only on paths that add nothing */
			st = mm_markov_absorb(&chain, removed, DENSE_LIMIT, SWEEP_TOL, MAX_SWEEPS, out, work, iwork,
								  mixmodel_interrupt_check);
			mixmodel_check_core(st, "markov_attribution");
			re[k] = mm_markov_removal_effect(full[0], out[0]);
			rev[k] = mm_markov_removal_effect(full[1], out[1]);
			sum_re += re[k];
			sum_rev += rev[k];
		}
	}

	for (int i = 0; i < nchan; i++)
	{
		int			k = order_tok[i];
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = CStringGetTextDatum(c.tokens.names[k]);
		values[1] = Float8GetDatum(re[k]);
		values[3] = Float8GetDatum(sum_re > 0.0 ? re[k] / sum_re * c.total_conv : 0.0);
		if (value_col)
		{
			values[2] = Float8GetDatum(rev[k]);
			values[4] = Float8GetDatum(sum_rev > 0.0 ? rev[k] / sum_rev * c.total_value : 0.0);
		}
		else
			nulls[2] = nulls[4] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
