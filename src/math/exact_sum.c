/*
 * exact_sum.c: exact summation of doubles (see exact_sum.h).
 */
#include "math/exact_sum.h"

#include <math.h>
#include <string.h>

#define CHUNK_BITS 32
#define LOW32 INT64_C(0xFFFFFFFF)
#define TWO32 INT64_C(0x100000000)

/* x as sign, 53-bit integer significand m and absolute bit position p: |x| = m 2^(p - 1074) */
static void
Decompose(double x, int *negative, uint64_t *m, int *p)
{
	uint64_t	bits;
	int			e;

	memcpy(&bits, &x, sizeof(bits));
	*negative = (int) (bits >> 63);
	e = (int) ((bits >> 52) & 0x7FF);
	*m = bits & ((UINT64_C(1) << 52) - 1);
	if (e == 0)
		*p = 0;					/* subnormal: units of 2^-1074 */
	else
	{
		*m |= UINT64_C(1) << 52;
		*p = e - 1;
	}
}

void
mm_xsum_span(double x, int *first, int *last)
{
	int			negative,
				p;
	uint64_t	m;

	Decompose(x, &negative, &m, &p);
	*first = p / CHUNK_BITS;
	*last = *first + 3;			/* m spans at most three chunks; one more takes carries */
	if (*last > MM_XSUM_CHUNKS - 1)
		*last = MM_XSUM_CHUNKS - 1;
}

void
mm_xsum_add(int64_t *chunk, int lo, double x)
{
	int			negative,
				p,
				k,
				s;
	uint64_t	m,
				c0,
				c1,
				c2;

	Decompose(x, &negative, &m, &p);
	k = p / CHUNK_BITS - lo;
	s = p % CHUNK_BITS;
	/* m << s has up to 85 bits: the low 64 are exact in modular arithmetic */
	c0 = (m << s) & (uint64_t) LOW32;
	c1 = ((m << s) >> 32) & (uint64_t) LOW32;
	c2 = s > 11 ? m >> (64 - s) : 0;
	if (negative)
	{
		chunk[k] -= (int64_t) c0;
		chunk[k + 1] -= (int64_t) c1;
		chunk[k + 2] -= (int64_t) c2;
	}
	else
	{
		chunk[k] += (int64_t) c0;
		chunk[k + 1] += (int64_t) c1;
		chunk[k + 2] += (int64_t) c2;
	}
}

void
mm_xsum_carry(int64_t *chunk, int n)
{
	for (int k = 0; k < n - 1; k++)
	{
		int64_t		low = chunk[k] & LOW32;
		int64_t		carry = (chunk[k] - low) / TWO32;	/* exact: floor division */

		chunk[k] = low;
		chunk[k + 1] += carry;
	}
}

/* bit j of a carried, non-negative full accumulator */
static int
Bit(const int64_t *full, int j)
{
	return (int) ((full[j / CHUNK_BITS] >> (j % CHUNK_BITS)) & 1);
}

MMStatus
mm_xsum_round(const int64_t *chunk, int lo, int n, double *out)
{
	/* the whole accumulator, plus a top word for the sign */
	int64_t		full[MM_XSUM_CHUNKS + 1];
	int			negative = 0,
				top = -1,
				t,
				low;
	uint64_t	mant = 0;
	int			round,
				sticky = 0;
	double		v;

	memset(full, 0, sizeof(full));
	for (int k = 0; k < n; k++)
		full[lo + k] = chunk[k];
	mm_xsum_carry(full, MM_XSUM_CHUNKS + 1);
	if (full[MM_XSUM_CHUNKS] < 0)
	{
		negative = 1;
		for (int k = 0; k <= MM_XSUM_CHUNKS; k++)
			full[k] = -full[k];
		mm_xsum_carry(full, MM_XSUM_CHUNKS + 1);
	}
	for (int k = MM_XSUM_CHUNKS - 1; k >= 0; k--)
		if (full[k] != 0)
		{
			top = k;
			break;
		}
	if (top < 0)
	{
		*out = 0.0;
		return MM_OK;
	}
	/* t: the highest set bit */
	t = top * CHUNK_BITS + 31;
	while (!Bit(full, t))
		t--;
	if (t < 53)
	{
		/* below 2^-1021: at most 53 bits from 2^-1074 up, exact as a double */
		uint64_t	u = (uint64_t) full[0] | ((uint64_t) full[1] << 32);

		v = ldexp((double) u, -1074);
	}
	else
	{
		/* 53 bits from t down; then the rounding bit and whether anything is below it */
		low = t - 52;
		for (int j = t; j >= low; j--)
			mant = (mant << 1) | (uint64_t) Bit(full, j);
		round = Bit(full, low - 1);
		for (int j = low - 2; j >= 0 && !sticky; j--)
		{
			if (j % CHUNK_BITS == CHUNK_BITS - 1 && full[j / CHUNK_BITS] == 0)
			{
				j -= CHUNK_BITS - 1;	/* a zero chunk */
				continue;
			}
			sticky = Bit(full, j);
		}
		if (round && (sticky || (mant & 1)))
		{
			mant++;
			if (mant == UINT64_C(1) << 53)
			{
				mant >>= 1;
				low++;
			}
		}
		if (low - 1074 + 52 > 1023)
			return MM_EOVRFLW;
		v = ldexp((double) mant, low - 1074);
		if (isinf(v))
			return MM_EOVRFLW;
	}
	*out = negative ? -v : v;
	return MM_OK;
}
