/*
 * credits.c: the aggregate mixmodel.path_credits(path, conversions, revenue,
 * model), the credit of every channel over a set of paths under one rule-based
 * model or the simplified Shapley value (formulas §6.2, §6.4).  Those credits
 * add up path by path, so partial states combine (parallel workers, Citus).
 *
 * The state is a bytea: "MMPC", the model, the number of channels, then per
 * channel its conversions, revenue and name.  It is checked on every read,
 * since SQL can hand any bytea to the transition and combine functions.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "lib/stringinfo.h"

#include "attribution/attribution.h"
#include "common/arrays.h"
#include "common/errors.h"

PG_FUNCTION_INFO_V1(path_credits_accum);
PG_FUNCTION_INFO_V1(path_credits_combine);
PG_FUNCTION_INFO_V1(path_credits_final);

#define STATE_MAGIC 0x4D4D5043	/* "MMPC" */
#define SHAPLEY_MODEL 100		/* beside the MMAttrRule values */

typedef struct CreditEntry
{
	double		conv;
	double		rev;
	char	   *name;
} CreditEntry;

typedef struct Credits
{
	int			model;
	int			n;
	int			cap;
	CreditEntry *e;
} Credits;

static void
bad_state(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid path_credits state"),
			 errdetail("The state is made by mixmodel.path_credits and is not meant to be built by hand.")));
}

/* Decode a state (NULL: an empty one with model -1). */
static void
decode(bytea *b, Credits *c)
{
	const char *p,
			   *end;
	int32		hdr[3];

	c->model = -1;
	c->n = 0;
	c->cap = 8;
	c->e = palloc(sizeof(CreditEntry) * c->cap);
	if (b == NULL)
		return;
	p = VARDATA_ANY(b);
	end = p + VARSIZE_ANY_EXHDR(b);
	if (end - p < (long) sizeof(hdr))
		bad_state();
	memcpy(hdr, p, sizeof(hdr));
	p += sizeof(hdr);
	if (hdr[0] != STATE_MAGIC || hdr[2] < 0 || hdr[2] > 1000000 ||
		!((hdr[1] >= 0 && hdr[1] < MM_ATTR_RULES) || hdr[1] == SHAPLEY_MODEL))
		bad_state();
	c->model = hdr[1];
	for (int i = 0; i < hdr[2]; i++)
	{
		double		v[2];
		int32		len;

		if (end - p < (long) (sizeof(v) + sizeof(len)))
			bad_state();
		memcpy(v, p, sizeof(v));
		p += sizeof(v);
		memcpy(&len, p, sizeof(len));
		p += sizeof(len);
		if (len < 1 || len > ATTR_TOKEN_MAX || end - p < len || !isfinite(v[0]) || !isfinite(v[1]))
			bad_state();
		if (c->n == c->cap)
		{
			c->cap *= 2;
			c->e = repalloc(c->e, sizeof(CreditEntry) * c->cap);
		}
		c->e[c->n].conv = v[0];
		c->e[c->n].rev = v[1];
		c->e[c->n].name = pnstrdup(p, len);
		c->n++;
		p += len;
	}
	if (p != end)
		bad_state();
}

static bytea *
encode(const Credits *c)
{
	StringInfoData b;
	int32		hdr[3] = {STATE_MAGIC, c->model, c->n};

	initStringInfo(&b);
	appendBinaryStringInfo(&b, "    ", VARHDRSZ);
	appendBinaryStringInfo(&b, (const char *) hdr, sizeof(hdr));
	for (int i = 0; i < c->n; i++)
	{
		double		v[2] = {c->e[i].conv, c->e[i].rev};
		int32		len = strlen(c->e[i].name);

		appendBinaryStringInfo(&b, (const char *) v, sizeof(v));
		appendBinaryStringInfo(&b, (const char *) &len, sizeof(len));
		appendBinaryStringInfo(&b, c->e[i].name, len);
	}
	SET_VARSIZE(b.data, b.len);
	return (bytea *) b.data;
}

static void
add(Credits *c, const char *name, double conv, double rev)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].name, name) == 0)
		{
			c->e[i].conv += conv;
			c->e[i].rev += rev;
			return;
		}
	if (c->n == c->cap)
	{
		c->cap *= 2;
		c->e = repalloc(c->e, sizeof(CreditEntry) * c->cap);
	}
	c->e[c->n].conv = conv;
	c->e[c->n].rev = rev;
	c->e[c->n].name = pstrdup(name);
	c->n++;
}

static int
model_code(const char *m)
{
	MMAttrRule	r;

	if (strcmp(m, "shapley") == 0)
		return SHAPLEY_MODEL;
	if (!mm_attr_rule_parse(m, &r) || r == MM_ATTR_SAME_TOUCH || r == MM_ATTR_CUSTOM || r == MM_ATTR_TIME_DECAY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_credits has no model \"%s\"", m),
				 errhint("Models: first_touch, last_touch, linear, participation, u_shaped, j_curve, inverse_j, shapley.")));
	return (int) r;
}

/* path_credits_accum(state bytea, path text, conversions float8, revenue float8, model text) */
Datum
path_credits_accum(PG_FUNCTION_ARGS)
{
	Credits		c;
	AttrTokens	t;
	int		   *tok = NULL,
				cap = 0,
				n,
				model;
	double		conv,
				rev,
			   *w;

	/* (the executor copies the returned state into the aggregate's context) */
	if (PG_ARGISNULL(4))
		mm_null_argument("model");
	model = model_code(text_to_cstring(PG_GETARG_TEXT_PP(4)));
	decode(PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_PP(0), &c);
	if (c.model >= 0 && c.model != model)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_credits model changed between rows")));
	c.model = model;
	/* a row without a path or conversions adds nothing */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_BYTEA_P(encode(&c));
	conv = PG_GETARG_FLOAT8(2);
	rev = PG_ARGISNULL(3) ? 0.0 : PG_GETARG_FLOAT8(3);
	mm_check_range(conv, "conversions", 0, true, INFINITY, false);
	mm_check_finite(rev, "revenue");
	attr_tokens_init(&t);
	n = attr_split_path(&t, text_to_cstring(PG_GETARG_TEXT_PP(1)), " > ", &tok, &cap);
	w = palloc(sizeof(double) * n);
	if (model == SHAPLEY_MODEL)
	{
		/* Zhao et al.: the conversion shared by the distinct channels, each spread over its touches */
		int			distinct = t.n;

		for (int i = 0; i < n; i++)
		{
			int			m = 0;

			for (int j = 0; j < n; j++)
				m += tok[j] == tok[i];
			w[i] = 1.0 / ((double) distinct * m);
		}
	}
	else
		mixmodel_check_core(mm_attr_rule_weights((MMAttrRule) model, n, NULL, NULL, tok, NULL, w),
							"path_credits");
	for (int i = 0; i < n; i++)
		add(&c, t.names[tok[i]], conv * w[i], rev * w[i]);
	PG_RETURN_BYTEA_P(encode(&c));
}

Datum
path_credits_combine(PG_FUNCTION_ARGS)
{
	Credits		a,
				b;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	decode(PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_PP(0), &a);
	decode(PG_ARGISNULL(1) ? NULL : PG_GETARG_BYTEA_PP(1), &b);
	if (a.model >= 0 && b.model >= 0 && a.model != b.model)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_credits states of different models cannot be combined")));
	if (a.model < 0)
		a.model = b.model;
	for (int i = 0; i < b.n; i++)
		add(&a, b.e[i].name, b.e[i].conv, b.e[i].rev);
	PG_RETURN_BYTEA_P(encode(&a));
}

/* {"channel": {"conversions": c, "revenue": r}, ...} */
Datum
path_credits_final(PG_FUNCTION_ARGS)
{
	Credits		c;
	StringInfoData js;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	decode(PG_GETARG_BYTEA_PP(0), &c);
	initStringInfo(&js);
	appendStringInfoChar(&js, '{');
	for (int i = 0; i < c.n; i++)
	{
		if (i)
			appendStringInfoString(&js, ", ");
		escape_json(&js, c.e[i].name);
		appendStringInfo(&js, ": {\"conversions\": %.17g, \"revenue\": %.17g}", c.e[i].conv, c.e[i].rev);
	}
	appendStringInfoChar(&js, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(js.data)));
}
