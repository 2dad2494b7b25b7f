/*
 * chart.c: SQL glue of the chart renderer (svg.h).
 *
 * The _svg_* functions take a chart as arrays (the SQL chart functions of
 * src/report/charts.sql read them from the result views) and return SVG
 * text.  They check every argument; NULL or NaN values inside the value
 * arrays mean "missing" and are left out of the picture.  Labels are read in
 * the server encoding and written as 7-bit ASCII (svg.h).
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "common/arrays.h"
#include "report/svg.h"

PG_FUNCTION_INFO_V1(report_svg_time);
PG_FUNCTION_INFO_V1(report_svg_bars);
PG_FUNCTION_INFO_V1(report_svg_waterfall);
PG_FUNCTION_INFO_V1(report_svg_curves);
PG_FUNCTION_INFO_V1(report_svg_message);
PG_FUNCTION_INFO_V1(report_html_escape);
PG_FUNCTION_INFO_V1(report_format_value);

#define MAX_SERIES		200
#define MAX_PANELS		8
#define MAX_POINTS		2000000		/* values of one chart */
#define MAX_CATEGORIES	1000
#define MAX_KINDS		16

static void *
pg_grow(void *p, size_t n)
{
	if (n >= MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chart is too large")));
	return p ? repalloc(p, n) : palloc(n);
}

static void
pg_release(void *p)
{
	pfree(p);
}

static text *
finish(MMSvgBuf *b)
{
	return cstring_to_text_with_len(b->data, (int) b->len);
}

/* A text argument as UTF-8 (NULL reads as empty). */
static const char *
utf8_arg(FunctionCallInfo fcinfo, int arg)
{
	text	   *t;
	char	   *s;

	if (PG_ARGISNULL(arg))
		return "";
	t = PG_GETARG_TEXT_PP(arg);
	s = text_to_cstring(t);
	return (const char *) pg_server_to_any(s, strlen(s), PG_UTF8);
}

static void
check_array(ArrayType *arr, const char *argname, Oid elemtype)
{
	int			n;

	if (ARR_ELEMTYPE(arr) != elemtype)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("array \"%s\" has the wrong element type", argname)));
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional", argname),
				 errdetail("It has %d dimensions.", ARR_NDIM(arr))));
	n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (n > mm_max_array_length)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("array \"%s\" is too long", argname),
				 errdetail("It has %d elements; the limit is %d.", n, mm_max_array_length)));
}

static ArrayType *
array_arg(FunctionCallInfo fcinfo, int arg, const char *argname, Oid elemtype, bool required)
{
	ArrayType  *arr;

	if (PG_ARGISNULL(arg))
	{
		if (required)
			mm_null_argument(argname);
		return NULL;
	}
	arr = PG_GETARG_ARRAYTYPE_P(arg);
	check_array(arr, argname, elemtype);
	return arr;
}

static void
check_length(int got, int want, const char *argname, const char *what)
{
	if (got != want)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must have one element per %s", argname, what),
				 errdetail("It has %d elements; %d expected.", got, want)));
}

/* Labels; a NULL element reads as an empty label. */
static const char **
text_elems(ArrayType *arr, int *n)
{
	Datum	   *d;
	bool	   *nulls;
	const char **out;

	if (arr == NULL)
	{
		*n = 0;
		return NULL;
	}
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &d, &nulls, n);
	out = palloc(sizeof(char *) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			out[i] = "";
		else
		{
			char	   *s = TextDatumGetCString(d[i]);

			out[i] = (const char *) pg_server_to_any(s, strlen(s), PG_UTF8);
		}
	}
	return out;
}

/* Values: NULL, NaN and infinities read as missing (NaN). */
static double *
value_elems(ArrayType *arr, int *n)
{
	Datum	   *d;
	bool	   *nulls;
	double	   *out;

	if (arr == NULL)
	{
		*n = 0;
		return NULL;
	}
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &d, &nulls, n);
	out = palloc(sizeof(double) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		double		v = nulls[i] ? NAN : DatumGetFloat8(d[i]);

		out[i] = isfinite(v) ? v : NAN;
	}
	return out;
}

/* Integers, each in [lo, hi]; a NULL element is dflt. */
static int *
int_elems(ArrayType *arr, int *n, const char *argname, int lo, int hi, int dflt)
{
	Datum	   *d;
	bool	   *nulls;
	int		   *out;

	if (arr == NULL)
	{
		*n = 0;
		return NULL;
	}
	deconstruct_array(arr, INT4OID, sizeof(int32), true, TYPALIGN_INT, &d, &nulls, n);
	out = palloc(sizeof(int) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		out[i] = nulls[i] ? dflt : DatumGetInt32(d[i]);
		if (out[i] < lo || out[i] > hi)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("element %d of \"%s\" must be between %d and %d", i + 1, argname, lo, hi),
					 errdetail("Got %d.", out[i])));
	}
	return out;
}

static int
int_arg(FunctionCallInfo fcinfo, int arg, const char *argname, int lo, int hi)
{
	int			v;

	if (PG_ARGISNULL(arg))
		mm_null_argument(argname);
	v = PG_GETARG_INT32(arg);
	if (v < lo || v > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %d and %d", argname, lo, hi),
				 errdetail("Got %d.", v)));
	return v;
}

static MMSvgFormat
format_named(const char *s, const char *argname)
{
	if (strcmp(s, "number") == 0)
		return MM_FMT_NUMBER;
	if (strcmp(s, "percent") == 0)
		return MM_FMT_PERCENT;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be \"number\" or \"percent\"", argname),
			 errdetail("Got \"%s\".", s)));
	return MM_FMT_NUMBER;
}

static MMSvgFormat
format_arg(FunctionCallInfo fcinfo, int arg, const char *argname)
{
	if (PG_ARGISNULL(arg))
		mm_null_argument(argname);
	return format_named(text_to_cstring(PG_GETARG_TEXT_PP(arg)), argname);
}

/* Days since 2000-01-01 of a finite date. */
static int
day_of(DateADT d, const char *argname)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite dates", argname)));
	return (int) d;
}

/*
 * _svg_time(title text, periods date[], series text[], series_panels int4[],
 *     series_styles text[], series_colors int4[], vals float8[],
 *     panel_labels text[], panel_formats text[], panel_zero bool[],
 *     shade_from date, shade_label text, width int4, panel_height int4,
 *     value_series int4[], value_periods date[])
 * vals holds the series one after the other, each one value per period; or,
 * with value_series and value_periods, one value per (series, period) fact.
 */
Datum
report_svg_time(PG_FUNCTION_ARGS)
{
	ArrayType  *a_periods = array_arg(fcinfo, 1, "periods", DATEOID, true);
	ArrayType  *a_series = array_arg(fcinfo, 2, "series", TEXTOID, true);
	ArrayType  *a_panels = array_arg(fcinfo, 3, "series_panels", INT4OID, true);
	ArrayType  *a_styles = array_arg(fcinfo, 4, "series_styles", TEXTOID, true);
	ArrayType  *a_colors = array_arg(fcinfo, 5, "series_colors", INT4OID, true);
	ArrayType  *a_vals = array_arg(fcinfo, 6, "vals", FLOAT8OID, true);
	ArrayType  *a_plabels = array_arg(fcinfo, 7, "panel_labels", TEXTOID, true);
	ArrayType  *a_pformats = array_arg(fcinfo, 8, "panel_formats", TEXTOID, true);
	ArrayType  *a_pzero = array_arg(fcinfo, 9, "panel_zero", BOOLOID, true);
	int			width = int_arg(fcinfo, 12, "width", MM_SVG_MIN_WIDTH, MM_SVG_MAX_WIDTH);
	int			panel_height = int_arg(fcinfo, 13, "panel_height", 60, 2000);
	ArrayType  *a_vseries = array_arg(fcinfo, 14, "value_series", INT4OID, false);
	ArrayType  *a_vperiods = array_arg(fcinfo, 15, "value_periods", DATEOID, false);
	Datum	   *d;
	bool	   *nulls;
	int			n,
				ns,
				k,
				np,
				nv;
	int		   *days;
	const char **names,
			  **styles,
			  **plabels,
			  **pformats;
	int		   *panels,
			   *colors;
	double	   *vals;
	MMTimePanel *tp;
	MMTimeSeries *ts;
	MMTimeChart c;
	MMSvgBuf	b;

	deconstruct_array(a_periods, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &d, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"periods\" must not be empty")));
	days = palloc(sizeof(int) * n);
	for (int t = 0; t < n; t++)
	{
		if (nulls[t])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array \"periods\" must not contain nulls")));
		days[t] = day_of(DatumGetDateADT(d[t]), "periods");
		if (t > 0 && days[t] <= days[t - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("periods must be strictly increasing"),
					 errdetail("Element %d is not after element %d.", t + 1, t)));
	}

	names = text_elems(a_series, &ns);
	if (ns == 0 || ns > MAX_SERIES)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a chart needs 1 to %d series", MAX_SERIES),
				 errdetail("Got %d.", ns)));
	plabels = text_elems(a_plabels, &np);
	if (np == 0 || np > MAX_PANELS)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a chart needs 1 to %d panels", MAX_PANELS),
				 errdetail("Got %d.", np)));
	pformats = text_elems(a_pformats, &k);
	check_length(k, np, "panel_formats", "panel");
	check_length(ArrayGetNItems(ARR_NDIM(a_pzero), ARR_DIMS(a_pzero)), np, "panel_zero", "panel");
	panels = int_elems(a_panels, &k, "series_panels", 1, np, 1);
	check_length(k, ns, "series_panels", "series");
	colors = int_elems(a_colors, &k, "series_colors", -6, INT_MAX, 0);
	check_length(k, ns, "series_colors", "series");
	styles = text_elems(a_styles, &k);
	check_length(k, ns, "series_styles", "series");
	if ((int64) n * ns > MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chart has too many values"),
				 errdetail("%d periods times %d series; the limit is %d.", n, ns, MAX_POINTS)));
	vals = value_elems(a_vals, &nv);
	if (a_vseries == NULL && a_vperiods == NULL)
		check_length(nv, n * ns, "vals", "period of each series");
	else
	{
		/* long format: (series, period, value) triples, one row per fact as the views give them */
		int		   *vseries;
		double	   *dense = palloc(sizeof(double) * (size_t) n * ns);
		int			k2;

		if (a_vseries == NULL || a_vperiods == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value_series and value_periods must be given together")));
		vseries = int_elems(a_vseries, &k, "value_series", 1, ns, 1);
		check_length(k, nv, "value_series", "value");
		deconstruct_array(a_vperiods, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &d, &nulls, &k2);
		check_length(k2, nv, "value_periods", "value");
		for (size_t i = 0; i < (size_t) n * ns; i++)
			dense[i] = NAN;
		for (int i = 0; i < nv; i++)
		{
			int			day,
						lo = 0,
						hi = n - 1;
			double	   *cell;

			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("array \"value_periods\" must not contain nulls")));
			day = day_of(DatumGetDateADT(d[i]), "value_periods");
			while (lo < hi)
			{
				int			mid = (lo + hi) / 2;

				if (days[mid] < day)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (days[lo] != day)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("element %d of \"value_periods\" is not one of the periods", i + 1)));
			if (!isfinite(vals[i]))
				continue;
			/* several values of one series and period add up */
			cell = &dense[(size_t) (vseries[i] - 1) * n + lo];
			*cell = isnan(*cell) ? vals[i] : *cell + vals[i];
		}
		vals = dense;
	}

	tp = palloc(sizeof(MMTimePanel) * np);
	deconstruct_array(a_pzero, BOOLOID, 1, true, TYPALIGN_CHAR, &d, &nulls, &k);
	for (int p = 0; p < np; p++)
	{
		tp[p].label = plabels[p];
		tp[p].format = format_named(pformats[p], "panel_formats");
		tp[p].zero = !nulls[p] && DatumGetBool(d[p]);
	}
	ts = palloc(sizeof(MMTimeSeries) * ns);
	for (int s = 0; s < ns; s++)
	{
		ts[s].name = names[s];
		ts[s].panel = panels[s] - 1;
		ts[s].color = colors[s];
		ts[s].values = vals + (size_t) s * n;
		if (strcmp(styles[s], "line") == 0)
			ts[s].style = MM_STYLE_LINE;
		else if (strcmp(styles[s], "dash") == 0)
			ts[s].style = MM_STYLE_DASH;
		else if (strcmp(styles[s], "area") == 0)
			ts[s].style = MM_STYLE_AREA;
		else if (strcmp(styles[s], "bar") == 0)
			ts[s].style = MM_STYLE_BAR;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("series style must be line, dash, area or bar"),
					 errdetail("Element %d is \"%s\".", s + 1, styles[s])));
	}

	c.title = utf8_arg(fcinfo, 0);
	c.width = width;
	c.panel_height = panel_height;
	c.n = n;
	c.days = days;
	c.npanels = np;
	c.panels = tp;
	c.nseries = ns;
	c.series = ts;
	c.shade = !PG_ARGISNULL(10);
	c.shade_from = c.shade ? day_of(PG_GETARG_DATEADT(10), "shade_from") : 0;
	c.shade_label = PG_ARGISNULL(11) ? NULL : utf8_arg(fcinfo, 11);
	if (c.shade && c.shade_from > days[n - 1])
		c.shade = false;

	mm_svg_init(&b, pg_grow, pg_release);
	mm_svg_time_chart(&b, &c);
	PG_RETURN_TEXT_P(finish(&b));
}

/*
 * _svg_bars(title text, categories text[], series text[], vals float8[],
 *     lower float8[], upper float8[], category_colors int4[], series_colors int4[],
 *     axis_label text, value_format text, width int4)
 */
Datum
report_svg_bars(PG_FUNCTION_ARGS)
{
	ArrayType  *a_cat = array_arg(fcinfo, 1, "categories", TEXTOID, true);
	ArrayType  *a_ser = array_arg(fcinfo, 2, "series", TEXTOID, true);
	ArrayType  *a_vals = array_arg(fcinfo, 3, "vals", FLOAT8OID, true);
	ArrayType  *a_lo = array_arg(fcinfo, 4, "lower", FLOAT8OID, false);
	ArrayType  *a_hi = array_arg(fcinfo, 5, "upper", FLOAT8OID, false);
	ArrayType  *a_cc = array_arg(fcinfo, 6, "category_colors", INT4OID, false);
	ArrayType  *a_sc = array_arg(fcinfo, 7, "series_colors", INT4OID, false);
	MMSvgFormat fmt = format_arg(fcinfo, 9, "value_format");
	int			width = int_arg(fcinfo, 10, "width", MM_SVG_MIN_WIDTH, MM_SVG_MAX_WIDTH);
	int			nc,
				ns,
				k;
	MMBarChart	c;
	MMSvgBuf	b;

	memset(&c, 0, sizeof(c));
	c.categories = text_elems(a_cat, &nc);
	c.series = text_elems(a_ser, &ns);
	if (nc == 0 || nc > MAX_CATEGORIES)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a bar chart needs 1 to %d categories", MAX_CATEGORIES),
				 errdetail("Got %d.", nc)));
	if (ns == 0 || ns > 8)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a bar chart needs 1 to 8 series"),
				 errdetail("Got %d.", ns)));
	c.values = value_elems(a_vals, &k);
	check_length(k, nc * ns, "vals", "category of each series");
	if ((a_lo == NULL) != (a_hi == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lower and upper must be given together")));
	if (a_lo != NULL)
	{
		c.lower = value_elems(a_lo, &k);
		check_length(k, nc * ns, "lower", "category of each series");
		c.upper = value_elems(a_hi, &k);
		check_length(k, nc * ns, "upper", "category of each series");
	}
	if (a_cc != NULL)
	{
		c.cat_colors = int_elems(a_cc, &k, "category_colors", -6, INT_MAX, 0);
		check_length(k, nc, "category_colors", "category");
	}
	if (a_sc != NULL)
	{
		c.ser_colors = int_elems(a_sc, &k, "series_colors", -6, INT_MAX, 0);
		check_length(k, ns, "series_colors", "series");
	}
	c.title = utf8_arg(fcinfo, 0);
	c.axis_label = utf8_arg(fcinfo, 8);
	c.format = fmt;
	c.width = width;
	c.ncat = nc;
	c.nser = ns;

	mm_svg_init(&b, pg_grow, pg_release);
	mm_svg_bar_chart(&b, &c);
	PG_RETURN_TEXT_P(finish(&b));
}

/*
 * _svg_waterfall(title text, labels text[], vals float8[], colors int4[],
 *     total_label text, axis_label text, value_format text, width int4)
 */
Datum
report_svg_waterfall(PG_FUNCTION_ARGS)
{
	ArrayType  *a_lab = array_arg(fcinfo, 1, "labels", TEXTOID, true);
	ArrayType  *a_vals = array_arg(fcinfo, 2, "vals", FLOAT8OID, true);
	ArrayType  *a_col = array_arg(fcinfo, 3, "colors", INT4OID, true);
	MMSvgFormat fmt = format_arg(fcinfo, 6, "value_format");
	int			width = int_arg(fcinfo, 7, "width", MM_SVG_MIN_WIDTH, MM_SVG_MAX_WIDTH);
	int			n,
				k;
	MMWaterfall c;
	MMSvgBuf	b;

	c.labels = text_elems(a_lab, &n);
	if (n == 0 || n > MAX_CATEGORIES)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a waterfall needs 1 to %d terms", MAX_CATEGORIES),
				 errdetail("Got %d.", n)));
	c.values = value_elems(a_vals, &k);
	check_length(k, n, "vals", "label");
	c.colors = int_elems(a_col, &k, "colors", -6, INT_MAX, 0);
	check_length(k, n, "colors", "label");
	c.title = utf8_arg(fcinfo, 0);
	c.total_label = PG_ARGISNULL(4) ? "total" : utf8_arg(fcinfo, 4);
	c.axis_label = utf8_arg(fcinfo, 5);
	c.format = fmt;
	c.width = width;
	c.n = n;

	mm_svg_init(&b, pg_grow, pg_release);
	mm_svg_waterfall(&b, &c);
	PG_RETURN_TEXT_P(finish(&b));
}

/*
 * _svg_curves(title text, panel_names text[], curve_names text[],
 *     curve_panels int4[], curve_colors int4[], curve_lengths int4[],
 *     x float8[], y float8[], marker_curves int4[], marker_kinds int4[],
 *     marker_x float8[], marker_y float8[], kind_names text[], kind_shapes text[],
 *     x_label text, y_label text, x_format text, y_format text,
 *     width int4, panel_height int4)
 * panel_names NULL: one panel, curves named in a legend.  Curves, panels
 * and kinds are numbered from 1; x and y hold the curves one after the other.
 */
Datum
report_svg_curves(PG_FUNCTION_ARGS)
{
	ArrayType  *a_pn = array_arg(fcinfo, 1, "panel_names", TEXTOID, false);
	ArrayType  *a_cn = array_arg(fcinfo, 2, "curve_names", TEXTOID, true);
	ArrayType  *a_cp = array_arg(fcinfo, 3, "curve_panels", INT4OID, a_pn != NULL);
	ArrayType  *a_cc = array_arg(fcinfo, 4, "curve_colors", INT4OID, true);
	ArrayType  *a_cl = array_arg(fcinfo, 5, "curve_lengths", INT4OID, true);
	ArrayType  *a_x = array_arg(fcinfo, 6, "x", FLOAT8OID, true);
	ArrayType  *a_y = array_arg(fcinfo, 7, "y", FLOAT8OID, true);
	ArrayType  *a_mc = array_arg(fcinfo, 8, "marker_curves", INT4OID, true);
	ArrayType  *a_mk = array_arg(fcinfo, 9, "marker_kinds", INT4OID, true);
	ArrayType  *a_mx = array_arg(fcinfo, 10, "marker_x", FLOAT8OID, true);
	ArrayType  *a_my = array_arg(fcinfo, 11, "marker_y", FLOAT8OID, true);
	ArrayType  *a_kn = array_arg(fcinfo, 12, "kind_names", TEXTOID, true);
	ArrayType  *a_ks = array_arg(fcinfo, 13, "kind_shapes", TEXTOID, true);
	MMSvgFormat xf = format_arg(fcinfo, 16, "x_format");
	MMSvgFormat yf = format_arg(fcinfo, 17, "y_format");
	int			width = int_arg(fcinfo, 18, "width", MM_SVG_MIN_WIDTH, MM_SVG_MAX_WIDTH);
	int			panel_height = int_arg(fcinfo, 19, "panel_height", 80, 2000);
	int			np = 1,
				ncu,
				k,
				nx,
				nm,
				nk;
	const char **pnames = NULL,
			  **cnames,
			  **knames,
			  **kshapes;
	int		   *cpanels = NULL,
			   *ccolors,
			   *clens,
			   *mcurves,
			   *mkinds,
			   *swatches;
	double	   *x,
			   *y,
			   *mx,
			   *my;
	int64		total = 0;
	MMCurve    *curves;
	MMMarker   *markers;
	MMCurveChart c;
	MMSvgBuf	b;

	if (a_pn != NULL)
	{
		pnames = text_elems(a_pn, &np);
		if (np == 0 || np > MAX_CATEGORIES)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("a chart needs 1 to %d panels", MAX_CATEGORIES),
					 errdetail("Got %d.", np)));
	}
	cnames = text_elems(a_cn, &ncu);
	if (ncu == 0 || ncu > MAX_CATEGORIES)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a chart needs 1 to %d curves", MAX_CATEGORIES),
				 errdetail("Got %d.", ncu)));
	if (a_cp != NULL && a_pn != NULL)
	{
		cpanels = int_elems(a_cp, &k, "curve_panels", 1, np, 1);
		check_length(k, ncu, "curve_panels", "curve");
	}
	ccolors = int_elems(a_cc, &k, "curve_colors", -6, INT_MAX, 0);
	check_length(k, ncu, "curve_colors", "curve");
	clens = int_elems(a_cl, &k, "curve_lengths", 0, MAX_POINTS, 0);
	check_length(k, ncu, "curve_lengths", "curve");
	for (int i = 0; i < ncu; i++)
		total += clens[i];
	if (total > MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chart has too many points"),
				 errdetail("%lld points; the limit is %d.", (long long) total, MAX_POINTS)));
	x = value_elems(a_x, &nx);
	check_length(nx, (int) total, "x", "point of the curves (sum of curve_lengths)");
	y = value_elems(a_y, &k);
	check_length(k, (int) total, "y", "point of the curves (sum of curve_lengths)");
	knames = text_elems(a_kn, &nk);
	if (nk > MAX_KINDS)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a chart has at most %d marker kinds", MAX_KINDS),
				 errdetail("Got %d.", nk)));
	kshapes = text_elems(a_ks, &k);
	check_length(k, nk, "kind_shapes", "marker kind");
	swatches = palloc(sizeof(int) * Max(nk, 1));
	for (int i = 0; i < nk; i++)
	{
		if (strcmp(kshapes[i], "dot") == 0)
			swatches[i] = MM_SWATCH_DOT;
		else if (strcmp(kshapes[i], "diamond") == 0)
			swatches[i] = MM_SWATCH_DIAMOND;
		else if (strcmp(kshapes[i], "triangle") == 0)
			swatches[i] = MM_SWATCH_TRIANGLE;
		else if (strcmp(kshapes[i], "square") == 0)
			swatches[i] = MM_SWATCH_SQUARE;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("marker shape must be dot, diamond, triangle or square"),
					 errdetail("Element %d is \"%s\".", i + 1, kshapes[i])));
	}
	mcurves = int_elems(a_mc, &nm, "marker_curves", 1, ncu, 1);
	if (nm > MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chart has too many markers")));
	mkinds = int_elems(a_mk, &k, "marker_kinds", 1, Max(nk, 1), 1);
	check_length(k, nm, "marker_kinds", "marker");
	if (nm > 0 && nk == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markers need kind_names")));
	mx = value_elems(a_mx, &k);
	check_length(k, nm, "marker_x", "marker");
	my = value_elems(a_my, &k);
	check_length(k, nm, "marker_y", "marker");

	curves = palloc(sizeof(MMCurve) * ncu);
	total = 0;
	for (int i = 0; i < ncu; i++)
	{
		curves[i].name = cnames[i];
		curves[i].panel = cpanels ? cpanels[i] - 1 : 0;
		curves[i].color = ccolors[i];
		curves[i].n = clens[i];
		curves[i].x = x + total;
		curves[i].y = y + total;
		total += clens[i];
	}
	markers = palloc(sizeof(MMMarker) * Max(nm, 1));
	for (int i = 0; i < nm; i++)
	{
		markers[i].curve = mcurves[i] - 1;
		markers[i].kind = mkinds[i] - 1;
		markers[i].x = mx[i];
		markers[i].y = my[i];
	}

	c.title = utf8_arg(fcinfo, 0);
	c.width = width;
	c.panel_height = panel_height;
	c.x_label = utf8_arg(fcinfo, 14);
	c.y_label = utf8_arg(fcinfo, 15);
	c.x_format = xf;
	c.y_format = yf;
	c.npanels = np;
	c.panel_names = pnames;
	c.ncurves = ncu;
	c.curves = curves;
	c.nmarkers = nm;
	c.markers = markers;
	c.nkinds = nk;
	c.marker_names = knames;
	c.marker_swatches = swatches;

	mm_svg_init(&b, pg_grow, pg_release);
	mm_svg_curve_chart(&b, &c);
	PG_RETURN_TEXT_P(finish(&b));
}

/* _svg_message(title text, message text, width int4) */
Datum
report_svg_message(PG_FUNCTION_ARGS)
{
	int			width = int_arg(fcinfo, 2, "width", MM_SVG_MIN_WIDTH, MM_SVG_MAX_WIDTH);
	MMSvgBuf	b;

	mm_svg_init(&b, pg_grow, pg_release);
	mm_svg_message(&b, utf8_arg(fcinfo, 0), utf8_arg(fcinfo, 1), width);
	PG_RETURN_TEXT_P(finish(&b));
}

/* _html_escape(s text): a label as escaped 7-bit text, isolated for bidi (STRICT). */
Datum
report_html_escape(PG_FUNCTION_ARGS)
{
	MMSvgBuf	b;

	mm_svg_init(&b, pg_grow, pg_release);
	mm_svg_text(&b, utf8_arg(fcinfo, 0), true, 0, 0);
	PG_RETURN_TEXT_P(finish(&b));
}

/* _format_value(v float8, format text): a value as the charts write it (STRICT). */
Datum
report_format_value(PG_FUNCTION_ARGS)
{
	char		out[64];

	mm_svg_format_value(out, sizeof(out), PG_GETARG_FLOAT8(0),
						format_named(text_to_cstring(PG_GETARG_TEXT_PP(1)), "format"));
	PG_RETURN_TEXT_P(cstring_to_text(out));
}
