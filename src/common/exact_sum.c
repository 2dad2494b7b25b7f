/*
 * exact_sum.c: the aggregate mixmodel.exact_sum(float8) over src/math/exact_sum.c.
 *
 * The state is a bigint[]: {flags, count, lo, chunk lo, chunk lo+1, ...}, the window of
 * superaccumulator chunks the values have touched (usually four to six: values of
 * similar magnitude share chunks).  flags: 1 a NaN, 2 +Infinity, 4 -Infinity was added.
 * The transition and combine functions update the state in place when called as an
 * aggregate and grow it when a value falls outside the window.  The text form of the
 * state is exact, so partial states move between nodes as text.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/float.h"

#include "common/errors.h"
#include "math/exact_sum.h"

PG_FUNCTION_INFO_V1(exact_sum_accum);
PG_FUNCTION_INFO_V1(exact_sum_combine);
PG_FUNCTION_INFO_V1(exact_sum_final);

#define XS_HEADER 3
#define XS_NAN 1
#define XS_PINF 2
#define XS_NINF 4
/* a chunk word of a valid state stays far below this (2^53 between carries) */
#define XS_CHUNK_LIMIT (INT64_C(1) << 62)

static void
BadState(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid exact_sum state"),
			 errdetail("%s", detail),
			 errhint("Use the state only through mixmodel.exact_sum.")));
}

/* Check a state; return its element array and the window's length. */
static int64 *
StateValues(ArrayType *a, int *nchunks, bool check_chunks)
{
	int			n;
	int64	   *v;

	if (ARR_NDIM(a) != 1 || ARR_ELEMTYPE(a) != INT8OID || ARR_HASNULL(a))
		BadState("The state is a one-dimensional bigint[] without NULLs.");
	n = ARR_DIMS(a)[0];
	if (n < XS_HEADER || n > XS_HEADER + MM_XSUM_CHUNKS)
		BadState("The state has 3 header elements and at most 67 chunks.");
	v = (int64 *) ARR_DATA_PTR(a);
	if (v[0] < 0 || v[0] > (XS_NAN | XS_PINF | XS_NINF) || v[1] < 0 || v[2] < 0
		|| v[2] + (n - XS_HEADER) > MM_XSUM_CHUNKS)
		BadState("The flags, count or window position are out of range.");
	if (check_chunks)
		for (int i = XS_HEADER; i < n; i++)
			if (v[i] <= -XS_CHUNK_LIMIT || v[i] >= XS_CHUNK_LIMIT)
				BadState("A chunk is out of range.");
	*nchunks = n - XS_HEADER;
	return v;
}

/* A state with the window lo .. lo+n-1 holding old's chunks (old may be NULL). */
static ArrayType *
NewState(const int64 *old, int old_n, int lo, int n)
{
	ArrayType  *a;
	int64	   *v;
	Size		bytes = ARR_OVERHEAD_NONULLS(1) + sizeof(int64) * (XS_HEADER + n);

	a = (ArrayType *) palloc0(bytes);
	SET_VARSIZE(a, bytes);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = INT8OID;
	ARR_DIMS(a)[0] = XS_HEADER + n;
	ARR_LBOUND(a)[0] = 1;
	v = (int64 *) ARR_DATA_PTR(a);
	if (old)
	{
		v[0] = old[0];
		v[1] = old[1];
		for (int i = 0; i < old_n; i++)
			v[XS_HEADER + old[2] - lo + i] = old[XS_HEADER + i];
	}
	v[2] = lo;
	return a;
}

/* _exact_sum_accum(state bigint[], value float8) RETURNS bigint[] */
Datum
exact_sum_accum(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *a = in_agg ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	float8		x = PG_GETARG_FLOAT8(1);
	int			n;
	int64	   *v = StateValues(a, &n, !in_agg || ARR_DIMS(a)[0] == XS_HEADER);

	if (isnan(x))
		v[0] |= XS_NAN;
	else if (isinf(x))
		v[0] |= x > 0 ? XS_PINF : XS_NINF;
	else if (x != 0.0)
	{
		int			first,
					last;

		mm_xsum_span(x, &first, &last);
		if (n == 0 || first < v[2] || last > v[2] + n - 1)
		{
			int			lo = n == 0 ? first : Min(first, (int) v[2]);
			int			hi = n == 0 ? last : Max(last, (int) v[2] + n - 1);

			a = NewState(v, n, lo, hi - lo + 1);
			v = (int64 *) ARR_DATA_PTR(a);
			n = hi - lo + 1;
		}
		mm_xsum_add(v + XS_HEADER, (int) v[2], x);
	}
	v[1]++;
	if (v[1] % MM_XSUM_RENORM == 0)
		mm_xsum_carry(v + XS_HEADER, n);
	PG_RETURN_ARRAYTYPE_P(a);
}

/* _exact_sum_combine(a bigint[], b bigint[]) RETURNS bigint[] */
Datum
exact_sum_combine(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *a = in_agg ? PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	int			na,
				nb;
	int64	   *va = StateValues(a, &na, !in_agg),
			   *vb = StateValues(b, &nb, true);
	int64		bchunks[MM_XSUM_CHUNKS];

	/* carried, both windows' words are below 2^32 and their sum cannot overflow */
	mm_xsum_carry(va + XS_HEADER, na);
	memcpy(bchunks, vb + XS_HEADER, sizeof(int64) * nb);
	mm_xsum_carry(bchunks, nb);
	if (nb > 0 && (na == 0 || vb[2] < va[2] || vb[2] + nb > va[2] + na))
	{
		int			lo = na == 0 ? (int) vb[2] : (int) Min(va[2], vb[2]);
		int			hi = na == 0 ? (int) vb[2] + nb - 1 : (int) Max(va[2] + na, vb[2] + nb) - 1;

		a = NewState(va, na, lo, hi - lo + 1);
		va = (int64 *) ARR_DATA_PTR(a);
		na = hi - lo + 1;
	}
	for (int i = 0; i < nb; i++)
		va[XS_HEADER + vb[2] - va[2] + i] += bchunks[i];
	va[0] |= vb[0];
	va[1] += vb[1];
	if (va[1] < 0)
		BadState("The count overflows.");
	PG_RETURN_ARRAYTYPE_P(a);
}

/* _exact_sum_final(state bigint[]) RETURNS float8: NULL without values */
Datum
exact_sum_final(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	int			n;
	int64	   *v = StateValues(a, &n, true);
	double		out;

	if (v[1] == 0)
		PG_RETURN_NULL();
	if ((v[0] & XS_NAN) || (v[0] & (XS_PINF | XS_NINF)) == (XS_PINF | XS_NINF))
		PG_RETURN_FLOAT8(get_float8_nan());
	if (v[0] & XS_PINF)
		PG_RETURN_FLOAT8(get_float8_infinity());
	if (v[0] & XS_NINF)
		PG_RETURN_FLOAT8(-get_float8_infinity());
	if (mm_xsum_round(v + XS_HEADER, (int) v[2], n, &out) != MM_OK)
		float_overflow_error();
	PG_RETURN_FLOAT8(out);
}
