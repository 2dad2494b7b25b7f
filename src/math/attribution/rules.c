/*
 * rules.c: rule-based attribution weights (formulas.md §6.2).
 */
#include <math.h>
#include <string.h>

#include "math/attribution/rules.h"

const char *const mm_attr_rule_names[MM_ATTR_RULES] = {
	"first_touch", "last_touch", "same_touch", "linear", "participation",
	"u_shaped", "j_curve", "inverse_j", "custom", "time_decay"
};

bool
mm_attr_rule_parse(const char *s, MMAttrRule *rule)
{
	for (int i = 0; i < MM_ATTR_RULES; i++)
		if (strcmp(s, mm_attr_rule_names[i]) == 0)
		{
			*rule = (MMAttrRule) i;
			return true;
		}
	return false;
}

MMStatus
mm_attr_position_weights(double f, double m, double l, int n, double *w)
{
	double		s;

	if (n < 1 || !(f >= 0.0) || !(m >= 0.0) || !(l >= 0.0) ||
		!isfinite(f) || !isfinite(m) || !isfinite(l) || !(f + m + l > 0.0))
		return MM_EDOM;
	if (n == 1)
	{
		w[0] = 1.0;
		return MM_OK;
	}
	if (n == 2)
	{
		/* the middle weight has no touch to go to */
		if (f + l > 0.0)
		{
			w[0] = f / (f + l);
			w[1] = l / (f + l);
		}
		else
			w[0] = w[1] = 0.5;
		return MM_OK;
	}
	s = f + m + l;
	w[0] = f / s;
	for (int i = 1; i < n - 1; i++)
		w[i] = m / (double) (n - 2) / s;
	w[n - 1] = l / s;
	return MM_OK;
}

MMStatus
mm_attr_rule_weights(MMAttrRule rule, int n, const MMAttrRuleParams *p,
					 const double *lag, const int *token, const bool *same, double *w)
{
	if (n < 1)
		return MM_EDOM;
	switch (rule)
	{
		case MM_ATTR_FIRST_TOUCH:
		case MM_ATTR_LAST_TOUCH:
			for (int i = 0; i < n; i++)
				w[i] = 0.0;
			w[rule == MM_ATTR_FIRST_TOUCH ? 0 : n - 1] = 1.0;
			return MM_OK;
		case MM_ATTR_SAME_TOUCH:
			{
				int			k = 0;

				for (int i = 0; i < n; i++)
					k += same != NULL && same[i];
				for (int i = 0; i < n; i++)
					w[i] = (k > 0 && same[i]) ? 1.0 / k : 0.0;
				return MM_OK;
			}
		case MM_ATTR_LINEAR:
			for (int i = 0; i < n; i++)
				w[i] = 1.0 / n;
			return MM_OK;
		case MM_ATTR_PARTICIPATION:
			for (int i = 0; i < n; i++)
			{
				int			m = 0;

				if (token == NULL)
				{
					w[i] = 1.0;
					continue;
				}
				for (int j = 0; j < n; j++)
					m += token[j] == token[i];
				w[i] = 1.0 / m;
			}
			return MM_OK;
		case MM_ATTR_U_SHAPED:
			return mm_attr_position_weights(40.0, 20.0, 40.0, n, w);
		case MM_ATTR_J_CURVE:
			return mm_attr_position_weights(20.0, 20.0, 60.0, n, w);
		case MM_ATTR_INVERSE_J:
			return mm_attr_position_weights(60.0, 20.0, 20.0, n, w);
		case MM_ATTR_CUSTOM:
			if (p == NULL)
				return MM_EDOM;
			return mm_attr_position_weights(p->first, p->middle, p->last, n, w);
		case MM_ATTR_TIME_DECAY:
			{
				double		s = 0.0,
							lmin = INFINITY;

				if (p == NULL || lag == NULL || !(p->half_life > 0.0) || !isfinite(p->half_life))
					return MM_EDOM;
				for (int i = 0; i < n; i++)
				{
					if (!(lag[i] >= 0.0) || !isfinite(lag[i]))
						return MM_EDOM;
					lmin = fmin(lmin, lag[i]);
				}
				/* relative to the latest touch, so long lags cannot underflow to 0/0 */
				for (int i = 0; i < n; i++)
				{
					w[i] = exp2(-(lag[i] - lmin) / p->half_life);
					s += w[i];
				}
				for (int i = 0; i < n; i++)
					w[i] /= s;
				return MM_OK;
			}
	}
	return MM_EDOM;
}
