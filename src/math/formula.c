/*
 * formula.c: parser and evaluator of derived-field formulas (see formula.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "math/formula.h"

#define MAX_DEPTH 64

typedef struct Parser
{
	const char *text;
	int			pos;
	int			depth;
	MMFormula  *f;
	int			err_pos;
	const char *err_msg;
} Parser;

static bool parse_expr(Parser *p);

static void
skip_space(Parser *p)
{
	while (p->text[p->pos] != '\0' && isspace((unsigned char) p->text[p->pos]))
		p->pos++;
}

static bool
fail(Parser *p, int pos, const char *msg)
{
	if (p->err_msg == NULL)
	{
		p->err_pos = pos;
		p->err_msg = msg;
	}
	return false;
}

static bool
emit(Parser *p, MMFormulaNode node)
{
	if (p->f->n >= MM_FORMULA_MAX_NODES)
		return fail(p, p->pos, "formula is too long");
	p->f->nodes[p->f->n++] = node;
	return true;
}

static bool
parse_primary(Parser *p)
{
	MMFormulaNode node = {0};
	char		c;

	skip_space(p);
	c = p->text[p->pos];
	if (c == '(')
	{
		int			open = p->pos;

		if (++p->depth > MAX_DEPTH)
			return fail(p, p->pos, "parentheses nested too deeply");
		p->pos++;
		if (!parse_expr(p))
			return false;
		skip_space(p);
		if (p->text[p->pos] != ')')
			return fail(p, p->text[p->pos] ? p->pos : open, "unbalanced parenthesis");
		p->pos++;
		p->depth--;
		return true;
	}
	if (c == '[')
	{
		int			start = p->pos + 1;
		int			i = start;

		if (!(isalpha((unsigned char) p->text[i]) || p->text[i] == '_'))
			return fail(p, i, "field name expected after \"[\"");
		while (isalnum((unsigned char) p->text[i]) || p->text[i] == '_')
			i++;
		if (p->text[i] != ']')
			return fail(p, i, "\"]\" expected after field name");
		if (i - start > MM_FORMULA_MAX_NAME)
			return fail(p, start, "field name is too long");
		node.op = MM_F_REF;
		node.name_start = start;
		node.name_len = i - start;
		p->pos = i + 1;
		return emit(p, node);
	}
	if (isdigit((unsigned char) c) || c == '.')
	{
		char	   *end;
		double		v;
		int			i = p->pos;

		/* digits [. digits] [e [+-] digits]; no hex, inf or nan */
		while (isdigit((unsigned char) p->text[i]))
			i++;
		if (p->text[i] == '.')
			i++;
		while (isdigit((unsigned char) p->text[i]))
			i++;
		if (i == p->pos + 1 && c == '.')
			return fail(p, p->pos, "invalid number");
		if (p->text[i] == 'e' || p->text[i] == 'E')
		{
			int			j = i + 1;

			if (p->text[j] == '+' || p->text[j] == '-')
				j++;
			if (!isdigit((unsigned char) p->text[j]))
				return fail(p, p->pos, "invalid number");
			while (isdigit((unsigned char) p->text[j]))
				j++;
			i = j;
		}
		v = strtod(p->text + p->pos, &end);
		if (end != p->text + i || !isfinite(v))
			return fail(p, p->pos, "invalid number");
		node.op = MM_F_NUM;
		node.value = v;
		p->pos = i;
		return emit(p, node);
	}
	if (c == '\0')
		return fail(p, p->pos, "unexpected end of formula");
	return fail(p, p->pos, "number, [field] or \"(\" expected");
}

static bool
parse_unary(Parser *p)
{
	skip_space(p);
	if (p->text[p->pos] == '-' || p->text[p->pos] == '+')
	{
		bool		neg = p->text[p->pos] == '-';
		MMFormulaNode node = {0};

		if (++p->depth > MAX_DEPTH)
			return fail(p, p->pos, "formula nested too deeply");
		p->pos++;
		if (!parse_unary(p))
			return false;
		p->depth--;
		if (!neg)
			return true;
		node.op = MM_F_NEG;
		return emit(p, node);
	}
	return parse_primary(p);
}

/*
 * A left-associative chain of binary operators at one precedence level:
 * level 0 is + and -, level 1 is * and / (operands: unary expressions).
 */
static bool
parse_binary(Parser *p, int level)
{
	static const char ops[2][2] = {{'+', '-'}, {'*', '/'}};
	static const MMFormulaOp codes[2][2] = {{MM_F_ADD, MM_F_SUB}, {MM_F_MUL, MM_F_DIV}};

	if (!(level == 0 ? parse_binary(p, 1) : parse_unary(p)))
		return false;
	for (;;)
	{
		MMFormulaNode node = {0};
		char		c;

		skip_space(p);
		c = p->text[p->pos];
		if (c != ops[level][0] && c != ops[level][1])
			return true;
		p->pos++;
		if (!(level == 0 ? parse_binary(p, 1) : parse_unary(p)))
			return false;
		node.op = codes[level][c == ops[level][0] ? 0 : 1];
		if (!emit(p, node))
			return false;
	}
}

static bool
parse_expr(Parser *p)
{
	return parse_binary(p, 0);
}

MMStatus
mm_formula_parse(const char *text, MMFormula *f, int *err_pos, const char **err_msg)
{
	Parser		p = {text, 0, 0, f, 0, NULL};

	f->n = 0;
	skip_space(&p);
	if (text[p.pos] == '\0')
		fail(&p, 0, "formula is empty");
	else if (parse_expr(&p))
	{
		skip_space(&p);
		if (text[p.pos] == ')')
			fail(&p, p.pos, "unbalanced parenthesis");
		else if (text[p.pos] != '\0')
			fail(&p, p.pos, "operator expected");
	}
	if (p.err_msg != NULL)
	{
		*err_pos = p.err_pos;
		*err_msg = p.err_msg;
		return MM_EDOM;
	}
	return MM_OK;
}

MMStatus
mm_formula_eval(const MMFormula *f, const double *values, const bool *present,
				double *stack, bool *stack_present, double *out, bool *out_present)
{
	int			top = 0;
	int			ref = 0;

	for (int i = 0; i < f->n; i++)
	{
		const MMFormulaNode *node = &f->nodes[i];
		double		a,
					b;
		bool		ok;

		switch (node->op)
		{
			case MM_F_NUM:
				stack[top] = node->value;
				stack_present[top++] = true;
				continue;
			case MM_F_REF:
				stack[top] = values[ref];
				stack_present[top++] = present[ref++];
				continue;
			case MM_F_NEG:
				stack[top - 1] = -stack[top - 1];
				continue;
			default:
				break;
		}
		b = stack[--top];
		a = stack[top - 1];
		ok = stack_present[top - 1] && stack_present[top];
		switch (node->op)
		{
			case MM_F_ADD:
				a = a + b;
				break;
			case MM_F_SUB:
				a = a - b;
				break;
			case MM_F_MUL:
				a = a * b;
				break;
			default:
				if (b == 0.0)
					ok = false;
				else
					a = a / b;
				break;
		}
		stack[top - 1] = ok ? a : 0.0;
		stack_present[top - 1] = ok;
	}
	*out = stack[0];
	*out_present = stack_present[0];
	if (*out_present && !isfinite(*out))
		return MM_EOVRFLW;
	return MM_OK;
}
