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

/* word k of a window of m words, 0 outside it */
static uint64_t
Word(const int64_t *w, int m, int k)
{
	return k >= 0 && k < m ? (uint64_t) w[k] : 0;
}

/*
 * The window is carried in a copy two words longer (a window's words stay below 2^62 in
 * magnitude, so its value fits: the top word ends 0 or -1, the sign), made non-negative,
 * and the 64 bits from its highest set bit down are read with three word shifts: the 53
 * of the result, the rounding bit and ten sticky bits, the rest sticky as whole words.
 * Only the window's words are touched, so rounding costs a few dozen operations.
 */
MMStatus
mm_xsum_round(const int64_t *chunk, int lo, int n, double *out)
{
	int64_t		w[MM_XSUM_CHUNKS + 2];
	int			m = n + 2,
				negative = 0,
				top = -1,
				b,
				t;
	uint64_t	u,
				mant;
	int			round,
				sticky;
	double		v;

	memcpy(w, chunk, sizeof(int64_t) * n);
	w[n] = w[n + 1] = 0;
	mm_xsum_carry(w, m);
	if (w[m - 1] < 0)
	{
		negative = 1;
		for (int k = 0; k < m; k++)
			w[k] = -w[k];
		mm_xsum_carry(w, m);
	}
	for (int k = m - 1; k >= 0; k--)
		if (w[k] != 0)
		{
			top = k;
			break;
		}
	if (top < 0)
	{
		*out = 0.0;
		return MM_OK;
	}
	/* b: the highest set bit of the top word (below 32); t: its absolute position */
	b = 63 - __builtin_clzll((uint64_t) w[top]);
	t = (lo + top) * CHUNK_BITS + b;
	if (t < 53)
	{
		/* below 2^-1021: at most 53 bits from 2^-1074 up (absolute chunks 0 and 1), exact */
		uint64_t	x = Word(w, m, -lo) | (Word(w, m, 1 - lo) << 32);

		v = ldexp((double) x, -1074);
	}
	else
	{
		int			low = t - 52;

		/* bit 63 of u is bit t */
		u = (Word(w, m, top) << (63 - b)) | (Word(w, m, top - 1) << (31 - b))
			| (Word(w, m, top - 2) >> (b + 1));
		mant = u >> 11;
		round = (int) ((u >> 10) & 1);
		sticky = (u & 0x3FF) != 0 || (Word(w, m, top - 2) & ((UINT64_C(1) << (b + 1)) - 1)) != 0;
		for (int k = top - 3; k >= 0 && !sticky; k--)
			sticky = w[k] != 0;
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
