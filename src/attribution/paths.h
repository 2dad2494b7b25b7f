/*
 * paths.h: path tables shaped like ChannelAttribution's (path 'a > b > c',
 * conversions, value, non-conversions), read row by row through SPI, and the
 * dictionary that numbers their channels.
 */
#ifndef MM_ATTR_PATHS_H
#define MM_ATTR_PATHS_H

#include "postgres.h"

#include "utils/hsearch.h"

/* Longest channel name in a path, in bytes. */
#define ATTR_TOKEN_MAX 255

/* Channel names numbered 0 .. n-1 in order of first appearance. */
typedef struct AttrTokens
{
	HTAB	   *hash;
	MemoryContext cxt;			/* where names live (the caller's, not SPI's) */
	int			n;
	int			cap;
	char	  **names;
} AttrTokens;

extern void attr_tokens_init(AttrTokens *t);
extern int	attr_token_id(AttrTokens *t, const char *s, int len);

/*
 * Split path on separator into token ids (trimmed of white space); returns
 * their number.  *tok is grown as needed (palloc'd, *cap elements).  Errors:
 * an empty channel or separator (22023), a channel name too long (22023).
 */
extern int	attr_split_path(AttrTokens *t, const char *path, const char *separator,
							int **tok, int *cap);

/* One row of a path table. */
typedef void (*AttrPathRowFn) (void *arg, const char *path, int ntok, const int *tok,
							   double conversions, double value, double nulls);

/*
 * Read every row of source: the path column (any type, read as text), the
 * conversions column and, when named, the value and null columns (numeric
 * types, read as float8).  Unnamed value/null columns read as 0.  Errors:
 * unknown relation (42P01) or column (42703), a non-numeric count column
 * (42804), NULL paths or counts (22004), negative or non-finite counts
 * (22023).  Calls fn for every row, in no particular order.
 */
extern void attr_read_paths(Oid relid, const char *path_col, const char *conv_col,
							const char *value_col, const char *null_col,
							const char *separator, AttrTokens *tokens,
							AttrPathRowFn fn, void *arg);

/* Fetch an optional name argument (NULL when SQL NULL). */
extern char *attr_name_arg(FunctionCallInfo fcinfo, int argno);

#endif
