/* Personalize filter expressions: parser, compiled form, parameter binding
 * and evaluation (aws-surface B8). Storage-independent: the evaluator reads
 * item, user and interaction data only through tsrec__filter_callbacks, so
 * the campaign layer decides where the data lives.
 *
 * Grammar accepted (keywords and dataset names case-sensitive, as the AWS
 * documentation writes them):
 *   filter := expr ( "|" expr )*
 *   expr   := (INCLUDE|EXCLUDE) (ItemID|UserID) WHERE or_cond [IF if_cond]
 *   or_cond := and_cond ( OR and_cond )*      AND binds tighter than OR
 *   and_cond := term ( AND term )*
 *   term   := "(" or_cond ")" | DATASET "." FIELD pred
 *   pred   := [NOT] IN ( "(" vlist ")" | CurrentItem "." FIELD )
 *           | cmp ( number | $PARAM | CurrentItem "." FIELD )
 *   vlist  := "(" $PARAM ")" | value ( "," value )*   value := "str" | number | *
 *   cmp    := = | != | < | <= | > | >=
 *   if_cond := CurrentUser "." FIELD pred ( AND CurrentUser "." FIELD pred )*
 * Strings take the escapes \" and \\ only. Limits (AWS CreateFilter and
 * filter guidelines): 1..2500 characters, at most 10 distinct dataset
 * fields per filter. Parentheses for grouping conditions are accepted as an
 * extension: the AWS documentation neither shows nor forbids them. */
#ifndef TSREC_FILTER_INTERNAL_H
#define TSREC_FILTER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"

#define TSREC__FILTER_MAX_CHARS 2500
#define TSREC__FILTER_MAX_FIELDS 10
/* GetRecommendations filterValues: at most 25 entries, keys up to 50
 * characters, values up to 1000 characters. */
#define TSREC__FILTER_MAX_VALUES 25
#define TSREC__FILTER_MAX_KEY_CHARS 50
#define TSREC__FILTER_MAX_VALUE_CHARS 1000

/* What the filter selects: items (ItemID) or users (UserID). */
enum { TSREC__FILTER_ITEMS = 0, TSREC__FILTER_USERS = 1 };

/* Datasets a field belongs to. CurrentUser fields are Users fields of the
 * requesting user; CurrentItem fields are Items fields of the request item. */
enum {
    TSREC__FDS_ITEMS = 0,
    TSREC__FDS_INTERACTIONS = 1,
    TSREC__FDS_USERS = 2
};

enum { TSREC__FEXPR_INCLUDE = 0, TSREC__FEXPR_EXCLUDE = 1 };

enum { TSREC__FNODE_AND = 0, TSREC__FNODE_OR = 1, TSREC__FNODE_COND = 2 };

enum {
    TSREC__FOP_IN = 0,
    TSREC__FOP_NOT_IN,
    TSREC__FOP_EQ,
    TSREC__FOP_NE,
    TSREC__FOP_LT,
    TSREC__FOP_LE,
    TSREC__FOP_GT,
    TSREC__FOP_GE
};

/* Right-hand side of a condition. */
enum {
    TSREC__FRHS_LIST = 0,        /* literal values vals[first .. first+count) */
    TSREC__FRHS_PARAM = 1,       /* $PARAM, bound per request */
    TSREC__FRHS_CURRENT_ITEM = 2 /* CurrentItem.FIELD */
};

enum { TSREC__FVAL_STRING = 0, TSREC__FVAL_NUMBER = 1, TSREC__FVAL_STAR = 2 };

/* A literal or bound value. `str` is the unescaped string, or the source
 * text of a number (so Items.YEAR IN (1999) matches the string "1999");
 * has_num says whether `num` holds its numeric value. */
typedef struct tsrec__filter_val {
    int32_t kind;
    int32_t has_num;
    double num;
    const char *str; /* not NUL-terminated */
    size_t len;
} tsrec__filter_val;

typedef struct tsrec__filter_node {
    int32_t kind;    /* TSREC__FNODE_* */
    int32_t op;      /* COND: TSREC__FOP_* */
    int32_t dataset; /* COND: TSREC__FDS_* of the left-hand field */
    int32_t field;   /* COND: index into the field table */
    int32_t rhs;     /* COND: TSREC__FRHS_* */
    int32_t rhs_index; /* LIST: first value; PARAM: param; CURRENT_ITEM: field */
    int32_t rhs_count; /* LIST: number of values */
    int32_t left, right; /* AND/OR: child nodes */
    int32_t pos;     /* 1-based position in the text, for messages */
} tsrec__filter_node;

typedef struct tsrec__filter_expr {
    int32_t kind;    /* TSREC__FEXPR_* */
    int32_t dataset; /* dataset of the WHERE conditions */
    int32_t root;    /* WHERE tree */
    int32_t if_root; /* IF tree over CurrentUser fields, -1 if none */
} tsrec__filter_expr;

typedef struct tsrec__filter_field {
    int32_t dataset; /* Items or Users for CurrentItem / CurrentUser */
    char *name;
} tsrec__filter_field;

typedef struct tsrec__filter_param {
    char *name;           /* without the '$' */
    int32_t in_include;   /* used by an INCLUDE expression: required */
    int32_t in_exclude;   /* used by an EXCLUDE expression */
    int32_t numeric;      /* used in a comparison: must bind to one number */
} tsrec__filter_param;

/* A compiled filter. Immutable after tsrec__filter_compile, so many threads
 * may evaluate it at once. */
typedef struct tsrec__filter {
    tsrec_ctx *ctx;
    int32_t target; /* TSREC__FILTER_ITEMS or _USERS */
    int32_t uses_current_item;
    int32_t uses_current_user;   /* IF clauses */
    int32_t uses_interactions;
    int64_t n_nodes, n_exprs, n_fields, n_params, n_vals;
    tsrec__filter_node *nodes;
    tsrec__filter_expr *exprs;
    tsrec__filter_field *fields;
    tsrec__filter_param *params;
    tsrec__filter_val *vals;
    char *text; /* unescaped string storage the vals point into */
} tsrec__filter;

/* Parse and check `expr` (NUL-terminated). Syntax errors give TSREC_E_PARSE
 * with the 1-based character position and what was expected; rule
 * violations give TSREC_E_INVALID_ARG naming the rule (ActionID filters:
 * TSREC_E_UNSUPPORTED). out_err_pos (may be NULL) receives the 1-based
 * position of the offending token on failure, 0 when none applies. */
int tsrec__filter_compile(tsrec_ctx *ctx, tsrec__handle *eh, const char *expr,
                          tsrec__filter **out, int64_t *out_err_pos);
void tsrec__filter_free(tsrec__filter *f); /* NULL is a no-op */

/* Index of a field in the table (dataset as stored: CurrentItem fields are
 * Items, CurrentUser fields Users), or -1. */
int32_t tsrec__filter_find_field(const tsrec__filter *f, int32_t dataset, const char *name);

/* ---- binding: the request's filterValues -------------------------------- */

typedef struct tsrec__filter_binding {
    tsrec_ctx *ctx;
    int64_t n_params, n_exprs;
    int32_t *bound;       /* per param: 1 if a value was supplied */
    int64_t *first;       /* per param: first value in vals */
    int64_t *count;       /* per param: number of values */
    int32_t *expr_active; /* per expression: 0 when an EXCLUDE lost a param */
    tsrec__filter_val *vals;
    char *text;
} tsrec__filter_binding;

/* Bind filterValues (keys without '$', case-sensitive; values as AWS takes
 * them: `"comedy","drama"` or `10`). Keys the filter does not use are
 * ignored. A missing parameter of an INCLUDE expression is
 * TSREC_E_INVALID_ARG naming it; an EXCLUDE expression with a missing
 * parameter is disabled, as AWS does. n may be 0 (keys/values NULL). */
int tsrec__filter_bind(const tsrec__filter *f, tsrec__handle *eh, const char *const *keys,
                       const char *const *values, int64_t n, tsrec__filter_binding **out);
void tsrec__filter_binding_free(tsrec__filter_binding *b); /* NULL is a no-op */

/* ---- evaluation --------------------------------------------------------- */

/* A field value handed back by a callback. STRING values are the raw
 * stored text: the evaluator splits multi-valued categoricals at '|' and a
 * condition matches if any part matches. */
enum { TSREC__FFV_MISSING = 0, TSREC__FFV_STRING = 1, TSREC__FFV_NUMBER = 2 };
typedef struct tsrec__filter_fieldval {
    int32_t kind;
    double num;
    const char *str;
    size_t len;
} tsrec__filter_fieldval;

/* Set of event types of an Interactions.EVENT_TYPE condition. Test it with
 * tsrec__filter_event_set_has (case-insensitive, '*' and NOT IN handled). */
typedef struct tsrec__filter_event_set {
    const tsrec__filter_val *vals;
    int64_t n;
    int32_t negate; /* NOT IN: event types outside the list */
} tsrec__filter_event_set;

int tsrec__filter_event_set_has(const tsrec__filter_event_set *set, const char *type,
                                size_t len);

/* Data access. Each callback fills *out (MISSING when the entity or value
 * is unknown); `field` indexes f->fields. user_interacted returns 1 if the
 * user has an interaction with `item` (item < 0: with any item, used by
 * UserID filters) whose event type is in `set`. As AWS, only the 100 most
 * recent interactions per event type of the user count: the callback owner
 * applies that cap. */
typedef struct tsrec__filter_callbacks {
    void (*item_field)(void *ud, int64_t item, int32_t field, tsrec__filter_fieldval *out);
    void (*user_field)(void *ud, int64_t user, int32_t field, tsrec__filter_fieldval *out);
    int (*user_interacted)(void *ud, int64_t user, int64_t item,
                           const tsrec__filter_event_set *set);
} tsrec__filter_callbacks;

/* One request: the requesting user (-1 if none) and, for related-items
 * requests, the current item (-1 if none; CurrentItem conditions are then
 * false). CurrentItem fields are read with item_field(current_item). */
typedef struct tsrec__filter_env {
    const tsrec__filter_callbacks *cb;
    void *ud;
    int64_t user;
    int64_t current_item;
} tsrec__filter_env;

/* 1 if the candidate (an item for ItemID filters, a user for UserID
 * filters) passes: (any active INCLUDE matches, or there is none) and no
 * active EXCLUDE matches. An expression whose IF clause is false for the
 * current user is inactive. */
int tsrec__filter_keep(const tsrec__filter *f, const tsrec__filter_binding *b,
                       const tsrec__filter_env *env, int64_t candidate);
/* Keep the passing candidates of cand[0..n) in order into out (which may
 * be cand itself); *out_n receives how many. */
void tsrec__filter_keep_batch(const tsrec__filter *f, const tsrec__filter_binding *b,
                              const tsrec__filter_env *env, const int64_t *cand, int64_t n,
                              int64_t *out, int64_t *out_n);

/* ---- lexer (filter_lex.c) ---------------------------------------------- */

enum {
    TSREC__FTOK_END = 0,
    TSREC__FTOK_IDENT,  /* [A-Za-z_][A-Za-z0-9_]* */
    TSREC__FTOK_STRING, /* "..." (raw, quotes included) */
    TSREC__FTOK_NUMBER,
    TSREC__FTOK_PARAM,  /* $NAME (text without the '$') */
    TSREC__FTOK_LPAREN,
    TSREC__FTOK_RPAREN,
    TSREC__FTOK_COMMA,
    TSREC__FTOK_DOT,
    TSREC__FTOK_PIPE,
    TSREC__FTOK_STAR,
    TSREC__FTOK_EQ,
    TSREC__FTOK_NE,
    TSREC__FTOK_LT,
    TSREC__FTOK_LE,
    TSREC__FTOK_GT,
    TSREC__FTOK_GE,
    TSREC__FTOK_ERROR   /* `err` says why */
};

typedef struct tsrec__filter_token {
    int32_t kind;
    size_t start, len; /* byte span in the text */
    double num;        /* NUMBER */
    const char *err;   /* ERROR */
} tsrec__filter_token;

/* Next token at or after byte offset *pos; advances *pos past it. */
void tsrec__filter_lex(const char *text, size_t text_len, size_t *pos, tsrec__filter_token *out);
/* Unescape a STRING token's raw text (quotes included) into dst, which has
 * room for raw_len bytes; returns the unescaped length. */
size_t tsrec__filter_unescape(const char *raw, size_t raw_len, char *dst);

#endif /* TSREC_FILTER_INTERNAL_H */
