/* Recursive-descent parser for Personalize filter expressions: checks the
 * AWS rules while parsing (so each message can name a position) and builds
 * the flattened node array, the field table, the parameter table and the
 * literal values of a tsrec__filter. */
#include <string.h>

#include "filter_internal.h"

#define MAX_DEPTH 32 /* nesting of parentheses */

typedef struct parser {
    tsrec_ctx *ctx;
    tsrec__handle *eh;
    const char *t;
    size_t n;
    size_t pos;             /* lexer offset after `tok` */
    tsrec__filter_token tok;
    tsrec__filter *f;
    int64_t cap_nodes, cap_exprs, cap_fields, cap_params, cap_vals;
    size_t text_used;
    int64_t err_pos;
    /* current expression */
    int32_t expr_kind;
    int32_t expr_dataset; /* -1 until the first condition */
    int depth;
} parser;

static int64_t tok_pos(const parser *p)
{
    return (int64_t)p->tok.start + 1;
}

static void advance(parser *p)
{
    tsrec__filter_lex(p->t, p->n, &p->pos, &p->tok);
}

static int is_word(const parser *p, const char *w)
{
    size_t l = strlen(w);
    return p->tok.kind == TSREC__FTOK_IDENT && p->tok.len == l &&
           memcmp(p->t + p->tok.start, w, l) == 0;
}

/* Keywords cannot be field names, so "Items. IN (...)" reports the
 * missing field instead of a field called IN. */
static int is_keyword(const parser *p)
{
    static const char *const kw[] = {"INCLUDE", "EXCLUDE", "WHERE", "AND", "OR",
                                     "NOT",     "IN",      "IF"};
    for (size_t i = 0; i < TSREC__ARRAY_LEN(kw); i++)
        if (is_word(p, kw[i]))
            return 1;
    return 0;
}

/* Syntax error at the current token. A lexer error reports its own cause. */
static int expected(parser *p, const char *what)
{
    p->err_pos = tok_pos(p);
    if (p->tok.kind == TSREC__FTOK_ERROR)
        return tsrec__fail(p->eh, TSREC_E_PARSE, "filter expression: %s at position %lld",
                           p->tok.err, (long long)p->err_pos);
    if (p->tok.kind == TSREC__FTOK_END)
        return tsrec__fail(p->eh, TSREC_E_PARSE,
                           "filter expression: expected %s at position %lld (end of text)", what,
                           (long long)p->err_pos);
    int len = (int)TSREC__MIN(p->tok.len, (size_t)40);
    return tsrec__fail(p->eh, TSREC_E_PARSE,
                       "filter expression: expected %s at position %lld (found '%.*s')", what,
                       (long long)p->err_pos, len, p->t + p->tok.start);
}

/* Rule violation at a position. */
static int rule(parser *p, int64_t pos, const char *why)
{
    p->err_pos = pos;
    return tsrec__fail(p->eh, TSREC_E_INVALID_ARG, "filter expression: %s (at position %lld)",
                       why, (long long)pos);
}

static int nomem(parser *p)
{
    p->err_pos = 0;
    return tsrec__fail(p->eh, TSREC_E_NOMEM, "filter expression: out of memory");
}

/* Make room for one more element in a growable array. */
static int grow(parser *p, void **arr, int64_t *cap, int64_t used, size_t elem)
{
    if (used < *cap)
        return TSREC_OK;
    int64_t nc = *cap ? *cap * 2 : 8;
    void *na = tsrec__realloc(p->ctx, *arr, (size_t)nc * elem);
    if (!na)
        return nomem(p);
    *arr = na;
    *cap = nc;
    return TSREC_OK;
}

static int new_node(parser *p, int32_t kind, int32_t *out)
{
    tsrec__filter *f = p->f;
    if (grow(p, (void **)&f->nodes, &p->cap_nodes, f->n_nodes, sizeof *f->nodes) != TSREC_OK)
        return TSREC_E_NOMEM;
    tsrec__filter_node *nd = &f->nodes[f->n_nodes];
    memset(nd, 0, sizeof *nd);
    nd->kind = kind;
    nd->left = nd->right = -1;
    nd->pos = (int32_t)tok_pos(p);
    *out = (int32_t)f->n_nodes++;
    return TSREC_OK;
}

static char *copy_span(parser *p, size_t start, size_t len)
{
    char *s = tsrec__alloc(p->ctx, len + 1);
    if (s) {
        memcpy(s, p->t + start, len);
        s[len] = '\0';
    }
    return s;
}

/* Field table entry for dataset.NAME (the current IDENT token); enforces
 * the limit on distinct fields. */
static int intern_field(parser *p, int32_t dataset, int32_t *out)
{
    tsrec__filter *f = p->f;
    const char *name = p->t + p->tok.start;
    for (int64_t i = 0; i < f->n_fields; i++) {
        if (f->fields[i].dataset == dataset && strlen(f->fields[i].name) == p->tok.len &&
            memcmp(f->fields[i].name, name, p->tok.len) == 0) {
            *out = (int32_t)i;
            return TSREC_OK;
        }
    }
    if (f->n_fields >= TSREC__FILTER_MAX_FIELDS)
        return rule(p, tok_pos(p),
                    "a filter may use at most 10 distinct dataset fields");
    if (grow(p, (void **)&f->fields, &p->cap_fields, f->n_fields, sizeof *f->fields) != TSREC_OK)
        return TSREC_E_NOMEM;
    char *s = copy_span(p, p->tok.start, p->tok.len);
    if (!s)
        return nomem(p);
    f->fields[f->n_fields].dataset = dataset;
    f->fields[f->n_fields].name = s;
    *out = (int32_t)f->n_fields++;
    return TSREC_OK;
}

/* Parameter table entry for the current PARAM token. */
static int intern_param(parser *p, int numeric, int32_t *out)
{
    tsrec__filter *f = p->f;
    const char *name = p->t + p->tok.start + 1;
    size_t len = p->tok.len - 1;
    int64_t i = 0;
    for (; i < f->n_params; i++)
        if (strlen(f->params[i].name) == len && memcmp(f->params[i].name, name, len) == 0)
            break;
    if (i == f->n_params) {
        if (grow(p, (void **)&f->params, &p->cap_params, f->n_params, sizeof *f->params) !=
            TSREC_OK)
            return TSREC_E_NOMEM;
        char *s = copy_span(p, p->tok.start + 1, len);
        if (!s)
            return nomem(p);
        memset(&f->params[i], 0, sizeof f->params[i]);
        f->params[i].name = s;
        f->n_params++;
    }
    if (p->expr_kind == TSREC__FEXPR_INCLUDE)
        f->params[i].in_include = 1;
    else
        f->params[i].in_exclude = 1;
    if (numeric)
        f->params[i].numeric = 1;
    *out = (int32_t)i;
    return TSREC_OK;
}

/* Append the current STRING / NUMBER / STAR token as a literal value. */
static int add_value(parser *p)
{
    tsrec__filter *f = p->f;
    if (grow(p, (void **)&f->vals, &p->cap_vals, f->n_vals, sizeof *f->vals) != TSREC_OK)
        return TSREC_E_NOMEM;
    tsrec__filter_val *v = &f->vals[f->n_vals++];
    memset(v, 0, sizeof *v);
    char *dst = f->text + p->text_used;
    if (p->tok.kind == TSREC__FTOK_STRING) {
        v->kind = TSREC__FVAL_STRING;
        v->len = tsrec__filter_unescape(p->t + p->tok.start, p->tok.len, dst);
        /* A quoted "*" is the documented way to name every event type. */
        if (v->len == 1 && dst[0] == '*')
            v->kind = TSREC__FVAL_STAR;
    } else {
        v->kind = p->tok.kind == TSREC__FTOK_STAR ? TSREC__FVAL_STAR : TSREC__FVAL_NUMBER;
        v->has_num = p->tok.kind == TSREC__FTOK_NUMBER;
        v->num = p->tok.num;
        memcpy(dst, p->t + p->tok.start, p->tok.len);
        v->len = p->tok.len;
    }
    v->str = dst; /* f->text was sized for the whole source: it never moves */
    p->text_used += v->len;
    return TSREC_OK;
}

static int is_cmp(int32_t kind)
{
    return kind >= TSREC__FTOK_EQ && kind <= TSREC__FTOK_GE;
}

static int32_t cmp_op(int32_t kind)
{
    switch (kind) {
    case TSREC__FTOK_EQ: return TSREC__FOP_EQ;
    case TSREC__FTOK_NE: return TSREC__FOP_NE;
    case TSREC__FTOK_LT: return TSREC__FOP_LT;
    case TSREC__FTOK_LE: return TSREC__FOP_LE;
    case TSREC__FTOK_GT: return TSREC__FOP_GT;
    default: return TSREC__FOP_GE;
    }
}

/* "CurrentItem" "." FIELD as a right-hand side; the current token is the
 * CurrentItem word. */
static int parse_current_item(parser *p, int in_if, tsrec__filter_node *nd)
{
    int64_t at = tok_pos(p);
    if (in_if)
        return rule(p, at, "CurrentItem cannot be used in the IF clause");
    if (p->f->target != TSREC__FILTER_ITEMS)
        return rule(p, at, "CurrentItem can only be used in ItemID filters");
    if (p->expr_dataset != TSREC__FDS_ITEMS)
        return rule(p, at, "CurrentItem can only be compared with Items fields");
    advance(p);
    if (p->tok.kind != TSREC__FTOK_DOT)
        return expected(p, "'.'");
    advance(p);
    if (p->tok.kind != TSREC__FTOK_IDENT || is_keyword(p))
        return expected(p, "a field name");
    int32_t fi;
    int rc = intern_field(p, TSREC__FDS_ITEMS, &fi);
    if (rc != TSREC_OK)
        return rc;
    nd->rhs = TSREC__FRHS_CURRENT_ITEM;
    nd->rhs_index = fi;
    p->f->uses_current_item = 1;
    advance(p);
    return TSREC_OK;
}

/* The predicate after dataset.FIELD; nd has dataset and field set. The
 * node is re-fetched by index because the node array may move. */
static int parse_pred(parser *p, int32_t ni, int in_if, int is_event_type)
{
    tsrec__filter *f = p->f;
    int rc;
    int negate = 0;
    if (is_word(p, "NOT")) {
        negate = 1;
        advance(p);
        if (!is_word(p, "IN"))
            return expected(p, "IN after NOT");
    }
    if (is_word(p, "IN")) {
        f->nodes[ni].op = negate ? TSREC__FOP_NOT_IN : TSREC__FOP_IN;
        advance(p);
        if (is_word(p, "CurrentItem"))
            return parse_current_item(p, in_if, &f->nodes[ni]);
        if (p->tok.kind != TSREC__FTOK_LPAREN)
            return expected(p, "'(' after IN");
        advance(p);
        if (is_word(p, "CurrentItem")) {
            rc = parse_current_item(p, in_if, &f->nodes[ni]);
            if (rc != TSREC_OK)
                return rc;
            if (p->tok.kind != TSREC__FTOK_RPAREN)
                return expected(p, "')'");
            advance(p);
            return TSREC_OK;
        }
        if (p->tok.kind == TSREC__FTOK_PARAM) {
            if (negate)
                return rule(p, tok_pos(p),
                            "a placeholder parameter cannot be used with NOT IN (use IN and "
                            "swap INCLUDE and EXCLUDE)");
            int32_t pi;
            if ((rc = intern_param(p, 0, &pi)) != TSREC_OK)
                return rc;
            f->nodes[ni].rhs = TSREC__FRHS_PARAM;
            f->nodes[ni].rhs_index = pi;
            advance(p);
            if (p->tok.kind == TSREC__FTOK_COMMA)
                return rule(p, tok_pos(p),
                            "a placeholder parameter must stand alone in an IN list");
            if (p->tok.kind != TSREC__FTOK_RPAREN)
                return expected(p, "')'");
            advance(p);
            return TSREC_OK;
        }
        f->nodes[ni].rhs = TSREC__FRHS_LIST;
        f->nodes[ni].rhs_index = (int32_t)f->n_vals;
        for (;;) {
            if (p->tok.kind == TSREC__FTOK_PARAM)
                return rule(p, tok_pos(p),
                            "a placeholder parameter must stand alone in an IN list");
            if (p->tok.kind != TSREC__FTOK_STRING && p->tok.kind != TSREC__FTOK_NUMBER &&
                p->tok.kind != TSREC__FTOK_STAR)
                return expected(p, "a quoted string, a number or a parameter");
            int64_t at = tok_pos(p);
            if ((rc = add_value(p)) != TSREC_OK)
                return rc;
            if (f->vals[f->n_vals - 1].kind == TSREC__FVAL_STAR && !is_event_type)
                return rule(p, at, "'*' is only allowed in Interactions.EVENT_TYPE lists");
            f->nodes[ni].rhs_count++;
            advance(p);
            if (p->tok.kind == TSREC__FTOK_RPAREN)
                break;
            if (p->tok.kind != TSREC__FTOK_COMMA)
                return expected(p, "',' or ')'");
            advance(p);
        }
        advance(p);
        return TSREC_OK;
    }
    if (negate || !is_cmp(p->tok.kind))
        return expected(p, "IN, NOT IN or a comparison");
    int64_t op_at = tok_pos(p);
    if (is_event_type)
        return rule(p, op_at, "comparisons are for numeric fields; use IN with EVENT_TYPE");
    f->nodes[ni].op = cmp_op(p->tok.kind);
    advance(p);
    if (p->tok.kind == TSREC__FTOK_NUMBER) {
        f->nodes[ni].rhs = TSREC__FRHS_LIST;
        f->nodes[ni].rhs_index = (int32_t)f->n_vals;
        f->nodes[ni].rhs_count = 1;
        if ((rc = add_value(p)) != TSREC_OK)
            return rc;
        advance(p);
        return TSREC_OK;
    }
    if (p->tok.kind == TSREC__FTOK_PARAM) {
        int32_t pi;
        if ((rc = intern_param(p, 1, &pi)) != TSREC_OK)
            return rc;
        f->nodes[ni].rhs = TSREC__FRHS_PARAM;
        f->nodes[ni].rhs_index = pi;
        advance(p);
        return TSREC_OK;
    }
    if (is_word(p, "CurrentItem"))
        return parse_current_item(p, in_if, &f->nodes[ni]);
    if (p->tok.kind == TSREC__FTOK_STRING)
        return rule(p, tok_pos(p),
                    "comparison operators need a number, not a string literal");
    if (p->tok.kind == TSREC__FTOK_STAR)
        return rule(p, tok_pos(p), "'*' is only allowed in Interactions.EVENT_TYPE lists");
    return expected(p, "a number, a parameter or CurrentItem");
}

/* One condition: DATASET "." FIELD pred. */
static int parse_cond(parser *p, int in_if, int32_t *out)
{
    tsrec__filter *f = p->f;
    int64_t at = tok_pos(p);
    int32_t ds;
    int rc;
    if (in_if) {
        if (!is_word(p, "CurrentUser"))
            return expected(p, "CurrentUser");
        ds = TSREC__FDS_USERS;
    } else if (is_word(p, "Items")) {
        ds = TSREC__FDS_ITEMS;
    } else if (is_word(p, "Interactions")) {
        ds = TSREC__FDS_INTERACTIONS;
    } else if (is_word(p, "Users")) {
        ds = TSREC__FDS_USERS;
    } else if (is_word(p, "CurrentUser")) {
        return rule(p, at, "CurrentUser can only be used in the IF clause at the end");
    } else if (is_word(p, "CurrentItem")) {
        return rule(p, at, "CurrentItem can only be used on the right of a condition");
    } else {
        return expected(p, "Items, Interactions or Users");
    }
    if (!in_if) {
        if (f->target == TSREC__FILTER_ITEMS && ds == TSREC__FDS_USERS)
            return rule(p, at,
                        "ItemID filters test user fields only with IF CurrentUser");
        if (f->target == TSREC__FILTER_USERS && ds == TSREC__FDS_ITEMS)
            return rule(p, at, "UserID filters can use Users and Interactions only");
        if (p->expr_dataset < 0)
            p->expr_dataset = ds;
        else if (p->expr_dataset != ds)
            return rule(p, at,
                        "all conditions of one expression must use the dataset of its first "
                        "condition (join expressions with '|')");
    }
    advance(p);
    if (p->tok.kind != TSREC__FTOK_DOT)
        return expected(p, "'.'");
    advance(p);
    if (p->tok.kind != TSREC__FTOK_IDENT || is_keyword(p))
        return expected(p, "a field name");
    int is_event_type = 0;
    if (ds == TSREC__FDS_INTERACTIONS) {
        if (!is_word(p, "EVENT_TYPE"))
            return rule(p, tok_pos(p),
                        "Interactions conditions can only use the EVENT_TYPE field");
        is_event_type = 1;
        f->uses_interactions = 1;
    }
    int32_t fi, ni;
    if ((rc = intern_field(p, ds, &fi)) != TSREC_OK)
        return rc;
    if ((rc = new_node(p, TSREC__FNODE_COND, &ni)) != TSREC_OK)
        return rc;
    f->nodes[ni].dataset = ds;
    f->nodes[ni].field = fi;
    f->nodes[ni].pos = (int32_t)at;
    advance(p);
    if ((rc = parse_pred(p, ni, in_if, is_event_type)) != TSREC_OK)
        return rc;
    *out = ni;
    return TSREC_OK;
}

static int join(parser *p, int32_t kind, int32_t left, int32_t right, int32_t *out)
{
    int32_t ni;
    int rc = new_node(p, kind, &ni);
    if (rc != TSREC_OK)
        return rc;
    p->f->nodes[ni].left = left;
    p->f->nodes[ni].right = right;
    *out = ni;
    return TSREC_OK;
}

static int parse_or(parser *p, int32_t *out);

static int parse_term(parser *p, int32_t *out)
{
    if (p->tok.kind != TSREC__FTOK_LPAREN)
        return parse_cond(p, 0, out);
    if (p->depth >= MAX_DEPTH)
        return rule(p, tok_pos(p), "parentheses are nested too deeply");
    p->depth++;
    advance(p);
    int rc = parse_or(p, out);
    if (rc != TSREC_OK)
        return rc;
    if (p->tok.kind != TSREC__FTOK_RPAREN)
        return expected(p, "AND, OR or ')'");
    p->depth--;
    advance(p);
    return TSREC_OK;
}

static int parse_and(parser *p, int32_t *out)
{
    int32_t left;
    int rc = parse_term(p, &left);
    while (rc == TSREC_OK && is_word(p, "AND")) {
        int32_t right;
        advance(p);
        if ((rc = parse_term(p, &right)) == TSREC_OK)
            rc = join(p, TSREC__FNODE_AND, left, right, &left);
    }
    *out = left;
    return rc;
}

static int parse_or(parser *p, int32_t *out)
{
    int32_t left;
    int rc = parse_and(p, &left);
    while (rc == TSREC_OK && is_word(p, "OR")) {
        int32_t right;
        advance(p);
        if ((rc = parse_and(p, &right)) == TSREC_OK)
            rc = join(p, TSREC__FNODE_OR, left, right, &left);
    }
    *out = left;
    return rc;
}

/* IF CurrentUser.F pred ( AND CurrentUser.F pred )* */
static int parse_if(parser *p, int32_t *out)
{
    int32_t left;
    int rc = parse_cond(p, 1, &left);
    while (rc == TSREC_OK && is_word(p, "AND")) {
        int32_t right;
        advance(p);
        if ((rc = parse_cond(p, 1, &right)) == TSREC_OK)
            rc = join(p, TSREC__FNODE_AND, left, right, &left);
    }
    *out = left;
    return rc;
}

static int parse_expr(parser *p)
{
    tsrec__filter *f = p->f;
    int rc;
    if (is_word(p, "INCLUDE"))
        p->expr_kind = TSREC__FEXPR_INCLUDE;
    else if (is_word(p, "EXCLUDE"))
        p->expr_kind = TSREC__FEXPR_EXCLUDE;
    else
        return expected(p, "INCLUDE or EXCLUDE");
    advance(p);
    int32_t target;
    int64_t at = tok_pos(p);
    if (is_word(p, "ItemID"))
        target = TSREC__FILTER_ITEMS;
    else if (is_word(p, "UserID"))
        target = TSREC__FILTER_USERS;
    else if (is_word(p, "ActionID")) {
        p->err_pos = at;
        return tsrec__fail(p->eh, TSREC_E_UNSUPPORTED,
                           "filter expression: ActionID filters are not supported (at position "
                           "%lld)",
                           (long long)at);
    } else
        return expected(p, "ItemID or UserID");
    if (f->n_exprs == 0)
        f->target = target;
    else if (f->target != target)
        return rule(p, at, "all expressions of a filter must select the same kind (ItemID or "
                           "UserID)");
    advance(p);
    if (!is_word(p, "WHERE"))
        return expected(p, "WHERE");
    advance(p);
    p->expr_dataset = -1;
    p->depth = 0;
    int32_t root, if_root = -1;
    if ((rc = parse_or(p, &root)) != TSREC_OK)
        return rc;
    if (is_word(p, "IF")) {
        if (f->target != TSREC__FILTER_ITEMS)
            return rule(p, tok_pos(p), "IF CurrentUser conditions are for ItemID filters only");
        advance(p);
        if ((rc = parse_if(p, &if_root)) != TSREC_OK)
            return rc;
        f->uses_current_user = 1;
        if (p->tok.kind != TSREC__FTOK_END && p->tok.kind != TSREC__FTOK_PIPE)
            return expected(p, "AND, '|' or the end of the filter");
    } else if (p->tok.kind != TSREC__FTOK_END && p->tok.kind != TSREC__FTOK_PIPE) {
        return expected(p, "AND, OR, IF, '|' or the end of the filter");
    }
    if (grow(p, (void **)&f->exprs, &p->cap_exprs, f->n_exprs, sizeof *f->exprs) != TSREC_OK)
        return TSREC_E_NOMEM;
    tsrec__filter_expr *e = &f->exprs[f->n_exprs++];
    e->kind = p->expr_kind;
    e->dataset = p->expr_dataset;
    e->root = root;
    e->if_root = if_root;
    return TSREC_OK;
}

static int parse_filter(parser *p)
{
    advance(p);
    for (;;) {
        int rc = parse_expr(p);
        if (rc != TSREC_OK)
            return rc;
        if (p->tok.kind == TSREC__FTOK_END)
            return TSREC_OK;
        advance(p); /* '|' */
    }
}

void tsrec__filter_free(tsrec__filter *f)
{
    if (!f)
        return;
    tsrec_ctx *ctx = f->ctx;
    for (int64_t i = 0; i < f->n_fields; i++)
        tsrec__free(ctx, f->fields[i].name);
    for (int64_t i = 0; i < f->n_params; i++)
        tsrec__free(ctx, f->params[i].name);
    tsrec__free(ctx, f->nodes);
    tsrec__free(ctx, f->exprs);
    tsrec__free(ctx, f->fields);
    tsrec__free(ctx, f->params);
    tsrec__free(ctx, f->vals);
    tsrec__free(ctx, f->text);
    tsrec__free(ctx, f);
}

int tsrec__filter_compile(tsrec_ctx *ctx, tsrec__handle *eh, const char *expr,
                          tsrec__filter **out, int64_t *out_err_pos)
{
    if (out_err_pos)
        *out_err_pos = 0;
    if (!out)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filter expression: out is NULL");
    *out = NULL;
    if (!ctx || !expr)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filter expression: ctx or text is NULL");
    size_t n = strlen(expr);
    if (n == 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filter expression is empty");
    if (n > TSREC__FILTER_MAX_CHARS)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "filter expression has %zu characters; at most %d are allowed", n,
                           TSREC__FILTER_MAX_CHARS);
    tsrec__filter *f = tsrec__calloc(ctx, 1, sizeof *f);
    if (!f)
        return tsrec__fail(eh, TSREC_E_NOMEM, "filter expression: out of memory");
    f->ctx = ctx;
    /* Unescaped strings and number texts are never longer than the source. */
    f->text = tsrec__alloc(ctx, n);
    if (!f->text) {
        tsrec__free(ctx, f);
        return tsrec__fail(eh, TSREC_E_NOMEM, "filter expression: out of memory");
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.eh = eh;
    p.t = expr;
    p.n = n;
    p.f = f;
    int rc = parse_filter(&p);
    if (rc != TSREC_OK) {
        if (out_err_pos)
            *out_err_pos = p.err_pos;
        tsrec__filter_free(f);
        return rc;
    }
    *out = f;
    return tsrec__ok(eh);
}

int32_t tsrec__filter_find_field(const tsrec__filter *f, int32_t dataset, const char *name)
{
    if (!f || !name)
        return -1;
    for (int64_t i = 0; i < f->n_fields; i++)
        if (f->fields[i].dataset == dataset && strcmp(f->fields[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}
