/*
 * svg.c: buffer, escaping, value formats, palette, frame and legend of the
 * chart renderer (svg.h).
 */
#include "report/svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void
mm_svg_init(MMSvgBuf *b, MMSvgRealloc grow, MMSvgFree release)
{
	b->grow = grow;
	b->release = release;
	b->cap = 8192;
	b->len = 0;
	b->data = grow(NULL, b->cap);
	b->data[0] = '\0';
}

double *
mm_svg_scratch(MMSvgBuf *b, size_t n)
{
	double	   *p = b->grow(NULL, (n > 0 ? n : 1) * sizeof(double));

	memset(p, 0, (n > 0 ? n : 1) * sizeof(double));
	return p;
}

void
mm_svg_free(MMSvgBuf *b, void *p)
{
	if (p != NULL)
		b->release(p);
}

static void
reserve(MMSvgBuf *b, size_t extra)
{
	size_t		need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	while (b->cap < need)
		b->cap *= 2;
	b->data = b->grow(b->data, b->cap);
}

void
mm_svg_puts(MMSvgBuf *b, const char *s)
{
	size_t		n = strlen(s);

	reserve(b, n);
	memcpy(b->data + b->len, s, n + 1);
	b->len += n;
}

void
mm_svg_printf(MMSvgBuf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t) n >= b->cap - b->len)
	{
		reserve(b, (size_t) n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t) n;
}

void
mm_svg_num(MMSvgBuf *b, double v)
{
	char		tmp[32];
	int			n;

	if (!isfinite(v))
		v = 0;
	if (v > 1e6)
		v = 1e6;
	if (v < -1e6)
		v = -1e6;
	n = snprintf(tmp, sizeof(tmp), "%.2f", v);
	/* trim trailing zeros: 12.50 -> 12.5, 3.00 -> 3 */
	while (n > 0 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	mm_svg_puts(b, tmp);
}

/*
 * Next code point of UTF-8 text; invalid or overlong sequences, surrogates and
 * values above U+10FFFF give U+FFFD and consume one byte.
 */
static uint32_t
next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t	cp;
	int			len;

	if (s[0] < 0x80)
	{
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, cp = s[0] & 0x07;
	else
	{
		*p = s + 1;
		return 0xFFFD;
	}
	for (int i = 1; i < len; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
		{
			*p = s + 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
	{
		*p = s + 1;
		return 0xFFFD;
	}
	*p = s + len;
	return cp;
}

/* Advance of one code point in em (DejaVu Sans, rounded up; wide scripts 1 em). */
static double
cp_width(uint32_t cp)
{
	if (cp < 0x80)
	{
		if (cp >= '0' && cp <= '9')
			return 0.64;
		if (strchr("iljI.,:;'!|", (int) cp) != NULL)
			return 0.33;
		if (cp == ' ' || strchr("ftr()[]{}-\"`", (int) cp) != NULL)
			return 0.42;
		if (strchr("mwMW%@", (int) cp) != NULL)
			return 0.98;
		if (cp >= 'A' && cp <= 'Z')
			return 0.74;
		return 0.63;
	}
	if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) ||
		(cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		(cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		(cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
		(cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
		(cp >= 0x20000 && cp <= 0x3FFFD))
		return 1.0;
	return 0.75;
}

double
mm_svg_text_width(const char *s, double font_size)
{
	const unsigned char *p = (const unsigned char *) s;
	double		w = 0;

	while (*p)
		w += cp_width(next_cp(&p));
	return w * font_size;
}

static void
put_cp(MMSvgBuf *b, uint32_t cp)
{
	switch (cp)
	{
		case '&':
			mm_svg_puts(b, "&amp;");
			return;
		case '<':
			mm_svg_puts(b, "&lt;");
			return;
		case '>':
			mm_svg_puts(b, "&gt;");
			return;
		case '"':
			mm_svg_puts(b, "&quot;");
			return;
		case '\'':
			mm_svg_puts(b, "&#39;");
			return;
		case '\t':
		case '\n':
		case '\r':
			mm_svg_puts(b, " ");
			return;
	}
	/* C0 and C1 controls and the XML non-characters U+FFFE, U+FFFF are not text */
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
		cp = 0xFFFD;
	if (cp < 0x80)
	{
		char		c[2] = {(char) cp, '\0'};

		mm_svg_puts(b, c);
	}
	else
		mm_svg_printf(b, "&#x%X;", (unsigned) cp);
}

/* Width of the first n bytes of s. */
static double
span_width(const char *s, size_t n, double font_size)
{
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + n;
	double		w = 0;

	while (p < end && *p)
		w += cp_width(next_cp(&p));
	return w * font_size;
}

/* The first n bytes of s as escaped text (mm_svg_text). */
static void
text_n(MMSvgBuf *b, const char *s, size_t n, bool isolate, double max_width, double font_size)
{
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + n;
	double		limit = -1;
	bool		cut = false;
	double		w = 0;
	int			count = 0;

	if (max_width > 0 && span_width(s, n, font_size) > max_width + 0.01)
		limit = max_width - 0.8 * font_size;	/* room for the ellipsis */
	if (isolate)
		mm_svg_puts(b, "&#x2068;");
	while (p < end && *p)
	{
		uint32_t	cp = next_cp(&p);

		if (limit >= 0)
		{
			w += cp_width(cp) * font_size;
			if (w > limit)
			{
				cut = true;
				break;
			}
		}
		if (++count > MM_SVG_MAX_LABEL)
		{
			cut = true;
			break;
		}
		put_cp(b, cp);
	}
	if (cut)
		mm_svg_puts(b, "&#x2026;");
	if (isolate)
		mm_svg_puts(b, "&#x2069;");
}

void
mm_svg_text(MMSvgBuf *b, const char *s, bool isolate, double max_width, double font_size)
{
	s = s ? s : "";
	text_n(b, s, strlen(s), isolate, max_width, font_size);
}

int
mm_svg_wrapped(MMSvgBuf *b, const char *s, double x, double y, double max_width, double font_size,
			   double line_height, int max_lines)
{
	const char *p = s ? s : "";
	int			lines = 0;

	while (*p == ' ')
		p++;
	while (*p && lines < max_lines)
	{
		const char *end = NULL;
		const char *q = p;

		/* the longest run of whole words that fits; a first word always goes */
		for (;;)
		{
			const char *w = q;

			while (*w == ' ')
				w++;
			while (*w && *w != ' ')
				w++;
			if (end != NULL && span_width(p, (size_t) (w - p), font_size) > max_width)
				break;
			end = q = w;
			if (*w == '\0')
				break;
		}
		lines++;
		if (b != NULL)
		{
			mm_svg_puts(b, "<tspan x=\"");
			mm_svg_num(b, x);
			mm_svg_puts(b, "\" y=\"");
			mm_svg_num(b, y + (lines - 1) * line_height);
			mm_svg_puts(b, "\">");
			/* the last line allowed takes the rest, cut to the width */
			if (lines == max_lines && *end)
				text_n(b, p, strlen(p), true, max_width, font_size);
			else
				text_n(b, p, (size_t) (end - p), true, max_width, font_size);
			mm_svg_puts(b, "</tspan>");
		}
		p = end;
		while (*p == ' ')
			p++;
	}
	return lines;
}

/* Trim trailing zeros of a fixed-point number in place: 1.50 -> 1.5, 2.00 -> 2. */
static void
trim_zeros(char *s)
{
	char	   *dot = strchr(s, '.');
	char	   *end;

	if (dot == NULL || strchr(s, 'e') != NULL)
		return;
	end = s + strlen(s) - 1;
	while (end > dot && *end == '0')
		*end-- = '\0';
	if (end == dot)
		*end = '\0';
}

void
mm_svg_format_value(char *out, size_t n, double v, MMSvgFormat f)
{
	static const struct
	{
		double		unit;
		const char *suffix;
	}			si[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
	const char *pct = f == MM_FMT_PERCENT ? "%" : "";
	double		a;
	char		num[48];

	if (!isfinite(v))
	{
		snprintf(out, n, "n/a");
		return;
	}
	if (f == MM_FMT_PERCENT && fabs(v) >= 1e13)
	{
		/* v * 100 may not be a double any more */
		snprintf(out, n, "%.2Le%s", (long double) v * 100, pct);
		return;
	}
	if (f == MM_FMT_PERCENT)
		v *= 100;
	a = fabs(v);
	if (a == 0)
	{
		snprintf(out, n, "0%s", pct);
		return;
	}
	if (a >= 1e15 || a < 1e-4)
	{
		snprintf(out, n, "%.2e%s", v, pct);
		return;
	}
	if (f == MM_FMT_NUMBER)
	{
		for (int i = 0; i < 4; i++)
		{
			/* 999.6k would round to 1000k: move up a unit first */
			if (a >= si[i].unit * 0.9995)
			{
				double		s = v / si[i].unit;

				snprintf(num, sizeof(num), "%.*f", fabs(s) >= 99.95 ? 0 : fabs(s) >= 9.995 ? 1 : 2, s);
				trim_zeros(num);
				snprintf(out, n, "%s%s", num, si[i].suffix);
				return;
			}
		}
	}
	if (a >= 99.95)
		snprintf(num, sizeof(num), "%.0f", v);
	else if (a >= 9.995)
		snprintf(num, sizeof(num), "%.1f", v);
	else if (a >= 0.9995)
		snprintf(num, sizeof(num), "%.2f", v);
	else
		snprintf(num, sizeof(num), "%.3g", v);
	trim_zeros(num);
	snprintf(out, n, "%s%s", num, pct);
}

/*
 * Paul Tol's "muted" qualitative scheme (9 colours distinct under the common
 * colour-vision deficiencies; personal.sron.nl/~pault, "Colour Schemes",
 * 2021), cycled beyond nine series.
 */
static const char *const palette[] = {
	"#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
	"#882255", "#44AA99", "#999933", "#AA4499"
};

const char *
mm_svg_color(int color)
{
	switch (color)
	{
		case MM_COLOR_BASE:
			return "#C8C8C8";
		case MM_COLOR_FACTOR:
			return "#8C8C8C";
		case MM_COLOR_INK:
			return "#222222";
		case MM_COLOR_MUTED:
			return "#9A9A9A";
		case MM_COLOR_NEGATIVE:
			return "#882255";
	}
	if (color < 0)
		return "#FFFFFF";
	return palette[color % (int) (sizeof(palette) / sizeof(palette[0]))];
}

void
mm_svg_open(MMSvgBuf *b, int width, int height, const char *title, const char *kind)
{
	mm_svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mm-chart\" data-chart=\"%s\" "
				  "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
				  kind, width, height, width, height);
	mm_svg_text(b, title, false, 0, 0);
	mm_svg_puts(b, "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"11\" fill=\"#222222\">");
	mm_svg_puts(b, "<title>");
	mm_svg_text(b, title, false, 0, 0);
	mm_svg_printf(b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>", width, height);
}

void
mm_svg_close(MMSvgBuf *b)
{
	mm_svg_puts(b, "</svg>");
}

void
mm_svg_title(MMSvgBuf *b, const char *title, int width)
{
	mm_svg_puts(b, "<text x=\"12\" y=\"20\" font-size=\"14\" font-weight=\"bold\">");
	mm_svg_text(b, title, true, width - 24, 14);
	mm_svg_puts(b, "</text>");
}

#define LEGEND_ROW		17.0
#define LEGEND_SWATCH	14.0
#define LEGEND_GAP		18.0
#define LEGEND_TEXT_MAX	320.0

static double
legend_item_width(const MMLegendItem *it)
{
	double		tw = mm_svg_text_width(it->label ? it->label : "", 11);

	if (tw > LEGEND_TEXT_MAX)
		tw = LEGEND_TEXT_MAX;
	return LEGEND_SWATCH + 5 + tw + LEGEND_GAP;
}

double
mm_svg_legend_height(const MMLegendItem *items, int n, double width)
{
	double		x = 0;
	int			rows = n > 0 ? 1 : 0;

	for (int i = 0; i < n; i++)
	{
		double		w = legend_item_width(&items[i]);

		if (x > 0 && x + w - LEGEND_GAP > width)
		{
			rows++;
			x = 0;
		}
		x += w;
	}
	return rows * LEGEND_ROW;
}

const char *
mm_svg_marker(MMSvgBuf *b, int swatch, double x, double y, double r, int color)
{
	const char *fill = mm_svg_color(color);
	const char *element = swatch == MM_SWATCH_SQUARE ? "rect" :
		(swatch == MM_SWATCH_DIAMOND || swatch == MM_SWATCH_TRIANGLE) ? "polygon" : "circle";

	switch (swatch)
	{
		case MM_SWATCH_DIAMOND:
			mm_svg_puts(b, "<polygon points=\"");
			mm_svg_num(b, x);
			mm_svg_puts(b, ",");
			mm_svg_num(b, y - r * 1.3);
			mm_svg_puts(b, " ");
			mm_svg_num(b, x + r * 1.3);
			mm_svg_puts(b, ",");
			mm_svg_num(b, y);
			mm_svg_puts(b, " ");
			mm_svg_num(b, x);
			mm_svg_puts(b, ",");
			mm_svg_num(b, y + r * 1.3);
			mm_svg_puts(b, " ");
			mm_svg_num(b, x - r * 1.3);
			mm_svg_puts(b, ",");
			mm_svg_num(b, y);
			break;
		case MM_SWATCH_TRIANGLE:
			mm_svg_puts(b, "<polygon points=\"");
			mm_svg_num(b, x);
			mm_svg_puts(b, ",");
			mm_svg_num(b, y - r * 1.3);
			mm_svg_puts(b, " ");
			mm_svg_num(b, x + r * 1.2);
			mm_svg_puts(b, ",");
			mm_svg_num(b, y + r);
			mm_svg_puts(b, " ");
			mm_svg_num(b, x - r * 1.2);
			mm_svg_puts(b, ",");
			mm_svg_num(b, y + r);
			break;
		case MM_SWATCH_SQUARE:
			mm_svg_puts(b, "<rect x=\"");
			mm_svg_num(b, x - r);
			mm_svg_puts(b, "\" y=\"");
			mm_svg_num(b, y - r);
			mm_svg_puts(b, "\" width=\"");
			mm_svg_num(b, 2 * r);
			mm_svg_puts(b, "\" height=\"");
			mm_svg_num(b, 2 * r);
			break;
		default:
			mm_svg_puts(b, "<circle cx=\"");
			mm_svg_num(b, x);
			mm_svg_puts(b, "\" cy=\"");
			mm_svg_num(b, y);
			mm_svg_puts(b, "\" r=\"");
			mm_svg_num(b, r);
			break;
	}
	mm_svg_printf(b, "\" fill=\"%s\" stroke=\"#222222\" stroke-width=\"1\"", fill);
	return element;
}

void
mm_svg_legend(MMSvgBuf *b, const MMLegendItem *items, int n, double x0, double y0, double width)
{
	double		x = 0,
				y = y0;

	if (n == 0)
		return;
	mm_svg_puts(b, "<g class=\"legend\">");
	for (int i = 0; i < n; i++)
	{
		const MMLegendItem *it = &items[i];
		double		w = legend_item_width(it);
		double		cx,
					cy;

		if (x > 0 && x + w - LEGEND_GAP > width)
		{
			x = 0;
			y += LEGEND_ROW;
		}
		cx = x0 + x;
		cy = y + LEGEND_ROW / 2;
		switch (it->swatch)
		{
			case MM_SWATCH_LINE:
			case MM_SWATCH_DASH:
				mm_svg_puts(b, "<line x1=\"");
				mm_svg_num(b, cx);
				mm_svg_puts(b, "\" x2=\"");
				mm_svg_num(b, cx + LEGEND_SWATCH);
				mm_svg_puts(b, "\" y1=\"");
				mm_svg_num(b, cy);
				mm_svg_puts(b, "\" y2=\"");
				mm_svg_num(b, cy);
				mm_svg_printf(b, "\" stroke=\"%s\" stroke-width=\"2.5\"%s/>", mm_svg_color(it->color),
							  it->swatch == MM_SWATCH_DASH ? " stroke-dasharray=\"4 2\"" : "");
				break;
			case MM_SWATCH_BOX:
				mm_svg_puts(b, "<rect x=\"");
				mm_svg_num(b, cx);
				mm_svg_puts(b, "\" y=\"");
				mm_svg_num(b, cy - 5);
				mm_svg_printf(b, "\" width=\"%g\" height=\"10\" fill=\"%s\"/>", LEGEND_SWATCH, mm_svg_color(it->color));
				break;
			default:
				mm_svg_marker(b, it->swatch, cx + LEGEND_SWATCH / 2, cy, 4, it->color);
				mm_svg_puts(b, "/>");
				break;
		}
		mm_svg_puts(b, "<text x=\"");
		mm_svg_num(b, cx + LEGEND_SWATCH + 5);
		mm_svg_puts(b, "\" y=\"");
		mm_svg_num(b, cy + 4);
		mm_svg_puts(b, "\">");
		mm_svg_text(b, it->label, true, LEGEND_TEXT_MAX, 11);
		mm_svg_puts(b, "</text>");
		x += w;
	}
	mm_svg_puts(b, "</g>");
}

void
mm_svg_message(MMSvgBuf *b, const char *title, const char *message, int width)
{
	mm_svg_open(b, width, 110, title, "message");
	mm_svg_title(b, title, width);
	mm_svg_printf(b, "<text x=\"%d\" y=\"66\" text-anchor=\"middle\" font-size=\"13\" fill=\"#666666\">", width / 2);
	mm_svg_text(b, message, true, width - 24, 13);
	mm_svg_puts(b, "</text>");
	mm_svg_close(b);
}
