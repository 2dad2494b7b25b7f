/*
 * svg_time.c: time-series charts (lines, stacked areas, stacked bars) in one
 * or more panels over a shared calendar axis, with an optional shaded range
 * (the holdout).
 */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOP			32.0		/* below the title */
#define LABEL_ROW	20.0		/* a panel's unit label above it */
#define PANEL_GAP	12.0
#define RIGHT		40.0		/* half an x label may pass the last tick */
#define XLABELS		24.0
#define BOTTOM_PAD	10.0

static double
clamp_value(double v)
{
	if (v > 1e300)
		return 1e300;
	if (v < -1e300)
		return -1e300;
	return v;
}

static bool
is_stacked(MMSeriesStyle s)
{
	return s == MM_STYLE_AREA || s == MM_STYLE_BAR;
}

typedef struct PanelFrame
{
	MMTicks		ticks;
	double		top;			/* pixel rows of the plot */
	double		bottom;
} PanelFrame;

static double
y_of(const PanelFrame *p, double v)
{
	v = clamp_value(v);
	return p->bottom - (v - p->ticks.lo) / (p->ticks.hi - p->ticks.lo) * (p->bottom - p->top);
}

/* Value range of one panel: lines as they are, stacks by their positive and negative sums. */
static void
panel_range(const MMTimeChart *c, int panel, double *lo, double *hi, double *pos, double *neg)
{
	bool		any = false;

	*lo = INFINITY;
	*hi = -INFINITY;
	memset(pos, 0, sizeof(double) * c->n);
	memset(neg, 0, sizeof(double) * c->n);
	for (int s = 0; s < c->nseries; s++)
	{
		const MMTimeSeries *se = &c->series[s];

		if (se->panel != panel)
			continue;
		for (int t = 0; t < c->n; t++)
		{
			double		v = se->values[t];

			if (!isfinite(v))
				continue;
			v = clamp_value(v);
			if (is_stacked(se->style))
			{
				if (v >= 0)
					pos[t] = clamp_value(pos[t] + v);
				else
					neg[t] = clamp_value(neg[t] + v);
			}
			else
			{
				*lo = fmin(*lo, v);
				*hi = fmax(*hi, v);
				any = true;
			}
		}
	}
	for (int s = 0; s < c->nseries; s++)
	{
		if (c->series[s].panel == panel && is_stacked(c->series[s].style))
		{
			for (int t = 0; t < c->n; t++)
			{
				*lo = fmin(*lo, neg[t]);
				*hi = fmax(*hi, pos[t]);
			}
			*lo = fmin(*lo, 0);
			*hi = fmax(*hi, 0);
			any = true;
			break;
		}
	}
	if (!any)
	{
		*lo = 0;
		*hi = 1;
	}
	if (c->panels[panel].zero)
	{
		*lo = fmin(*lo, 0);
		*hi = fmax(*hi, 0);
	}
}

static void
series_open(MMSvgBuf *b, const MMTimeSeries *se, int index)
{
	mm_svg_printf(b, "<g class=\"series\" data-index=\"%d\" data-panel=\"%d\" data-series=\"", index, se->panel);
	mm_svg_text(b, se->name, false, 0, 0);
	mm_svg_puts(b, "\"><title>");
	mm_svg_text(b, se->name, true, 0, 0);
	mm_svg_puts(b, "</title>");
}

void
mm_svg_time_chart(MMSvgBuf *b, const MMTimeChart *c)
{
	int			W = c->width;
	double		ph = c->panel_height;
	double		spacing = 7,
				pad,
				d0,
				d1;
	double		left = 44,
				right,
				plot_w,
				height,
				legend_h;
	bool		bars = false;
	double	   *pos = mm_svg_scratch(b, c->n),
			   *neg = mm_svg_scratch(b, c->n),
			   *lower = mm_svg_scratch(b, c->n),
			   *upper = mm_svg_scratch(b, c->n);
	PanelFrame	frames[8];
	MMLegendItem legend[256];
	int			nlegend = 0;
	MMDateTicks dt;
	int			np = c->npanels < 8 ? c->npanels : 8;
	char		label[64];

	/* calendar domain: half a period either side when bars are drawn */
	for (int t = 1; t < c->n; t++)
		if (t == 1 || c->days[t] - c->days[t - 1] < spacing)
			spacing = c->days[t] - c->days[t - 1];
	for (int s = 0; s < c->nseries; s++)
		if (c->series[s].style == MM_STYLE_BAR)
			bars = true;
	pad = (bars || c->n == 1) ? spacing / 2 : 0;
	d0 = c->days[0] - pad;
	d1 = c->days[c->n - 1] + pad;

	/* value axes, and the left margin their labels need */
	for (int p = 0; p < np; p++)
	{
		double		lo,
					hi;

		panel_range(c, p, &lo, &hi, pos, neg);
		mm_svg_ticks(lo, hi, (int) (ph / 42), &frames[p].ticks);
		for (int i = 0; i < frames[p].ticks.n; i++)
		{
			mm_svg_tick_label(label, sizeof(label), frames[p].ticks.v[i], &frames[p].ticks, c->panels[p].format);
			left = fmax(left, mm_svg_text_width(label, 11) + 14);
		}
	}
	right = RIGHT;
	plot_w = W - left - right;
	if (plot_w < 40)
		plot_w = 40;

	for (int s = 0; s < c->nseries && nlegend < 256; s++)
	{
		const MMTimeSeries *se = &c->series[s];
		int			swatch = se->style == MM_STYLE_LINE ? MM_SWATCH_LINE :
			se->style == MM_STYLE_DASH ? MM_SWATCH_DASH : MM_SWATCH_BOX;
		bool		seen = false;

		/* a series drawn alike in several panels is named once */
		for (int k = 0; k < nlegend && !seen; k++)
			seen = legend[k].color == se->color && legend[k].swatch == swatch &&
				strcmp(legend[k].label ? legend[k].label : "", se->name ? se->name : "") == 0;
		if (seen)
			continue;
		legend[nlegend].label = se->name;
		legend[nlegend].color = se->color;
		legend[nlegend].swatch = swatch;
		nlegend++;
	}
	legend_h = mm_svg_legend_height(legend, nlegend, W - 24);

	for (int p = 0; p < np; p++)
	{
		frames[p].top = TOP + LABEL_ROW + p * (ph + LABEL_ROW + PANEL_GAP);
		frames[p].bottom = frames[p].top + ph;
	}
	height = frames[np - 1].bottom + XLABELS + (legend_h > 0 ? legend_h + 6 : 0) + BOTTOM_PAD;

	mm_svg_open(b, W, (int) ceil(height), c->title, "time");
	mm_svg_title(b, c->title, W);

#define X_OF(day) (left + ((day) - d0) / (d1 - d0 > 0 ? d1 - d0 : 1) * plot_w)

	mm_svg_date_ticks(c->days[0], c->days[c->n - 1], (int) (plot_w / 80) + 1, &dt);

	for (int p = 0; p < np; p++)
	{
		PanelFrame *f = &frames[p];

		/* unit label, grid, value ticks */
		mm_svg_puts(b, "<text x=\"12\" y=\"");
		mm_svg_num(b, f->top - 9);
		mm_svg_puts(b, "\" fill=\"#555555\">");
		mm_svg_text(b, c->panels[p].label, true, W - 24, 11);
		mm_svg_puts(b, "</text>");
		mm_svg_printf(b, "<g class=\"y-axis\" data-panel=\"%d\">", p);
		for (int i = 0; i < f->ticks.n; i++)
		{
			double		y = y_of(f, f->ticks.v[i]);

			mm_svg_tick_label(label, sizeof(label), f->ticks.v[i], &f->ticks, c->panels[p].format);
			mm_svg_printf(b, "<line data-tick=\"%.17g\" x1=\"", f->ticks.v[i]);
			mm_svg_num(b, left);
			mm_svg_puts(b, "\" x2=\"");
			mm_svg_num(b, left + plot_w);
			mm_svg_puts(b, "\" y1=\"");
			mm_svg_num(b, y);
			mm_svg_puts(b, "\" y2=\"");
			mm_svg_num(b, y);
			mm_svg_printf(b, "\" stroke=\"%s\" stroke-width=\"1\"/>", f->ticks.v[i] == 0 ? "#888888" : "#E6E6E6");
			mm_svg_puts(b, "<text x=\"");
			mm_svg_num(b, left - 6);
			mm_svg_puts(b, "\" y=\"");
			mm_svg_num(b, y + 4);
			mm_svg_printf(b, "\" text-anchor=\"end\">%s</text>", label);
		}
		mm_svg_puts(b, "</g>");
		for (int i = 0; i < dt.n; i++)
		{
			mm_svg_puts(b, "<line x1=\"");
			mm_svg_num(b, X_OF(dt.day[i]));
			mm_svg_puts(b, "\" x2=\"");
			mm_svg_num(b, X_OF(dt.day[i]));
			mm_svg_puts(b, "\" y1=\"");
			mm_svg_num(b, f->top);
			mm_svg_puts(b, "\" y2=\"");
			mm_svg_num(b, f->bottom);
			mm_svg_puts(b, "\" stroke=\"#F0F0F0\" stroke-width=\"1\"/>");
		}

		if (c->shade)
		{
			double		xs = X_OF(c->shade_from - spacing / 2.0);
			double		xe = left + plot_w;

			xs = fmax(left, fmin(xe, xs));
			mm_svg_puts(b, "<rect class=\"shade\" x=\"");
			mm_svg_num(b, xs);
			mm_svg_puts(b, "\" y=\"");
			mm_svg_num(b, f->top);
			mm_svg_puts(b, "\" width=\"");
			mm_svg_num(b, xe - xs);
			mm_svg_puts(b, "\" height=\"");
			mm_svg_num(b, ph);
			mm_svg_puts(b, "\" fill=\"#000000\" fill-opacity=\"0.07\"/>");
			if (p == 0 && c->shade_label != NULL &&
				xe - xs >= mm_svg_text_width(c->shade_label, 11) + 8)
			{
				mm_svg_puts(b, "<text x=\"");
				mm_svg_num(b, xs + 4);
				mm_svg_puts(b, "\" y=\"");
				mm_svg_num(b, f->top + 13);
				mm_svg_puts(b, "\" fill=\"#555555\">");
				mm_svg_text(b, c->shade_label, true, 0, 11);
				mm_svg_puts(b, "</text>");
			}
		}

		/* stacks first (areas, then bars), lines on top */
		for (int pass = 0; pass < 3; pass++)
		{
			memset(pos, 0, sizeof(double) * c->n);
			memset(neg, 0, sizeof(double) * c->n);
			for (int s = 0; s < c->nseries; s++)
			{
				const MMTimeSeries *se = &c->series[s];
				const char *color = mm_svg_color(se->color);

				if (se->panel != p)
					continue;
				if ((pass == 0 && se->style != MM_STYLE_AREA) || (pass == 1 && se->style != MM_STYLE_BAR) ||
					(pass == 2 && is_stacked(se->style)))
					continue;

				series_open(b, se, s);
				if (is_stacked(se->style))
				{
					for (int t = 0; t < c->n; t++)
					{
						double		v = isfinite(se->values[t]) ? clamp_value(se->values[t]) : 0;

						if (v >= 0)
						{
							lower[t] = pos[t];
							upper[t] = pos[t] = clamp_value(pos[t] + v);
						}
						else
						{
							upper[t] = neg[t];
							lower[t] = neg[t] = clamp_value(neg[t] + v);
						}
					}
				}
				if (se->style == MM_STYLE_AREA)
				{
					mm_svg_puts(b, "<polygon points=\"");
					for (int t = 0; t < c->n; t++)
					{
						mm_svg_num(b, X_OF(c->days[t] - (c->n == 1 ? spacing / 2 : 0)));
						mm_svg_puts(b, ",");
						mm_svg_num(b, y_of(f, upper[t]));
						mm_svg_puts(b, " ");
						if (c->n == 1)
						{
							mm_svg_num(b, X_OF(c->days[t] + spacing / 2));
							mm_svg_puts(b, ",");
							mm_svg_num(b, y_of(f, upper[t]));
							mm_svg_puts(b, " ");
							mm_svg_num(b, X_OF(c->days[t] + spacing / 2));
							mm_svg_puts(b, ",");
							mm_svg_num(b, y_of(f, lower[t]));
							mm_svg_puts(b, " ");
						}
					}
					for (int t = c->n - 1; t >= 0; t--)
					{
						mm_svg_num(b, X_OF(c->days[t] - (c->n == 1 ? spacing / 2 : 0)));
						mm_svg_puts(b, ",");
						mm_svg_num(b, y_of(f, lower[t]));
						mm_svg_puts(b, t > 0 ? " " : "");
					}
					mm_svg_printf(b, "\" fill=\"%s\" fill-opacity=\"0.9\" stroke=\"#FFFFFF\" stroke-width=\"0.5\"/>", color);
				}
				else if (se->style == MM_STYLE_BAR)
				{
					double		bw = fmax(1, 0.8 * spacing / (d1 - d0) * plot_w);

					for (int t = 0; t < c->n; t++)
					{
						double		y0 = y_of(f, upper[t]),
									y1 = y_of(f, lower[t]);

						if (!isfinite(se->values[t]))
							continue;
						mm_svg_puts(b, "<rect x=\"");
						mm_svg_num(b, X_OF(c->days[t]) - bw / 2);
						mm_svg_puts(b, "\" y=\"");
						mm_svg_num(b, y0);
						mm_svg_puts(b, "\" width=\"");
						mm_svg_num(b, bw);
						mm_svg_puts(b, "\" height=\"");
						mm_svg_num(b, fmax(0, y1 - y0));
						mm_svg_printf(b, "\" fill=\"%s\"", color);
						if (c->n <= 60)
						{
							char		date[24],
										value[48];

							mm_svg_date_string(date, sizeof(date), c->days[t]);
							mm_svg_format_value(value, sizeof(value), se->values[t], c->panels[p].format);
							mm_svg_printf(b, "><title>%s ", date);
							mm_svg_text(b, se->name, true, 0, 0);
							mm_svg_printf(b, ": %s</title></rect>", value);
						}
						else
							mm_svg_puts(b, "/>");
					}
				}
				else
				{
					/* a line, broken at missing values; a lone point is a dot */
					bool		open = false;

					mm_svg_puts(b, "<path d=\"");
					for (int t = 0; t < c->n; t++)
					{
						if (!isfinite(se->values[t]))
						{
							open = false;
							continue;
						}
						mm_svg_puts(b, open ? " L" : (t > 0 ? " M" : "M"));
						mm_svg_num(b, X_OF(c->days[t]));
						mm_svg_puts(b, ",");
						mm_svg_num(b, y_of(f, se->values[t]));
						open = true;
					}
					mm_svg_printf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" stroke-linejoin=\"round\"%s/>",
								  color, se->style == MM_STYLE_DASH ? "1.6" : "1.8",
								  se->style == MM_STYLE_DASH ? " stroke-dasharray=\"5 3\"" : "");
					for (int t = 0; t < c->n; t++)
					{
						bool		alone = isfinite(se->values[t]) &&
							(t == 0 || !isfinite(se->values[t - 1])) &&
							(t == c->n - 1 || !isfinite(se->values[t + 1]));

						if (!alone)
							continue;
						mm_svg_puts(b, "<circle cx=\"");
						mm_svg_num(b, X_OF(c->days[t]));
						mm_svg_puts(b, "\" cy=\"");
						mm_svg_num(b, y_of(f, se->values[t]));
						mm_svg_printf(b, "\" r=\"2.5\" fill=\"%s\"/>", color);
					}
				}
				mm_svg_puts(b, "</g>");
			}
		}
		/* frame of the plot */
		mm_svg_puts(b, "<line x1=\"");
		mm_svg_num(b, left);
		mm_svg_puts(b, "\" x2=\"");
		mm_svg_num(b, left + plot_w);
		mm_svg_puts(b, "\" y1=\"");
		mm_svg_num(b, f->bottom);
		mm_svg_puts(b, "\" y2=\"");
		mm_svg_num(b, f->bottom);
		mm_svg_puts(b, "\" stroke=\"#888888\" stroke-width=\"1\"/>");
	}

	/* calendar labels under the last panel */
	mm_svg_puts(b, "<g class=\"x-axis\">");
	for (int i = 0; i < dt.n; i++)
	{
		mm_svg_puts(b, "<text x=\"");
		mm_svg_num(b, X_OF(dt.day[i]));
		mm_svg_puts(b, "\" y=\"");
		mm_svg_num(b, frames[np - 1].bottom + 18);
		mm_svg_printf(b, "\" text-anchor=\"middle\">%s</text>", dt.label[i]);
	}
	mm_svg_puts(b, "</g>");
	mm_svg_legend(b, legend, nlegend, 12, frames[np - 1].bottom + XLABELS + 4, W - 24);
	mm_svg_close(b);
#undef X_OF

	mm_svg_free(b, pos);
	mm_svg_free(b, neg);
	mm_svg_free(b, lower);
	mm_svg_free(b, upper);
}
