/*
 * test_formula.c: parser positions and evaluation of derived-field formulas.
 */
#include <string.h>

#include "math/formula.h"
#include "unit.h"

static double
eval_with(const char *text, const double *vals, const bool *pres, bool *present)
{
	MMFormula	f;
	int			pos;
	const char *msg;
	double		stack[MM_FORMULA_MAX_NODES];
	bool		sp[MM_FORMULA_MAX_NODES];
	double		out = -999;

	if (mm_formula_parse(text, &f, &pos, &msg) != MM_OK)
		return -12345;
	mm_formula_eval(&f, vals, pres, stack, sp, &out, present);
	return out;
}

static int
error_pos(const char *text)
{
	MMFormula	f;
	int			pos = -1;
	const char *msg = NULL;

	if (mm_formula_parse(text, &f, &pos, &msg) == MM_OK)
		return -1;
	return pos;
}

void
test_formula(void)
{
	double		v[3] = {10, 4, 0};
	bool		p[3] = {true, true, true};
	bool		present;
	MMFormula	f;
	int			pos;
	const char *msg;

	UNIT_NEAR(eval_with("[a] / [b]", v, p, &present), 2.5, 0, "formula: [a]/[b] = 2.5");
	UNIT_NEAR(eval_with("1 + 2 * 3", v, p, &present), 7, 0, "formula: precedence 1+2*3 = 7");
	UNIT_NEAR(eval_with("(1 + 2) * 3", v, p, &present), 9, 0, "formula: parentheses (1+2)*3 = 9");
	UNIT_NEAR(eval_with("10 - 4 - 3", v, p, &present), 3, 0, "formula: left associative subtraction");
	UNIT_NEAR(eval_with("-[a] * -2.5e1", v, p, &present), 250, 0, "formula: unary minus and exponent");
	UNIT_NEAR(eval_with("100 / 10 / 5", v, p, &present), 2, 0, "formula: left associative division");
	eval_with("[a] / ([b] - 4)", v, p, &present);
	UNIT_OK(!present, "formula: division by zero has no value");
	p[1] = false;
	eval_with("[a] + [b]", v, p, &present);
	UNIT_OK(!present, "formula: missing reference has no value");

	UNIT_OK(mm_formula_parse("[orders]/[impressions]", &f, &pos, &msg) == MM_OK && f.n == 3
			&& f.nodes[0].op == MM_F_REF && f.nodes[0].name_start == 1 && f.nodes[0].name_len == 6
			&& f.nodes[2].op == MM_F_DIV, "formula: postfix nodes of [orders]/[impressions]");
	UNIT_OK(error_pos("") == 0, "formula: empty is an error at 0");
	UNIT_OK(error_pos("[a] +") == 5, "formula: dangling operator at 5");
	UNIT_OK(error_pos("([a] + 1") == 0, "formula: unclosed parenthesis at its position");
	UNIT_OK(error_pos("[a] + 1)") == 7, "formula: extra closing parenthesis at 7");
	UNIT_OK(error_pos("[a] [b]") == 4, "formula: missing operator at 4");
	UNIT_OK(error_pos("[a b]") == 2, "formula: unclosed field name at 2");
	UNIT_OK(error_pos("[1a]") == 1, "formula: field name must start with a letter");
	UNIT_OK(error_pos("2 ^ 3") == 2, "formula: unknown operator at 2");
	UNIT_OK(error_pos("1.2.3") == 3, "formula: second decimal point is an operator error");
	UNIT_OK(error_pos("1e") == 0, "formula: bad exponent");
	UNIT_OK(error_pos("abc") == 0, "formula: bare word rejected");
	{
		char		deep[200];

		memset(deep, '(', 100);
		strcpy(deep + 100, "1");
		UNIT_OK(error_pos(deep) >= 0, "formula: deep nesting rejected, no overflow");
	}
}
