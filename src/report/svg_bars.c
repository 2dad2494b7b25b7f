/*
 * svg_bars.c: horizontal grouped bars with optional interval whiskers, and
 * the decomposition waterfall.
 */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOP			32.0
#define UNIT_LINE	14.0		/* a line of the unit label above the plot */
#define XLABELS		25.0
#define BOTTOM_PAD	8.0

static double
clampv(double v)
{
	return v > 1e300 ? 1e300 : v < -1e300 ? -1e300 : v;
}

typedef struct Scale
{
	MMTicks		ticks;
	double		left;
	double		width;
} Scale;

static double
x_of(const Scale *s, double v)
{
	return s->left + (clampv(v) - s->ticks.lo) / (s->ticks.hi - s->ticks.lo) * s->width;
}

static double
category_margin(const char *const *labels, int n, int W)
{
	double		w = 40;

	for (int i = 0; i < n; i++)
		w = fmax(w, mm_svg_text_width(labels[i] ? labels[i] : "", 11));
	return fmin(w, 0.36 * W) + 16;
}

/* Vertical grid, zero line and tick labels of a horizontal value axis. */
static void
value_axis(MMSvgBuf *b, const Scale *s, MMSvgFormat f, double top, double bottom)
{
	char		label[64];

	mm_svg_puts(b, "<g class=\"x-axis\">");
	for (int i = 0; i < s->ticks.n; i++)
	{
		double		x = x_of(s, s->ticks.v[i]);

		mm_svg_tick_label(label, sizeof(label), s->ticks.v[i], &s->ticks, f);
		mm_svg_printf(b, "<line data-tick=\"%.17g\" x1=\"", s->ticks.v[i]);
		mm_svg_num(b, x);
		mm_svg_puts(b, "\" x2=\"");
		mm_svg_num(b, x);
		mm_svg_puts(b, "\" y1=\"");
		mm_svg_num(b, top);
		mm_svg_puts(b, "\" y2=\"");
		mm_svg_num(b, bottom);
		mm_svg_printf(b, "\" stroke=\"%s\" stroke-width=\"1\"/>", s->ticks.v[i] == 0 ? "#666666" : "#E6E6E6");
		mm_svg_puts(b, "<text x=\"");
		mm_svg_num(b, x);
		mm_svg_puts(b, "\" y=\"");
		mm_svg_num(b, bottom + 18);
		mm_svg_printf(b, "\" text-anchor=\"middle\">%s</text>", label);
	}
	mm_svg_puts(b, "</g>");
}

/* Tick labels are centred on their tick: keep room for half of the widest at either end. */
static double
tick_overhang(const MMTicks *t, MMSvgFormat f)
{
	char		label[64];
	double		w = 0;

	for (int i = 0; i < t->n; i++)
	{
		mm_svg_tick_label(label, sizeof(label), t->v[i], t, f);
		w = fmax(w, mm_svg_text_width(label, 11));
	}
	return w / 2 + 2;
}

/*
 * A horizontal value axis from left to the room value labels of value_w need,
 * its end tick labels kept inside the picture.
 */
static void
value_scale(Scale *s, double left, double value_w, int W, double lo, double hi, MMSvgFormat f)
{
	double		over;

	s->left = left;
	s->width = fmax(60, W - left - value_w - 22);
	mm_svg_ticks(lo, hi, (int) (s->width / 90) + 1, &s->ticks);
	over = tick_overhang(&s->ticks, f);
	if (W - (s->left + s->width) < over + 4)
		s->width = W - s->left - over - 4;
}

/* A waterfall value with its share of the total, "1.2M (34%)". */
static void
waterfall_text(char *text, size_t n, double v, double total, MMSvgFormat f)
{
	char		share[48];

	mm_svg_format_value(text, n, v, f);
	if (total > 0 && isfinite(v))
	{
		mm_svg_format_value(share, sizeof(share), v / total, MM_FMT_PERCENT);
		strncat(text, " (", n - strlen(text) - 1);
		strncat(text, share, n - strlen(text) - 1);
		strncat(text, ")", n - strlen(text) - 1);
	}
}

static void
category_label(MMSvgBuf *b, const char *label, double x, double y, double max_width)
{
	mm_svg_puts(b, "<text x=\"");
	mm_svg_num(b, x);
	mm_svg_puts(b, "\" y=\"");
	mm_svg_num(b, y);
	mm_svg_puts(b, "\" text-anchor=\"end\">");
	mm_svg_text(b, label, true, max_width, 11);
	if (mm_svg_text_width(label ? label : "", 11) > max_width)
	{
		mm_svg_puts(b, "<title>");
		mm_svg_text(b, label, true, 0, 0);
		mm_svg_puts(b, "</title>");
	}
	mm_svg_puts(b, "</text>");
}

/* Rows the unit label above a plot takes (wrapped, at most 3). */
static int
unit_lines(const char *label, int W)
{
	if (label == NULL || label[0] == '\0')
		return 0;
	return mm_svg_wrapped(NULL, label, 12, 0, W - 24, 11, UNIT_LINE, 3);
}

/* The unit label, its last line just above the plot. */
static void
unit_label(MMSvgBuf *b, const char *label, double plot_top, int W)
{
	int			lines = unit_lines(label, W);

	if (lines == 0)
		return;
	mm_svg_puts(b, "<text fill=\"#555555\">");
	mm_svg_wrapped(b, label, 12, plot_top - 8 - (lines - 1) * UNIT_LINE, W - 24, 11, UNIT_LINE, 3);
	mm_svg_puts(b, "</text>");
}

void
mm_svg_bar_chart(MMSvgBuf *b, const MMBarChart *c)
{
	int			W = c->width;
	double		bar_h = c->nser == 1 ? 16 : c->nser == 2 ? 12 : 9;
	double		row_h = c->nser * bar_h + (c->nser - 1) * 2 + 10;
	double		lo = 0,
				hi = 0,
				value_w = 0,
				legend_h = 0,
				plot_top,
				plot_bottom,
				height,
				catw;
	Scale		s;
	MMLegendItem legend[64];
	int			nlegend = 0;
	char		text[96];

	for (int k = 0; k < c->nser * c->ncat; k++)
	{
		double		v = c->values[k];

		if (isfinite(v))
		{
			lo = fmin(lo, clampv(v));
			hi = fmax(hi, clampv(v));
		}
		if (c->lower != NULL && isfinite(c->lower[k]) && c->upper != NULL && isfinite(c->upper[k]))
		{
			lo = fmin(lo, clampv(c->lower[k]));
			hi = fmax(hi, clampv(c->upper[k]));
		}
		mm_svg_format_value(text, sizeof(text), v, c->format);
		value_w = fmax(value_w, mm_svg_text_width(text, 11));
	}
	catw = category_margin(c->categories, c->ncat, W);
	value_scale(&s, catw, value_w, W, lo, hi, c->format);

	if (c->nser > 1 && c->ser_colors != NULL)
	{
		for (int j = 0; j < c->nser && nlegend < 64; j++, nlegend++)
		{
			legend[nlegend].label = c->series[j];
			legend[nlegend].color = c->ser_colors[j];
			legend[nlegend].swatch = MM_SWATCH_BOX;
		}
		legend_h = mm_svg_legend_height(legend, nlegend, W - 24) + 6;
	}
	plot_top = TOP + legend_h + (unit_lines(c->axis_label, W) > 0 ? unit_lines(c->axis_label, W) * UNIT_LINE + 6 : 4);
	plot_bottom = plot_top + c->ncat * row_h;
	height = plot_bottom + XLABELS + BOTTOM_PAD;

	mm_svg_open(b, W, (int) ceil(height), c->title, "bars");
	mm_svg_title(b, c->title, W);
	if (nlegend > 0)
		mm_svg_legend(b, legend, nlegend, 12, TOP - 4, W - 24);
	unit_label(b, c->axis_label, plot_top, W);
	value_axis(b, &s, c->format, plot_top, plot_bottom);

	for (int i = 0; i < c->ncat; i++)
	{
		double		row_top = plot_top + i * row_h + 5;

		category_label(b, c->categories[i], catw - 8, row_top + (row_h - 10) / 2 + 4, catw - 16);
		for (int j = 0; j < c->nser; j++)
		{
			int			k = j * c->ncat + i;
			double		v = c->values[k];
			double		y = row_top + j * (bar_h + 2);
			double		lw = c->lower ? c->lower[k] : NAN,
						up = c->upper ? c->upper[k] : NAN;
			bool		whisker = isfinite(lw) && isfinite(up);
			const char *color = mm_svg_color(c->ser_colors ? c->ser_colors[j] : (c->cat_colors ? c->cat_colors[i] : 0));
			double		label_x;

			mm_svg_format_value(text, sizeof(text), v, c->format);
			if (isfinite(v))
			{
				double		x0 = x_of(&s, fmin(0, v)),
							x1 = x_of(&s, fmax(0, v));

				mm_svg_puts(b, "<rect class=\"bar\" data-series=\"");
				mm_svg_text(b, c->series[j], false, 0, 0);
				mm_svg_puts(b, "\" data-label=\"");
				mm_svg_text(b, c->categories[i], false, 0, 0);
				mm_svg_printf(b, "\" data-value=\"%.17g\" x=\"", v);
				mm_svg_num(b, x0);
				mm_svg_puts(b, "\" y=\"");
				mm_svg_num(b, y);
				mm_svg_puts(b, "\" width=\"");
				mm_svg_num(b, x1 - x0);
				mm_svg_puts(b, "\" height=\"");
				mm_svg_num(b, bar_h);
				mm_svg_printf(b, "\" fill=\"%s\"><title>", color);
				mm_svg_text(b, c->categories[i], true, 0, 0);
				if (c->nser > 1)
				{
					mm_svg_puts(b, ", ");
					mm_svg_text(b, c->series[j], true, 0, 0);
				}
				mm_svg_printf(b, ": %s", text);
				if (whisker)
				{
					char		a[48],
								z[48];

					mm_svg_format_value(a, sizeof(a), lw, c->format);
					mm_svg_format_value(z, sizeof(z), up, c->format);
					mm_svg_printf(b, " (interval %s to %s)", a, z);
				}
				mm_svg_puts(b, "</title></rect>");
			}
			if (whisker)
			{
				double		xa = x_of(&s, fmin(lw, up)),
							xz = x_of(&s, fmax(lw, up)),
							yc = y + bar_h / 2;

				mm_svg_printf(b, "<g class=\"whisker\" data-lower=\"%.17g\" data-upper=\"%.17g\" stroke=\"#222222\" stroke-width=\"1.2\"><path d=\"M", lw, up);
				mm_svg_num(b, xa);
				mm_svg_puts(b, ",");
				mm_svg_num(b, yc);
				mm_svg_puts(b, " L");
				mm_svg_num(b, xz);
				mm_svg_puts(b, ",");
				mm_svg_num(b, yc);
				mm_svg_puts(b, " M");
				mm_svg_num(b, xa);
				mm_svg_puts(b, ",");
				mm_svg_num(b, yc - bar_h * 0.35);
				mm_svg_puts(b, " L");
				mm_svg_num(b, xa);
				mm_svg_puts(b, ",");
				mm_svg_num(b, yc + bar_h * 0.35);
				mm_svg_puts(b, " M");
				mm_svg_num(b, xz);
				mm_svg_puts(b, ",");
				mm_svg_num(b, yc - bar_h * 0.35);
				mm_svg_puts(b, " L");
				mm_svg_num(b, xz);
				mm_svg_puts(b, ",");
				mm_svg_num(b, yc + bar_h * 0.35);
				mm_svg_puts(b, "\" fill=\"none\"/></g>");
			}
			/* the value right of everything drawn in the row (bar, zero line, whisker) */
			label_x = x_of(&s, fmax(0, isfinite(v) ? v : 0));
			if (whisker)
				label_x = fmax(label_x, x_of(&s, fmax(lw, up)));
			mm_svg_puts(b, "<text class=\"value\" x=\"");
			mm_svg_num(b, label_x + 4);
			mm_svg_puts(b, "\" y=\"");
			mm_svg_num(b, y + bar_h / 2 + 4);
			mm_svg_printf(b, "\" fill=\"#333333\">%s</text>", text);
		}
	}
	mm_svg_close(b);
}

void
mm_svg_waterfall(MMSvgBuf *b, const MMWaterfall *c)
{
	int			W = c->width;
	double		row_h = 20,
				bar_h = 14;
	double		cum = 0,
				lo = 0,
				hi = 0,
				total,
				value_w = 0,
				plot_top,
				plot_bottom,
				catw,
				prev_x = 0;
	int			rows = c->n + 1;
	Scale		s;
	char		text[128];
	const char **labels = (const char **) b->grow(NULL, sizeof(char *) * rows);

	for (int i = 0; i < c->n; i++)
	{
		labels[i] = c->labels[i];
		if (isfinite(c->values[i]))
			cum = clampv(cum + clampv(c->values[i]));
		lo = fmin(lo, cum);
		hi = fmax(hi, cum);
	}
	total = cum;
	labels[c->n] = c->total_label ? c->total_label : "total";

	for (int i = 0; i <= c->n; i++)
	{
		double		v = i < c->n ? c->values[i] : total;

		waterfall_text(text, sizeof(text), v, total, c->format);
		value_w = fmax(value_w, mm_svg_text_width(text, 11));
	}
	catw = category_margin(labels, rows, W);
	value_scale(&s, catw, value_w, W, lo, hi, c->format);
	plot_top = TOP + (unit_lines(c->axis_label, W) > 0 ? unit_lines(c->axis_label, W) * UNIT_LINE + 6 : 4);
	plot_bottom = plot_top + rows * row_h + 4;

	mm_svg_open(b, W, (int) ceil(plot_bottom + XLABELS + BOTTOM_PAD), c->title, "waterfall");
	mm_svg_title(b, c->title, W);
	unit_label(b, c->axis_label, plot_top, W);
	value_axis(b, &s, c->format, plot_top, plot_bottom);

	cum = 0;
	for (int i = 0; i <= c->n; i++)
	{
		bool		is_total = i == c->n;
		double		v = is_total ? total : c->values[i];
		double		start = is_total ? 0 : cum;
		double		end = isfinite(v) ? clampv(start + clampv(v)) : start;
		double		y = plot_top + 2 + i * row_h + (row_h - bar_h) / 2;
		double		x0 = x_of(&s, fmin(start, end)),
					x1 = x_of(&s, fmax(start, end));
		int			color = is_total ? (total < 0 ? MM_COLOR_NEGATIVE : MM_COLOR_INK) : c->colors[i];

		category_label(b, labels[i], catw - 8, y + bar_h / 2 + 4, catw - 16);
		waterfall_text(text, sizeof(text), v, total, c->format);
		if (i > 0)
		{
			/* connector from the previous bar's end */
			mm_svg_puts(b, "<line x1=\"");
			mm_svg_num(b, prev_x);
			mm_svg_puts(b, "\" x2=\"");
			mm_svg_num(b, prev_x);
			mm_svg_puts(b, "\" y1=\"");
			mm_svg_num(b, y - (row_h - bar_h));
			mm_svg_puts(b, "\" y2=\"");
			mm_svg_num(b, y);
			mm_svg_puts(b, "\" stroke=\"#999999\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>");
		}
		if (isfinite(v))
		{
			mm_svg_puts(b, "<rect class=\"bar\" data-label=\"");
			mm_svg_text(b, labels[i], false, 0, 0);
			mm_svg_printf(b, "\" data-value=\"%.17g\" data-start=\"%.17g\" x=\"", v, start);
			mm_svg_num(b, x0);
			mm_svg_puts(b, "\" y=\"");
			mm_svg_num(b, y);
			mm_svg_puts(b, "\" width=\"");
			mm_svg_num(b, fmax(0.5, x1 - x0));
			mm_svg_printf(b, "\" height=\"%g\" fill=\"%s\"><title>", bar_h, mm_svg_color(color));
			mm_svg_text(b, labels[i], true, 0, 0);
			mm_svg_printf(b, ": %s</title></rect>", text);
		}
		mm_svg_puts(b, "<text class=\"value\" x=\"");
		mm_svg_num(b, fmax(x0, x1) + 4);
		mm_svg_puts(b, "\" y=\"");
		mm_svg_num(b, y + bar_h / 2 + 4);
		mm_svg_printf(b, "\" fill=\"#333333\">%s</text>", text);
		prev_x = x_of(&s, end);
		if (!is_total)
			cum = end;
	}
	mm_svg_close(b);
	mm_svg_free(b, labels);
}
