/*
 * svg_axis.c: value ticks ("nice numbers", Heckbert, Graphics Gems I, 1990)
 * and calendar ticks for the chart renderer.
 */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Largest magnitude a value axis shows; beyond it values are clamped. */
#define AXIS_LIMIT 1e300

/* A "nice" number near x: 1, 2 or 5 times a power of ten. */
static double
nice_number(double x, bool round_it)
{
	double		e = floor(log10(x));
	double		p = pow(10, e);
	double		f = x / p;
	double		nf;

	if (round_it)
		nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
	else
		nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	return nf * p;
}

/*
 * The domain ends on a tick when the data come within half a step of it;
 * otherwise it stops 4% of the range past the data, so one small negative
 * value does not cost a whole empty step (the ticks are the nice multiples
 * inside the domain).
 */
static void
fill_ticks(double lo, double hi, double step, MMTicks *t)
{
	double		k0 = floor(lo / step),
				k1 = ceil(hi / step),
				pad = 0.04 * (hi - lo);

	/* rounding of lo / step can leave a tick just outside */
	if (k0 * step > lo)
		k0 -= 1;
	if (k1 * step < hi)
		k1 += 1;
	t->lo = (lo - k0 * step <= 0.5 * step || lo == 0) ? k0 * step : lo - pad;
	t->hi = (k1 * step - hi <= 0.5 * step || hi == 0) ? k1 * step : hi + pad;
	t->n = 0;
	for (double k = ceil(t->lo / step - 1e-9); k * step <= t->hi * (1 + 1e-12) + 1e-300 && t->n < 64; k += 1)
	{
		double		v = k * step;

		if (fabs(v) < step * 1e-9)
			v = 0;
		if (v < t->lo || v > t->hi)
			continue;
		t->v[t->n++] = v;
	}
	t->step = step;
}

void
mm_svg_ticks(double lo, double hi, int target, MMTicks *t)
{
	double		range,
				step;

	if (!isfinite(lo) || !isfinite(hi))
		lo = 0, hi = 1;
	lo = fmax(-AXIS_LIMIT, fmin(AXIS_LIMIT, lo));
	hi = fmax(-AXIS_LIMIT, fmin(AXIS_LIMIT, hi));
	if (lo > hi)
	{
		double		x = lo;

		lo = hi;
		hi = x;
	}
	/* a flat series or a range below the precision of its values: widen it */
	if (hi - lo <= 1e-9 * fmax(fabs(lo), fabs(hi)) || hi - lo < 1e-290)
	{
		double		pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;

		if (lo >= 0 && lo - pad < 0)
			lo = 0;
		else
			lo -= pad;
		if (hi <= 0 && hi + pad > 0)
			hi = 0;
		else
			hi += pad;
		if (hi == lo)
			hi = lo + 1;
	}
	if (target < 2)
		target = 2;
	if (target > 12)
		target = 12;
	range = nice_number(hi - lo, false);
	step = nice_number(range / target, true);
	fill_ticks(lo, hi, step, t);
	/* a tight domain may hold a single tick: take the next smaller nice step */
	for (int i = 0; i < 4 && t->n < 2; i++)
	{
		double		e = pow(10, floor(log10(step)));
		double		f = step / e;

		step = (f > 5.5 ? 5 : f > 2.5 ? 2 : f > 1.5 ? 1 : 0.5) * e;
		fill_ticks(lo, hi, step, t);
	}
}

void
mm_svg_tick_label(char *out, size_t n, double v, const MMTicks *t, MMSvgFormat f)
{
	double		m = fmax(fabs(t->lo), fabs(t->hi));
	double		step = t->step;
	double		unit = 1;
	const char *suffix = "";
	int			decimals;
	char		num[64];

	if (f == MM_FMT_PERCENT)
	{
		v *= 100;
		m *= 100;
		step *= 100;
		suffix = "%";
	}
	if (v == 0)
	{
		snprintf(out, n, "0%s", suffix);
		return;
	}
	if (m >= 1e15 || step < 1e-6)
	{
		/* enough mantissa digits to tell neighbouring ticks apart */
		int			digits = (int) ceil(log10(m / step) - 1e-9);

		snprintf(out, n, "%.*e%s", digits < 1 ? 1 : digits > 12 ? 12 : digits, v, suffix);
		return;
	}
	if (f == MM_FMT_NUMBER)
	{
		if (m >= 1e12)
			unit = 1e12, suffix = "T";
		else if (m >= 1e9)
			unit = 1e9, suffix = "B";
		else if (m >= 1e6)
			unit = 1e6, suffix = "M";
		else if (m >= 1e3)
			unit = 1e3, suffix = "k";
	}
	/* as many decimals as the step has in this unit: 0.25k needs 2, 0.5M 1 */
	for (decimals = 0; decimals < 6; decimals++)
	{
		double		scaled = step / unit * pow(10, decimals);

		if (fabs(scaled - round(scaled)) <= 1e-6 * scaled)
			break;
	}
	snprintf(num, sizeof(num), "%.*f", decimals, v / unit);
	snprintf(out, n, "%s%s", num, suffix);
}

/* Civil date of a day count (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"). */
static void
civil_from_days(int day2000, long *y, int *m, int *d)
{
	long		z = (long) day2000 + 10957 + 719468;	/* 2000-01-01 is day 10957 after 1970-01-01 */
	long		era = (z >= 0 ? z : z - 146096) / 146097;
	long		doe = z - era * 146097;
	long		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long		mp = (5 * doy + 2) / 153;

	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static long
days_from_civil(long y, int m, int d)
{
	long		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 - 10957;
}

void
mm_svg_date_string(char *out, size_t n, int day)
{
	long		y;
	int			m,
				d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04ld-%02d-%02d", y, m, d);
}

static long
floor_div(long a, long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static const char *const month_abbrev[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void
mm_svg_date_ticks(int first, int last, int max_ticks, MMDateTicks *t)
{
	static const long month_steps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000,
		12000, 24000, 60000, 120000, 240000, 600000, 1200000, 2400000, 6000000, 12000000,
	24000000, 60000000, 120000000};
	static const int day_steps[] = {1, 7, 14};
	long		y0,
				y1;
	int			m0,
				m1,
				d0,
				d1;
	long		months;

	t->n = 0;
	if (max_ticks < 2)
		max_ticks = 2;
	if (max_ticks > 64)
		max_ticks = 64;
	if (last < first)
		last = first;

	/* short spans: days or weeks from the first period */
	for (int i = 0; i < 3; i++)
	{
		if ((last - first) / day_steps[i] + 1 <= max_ticks && last - first < 62)
		{
			for (long d = first; d <= last && t->n < max_ticks; d += day_steps[i])
			{
				t->day[t->n] = (int) d;
				mm_svg_date_string(t->label[t->n], sizeof(t->label[0]), (int) d);
				t->n++;
			}
			return;
		}
	}

	civil_from_days(first, &y0, &m0, &d0);
	civil_from_days(last, &y1, &m1, &d1);
	months = (y1 - y0) * 12 + (m1 - m0) + 1;
	for (size_t i = 0; i < sizeof(month_steps) / sizeof(month_steps[0]); i++)
	{
		long		step = month_steps[i];
		long		start;		/* months since year 0, first tick at or after the first day */
		int			count = 0;

		if (months / step + 1 > max_ticks)
			continue;
		/* ticks on multiples of the step (January for yearly steps) */
		start = y0 * 12 + (m0 - 1);
		if (d0 > 1)
			start++;
		start = floor_div(start + step - 1, step) * step;
		for (long k = start; count < max_ticks; k += step)
		{
			long		y = floor_div(k, 12);
			int			m = (int) (k - y * 12) + 1;
			long		day = days_from_civil(y, m, 1);

			if (day > last)
				break;
			if (day >= first)
			{
				t->day[t->n] = (int) day;
				if (step >= 12)
					snprintf(t->label[t->n], sizeof(t->label[0]), "%ld", y);
				else
					snprintf(t->label[t->n], sizeof(t->label[0]), "%s %ld", month_abbrev[m - 1], y);
				t->n++;
				count++;
			}
		}
		return;
	}
}
