/*
 * svg.h: the chart renderer of the report stage.
 *
 * Plain C, no postgres.h: each chart is a struct of arrays in, SVG text out,
 * written into a growable buffer whose allocator the caller supplies (the
 * glue passes repalloc, the unit tests realloc).  Output is always
 * well-formed XML and 7-bit ASCII: labels are escaped, every non-ASCII
 * character is a character reference, non-finite values are left out (never
 * printed), and coordinates are clamped.
 */
#ifndef MM_SVG_H
#define MM_SVG_H

#include <stdbool.h>
#include <stddef.h>

typedef void *(*MMSvgRealloc) (void *ptr, size_t size);
typedef void (*MMSvgFree) (void *ptr);

typedef struct MMSvgBuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	MMSvgRealloc grow;			/* realloc; with NULL it allocates scratch space too */
	MMSvgFree	release;
} MMSvgBuf;

/* How values are written on axes, bars and tooltips. */
typedef enum MMSvgFormat
{
	MM_FMT_NUMBER,				/* 3 significant digits, k/M/B/T suffixes */
	MM_FMT_PERCENT				/* a fraction shown as a percentage */
} MMSvgFormat;

/* Colours: >= 0 index the qualitative palette (cycled), the rest are fixed. */
#define MM_COLOR_BASE		(-1)	/* base (intercept, trend, season, holiday) */
#define MM_COLOR_FACTOR		(-2)	/* external factors */
#define MM_COLOR_INK		(-3)	/* actuals, totals */
#define MM_COLOR_MUTED		(-4)	/* residuals, secondary marks */
#define MM_COLOR_NEGATIVE	(-5)	/* a negative total */
#define MM_COLOR_WHITE		(-6)	/* hollow markers */

#define MM_SVG_MAX_WIDTH	4000
#define MM_SVG_MIN_WIDTH	240
#define MM_SVG_MAX_LABEL	500		/* code points of a label kept, then an ellipsis */

/* ---- buffer and text (svg.c) ---- */
extern void mm_svg_init(MMSvgBuf *b, MMSvgRealloc grow, MMSvgFree release);
/* Scratch arrays of n doubles (zeroed), freed by mm_svg_free. */
extern double *mm_svg_scratch(MMSvgBuf *b, size_t n);
extern void mm_svg_free(MMSvgBuf *b, void *p);
extern void mm_svg_puts(MMSvgBuf *b, const char *s);
extern void mm_svg_printf(MMSvgBuf *b, const char *fmt,...) __attribute__((format(printf, 2, 3)));
/* A coordinate or length: two decimals, never NaN (written as 0), clamped to +-1e6. */
extern void mm_svg_num(MMSvgBuf *b, double v);
/*
 * Escaped character data (also safe in attribute values): & < > " ' escaped,
 * control characters and invalid UTF-8 as U+FFFD, non-ASCII as &#x...;.
 * isolate wraps the label in FSI ... PDI so that right-to-left text or bidi
 * controls cannot reorder what surrounds it.  max_width > 0 truncates with an
 * ellipsis to fit max_width pixels at font_size; any label is cut after
 * MM_SVG_MAX_LABEL code points.
 */
extern void mm_svg_text(MMSvgBuf *b, const char *s, bool isolate, double max_width, double font_size);
/*
 * Text wrapped at spaces into lines of max_width (tspans from (x, y), one
 * line_height apart; nothing drawn when b is NULL); returns the lines used,
 * at most max_lines.
 */
extern int	mm_svg_wrapped(MMSvgBuf *b, const char *s, double x, double y, double max_width,
						   double font_size, double line_height, int max_lines);
/* Estimated width in pixels of UTF-8 text at font_size (DejaVu Sans metrics, rounded up). */
extern double mm_svg_text_width(const char *s, double font_size);
/* Value for a label or tooltip ("n/a" when not finite). */
extern void mm_svg_format_value(char *out, size_t n, double v, MMSvgFormat f);
extern const char *mm_svg_color(int color);

/* ---- axes (svg_axis.c) ---- */
typedef struct MMTicks
{
	int			n;
	double		lo;				/* axis domain = first and last tick */
	double		hi;
	double		step;
	double		v[64];
} MMTicks;

/* Nice ticks covering [lo, hi] with about target intervals. */
extern void mm_svg_ticks(double lo, double hi, int target, MMTicks *t);
/* A tick label, precision from the step. */
extern void mm_svg_tick_label(char *out, size_t n, double v, const MMTicks *t, MMSvgFormat f);

typedef struct MMDateTicks
{
	int			n;
	int			day[64];		/* days since 2000-01-01 */
	char		label[64][24];
} MMDateTicks;

/* Calendar ticks (days, weeks, months, quarters, years) between two days, at most max_ticks. */
extern void mm_svg_date_ticks(int first, int last, int max_ticks, MMDateTicks *t);
extern void mm_svg_date_string(char *out, size_t n, int day);

/* ---- frame, legend (svg.c) ---- */
extern void mm_svg_open(MMSvgBuf *b, int width, int height, const char *title, const char *kind);
extern void mm_svg_close(MMSvgBuf *b);
extern void mm_svg_title(MMSvgBuf *b, const char *title, int width);

typedef struct MMLegendItem
{
	const char *label;
	int			color;
	int			swatch;			/* MM_SWATCH_* */
} MMLegendItem;

#define MM_SWATCH_BOX		0
#define MM_SWATCH_LINE		1
#define MM_SWATCH_DASH		2
#define MM_SWATCH_DOT		3
#define MM_SWATCH_DIAMOND	4
#define MM_SWATCH_TRIANGLE	5
#define MM_SWATCH_SQUARE	6

/* Height a legend of n items takes when wrapped into width. */
extern double mm_svg_legend_height(const MMLegendItem *items, int n, double width);
extern void mm_svg_legend(MMSvgBuf *b, const MMLegendItem *items, int n, double x, double y, double width);
/* A marker shape centred at (x, y), its tag left open; returns the element name. */
extern const char *mm_svg_marker(MMSvgBuf *b, int swatch, double x, double y, double r, int color);

/* A chart with nothing to plot: its title and a message, still a valid SVG. */
extern void mm_svg_message(MMSvgBuf *b, const char *title, const char *message, int width);

/* ---- time series (svg_time.c) ---- */
typedef enum MMSeriesStyle
{
	MM_STYLE_LINE,
	MM_STYLE_DASH,
	MM_STYLE_AREA,				/* stacked area: positives up, negatives down */
	MM_STYLE_BAR				/* stacked bars, likewise */
} MMSeriesStyle;

typedef struct MMTimeSeries
{
	const char *name;
	int			panel;
	MMSeriesStyle style;
	int			color;
	const double *values;		/* one per period; NaN = missing */
} MMTimeSeries;

typedef struct MMTimePanel
{
	const char *label;			/* what the y axis counts */
	MMSvgFormat format;
	bool		zero;			/* the y axis includes 0 */
} MMTimePanel;

typedef struct MMTimeChart
{
	const char *title;
	int			width;
	int			panel_height;
	int			n;
	const int  *days;			/* strictly increasing, days since 2000-01-01 */
	int			npanels;
	const MMTimePanel *panels;
	int			nseries;
	const MMTimeSeries *series;
	bool		shade;			/* shade [shade_from, last period] */
	int			shade_from;
	const char *shade_label;
} MMTimeChart;

extern void mm_svg_time_chart(MMSvgBuf *b, const MMTimeChart *c);

/* ---- bars and waterfall (svg_bars.c) ---- */
typedef struct MMBarChart
{
	const char *title;
	int			width;
	const char *axis_label;
	MMSvgFormat format;
	int			ncat;
	const char *const *categories;
	const int  *cat_colors;		/* colour per category when ser_colors is NULL */
	int			nser;
	const char *const *series;
	const int  *ser_colors;
	const double *values;		/* nser x ncat, series-major; NaN = missing */
	const double *lower;		/* interval ends (NULL or NaN = none): whiskers */
	const double *upper;
} MMBarChart;

extern void mm_svg_bar_chart(MMSvgBuf *b, const MMBarChart *c);

typedef struct MMWaterfall
{
	const char *title;
	int			width;
	const char *axis_label;
	MMSvgFormat format;
	int			n;
	const char *const *labels;
	const int  *colors;
	const double *values;		/* NaN = missing (left out of the total) */
	const char *total_label;
} MMWaterfall;

extern void mm_svg_waterfall(MMSvgBuf *b, const MMWaterfall *c);

/* ---- curves, one panel or small multiples (svg_curves.c) ---- */
typedef struct MMCurve
{
	const char *name;
	int			panel;
	int			color;
	int			n;
	const double *x;			/* increasing; NaN points are left out */
	const double *y;
} MMCurve;

typedef struct MMMarker
{
	int			curve;
	int			kind;			/* index into marker_names */
	double		x;
	double		y;
} MMMarker;

typedef struct MMCurveChart
{
	const char *title;
	int			width;
	int			panel_height;
	const char *x_label;
	const char *y_label;
	MMSvgFormat x_format;
	MMSvgFormat y_format;
	int			npanels;
	const char *const *panel_names;	/* NULL: one panel, curves in a legend */
	int			ncurves;
	const MMCurve *curves;
	int			nmarkers;
	const MMMarker *markers;
	int			nkinds;
	const char *const *marker_names;
	const int  *marker_swatches;
} MMCurveChart;

extern void mm_svg_curve_chart(MMSvgBuf *b, const MMCurveChart *c);

#endif
