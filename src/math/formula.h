/*
 * formula.h: arithmetic formulas of derived harmonized fields.
 *
 * Grammar (Adobe Mix Modeler's derived fields: + - * / and parentheses over
 * metrics, harmonize-data/fields):
 *
 *     expr   := term  (('+' | '-') term)*
 *     term   := unary (('*' | '/') unary)*
 *     unary  := ('-' | '+') unary | primary
 *     primary:= NUMBER | '[' name ']' | '(' expr ')'
 *
 * Names are field names: a letter or '_' then letters, digits or '_'.  Spaces
 * are allowed between tokens.  The parser fills a caller-owned node array in
 * postfix order, so evaluation is one pass with a small stack; it allocates
 * nothing.  Division by zero evaluates to "no value" (NULL in SQL).
 */
#ifndef MM_FORMULA_H
#define MM_FORMULA_H

#include <stdbool.h>

#include "math/mm_status.h"

#define MM_FORMULA_MAX_NODES 256
#define MM_FORMULA_MAX_NAME 63

typedef enum MMFormulaOp
{
	MM_F_NUM,					/* numeric constant */
	MM_F_REF,					/* [field] reference */
	MM_F_ADD,
	MM_F_SUB,
	MM_F_MUL,
	MM_F_DIV,
	MM_F_NEG
} MMFormulaOp;

typedef struct MMFormulaNode
{
	MMFormulaOp op;
	double		value;			/* MM_F_NUM */
	int			name_start;		/* MM_F_REF: offset of the name in the text */
	int			name_len;		/* MM_F_REF: length of the name */
} MMFormulaNode;

typedef struct MMFormula
{
	int			n;				/* nodes used, in postfix order */
	MMFormulaNode nodes[MM_FORMULA_MAX_NODES];
} MMFormula;

/*
 * Parse text into f.  On a syntax error returns MM_EDOM, sets *err_pos to the
 * 0-based character offset of the offending token and *err_msg to a short
 * lower-case description (a static string).
 */
extern MMStatus mm_formula_parse(const char *text, MMFormula *f,
								 int *err_pos, const char **err_msg);

/*
 * Evaluate f with values[i] the value of the i-th MM_F_REF node in postfix
 * order (present[i] false = no value).  *out_present is false when a
 * referenced value is missing or a division by zero occurs.  stack must hold
 * f->n doubles.  MM_EOVRFLW when the result is not finite.
 */
extern MMStatus mm_formula_eval(const MMFormula *f, const double *values,
								const bool *present, double *stack,
								bool *stack_present, double *out, bool *out_present);

#endif
