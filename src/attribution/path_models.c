/*
 * path_models.c: mixmodel.heuristic_attribution and mixmodel.shapley_attribution
 * over ChannelAttribution-shaped path tables (formulas.md §6.2, §6.4).
 *
 * Both read the table once through an SPI cursor.  Heuristic credits and
 * the simplified Shapley value add up path by path; the conversion-rate
 * Shapley value needs the rate of every distinct channel set first, so it
 * keeps one entry per set (never one per row) and computes each converting
 * set's Harsanyi dividends afterwards (src/math/attribution/shapley.c).
 */
#include "postgres.h"

#include <math.h>

#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "attribution/attribution.h"
#include "common/arrays.h"
#include "common/errors.h"
#include "math/attribution/rules.h"
#include "math/attribution/shapley.h"

PG_FUNCTION_INFO_V1(heuristic_attribution);
PG_FUNCTION_INFO_V1(shapley_attribution);
PG_FUNCTION_INFO_V1(shapley_shares);

/* The position rules a path table supports (no times, no events). */
static const MMAttrRule heuristic_rules[] = {
	MM_ATTR_FIRST_TOUCH, MM_ATTR_LAST_TOUCH, MM_ATTR_LINEAR, MM_ATTR_PARTICIPATION,
	MM_ATTR_U_SHAPED, MM_ATTR_J_CURVE, MM_ATTR_INVERSE_J
};
#define NRULES lengthof(heuristic_rules)

/* Per-channel sums that grow with the channel dictionary. */
typedef struct Credits
{
	int			nsums;			/* sums per channel */
	int			cap;			/* channels allocated */
	double	   *conv;			/* cap x nsums */
	double	   *value;
} Credits;

static void
credits_init(Credits *c, int nsums)
{
	c->nsums = nsums;
	c->cap = 16;
	c->conv = palloc0(sizeof(double) * nsums * c->cap);
	c->value = palloc0(sizeof(double) * nsums * c->cap);
}

static void
credits_reserve(Credits *c, int nchan)
{
	if (nchan <= c->cap)
		return;
	while (c->cap < nchan)
		c->cap *= 2;
	c->conv = repalloc(c->conv, sizeof(double) * c->nsums * c->cap);
	c->value = repalloc(c->value, sizeof(double) * c->nsums * c->cap);
}

/* The grown part of the arrays must start at 0. */
static void
credits_grow(Credits *c, int nchan)
{
	int			old = c->cap;

	credits_reserve(c, nchan);
	if (c->cap > old)
	{
		memset(c->conv + (size_t) old * c->nsums, 0, sizeof(double) * c->nsums * (c->cap - old));
		memset(c->value + (size_t) old * c->nsums, 0, sizeof(double) * c->nsums * (c->cap - old));
	}
}

typedef struct HeuristicState
{
	AttrTokens *tokens;
	Credits		cr;
	double	   *w;
	int			wcap;
} HeuristicState;

static void
heuristic_row(void *arg, const char *path, int ntok, const int *tok, double conv, double value, double nulls)
{
	HeuristicState *h = arg;

	(void) nulls;
	(void) path;
	credits_grow(&h->cr, h->tokens->n);
	if (ntok > h->wcap)
	{
		h->wcap = Max(ntok, 2 * h->wcap);
		h->w = repalloc(h->w, sizeof(double) * h->wcap);
	}
	if (!(conv > 0.0) && !(value > 0.0))
		return;
	for (int r = 0; r < (int) NRULES; r++)
	{
		mixmodel_check_core(mm_attr_rule_weights(heuristic_rules[r], ntok, NULL, NULL, tok, NULL, h->w),
							"heuristic_attribution");
		for (int i = 0; i < ntok; i++)
		{
			h->cr.conv[(size_t) tok[i] * NRULES + r] += conv * h->w[i];
			h->cr.value[(size_t) tok[i] * NRULES + r] += value * h->w[i];
		}
	}
}

/* channel ids in name order */
static AttrTokens *sort_names;
static int
cmp_name(const void *a, const void *b)
{
	return strcmp(sort_names->names[*(const int *) a], sort_names->names[*(const int *) b]);
}

static int *
name_order(AttrTokens *t)
{
	int		   *o = palloc(sizeof(int) * Max(t->n, 1));

	for (int i = 0; i < t->n; i++)
		o[i] = i;
	sort_names = t;
	qsort(o, t->n, sizeof(int), cmp_name);
	return o;
}

/*
 * heuristic_attribution(source regclass, path_column name, conversions_column
 * name, value_column name DEFAULT NULL, separator text DEFAULT ' > ')
 */
Datum
heuristic_attribution(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttrTokens	tokens;
	HeuristicState h;
	char	   *value_col;
	int		   *order;

	for (int i = 0; i < 3; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(i == 0 ? "source" : i == 1 ? "path_column" : "conversions_column");
	if (PG_ARGISNULL(4))
		mm_null_argument("separator");
	value_col = attr_name_arg(fcinfo, 3);
	InitMaterializedSRF(fcinfo, 0);
	attr_tokens_init(&tokens);
	h.tokens = &tokens;
	credits_init(&h.cr, NRULES);
	h.wcap = 64;
	h.w = palloc(sizeof(double) * h.wcap);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "heuristic_attribution: SPI_connect failed");
	attr_read_paths(PG_GETARG_OID(0), attr_name_arg(fcinfo, 1), attr_name_arg(fcinfo, 2), value_col,
					NULL, text_to_cstring(PG_GETARG_TEXT_PP(4)), &tokens, heuristic_row, &h);
	SPI_finish();

	order = name_order(&tokens);
	for (int r = 0; r < (int) NRULES; r++)
		for (int i = 0; i < tokens.n; i++)
		{
			int			k = order[i];
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};

			values[0] = CStringGetTextDatum(tokens.names[k]);
			values[1] = CStringGetTextDatum(mm_attr_rule_names[heuristic_rules[r]]);
			values[2] = Float8GetDatum(h.cr.conv[(size_t) k * NRULES + r]);
			values[3] = Float8GetDatum(h.cr.value[(size_t) k * NRULES + r]);
			nulls[3] = value_col == NULL;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}

/* A distinct channel set of at most MM_SHAPLEY_MAX_PLAYERS channels, ids ascending, -1 after. */
typedef struct SetKey
{
	int32		id[MM_SHAPLEY_MAX_PLAYERS];
} SetKey;

typedef struct SetEntry
{
	SetKey		key;
	int			size;
	double		conv;
	double		value;
	double		nulls;
	List	   *paths;			/* _shapley_shares: the converting rows' paths */
} SetEntry;

typedef struct ShapleyState
{
	AttrTokens *tokens;
	bool		by_rate;
	Credits		cr;				/* simplified: credits directly */
	HTAB	   *sets;			/* by rate: totals per exact set */
	int		   *distinct;
	int			dcap;
	int			largest;		/* largest converting set seen (by rate) */
	char	   *largest_path;
	bool		keep_paths;		/* remember each converting row's path text */
	const char *row_path;		/* the current row's path (set by the reader) */
	MemoryContext cxt;
} ShapleyState;

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a,
				y = *(const int *) b;

	return (x > y) - (x < y);
}

/* distinct ids of a path, ascending; returns their number */
static int
distinct_ids(ShapleyState *s, int ntok, const int *tok)
{
	int			m = 0;

	if (ntok > s->dcap)
	{
		s->dcap = Max(ntok, 2 * s->dcap);
		s->distinct = repalloc(s->distinct, sizeof(int) * s->dcap);
	}
	memcpy(s->distinct, tok, sizeof(int) * ntok);
	qsort(s->distinct, ntok, sizeof(int), cmp_int);
	for (int i = 0; i < ntok; i++)
		if (m == 0 || s->distinct[m - 1] != s->distinct[i])
			s->distinct[m++] = s->distinct[i];
	return m;
}

static void
shapley_row(void *arg, const char *path, int ntok, const int *tok, double conv, double value, double nulls)
{
	ShapleyState *s = arg;
	int			m = distinct_ids(s, ntok, tok);

	s->row_path = path;
	credits_grow(&s->cr, s->tokens->n);
	if (!s->by_rate)
	{
		/* Zhao et al.: each conversion shared equally by its distinct channels */
		for (int i = 0; i < m; i++)
		{
			s->cr.conv[s->distinct[i]] += conv / m;
			s->cr.value[s->distinct[i]] += value / m;
		}
		return;
	}
	if (m > MM_SHAPLEY_MAX_PLAYERS)
	{
		/* too large to be a subset of a set we can compute; fatal only if it converts */
		if (conv > 0.0 && m > s->largest)
		{
			s->largest = m;
			s->largest_path = psprintf("%d channels", m);
		}
		return;
	}
	{
		SetKey		k;
		bool		found;
		SetEntry   *e;

		for (int i = 0; i < MM_SHAPLEY_MAX_PLAYERS; i++)
			k.id[i] = i < m ? s->distinct[i] : -1;
		e = hash_search(s->sets, &k, HASH_ENTER, &found);
		if (!found)
		{
			e->size = m;
			e->conv = e->value = e->nulls = 0.0;
			e->paths = NIL;
		}
		if (s->keep_paths && conv > 0.0)
		{
			MemoryContext old = MemoryContextSwitchTo(s->cxt);

			e->paths = lappend(e->paths, pstrdup(s->row_path));
			MemoryContextSwitchTo(old);
		}
		e->conv += conv;
		e->value += value;
		e->nulls += nulls;
		if (conv > 0.0 && m > s->largest)
			s->largest = m;
	}
}

static int
cmp_set(const void *a, const void *b)
{
	const SetEntry *x = *(SetEntry *const *) a,
			   *y = *(SetEntry *const *) b;

	return memcmp(&x->key, &y->key, sizeof(SetKey)) < 0 ? -1 :
		memcmp(&x->key, &y->key, sizeof(SetKey)) > 0 ? 1 : 0;
}

/* rate of conversions (which = 0) or of value (which = 1) of one exact set; 0 if unseen */
static double
set_rate(HTAB *sets, const int *ids, int m, int which)
{
	SetKey		k;
	SetEntry   *e;

	for (int i = 0; i < MM_SHAPLEY_MAX_PLAYERS; i++)
		k.id[i] = i < m ? ids[i] : -1;
	e = hash_search(sets, &k, HASH_FIND, NULL);
	if (e == NULL || !(e->conv + e->nulls > 0.0))
		return 0.0;
	return (which == 0 ? e->conv : e->value) / (e->conv + e->nulls);
}

/*
 * The converting set S's credits: Shapley values of v(T) = rate of the paths
 * whose channel set is exactly T (T within S), negative values clamped to 0,
 * then shares of S's conversions (or value); all-zero values share equally.
 */
static void
rate_shares(ShapleyState *s, const SetEntry *e, double *v, double *phi, int which, double *share)
{
	int			m = e->size;
	unsigned	n = 1u << m;
	int			sub[MM_SHAPLEY_MAX_PLAYERS];
	double		pos = 0.0;

	v[0] = 0.0;
	for (unsigned t = 1; t < n; t++)
	{
		int			k = 0;

		for (int j = 0; j < m; j++)
			if (t & (1u << j))
				sub[k++] = e->key.id[j];
		v[t] = set_rate(s->sets, sub, k, which);
	}
	mixmodel_check_core(mm_shapley_dividends(m, v), "shapley_attribution");
	mixmodel_check_core(mm_shapley_from_dividends(m, v, phi), "shapley_attribution");
	for (int j = 0; j < m; j++)
		pos += fmax(phi[j], 0.0);
	for (int j = 0; j < m; j++)
		share[j] = pos > 0.0 ? fmax(phi[j], 0.0) / pos : 1.0 / m;
}

static void
rate_credits(ShapleyState *s, const SetEntry *e, double *v, double *phi, int which)
{
	double		total = which == 0 ? e->conv : e->value,
				share[MM_SHAPLEY_MAX_PLAYERS];

	if (!(total > 0.0))
		return;
	rate_shares(s, e, v, phi, which, share);
	for (int j = 0; j < e->size; j++)
	{
		if (which == 0)
			s->cr.conv[e->key.id[j]] += total * share[j];
		else
			s->cr.value[e->key.id[j]] += total * share[j];
	}
}

/*
 * shapley_attribution(source regclass, path_column name, conversions_column
 * name, value_column name DEFAULT NULL, null_column name DEFAULT NULL,
 * value_function text DEFAULT 'simplified', separator text DEFAULT ' > ')
 */
Datum
shapley_attribution(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttrTokens	tokens;
	ShapleyState s;
	char	   *value_col,
			   *null_col,
			   *vf;
	int		   *order;

	for (int i = 0; i < 3; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(i == 0 ? "source" : i == 1 ? "path_column" : "conversions_column");
	if (PG_ARGISNULL(5) || PG_ARGISNULL(6))
		mm_null_argument(PG_ARGISNULL(5) ? "value_function" : "separator");
	value_col = attr_name_arg(fcinfo, 3);
	null_col = attr_name_arg(fcinfo, 4);
	vf = text_to_cstring(PG_GETARG_TEXT_PP(5));
	if (strcmp(vf, "simplified") == 0)
		s.by_rate = false;
	else if (strcmp(vf, "conversion_rate") == 0)
		s.by_rate = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown value_function \"%s\"", vf),
				 errhint("Value functions: simplified, conversion_rate.")));
	if (s.by_rate && null_col == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("value_function conversion_rate needs null_column"),
				 errhint("The rate of a channel set is conversions / (conversions + non-conversions).")));

	InitMaterializedSRF(fcinfo, 0);
	attr_tokens_init(&tokens);
	s.tokens = &tokens;
	credits_init(&s.cr, 1);
	s.dcap = 64;
	s.distinct = palloc(sizeof(int) * s.dcap);
	s.largest = 0;
	s.largest_path = NULL;
	s.keep_paths = false;
	s.cxt = CurrentMemoryContext;
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(SetKey);
		ctl.entrysize = sizeof(SetEntry);
		ctl.hcxt = CurrentMemoryContext;
		s.sets = hash_create("mixmodel shapley sets", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "shapley_attribution: SPI_connect failed");
	attr_read_paths(PG_GETARG_OID(0), attr_name_arg(fcinfo, 1), attr_name_arg(fcinfo, 2), value_col,
					s.by_rate ? null_col : NULL, text_to_cstring(PG_GETARG_TEXT_PP(6)), &tokens,
					shapley_row, &s);
	SPI_finish();

	if (s.by_rate)
	{
		HASH_SEQ_STATUS seq;
		SetEntry   *e;
		SetEntry  **list;
		long		nsets = hash_get_num_entries(s.sets),
					k = 0;
		double	   *v,
				   *phi = palloc(sizeof(double) * MM_SHAPLEY_MAX_PLAYERS);

		if (s.largest > MM_SHAPLEY_MAX_PLAYERS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a converting path has too many distinct channels for exact Shapley values"),
					 errdetail("It has %d distinct channels; the exact computation takes at most %d (2^%d coalitions).",
							   s.largest, MM_SHAPLEY_MAX_PLAYERS, MM_SHAPLEY_MAX_PLAYERS),
					 errhint("Group channels, filter them, or use value_function => 'simplified', which is exact for any number.")));
		v = palloc(sizeof(double) * (1u << MM_SHAPLEY_MAX_PLAYERS));
		/* the sets in key order, so sums do not depend on the hash's order */
		list = palloc(sizeof(SetEntry *) * Max(nsets, 1));
		hash_seq_init(&seq, s.sets);
		while ((e = hash_seq_search(&seq)) != NULL)
			list[k++] = e;
		qsort(list, nsets, sizeof(SetEntry *), cmp_set);
		for (long i = 0; i < nsets; i++)
		{
			CHECK_FOR_INTERRUPTS();
			rate_credits(&s, list[i], v, phi, 0);
			rate_credits(&s, list[i], v, phi, 1);
		}
	}

	order = name_order(&tokens);
	for (int i = 0; i < tokens.n; i++)
	{
		int			k = order[i];
		Datum		values[3];
		bool		nulls[3] = {false, false, value_col == NULL};

		values[0] = CStringGetTextDatum(tokens.names[k]);
		values[1] = Float8GetDatum(s.cr.conv[k]);
		values[2] = Float8GetDatum(s.cr.value[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * _shapley_shares(source regclass, path_column name, conversions_column name,
 * null_column name): the conversion-rate Shapley shares of each converting
 * row's channels (the path as given, a distinct channel, its share), which
 * attribute() spreads over a conversion's touches.
 */
Datum
shapley_shares(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttrTokens	tokens;
	ShapleyState s;
	HASHCTL		ctl;
	HASH_SEQ_STATUS seq;
	SetEntry   *e;
	double	   *v,
				phi[MM_SHAPLEY_MAX_PLAYERS],
				share[MM_SHAPLEY_MAX_PLAYERS];

	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			mm_null_argument(i == 0 ? "source" : i == 1 ? "path_column" : i == 2 ? "conversions_column" : "null_column");
	InitMaterializedSRF(fcinfo, 0);
	attr_tokens_init(&tokens);
	memset(&s, 0, sizeof(s));
	s.tokens = &tokens;
	s.by_rate = true;
	s.keep_paths = true;
	s.cxt = CurrentMemoryContext;
	credits_init(&s.cr, 1);
	s.dcap = 64;
	s.distinct = palloc(sizeof(int) * s.dcap);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(SetKey);
	ctl.entrysize = sizeof(SetEntry);
	ctl.hcxt = CurrentMemoryContext;
	s.sets = hash_create("mixmodel shapley sets", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "_shapley_shares: SPI_connect failed");
	attr_read_paths(PG_GETARG_OID(0), attr_name_arg(fcinfo, 1), attr_name_arg(fcinfo, 2), NULL,
					attr_name_arg(fcinfo, 3), " > ", &tokens, shapley_row, &s);
	SPI_finish();
	if (s.largest > MM_SHAPLEY_MAX_PLAYERS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a converting path has too many distinct channels for exact Shapley values"),
				 errdetail("It has %d distinct channels; the exact computation takes at most %d (2^%d coalitions).",
						   s.largest, MM_SHAPLEY_MAX_PLAYERS, MM_SHAPLEY_MAX_PLAYERS),
				 errhint("Use option \"shapley\": \"simplified\", which is exact for any number of channels, "
						 "or filter channels, or key touches by fewer dimensions.")));
	v = palloc(sizeof(double) * (1u << MM_SHAPLEY_MAX_PLAYERS));
	hash_seq_init(&seq, s.sets);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		ListCell   *lc;

		if (e->paths == NIL)
			continue;
		CHECK_FOR_INTERRUPTS();
		rate_shares(&s, e, v, phi, 0, share);
		foreach(lc, e->paths)
			for (int j = 0; j < e->size; j++)
			{
				Datum		values[3];
				bool		nulls[3] = {false, false, false};

				values[0] = CStringGetTextDatum((char *) lfirst(lc));
				values[1] = CStringGetTextDatum(tokens.names[e->key.id[j]]);
				values[2] = Float8GetDatum(share[j]);
				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			}
	}
	return (Datum) 0;
}
