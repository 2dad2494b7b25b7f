/*
 * test_svg.c: the report's chart renderer (src/report/svg*.c): escaping,
 * value formats, ticks, and well-formed output on hostile input.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/svg.h"
#include "unit.h"

static void *
grow(void *p, size_t n)
{
	void	   *q = realloc(p, n);

	if (q == NULL)
		abort();
	return q;
}

static void
text_of(MMSvgBuf *b, const char *s, bool isolate, double max_width)
{
	mm_svg_init(b, grow, free);
	mm_svg_text(b, s, isolate, max_width, 11);
}

/* An entity or character reference at s (after '&'): its length, or 0. */
static int
reference_length(const char *s)
{
	static const char *const named[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
	int			i = 0;

	for (int k = 0; k < 5; k++)
		if (strncmp(s, named[k], strlen(named[k])) == 0)
			return (int) strlen(named[k]);
	if (s[0] != '#')
		return 0;
	i = 1;
	if (s[1] == 'x')
	{
		i = 2;
		while (strchr("0123456789ABCDEFabcdef", s[i]) != NULL && s[i] != '\0')
			i++;
		if (i == 2)
			return 0;
	}
	else
	{
		while (s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == 1)
			return 0;
	}
	return s[i] == ';' ? i + 1 : 0;
}

/*
 * Well-formed XML of the subset the renderer writes (elements, attributes in
 * double quotes, references; no comments, CDATA or processing instructions),
 * one root element, 7-bit printable text, and no NaN or infinity written out.
 */
static bool
well_formed(const char *s, char *why, size_t whylen)
{
	const char *stack[512];
	size_t		stack_len[512];
	int			depth = 0,
				roots = 0;
	const char *p = s;

#define FAIL(msg) do { snprintf(why, whylen, "%s at offset %ld", msg, (long) (p - s)); return false; } while (0)
	for (const char *q = s; *q; q++)
		if ((unsigned char) *q < 0x20 || (unsigned char) *q > 0x7E)
		{
			p = q;
			FAIL("byte outside printable ASCII");
		}
	for (const char *q = s; *q; q++)
		if ((strncasecmp(q, "nan", 3) == 0 || strncasecmp(q, "inf", 3) == 0) &&
			(q == s || !((q[-1] >= 'a' && q[-1] <= 'z') || (q[-1] >= 'A' && q[-1] <= 'Z'))))
		{
			p = q;
			FAIL("a non-finite value written out");
		}
	while (*p)
	{
		if (*p == '&')
		{
			int			n = reference_length(p + 1);

			if (n == 0)
				FAIL("bare ampersand");
			p += n + 1;
			continue;
		}
		if (*p != '<')
		{
			if (depth == 0)
				FAIL("text outside the root");
			p++;
			continue;
		}
		if (p[1] == '/')
		{
			const char *name = p + 2;
			size_t		len = strcspn(name, ">");

			if (depth == 0 || len != stack_len[depth - 1] || strncmp(name, stack[depth - 1], len) != 0)
				FAIL("unmatched end tag");
			depth--;
			p = name + len + 1;
			continue;
		}
		{
			const char *name = p + 1;
			size_t		len = strcspn(name, " />");

			if (len == 0)
				FAIL("empty tag name");
			if (depth == 0 && ++roots > 1)
				FAIL("second root element");
			p = name + len;
			for (;;)
			{
				while (*p == ' ')
					p++;
				if (*p == '>' || (p[0] == '/' && p[1] == '>'))
					break;
				if (*p == '\0')
					FAIL("tag not closed");
				/* attribute: name="value" */
				{
					size_t		alen = strcspn(p, "= />");

					if (alen == 0 || p[alen] != '=' || p[alen + 1] != '"')
						FAIL("attribute without a quoted value");
					p += alen + 2;
					while (*p != '"')
					{
						if (*p == '\0' || *p == '<')
							FAIL("bad attribute value");
						if (*p == '&')
						{
							int			n = reference_length(p + 1);

							if (n == 0)
								FAIL("bare ampersand in an attribute");
							p += n;
						}
						p++;
					}
					p++;
				}
			}
			if (*p == '/')
				p += 2;
			else
			{
				if (depth == 512)
					FAIL("too deep");
				stack[depth] = name;
				stack_len[depth] = len;
				depth++;
				p++;
			}
		}
	}
	if (depth != 0)
		FAIL("element not closed");
	if (roots != 1)
		FAIL("no root element");
#undef FAIL
	return true;
}

/* xorshift64*: reproducible random input for the fuzz loop */
static uint64_t rng_state = 88172645463325252ULL;

static double
urand(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double) ((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static double
hostile_value(void)
{
	double		u = urand();

	if (u < 0.05)
		return NAN;
	if (u < 0.08)
		return INFINITY;
	if (u < 0.10)
		return -INFINITY;
	if (u < 0.14)
		return 1e308 * (urand() < 0.5 ? -1 : 1);
	if (u < 0.18)
		return 0;
	if (u < 0.22)
		return 5e-324;
	if (u < 0.5)
		return (urand() - 0.3) * pow(10, urand() * 12 - 3);
	return urand() * 1000;
}

static void
hostile_label(char *out, size_t n)
{
	static const char *const parts[] = {"tv", "<script>", "&", "\"", "'", "\xd8\xa8\xd8\xad\xd8\xab", "\xe2\x80\xae",
		"\xff", "\xc0\xaf", "\x01", "\t", "]]>", "&amp;", "\xf0\x9f\x98\x80", "search spend", "\xe4\xb8\xad\xe6\x96\x87"};
	int			k = (int) (urand() * 6);

	out[0] = '\0';
	for (int i = 0; i < k; i++)
		strncat(out, parts[(int) (urand() * 16)], n - strlen(out) - 1);
}

static void
check(MMSvgBuf *b, const char *what, int *bad, int round)
{
	char		why[128];

	if (!well_formed(b->data, why, sizeof(why)))
	{
		if (*bad < 3)
		{
			long		off = atol(strrchr(why, ' ') + 1);

			printf("# %s round %d: %s: %.60s\n", what, round, why, b->data + (off > 30 ? off - 30 : 0));
		}
		(*bad)++;
	}
	free(b->data);
}

void
test_svg(void)
{
	MMSvgBuf	b;
	char		out[64],
				why[128];
	MMTicks		t;
	MMDateTicks dt;

	/* escaping */
	text_of(&b, "<a href=\"x\">&'</a>", false, 0);
	UNIT_OK(strcmp(b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;") == 0, "svg: markup escaped (%s)", b.data);
	free(b.data);
	text_of(&b, "a\xff" "b\xc0\xaf" "c\x01\td", false, 0);
	UNIT_OK(strcmp(b.data, "a&#xFFFD;b&#xFFFD;&#xFFFD;c&#xFFFD; d") == 0, "svg: invalid UTF-8 and controls replaced (%s)", b.data);
	free(b.data);
	text_of(&b, "\xe2\x80\xae" "evil \xd8\xa8", true, 0);
	UNIT_OK(strcmp(b.data, "&#x2068;&#x202E;evil &#x628;&#x2069;") == 0, "svg: bidi isolated, non-ASCII as references (%s)", b.data);
	free(b.data);
	text_of(&b, "a long channel name that will not fit", true, 80);
	UNIT_OK(strstr(b.data, "&#x2026;&#x2069;") != NULL && strlen(b.data) < 60, "svg: truncated with an ellipsis inside the isolate (%s)", b.data);
	free(b.data);
	{
		char	   *big = malloc(3 * 2000 + 1);

		for (int i = 0; i < 2000; i++)
			memcpy(big + 3 * i, "\xe4\xb8\xad", 3);
		big[6000] = '\0';
		text_of(&b, big, false, 0);
		UNIT_OK(strlen(b.data) == MM_SVG_MAX_LABEL * strlen("&#x4E2D;") + strlen("&#x2026;"),
				"svg: a label is cut after %d characters", MM_SVG_MAX_LABEL);
		free(b.data);
		free(big);
	}
	UNIT_OK(mm_svg_text_width("MMMM", 10) > mm_svg_text_width("iiii", 10) && mm_svg_text_width("", 10) == 0,
			"svg: text width estimate");

	/* value formats */
	{
		static const struct
		{
			double		v;
			MMSvgFormat f;
			const char *want;
		}			cases[] = {
			{0, MM_FMT_NUMBER, "0"}, {999.6, MM_FMT_NUMBER, "1k"}, {1234567, MM_FMT_NUMBER, "1.23M"},
			{-2.5e9, MM_FMT_NUMBER, "-2.5B"}, {12.5, MM_FMT_NUMBER, "12.5"}, {0.5, MM_FMT_NUMBER, "0.5"},
			{-0.000012, MM_FMT_NUMBER, "-1.20e-05"}, {1e20, MM_FMT_NUMBER, "1.00e+20"},
			{0.1234, MM_FMT_PERCENT, "12.3%"}, {-0.5, MM_FMT_PERCENT, "-50%"}, {NAN, MM_FMT_NUMBER, "n/a"},
			{INFINITY, MM_FMT_PERCENT, "n/a"}
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		{
			mm_svg_format_value(out, sizeof(out), cases[i].v, cases[i].f);
			UNIT_OK(strcmp(out, cases[i].want) == 0, "svg: %g formats as %s (got %s)", cases[i].v, cases[i].want, out);
		}
	}

	/* ticks: cover the range, evenly, with distinct labels */
	mm_svg_ticks(0, 97, 5, &t);
	UNIT_OK(t.lo == 0 && t.hi == 100 && t.step == 20 && t.n == 6, "svg: ticks of [0, 97] are 0, 20, ..., 100");
	mm_svg_ticks(5, 5, 5, &t);
	UNIT_OK(t.lo <= 5 && t.hi > 5 && t.n >= 2, "svg: a flat range is widened");
	mm_svg_ticks(NAN, INFINITY, 5, &t);
	UNIT_OK(t.n >= 2 && isfinite(t.lo) && isfinite(t.hi), "svg: non-finite ends give a unit axis");
	mm_svg_ticks(-1e308, 1e308, 5, &t);
	UNIT_OK(t.n >= 2 && t.n <= 64 && isfinite(t.lo) && isfinite(t.hi) && t.lo < 0 && t.hi > 0, "svg: a huge range stays finite");
	{
		int			bad = 0,
					dup = 0;

		for (int r = 0; r < 20000; r++)
		{
			double		lo = (urand() - 0.5) * pow(10, urand() * 14 - 4);
			double		hi = lo + urand() * pow(10, urand() * 14 - 4) + 1e-3 * fabs(lo);
			MMSvgFormat f = urand() < 0.3 ? MM_FMT_PERCENT : MM_FMT_NUMBER;
			char		prev[64] = "";

			mm_svg_ticks(lo, hi, 2 + (int) (urand() * 8), &t);
			if (!(t.n >= 2 && t.lo <= lo && t.hi >= hi))
				bad++;
			for (int i = 1; i < t.n; i++)
				if (!(t.v[i] > t.v[i - 1]) || fabs(t.v[i] - t.v[i - 1] - t.step) > 1e-9 * fmax(fabs(t.v[i]), t.step))
					bad++;
			for (int i = 0; i < t.n; i++)
			{
				mm_svg_tick_label(out, sizeof(out), t.v[i], &t, f);
				if (strcmp(out, prev) == 0)
					dup++;
				strcpy(prev, out);
			}
		}
		UNIT_OK(bad == 0, "svg: 20000 random ranges covered by even ticks (%d bad)", bad);
		UNIT_OK(dup == 0, "svg: adjacent tick labels always differ (%d equal)", dup);
	}

	/* calendar ticks: inside the range, increasing, at most max_ticks */
	{
		int			bad = 0;

		for (int r = 0; r < 5000; r++)
		{
			int			first = (int) ((urand() - 0.5) * 200000);
			int			last = first + (int) (pow(10, urand() * 5));
			int			max_ticks = 2 + (int) (urand() * 14);

			mm_svg_date_ticks(first, last, max_ticks, &dt);
			if (dt.n > max_ticks || (last - first > 62 && dt.n < 1))
				bad++;
			for (int i = 0; i < dt.n; i++)
				if (dt.day[i] < first || dt.day[i] > last || (i > 0 && dt.day[i] <= dt.day[i - 1]))
					bad++;
		}
		UNIT_OK(bad == 0, "svg: 5000 random calendar ranges get ordered ticks inside them (%d bad)", bad);
	}
	mm_svg_date_ticks(8766, 8766 + 7 * 103, 10, &dt);	/* 2024-01-01, two years weekly */
	UNIT_OK(dt.n >= 4 && dt.n <= 10 && strcmp(dt.label[0], "Jan 2024") == 0 && strcmp(dt.label[1], "Apr 2024") == 0, "svg: two years of weeks from 2024-01-01 get quarter ticks (%s ...)", dt.label[0]);
	mm_svg_date_string(out, sizeof(out), 0);
	UNIT_OK(strcmp(out, "2000-01-01") == 0, "svg: day 0 is 2000-01-01");
	mm_svg_date_string(out, sizeof(out), -2451545 + 1721426);	/* day 1 of year 1 (proleptic Gregorian) */
	UNIT_OK(strcmp(out, "0001-01-01") == 0, "svg: a far date (%s)", out);

	/* the checker itself rejects what it must */
	UNIT_OK(!well_formed("<svg><g></svg>", why, sizeof(why)) && !well_formed("<svg>a & b</svg>", why, sizeof(why)) &&
			!well_formed("<svg x=\"NaN\"/>", why, sizeof(why)) && well_formed("<svg a=\"1\"><g/>t&amp;</svg>", why, sizeof(why)),
			"svg: the well-formedness check works");

	/* every chart kind on random hostile input: always well-formed */
	{
		int			bad = 0;

		for (int r = 0; r < 400; r++)
		{
			int			n = 1 + (int) (urand() * 60);
			int			ns = 1 + (int) (urand() * 6);
			int			np = 1 + (int) (urand() * 3);
			int			days[64];
			double		vals[6 * 64],
						lo[6 * 64],
						hi[6 * 64];
			char		labels[8][256],
						title[256];
			const char *lp[8];
			int			colors[8];
			MMTimeSeries se[6];
			MMTimePanel pa[3];
			MMTimeChart tc;
			MMBarChart bc;
			MMWaterfall wf;
			MMCurve cu[6];
			MMMarker mk[6];
			const char *kinds[3] = {"current", "break-even", "<dr>"};
			int			shapes[3] = {MM_SWATCH_DOT, MM_SWATCH_DIAMOND, MM_SWATCH_TRIANGLE};
			MMCurveChart cc;

			days[0] = (int) ((urand() - 0.5) * 1e6);
			for (int i = 1; i < n; i++)
				days[i] = days[i - 1] + 1 + (int) (urand() * 40);
			for (int i = 0; i < ns * n; i++)
			{
				vals[i] = hostile_value();
				lo[i] = hostile_value();
				hi[i] = hostile_value();
			}
			hostile_label(title, sizeof(title));
			for (int j = 0; j < 8; j++)
			{
				hostile_label(labels[j], sizeof(labels[j]));
				lp[j] = labels[j];
				colors[j] = (int) (urand() * 20) - 6;
			}
			for (int p = 0; p < np; p++)
			{
				pa[p].label = lp[p];
				pa[p].format = urand() < 0.5 ? MM_FMT_NUMBER : MM_FMT_PERCENT;
				pa[p].zero = urand() < 0.5;
			}
			for (int s = 0; s < ns; s++)
			{
				se[s].name = lp[s];
				se[s].panel = (int) (urand() * np);
				se[s].style = (MMSeriesStyle) (int) (urand() * 4);
				se[s].color = colors[s];
				se[s].values = vals + s * n;
			}
			tc = (MMTimeChart) {title, 240 + (int) (urand() * 1200), 60 + (int) (urand() * 200), n, days, np, pa, ns, se,
			urand() < 0.5, days[(int) (urand() * n)], lp[7]};
			mm_svg_init(&b, grow, free);
			mm_svg_time_chart(&b, &tc);
			check(&b, "time chart", &bad, r);

			bc = (MMBarChart) {title, 240 + (int) (urand() * 1200), lp[6], pa[0].format, n < 20 ? n : 20, lp, colors,
			ns < 4 ? ns : 4, lp, urand() < 0.5 ? colors : NULL, vals, urand() < 0.5 ? lo : NULL, hi};
			if (bc.lower == NULL)
				bc.upper = NULL;
			if (bc.ncat > 8)
				bc.ncat = 8;
			mm_svg_init(&b, grow, free);
			mm_svg_bar_chart(&b, &bc);
			check(&b, "bar chart", &bad, r);

			wf = (MMWaterfall) {title, 240 + (int) (urand() * 1200), lp[5], pa[0].format, ns, lp, colors, vals, lp[4]};
			mm_svg_init(&b, grow, free);
			mm_svg_waterfall(&b, &wf);
			check(&b, "waterfall", &bad, r);

			for (int s = 0; s < ns; s++)
			{
				cu[s] = (MMCurve) {lp[s], s % np, colors[s], n, lo + s * n, vals + s * n};
				mk[s] = (MMMarker) {s, (int) (urand() * 3), hostile_value(), hostile_value()};
			}
			cc = (MMCurveChart) {title, 240 + (int) (urand() * 1200), 80 + (int) (urand() * 200), lp[6], lp[7],
				MM_FMT_NUMBER, pa[0].format, np, urand() < 0.5 ? lp : NULL, ns, cu, ns, mk, 3, kinds, shapes};
			if (cc.panel_names == NULL)
				for (int s = 0; s < ns; s++)
					cu[s].panel = 0;
			mm_svg_init(&b, grow, free);
			mm_svg_curve_chart(&b, &cc);
			check(&b, "curves", &bad, r);

			mm_svg_init(&b, grow, free);
			mm_svg_message(&b, title, lp[0], 240 + (int) (urand() * 1200));
			check(&b, "message", &bad, r);
		}
		UNIT_OK(bad == 0, "svg: 2000 charts of random hostile values and labels are well-formed (%d not)", bad);
	}
}
