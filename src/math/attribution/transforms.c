/*
 * transforms.c: path transforms (formulas.md §6.5).
 */
#include <stddef.h>
#include <string.h>

#include "math/attribution/transforms.h"

const char *const mm_path_transform_names[MM_PATH_TRANSFORMS] = {
	"unique", "exposure", "first", "frequency", "remove_if_not_all",
	"remove_if_last_and_not_all", "trim_long_path"
};

bool
mm_path_transform_parse(const char *s, MMPathTransform *t)
{
	for (int i = 0; i < MM_PATH_TRANSFORMS; i++)
		if (strcmp(s, mm_path_transform_names[i]) == 0)
		{
			*t = (MMPathTransform) i;
			return true;
		}
	return false;
}

bool
mm_path_transform_takes_channel(MMPathTransform t)
{
	return t == MM_PT_REMOVE_IF_NOT_ALL || t == MM_PT_REMOVE_IF_LAST_AND_NOT_ALL;
}

bool
mm_path_transform_takes_number(MMPathTransform t)
{
	return t == MM_PT_TRIM_LONG_PATH;
}

int
mm_path_transform(MMPathTransform t, int channel, int number,
				  int *tok, int n, int *count, bool *keep)
{
	int			m = 0;
	bool		all_x = true;
	int			last_other = -1;

	if (n < 0 || (t == MM_PT_FREQUENCY && count == NULL) ||
		(t == MM_PT_TRIM_LONG_PATH && number < 1))
		return -1;
	for (int i = 0; i < n; i++)
	{
		all_x &= tok[i] == channel;
		if (tok[i] != channel)
			last_other = i;
	}
	for (int i = 0; i < n; i++)
	{
		bool		k = true;

		switch (t)
		{
			case MM_PT_UNIQUE:
				break;
			case MM_PT_EXPOSURE:
				k = i == 0 || tok[i] != tok[i - 1];
				break;
			case MM_PT_FIRST:
			case MM_PT_FREQUENCY:
				for (int j = 0; j < i && k; j++)
					k = tok[j] != tok[i];
				break;
			case MM_PT_REMOVE_IF_NOT_ALL:
				k = all_x || tok[i] != channel;
				break;
			case MM_PT_REMOVE_IF_LAST_AND_NOT_ALL:
				k = all_x || i <= last_other;
				break;
			case MM_PT_TRIM_LONG_PATH:
				k = i >= n - number;
				break;
		}
		if (keep)
			keep[i] = k;
		if (!k)
		{
			if (t == MM_PT_FREQUENCY)
				for (int j = 0; j < m; j++)
					if (tok[j] == tok[i])
						count[j]++;
			continue;
		}
		if (count)
			count[m] = 1;
		tok[m++] = tok[i];
	}
	return m;
}
