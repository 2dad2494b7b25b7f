/*
 * svg_curves.c: x-y curves with marked points, in one panel (curves named
 * in a legend) or as small multiples (one panel per channel).
 */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOP			32.0
#define CELL_GAP	18.0
#define CELL_TITLE	18.0
#define XLABELS		21.0

static double
clampv(double v)
{
	return v > 1e300 ? 1e300 : v < -1e300 ? -1e300 : v;
}

typedef struct Cell
{
	MMTicks		xt,
				yt;
	double		left,
				right,
				top,
				bottom;			/* plot area */
} Cell;

static double
cx_of(const Cell *c, double x)
{
	return c->left + (clampv(x) - c->xt.lo) / (c->xt.hi - c->xt.lo) * (c->right - c->left);
}

static double
cy_of(const Cell *c, double y)
{
	return c->bottom - (clampv(y) - c->yt.lo) / (c->yt.hi - c->yt.lo) * (c->bottom - c->top);
}

static double
ticks_width(const MMTicks *t, MMSvgFormat f)
{
	char		label[64];
	double		w = 0;

	for (int i = 0; i < t->n; i++)
	{
		mm_svg_tick_label(label, sizeof(label), t->v[i], t, f);
		w = fmax(w, mm_svg_text_width(label, 11));
	}
	return w;
}

/* Axes of one panel from its curves and markers; x and y include 0 when all data are positive. */
static void
cell_axes(const MMCurveChart *c, int panel, Cell *cell, double x0, double y0, double w, double h, bool titled)
{
	double		xlo = 0,
				xhi = 0,
				ylo = 0,
				yhi = 0;
	bool		any = false;
	double		yw,
				xw;

	for (int k = 0; k < c->ncurves; k++)
	{
		const MMCurve *cu = &c->curves[k];

		if (cu->panel != panel)
			continue;
		for (int i = 0; i < cu->n; i++)
		{
			if (!isfinite(cu->x[i]) || !isfinite(cu->y[i]))
				continue;
			xlo = fmin(xlo, clampv(cu->x[i]));
			xhi = fmax(xhi, clampv(cu->x[i]));
			ylo = fmin(ylo, clampv(cu->y[i]));
			yhi = fmax(yhi, clampv(cu->y[i]));
			any = true;
		}
	}
	for (int m = 0; m < c->nmarkers; m++)
	{
		const MMMarker *mk = &c->markers[m];

		if (c->curves[mk->curve].panel != panel || !isfinite(mk->x) || !isfinite(mk->y))
			continue;
		xlo = fmin(xlo, clampv(mk->x));
		xhi = fmax(xhi, clampv(mk->x));
		ylo = fmin(ylo, clampv(mk->y));
		yhi = fmax(yhi, clampv(mk->y));
		any = true;
	}
	if (!any)
		xhi = yhi = 1;
	cell->top = y0 + (titled ? CELL_TITLE + 6 : 6);
	cell->bottom = y0 + h - XLABELS;
	mm_svg_ticks(ylo, yhi, (int) ((cell->bottom - cell->top) / 40) + 1, &cell->yt);
	yw = ticks_width(&cell->yt, c->y_format);
	cell->left = x0 + yw + 10;
	mm_svg_ticks(xlo, xhi, (int) ((w - yw - 10) / 70) + 1, &cell->xt);
	xw = ticks_width(&cell->xt, c->x_format);
	cell->right = x0 + w - xw / 2 - 2;
	if (cell->right - cell->left < 30)
		cell->right = cell->left + 30;
}

static void
cell_draw_axes(MMSvgBuf *b, const MMCurveChart *c, const Cell *cell, int panel)
{
	char		label[64];

	mm_svg_printf(b, "<g class=\"axes\" data-panel=\"%d\">", panel);
	for (int i = 0; i < cell->yt.n; i++)
	{
		double		y = cy_of(cell, cell->yt.v[i]);

		mm_svg_tick_label(label, sizeof(label), cell->yt.v[i], &cell->yt, c->y_format);
		mm_svg_printf(b, "<line data-ytick=\"%.17g\" x1=\"", cell->yt.v[i]);
		mm_svg_num(b, cell->left);
		mm_svg_puts(b, "\" x2=\"");
		mm_svg_num(b, cell->right);
		mm_svg_puts(b, "\" y1=\"");
		mm_svg_num(b, y);
		mm_svg_puts(b, "\" y2=\"");
		mm_svg_num(b, y);
		mm_svg_printf(b, "\" stroke=\"%s\" stroke-width=\"1\"/>", cell->yt.v[i] == 0 ? "#888888" : "#E6E6E6");
		mm_svg_puts(b, "<text x=\"");
		mm_svg_num(b, cell->left - 5);
		mm_svg_puts(b, "\" y=\"");
		mm_svg_num(b, y + 4);
		mm_svg_printf(b, "\" text-anchor=\"end\">%s</text>", label);
	}
	for (int i = 0; i < cell->xt.n; i++)
	{
		double		x = cx_of(cell, cell->xt.v[i]);

		mm_svg_tick_label(label, sizeof(label), cell->xt.v[i], &cell->xt, c->x_format);
		mm_svg_printf(b, "<line data-xtick=\"%.17g\" x1=\"", cell->xt.v[i]);
		mm_svg_num(b, x);
		mm_svg_puts(b, "\" x2=\"");
		mm_svg_num(b, x);
		mm_svg_puts(b, "\" y1=\"");
		mm_svg_num(b, cell->top);
		mm_svg_puts(b, "\" y2=\"");
		mm_svg_num(b, cell->bottom);
		mm_svg_printf(b, "\" stroke=\"%s\" stroke-width=\"1\"/>", cell->xt.v[i] == 0 ? "#888888" : "#F0F0F0");
		mm_svg_puts(b, "<text x=\"");
		mm_svg_num(b, x);
		mm_svg_puts(b, "\" y=\"");
		mm_svg_num(b, cell->bottom + 17);
		mm_svg_printf(b, "\" text-anchor=\"middle\">%s</text>", label);
	}
	mm_svg_puts(b, "</g>");
}

void
mm_svg_curve_chart(MMSvgBuf *b, const MMCurveChart *c)
{
	int			W = c->width;
	bool		multiples = c->panel_names != NULL;
	int			np = multiples ? c->npanels : 1;
	int			cols = multiples ? (int) ((W - 24 + CELL_GAP) / (250 + CELL_GAP)) : 1;
	int			rows;
	double		cell_w,
				cell_h = c->panel_height,
				kinds_h = 0,
				curves_h = 0,
				caption_h,
				grid_top,
				height;
	MMLegendItem kinds[16];
	MMLegendItem names[256];
	int			nkinds = c->nkinds < 16 ? c->nkinds : 16;
	int			nnames = 0;
	char	   *caption = NULL;
	int			caption_lines = 0;

	if (cols < 1)
		cols = 1;
	if (cols > 4)
		cols = 4;
	if (cols > np)
		cols = np;
	if (cols < 1)
		cols = 1;
	rows = (np + cols - 1) / cols;
	if (rows < 1)
		rows = 1;
	cell_w = (W - 24 - (cols - 1) * CELL_GAP) / cols;

	for (int k = 0; k < nkinds; k++)
	{
		kinds[k].label = c->marker_names[k];
		kinds[k].color = k == 0 ? MM_COLOR_INK : MM_COLOR_WHITE;
		kinds[k].swatch = c->marker_swatches[k];
	}
	if (nkinds > 0)
		kinds_h = mm_svg_legend_height(kinds, nkinds, W - 24) + 4;
	if (!multiples)
	{
		for (int k = 0; k < c->ncurves && nnames < 256; k++, nnames++)
		{
			names[nnames].label = c->curves[k].name;
			names[nnames].color = c->curves[k].color;
			names[nnames].swatch = MM_SWATCH_LINE;
		}
		curves_h = mm_svg_legend_height(names, nnames, W - 24) + 8;
	}
	if ((c->x_label && c->x_label[0]) || (c->y_label && c->y_label[0]))
	{
		size_t		n = strlen("horizontal: ; vertical: ") + strlen(c->x_label ? c->x_label : "") +
			strlen(c->y_label ? c->y_label : "") + 1;

		caption = b->grow(NULL, n);
		snprintf(caption, n, "horizontal: %s; vertical: %s", c->x_label ? c->x_label : "", c->y_label ? c->y_label : "");
		caption_lines = mm_svg_wrapped(NULL, caption, 12, 0, W - 24, 11, 14, 2);
	}
	caption_h = caption_lines * 14 + (caption_lines > 0 ? 2 : 0);
	grid_top = TOP + kinds_h + caption_h;
	height = grid_top + rows * cell_h + (rows - 1) * CELL_GAP + curves_h + 8;

	mm_svg_open(b, W, (int) ceil(height), c->title, multiples ? "curves" : "curve");
	mm_svg_title(b, c->title, W);
	if (nkinds > 0)
		mm_svg_legend(b, kinds, nkinds, 12, TOP - 4, W - 24);
	if (caption_lines > 0)
	{
		mm_svg_puts(b, "<text fill=\"#555555\">");
		mm_svg_wrapped(b, caption, 12, TOP + kinds_h + 8, W - 24, 11, 14, 2);
		mm_svg_puts(b, "</text>");
	}

	for (int p = 0; p < np; p++)
	{
		Cell		cell;
		double		x0 = 12 + (p % cols) * (cell_w + CELL_GAP);
		double		y0 = grid_top + (p / cols) * (cell_h + CELL_GAP);

		cell_axes(c, p, &cell, x0, y0, cell_w, cell_h, multiples);
		mm_svg_printf(b, "<g class=\"panel\" data-panel=\"%d\"", p);
		if (multiples)
		{
			mm_svg_puts(b, " data-name=\"");
			mm_svg_text(b, c->panel_names[p], false, 0, 0);
			mm_svg_puts(b, "\"><text x=\"");
			mm_svg_num(b, x0);
			mm_svg_puts(b, "\" y=\"");
			mm_svg_num(b, y0 + 12);
			mm_svg_puts(b, "\" font-size=\"12\" font-weight=\"bold\">");
			mm_svg_text(b, c->panel_names[p], true, cell_w, 12);
			mm_svg_puts(b, "</text>");
		}
		else
			mm_svg_puts(b, ">");
		cell_draw_axes(b, c, &cell, p);
		for (int k = 0; k < c->ncurves; k++)
		{
			const MMCurve *cu = &c->curves[k];
			bool		open = false;

			if (cu->panel != p)
				continue;
			mm_svg_printf(b, "<g class=\"series\" data-index=\"%d\" data-series=\"", k);
			mm_svg_text(b, cu->name, false, 0, 0);
			mm_svg_puts(b, "\"><title>");
			mm_svg_text(b, cu->name, true, 0, 0);
			mm_svg_puts(b, "</title><path d=\"");
			for (int i = 0; i < cu->n; i++)
			{
				if (!isfinite(cu->x[i]) || !isfinite(cu->y[i]))
				{
					open = false;
					continue;
				}
				mm_svg_puts(b, open ? " L" : (i > 0 ? " M" : "M"));
				mm_svg_num(b, cx_of(&cell, cu->x[i]));
				mm_svg_puts(b, ",");
				mm_svg_num(b, cy_of(&cell, cu->y[i]));
				open = true;
			}
			mm_svg_printf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"/></g>",
						  mm_svg_color(cu->color));
		}
		for (int m = 0; m < c->nmarkers; m++)
		{
			const MMMarker *mk = &c->markers[m];
			const char *element;
			char		xs[48],
						ys[48];

			if (c->curves[mk->curve].panel != p || !isfinite(mk->x) || !isfinite(mk->y) ||
				mk->kind < 0 || mk->kind >= nkinds)
				continue;
			element = mm_svg_marker(b, c->marker_swatches[mk->kind], cx_of(&cell, mk->x), cy_of(&cell, mk->y), 4.5,
									mk->kind == 0 ? MM_COLOR_INK : MM_COLOR_WHITE);
			mm_svg_printf(b, " class=\"marker\" data-kind=\"%d\" data-x=\"%.17g\" data-y=\"%.17g\"><title>",
						  mk->kind, mk->x, mk->y);
			mm_svg_format_value(xs, sizeof(xs), mk->x, c->x_format);
			mm_svg_format_value(ys, sizeof(ys), mk->y, c->y_format);
			mm_svg_text(b, c->curves[mk->curve].name, true, 0, 0);
			mm_svg_puts(b, ": ");
			mm_svg_text(b, c->marker_names[mk->kind], false, 0, 0);
			mm_svg_printf(b, " at %s, %s</title></%s>", xs, ys, element);
		}
		mm_svg_puts(b, "</g>");
	}
	if (!multiples)
		mm_svg_legend(b, names, nnames, 12, grid_top + cell_h + 4, W - 24);
	mm_svg_close(b);
	mm_svg_free(b, caption);
}
