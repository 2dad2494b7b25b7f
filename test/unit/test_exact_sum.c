/*
 * test_exact_sum.c: the superaccumulator against sums known exactly.
 */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "math/exact_sum.h"
#include "unit.h"

/* a full accumulator, as the glue keeps one when values span the whole range */
typedef struct
{
	int64_t		chunk[MM_XSUM_CHUNKS];
	long		adds;
} Acc;

static void
AccAdd(Acc *a, double x)
{
	if (x != 0.0)
		mm_xsum_add(a->chunk, 0, x);
	if (++a->adds % MM_XSUM_RENORM == 0)
		mm_xsum_carry(a->chunk, MM_XSUM_CHUNKS);
}

static double
SumOf(const double *x, int n, MMStatus *st)
{
	Acc			a;
	double		out = -1.0;

	memset(&a, 0, sizeof(a));
	for (int i = 0; i < n; i++)
		AccAdd(&a, x[i]);
	*st = mm_xsum_round(a.chunk, 0, MM_XSUM_CHUNKS, &out);
	return out;
}

static int
SameBits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* a small deterministic generator (xorshift) */
static uint64_t
Next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void
test_exact_sum(void)
{
	MMStatus	st;
	double		got;

	{
		double		x[] = {1e100, 1.0, -1e100};

		got = SumOf(x, 3, &st);
		UNIT_OK(st == MM_OK && got == 1.0, "exact sum: 1e100 + 1 - 1e100 = 1 (floating point gives 0)");
	}
	{
		double		x[10];

		for (int i = 0; i < 10; i++)
			x[i] = 0.1;
		got = SumOf(x, 10, &st);
		UNIT_OK(st == MM_OK && got == 1.0, "exact sum: ten 0.1 round to 1 (sequential: 0.9999999999999999)");
	}
	{
		/* 2^53 + 1 is a tie between 2^53 and 2^53 + 2: to even; anything below breaks it */
		double		tie[] = {9007199254740992.0, 1.0};
		double		above[] = {9007199254740992.0, 1.0, ldexp(1.0, -60)};
		double		below[] = {9007199254740992.0, 1.0, -ldexp(1.0, -60)};
		double		odd[] = {9007199254740994.0, 1.0};

		UNIT_OK(SumOf(tie, 2, &st) == 9007199254740992.0, "exact sum: 2^53 + 1 rounds to even 2^53");
		UNIT_OK(SumOf(above, 3, &st) == 9007199254740994.0, "exact sum: 2^53 + 1 + 2^-60 rounds up (sticky bit)");
		UNIT_OK(SumOf(below, 3, &st) == 9007199254740992.0, "exact sum: 2^53 + 1 - 2^-60 rounds down");
		UNIT_OK(SumOf(odd, 2, &st) == 9007199254740996.0, "exact sum: 2^53 + 3 rounds to even 2^53 + 4");
	}
	{
		double		x[] = {DBL_MAX, DBL_MAX, -DBL_MAX};
		double		y[] = {DBL_MAX, DBL_MAX};
		double		z[] = {-DBL_MAX, -ldexp(1.0, 970)};

		got = SumOf(x, 3, &st);
		UNIT_OK(st == MM_OK && got == DBL_MAX, "exact sum: DBL_MAX + DBL_MAX - DBL_MAX = DBL_MAX (no intermediate overflow)");
		SumOf(y, 2, &st);
		UNIT_OK(st == MM_EOVRFLW, "exact sum: DBL_MAX + DBL_MAX overflows");
		SumOf(z, 2, &st);
		UNIT_OK(st == MM_EOVRFLW, "exact sum: -DBL_MAX - 2^970 rounds to -2^1024: overflow");
	}
	{
		double		x[] = {4.9406564584124654e-324, 4.9406564584124654e-324, -1e-320, 1e-320};
		double		y[] = {DBL_MIN, -4.9406564584124654e-324};

		got = SumOf(x, 4, &st);
		UNIT_OK(st == MM_OK && got == 2 * 4.9406564584124654e-324, "exact sum: subnormals add exactly");
		got = SumOf(y, 2, &st);
		UNIT_OK(st == MM_OK && got == DBL_MIN - 4.9406564584124654e-324, "exact sum: DBL_MIN - the least subnormal");
	}
	{
		double		x[] = {3.5, -3.5, 0.0, -0.0};
		double		y[] = {-2.5, 1e-300, -7.25};

		got = SumOf(x, 4, &st);
		UNIT_OK(st == MM_OK && got == 0.0, "exact sum: cancellation gives 0");
		got = SumOf(y, 3, &st);
		UNIT_OK(st == MM_OK && got == -9.75, "exact sum: negative sum (-9.75 + 1e-300 rounds to -9.75)");
	}
	{
		/* three million ones cross the carry propagation: exact 3e6 */
		Acc			a;

		memset(&a, 0, sizeof(a));
		for (int i = 0; i < 3000000; i++)
			AccAdd(&a, 1.0);
		mm_xsum_round(a.chunk, 0, MM_XSUM_CHUNKS, &got);
		UNIT_OK(got == 3000000.0, "exact sum: 3,000,000 ones across carry propagations");
	}
	{
		/*
		 * Integers times 2^-30 sum exactly in int64: the accumulator must agree with
		 * that, in any order; and a sum split in two accumulators and combined (as
		 * parallel workers do) gives the same bits.
		 */
		uint64_t	seed = 88172645463325252ULL;
		double		x[4000];
		int64_t		exact = 0;
		double		fwd,
					rev,
					split,
					want;
		Acc			a,
					b;
		int			ok = 1;

		for (int i = 0; i < 4000; i++)
		{
			int64_t		k = (int64_t) (Next(&seed) % 2000000001ULL) - 1000000000;

			x[i] = ldexp((double) k, -30);
			exact += k;
		}
		want = ldexp((double) exact, -30);
		fwd = SumOf(x, 4000, &st);
		for (int i = 0; i < 2000; i++)
		{
			double		tmp = x[i];

			x[i] = x[3999 - i];
			x[3999 - i] = tmp;
		}
		rev = SumOf(x, 4000, &st);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		for (int i = 0; i < 4000; i++)
			AccAdd(i % 3 ? &a : &b, x[i]);
		mm_xsum_carry(a.chunk, MM_XSUM_CHUNKS);
		mm_xsum_carry(b.chunk, MM_XSUM_CHUNKS);
		for (int k = 0; k < MM_XSUM_CHUNKS; k++)
			a.chunk[k] += b.chunk[k];
		mm_xsum_round(a.chunk, 0, MM_XSUM_CHUNKS, &split);
		ok = SameBits(fwd, want) && SameBits(rev, want) && SameBits(split, want);
		UNIT_OK(ok, "exact sum: 4000 multiples of 2^-30 equal their int64 sum in any order and split in two");
	}
	{
		/*
		 * Wide exponents: values x_i and -x_i cancel exactly whatever the order, leaving
		 * the small values added, whose exact sum is known.
		 */
		uint64_t	seed = 2463534242ULL;
		double		x[3000];
		int			n = 0;
		double		a1,
					a2;

		for (int i = 0; i < 1000; i++)
		{
			double		big = ldexp(1.0 + (double) (Next(&seed) % 1000) / 1000.0, (int) (Next(&seed) % 1800) - 900);

			x[n++] = big;
			x[n++] = -big;
			x[n++] = (double) (i % 7);
		}
		a1 = SumOf(x, n, &st);
		for (int i = 0; i < n / 2; i++)
		{
			double		tmp = x[i];

			x[i] = x[n - 1 - i];
			x[n - 1 - i] = tmp;
		}
		a2 = SumOf(x, n, &st);
		UNIT_OK(a1 == 2997.0 && SameBits(a1, a2), "exact sum: 2000 values from 2^-900 to 2^900 cancel exactly, leaving 2997");
	}
	{
		/* a window: the chunks of one value, as the glue keeps them */
		int64_t		w[8];
		int			first,
					last;
		double		x = 123.456;

		memset(w, 0, sizeof(w));
		mm_xsum_span(x, &first, &last);
		mm_xsum_add(w, first, x);
		mm_xsum_add(w, first, x);
		mm_xsum_carry(w, last - first + 1);
		mm_xsum_round(w, first, last - first + 1, &got);
		UNIT_OK(last - first == 3 && got == 246.912, "exact sum: a four-chunk window holds 123.456 + 123.456");
	}
}
