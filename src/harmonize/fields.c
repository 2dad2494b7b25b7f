/*
 * fields.c: derived-field formulas: validation against mixmodel.fields,
 * compilation to SQL over harmonized columns, and direct evaluation.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/varlena.h"

#include "common/arrays.h"
#include "common/errors.h"
#include "harmonize/harmonize.h"
#include "math/formula.h"

PG_FUNCTION_INFO_V1(compile_formula);
PG_FUNCTION_INFO_V1(evaluate_formula);

/* Parse or raise 42601 with the position of the error. */
static void
ParseOrError(const char *text, const char *field, MMFormula *f)
{
	int			pos;
	const char *msg;

	if (mm_formula_parse(text, f, &pos, &msg) != MM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 field ? errmsg("syntax error in formula of field \"%s\"", field)
				 : errmsg("syntax error in formula"),
				 errdetail("At character %d of \"%s\": %s.", pos + 1, text, msg),
				 errhint("Formulas combine [metric] references and numbers with + - * / and parentheses.")));
}

const char *
hz_near_match(const char *name, List *candidates)
{
	const char *best = NULL;
	int			best_d = 3;		/* at most two edits away */
	ListCell   *lc;

	foreach(lc, candidates)
	{
		const char *c = lfirst(lc);
		int			d = varstr_levenshtein(name, strlen(name), c, strlen(c), 1, 1, 1, true);

		if (d < best_d)
		{
			best_d = d;
			best = c;
		}
	}
	return best;
}

static List *
AllFieldNames(void)
{
	List	   *names = NIL;

	if (SPI_execute("SELECT name FROM mixmodel.fields ORDER BY name", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mixmodel.fields");
	for (uint64 i = 0; i < SPI_processed; i++)
		names = lappend(names, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return names;
}

/* Compile text; path holds the derived fields being expanded (cycle check). */
static char *
CompileFormula(const char *text, List *path)
{
	MMFormula	f;
	char	  **stack = palloc(sizeof(char *) * MM_FORMULA_MAX_NODES);
	int			top = 0;
	const char *field = path ? llast(path) : NULL;

	check_stack_depth();
	ParseOrError(text, field, &f);
	for (int i = 0; i < f.n; i++)
	{
		MMFormulaNode *node = &f.nodes[i];
		char	   *a,
				   *b;

		switch (node->op)
		{
			case MM_F_NUM:
				stack[top++] = psprintf("CAST('%.17g' AS pg_catalog.float8)", node->value);
				continue;
			case MM_F_REF:
				{
					char	   *name = pnstrdup(text + node->name_start, node->name_len);
					Datum		arg = CStringGetTextDatum(name);
					Oid			argtype = TEXTOID;
					char	   *category;
					ListCell   *lc;

					if (SPI_execute_with_args("SELECT category, formula FROM mixmodel.fields WHERE name = $1",
											  1, &argtype, &arg, NULL, true, 1) != SPI_OK_SELECT)
						elog(ERROR, "could not read mixmodel.fields");
					if (SPI_processed == 0)
					{
						const char *near = hz_near_match(name, AllFieldNames());

						ereport(ERROR,
								(errcode(ERRCODE_UNDEFINED_COLUMN),
								 errmsg("unknown field \"%s\" in formula", name),
								 errdetail("Formula: \"%s\"%s%s%s.", text,
										   field ? " of field \"" : "", field ? field : "", field ? "\"" : ""),
								 near ? errhint("Perhaps you meant \"%s\".", near) : 0));
					}
					category = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
					if (strcmp(category, "dimension") == 0)
						ereport(ERROR,
								(errcode(ERRCODE_DATATYPE_MISMATCH),
								 errmsg("field \"%s\" in formula is a dimension", name),
								 errdetail("Formula: \"%s\".", text),
								 errhint("Formulas combine metrics and derived fields.")));
					if (strcmp(category, "derived") == 0)
					{
						char	   *sub = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

						foreach(lc, path)
						{
							if (strcmp(lfirst(lc), name) == 0)
							{
								StringInfoData cycle;
								ListCell   *lc2;

								initStringInfo(&cycle);
								for_each_cell(lc2, path, lc)
									appendStringInfo(&cycle, "%s -> ", (char *) lfirst(lc2));
								appendStringInfoString(&cycle, name);
								ereport(ERROR,
										(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
										 errmsg("circular reference among derived fields"),
										 errdetail("Cycle: %s.", cycle.data),
										 errhint("A derived field cannot depend on itself, directly or through other derived fields.")));
							}
						}
						stack[top++] = psprintf("(%s)", CompileFormula(sub, lappend(list_copy(path), name)));
					}
					else
						stack[top++] = pstrdup(quote_identifier(name));
					continue;
				}
			case MM_F_NEG:
				stack[top - 1] = psprintf("(OPERATOR(pg_catalog.-) %s)", stack[top - 1]);
				continue;
			default:
				break;
		}
		b = stack[--top];
		a = stack[top - 1];
		switch (node->op)
		{
			case MM_F_ADD:
				stack[top - 1] = psprintf("(%s OPERATOR(pg_catalog.+) %s)", a, b);
				break;
			case MM_F_SUB:
				stack[top - 1] = psprintf("(%s OPERATOR(pg_catalog.-) %s)", a, b);
				break;
			case MM_F_MUL:
				stack[top - 1] = psprintf("(%s OPERATOR(pg_catalog.*) %s)", a, b);
				break;
			default:
				/* division by zero gives NULL, like a missing value */
				stack[top - 1] = psprintf("(%s OPERATOR(pg_catalog./) NULLIF(%s, CAST(0 AS pg_catalog.float8)))", a, b);
				break;
		}
	}
	return stack[0];
}

char *
hz_compile_formula(const char *formula, const char *field)
{
	return CompileFormula(formula, field ? list_make1(pstrdup(field)) : NIL);
}

/* compile_formula(formula text, field text DEFAULT NULL) RETURNS text */
Datum
compile_formula(PG_FUNCTION_ARGS)
{
	char	   *formula;
	char	   *field = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *sql;
	char	   *copy;
	int			nest;

	if (PG_ARGISNULL(0))
		mm_null_argument("formula");
	formula = text_to_cstring(PG_GETARG_TEXT_PP(0));
	SPI_connect();
	nest = hz_pin_gucs();
	sql = hz_compile_formula(formula, field);
	hz_unpin_gucs(nest);
	copy = SPI_palloc(strlen(sql) + 1);	/* outlives SPI_finish */
	strcpy(copy, sql);
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(copy));
}

/* evaluate_formula(formula text, metric_values jsonb) RETURNS float8 */
Datum
evaluate_formula(PG_FUNCTION_ARGS)
{
	char	   *formula;
	Jsonb	   *values;
	MMFormula	f;
	double	   *vals;
	bool	   *present;
	double	   *stack;
	bool	   *stack_present;
	int			nref = 0;
	double		out;
	bool		out_present;

	if (PG_ARGISNULL(0))
		mm_null_argument("formula");
	if (PG_ARGISNULL(1))
		mm_null_argument("metric_values");
	formula = text_to_cstring(PG_GETARG_TEXT_PP(0));
	values = PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(values))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("metric_values must be a jsonb object")));
	ParseOrError(formula, NULL, &f);
	vals = palloc0(sizeof(double) * f.n);
	present = palloc0(sizeof(bool) * f.n);
	stack = palloc(sizeof(double) * f.n);
	stack_present = palloc(sizeof(bool) * f.n);
	for (int i = 0; i < f.n; i++)
	{
		JsonbValue *v;

		if (f.nodes[i].op != MM_F_REF)
			continue;
		v = getKeyJsonValueFromContainer(&values->root, formula + f.nodes[i].name_start,
										 f.nodes[i].name_len, NULL);
		if (v == NULL || v->type == jbvNull)
			present[nref] = false;
		else if (v->type == jbvNumeric)
		{
			vals[nref] = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
			present[nref] = true;
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value of \"%.*s\" in metric_values is not a number",
							f.nodes[i].name_len, formula + f.nodes[i].name_start)));
		nref++;
	}
	mixmodel_check_core(mm_formula_eval(&f, vals, present, stack, stack_present, &out, &out_present),
						"formula evaluation");
	if (!out_present)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(out);
}
