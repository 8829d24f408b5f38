/* Binding a request's filterValues to a compiled filter. A value is the
 * text AWS takes for a parameter: a comma-separated list of items, each a
 * double-quoted string (escapes \" and \\) or a bare token, e.g.
 * `"comedy","drama"` or `10`. Items that read as numbers also carry their
 * numeric value, so `"10"` and `10` both work for a comparison. */
#include <string.h>

#include "filter_internal.h"
#include "import_internal.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parse one value text into vals (room for len+1 items) and text (room for
 * len bytes). Returns the item count, or -1 with *err_at (0-based) set. */
static int64_t parse_list(const char *s, size_t len, tsrec__filter_val *vals, char *text,
                          size_t *text_used, size_t *err_at)
{
    int64_t count = 0;
    size_t i = 0;
    for (;;) {
        while (i < len && is_space(s[i]))
            i++;
        tsrec__filter_val *v = &vals[count];
        memset(v, 0, sizeof *v);
        char *dst = text + *text_used;
        size_t k = 0;
        if (i < len && s[i] == '"') {
            size_t open = i++;
            for (;;) {
                if (i >= len) {
                    *err_at = open;
                    return -1;
                }
                if (s[i] == '\\') {
                    if (i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\\')) {
                        dst[k++] = s[i + 1];
                        i += 2;
                        continue;
                    }
                    *err_at = i;
                    return -1;
                }
                if (s[i] == '"') {
                    i++;
                    break;
                }
                dst[k++] = s[i++];
            }
        } else {
            size_t b = i;
            while (i < len && s[i] != ',' && s[i] != '"')
                i++;
            size_t e = i;
            while (e > b && is_space(s[e - 1]))
                e--;
            if (e == b || (i < len && s[i] == '"')) {
                *err_at = i < len ? i : len;
                return -1;
            }
            memcpy(dst, s + b, e - b);
            k = e - b;
        }
        v->kind = TSREC__FVAL_STRING;
        v->str = dst;
        v->len = k;
        v->has_num = k > 0 && tsrec__parse_f64(dst, k, &v->num) == TSREC__PARSE_OK;
        *text_used += k;
        count++;
        while (i < len && is_space(s[i]))
            i++;
        if (i >= len)
            return count;
        if (s[i] != ',') {
            *err_at = i;
            return -1;
        }
        i++;
    }
}

/* Does the tree under node use parameter pi? */
static int uses_param(const tsrec__filter *f, int32_t node, int64_t pi)
{
    if (node < 0)
        return 0;
    const tsrec__filter_node *nd = &f->nodes[node];
    if (nd->kind == TSREC__FNODE_COND)
        return nd->rhs == TSREC__FRHS_PARAM && nd->rhs_index == pi;
    return uses_param(f, nd->left, pi) || uses_param(f, nd->right, pi);
}

void tsrec__filter_binding_free(tsrec__filter_binding *b)
{
    if (!b)
        return;
    tsrec_ctx *ctx = b->ctx;
    tsrec__free(ctx, b->bound);
    tsrec__free(ctx, b->first);
    tsrec__free(ctx, b->count);
    tsrec__free(ctx, b->expr_active);
    tsrec__free(ctx, b->vals);
    tsrec__free(ctx, b->text);
    tsrec__free(ctx, b);
}

static int64_t find_key(const tsrec__filter *f, const char *key)
{
    for (int64_t i = 0; i < f->n_params; i++)
        if (strcmp(f->params[i].name, key) == 0)
            return i;
    return -1;
}

int tsrec__filter_bind(const tsrec__filter *f, tsrec__handle *eh, const char *const *keys,
                       const char *const *values, int64_t n, tsrec__filter_binding **out)
{
    if (!out)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filter values: out is NULL");
    *out = NULL;
    if (!f || n < 0 || (n > 0 && (!keys || !values)))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filter values: invalid arguments");
    if (n > TSREC__FILTER_MAX_VALUES)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "filter values: %lld entries; at most %d are allowed", (long long)n,
                           TSREC__FILTER_MAX_VALUES);
    /* Validate keys and values, and size the value storage. */
    size_t total = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!keys[i] || !values[i])
            return tsrec__fail(eh, TSREC_E_INVALID_ARG, "filter values: entry %lld is NULL",
                               (long long)i);
        size_t kl = strlen(keys[i]), vl = strlen(values[i]);
        if (kl == 0 || kl > TSREC__FILTER_MAX_KEY_CHARS)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "filter values: key %lld must have 1 to %d characters",
                               (long long)i, TSREC__FILTER_MAX_KEY_CHARS);
        if (tsrec__utf8_chars(values[i], vl) > TSREC__FILTER_MAX_VALUE_CHARS)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "filter values: value of '%s' is longer than %d characters",
                               keys[i], TSREC__FILTER_MAX_VALUE_CHARS);
        for (int64_t j = 0; j < i; j++)
            if (strcmp(keys[i], keys[j]) == 0)
                return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                   "filter values: parameter '%s' is given twice", keys[i]);
        if (find_key(f, keys[i]) >= 0)
            total += vl + 1;
    }
    tsrec_ctx *ctx = f->ctx;
    tsrec__filter_binding *b = tsrec__calloc(ctx, 1, sizeof *b);
    if (!b)
        return tsrec__fail(eh, TSREC_E_NOMEM, "filter values: out of memory");
    b->ctx = ctx;
    b->n_params = f->n_params;
    b->n_exprs = f->n_exprs;
    size_t np = (size_t)TSREC__MAX(f->n_params, 1), ne = (size_t)TSREC__MAX(f->n_exprs, 1);
    b->bound = tsrec__calloc(ctx, np, sizeof *b->bound);
    b->first = tsrec__calloc(ctx, np, sizeof *b->first);
    b->count = tsrec__calloc(ctx, np, sizeof *b->count);
    b->expr_active = tsrec__calloc(ctx, ne, sizeof *b->expr_active);
    /* Each item takes at least one byte or one comma, so len+1 items fit. */
    b->vals = tsrec__calloc(ctx, total + 1, sizeof *b->vals);
    b->text = tsrec__alloc(ctx, total + 1);
    if (!b->bound || !b->first || !b->count || !b->expr_active || !b->vals || !b->text) {
        tsrec__filter_binding_free(b);
        return tsrec__fail(eh, TSREC_E_NOMEM, "filter values: out of memory");
    }
    int64_t used = 0;
    size_t text_used = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t pi = find_key(f, keys[i]);
        if (pi < 0)
            continue; /* not used by this filter */
        size_t err_at = 0;
        int64_t c = parse_list(values[i], strlen(values[i]), b->vals + used, b->text,
                               &text_used, &err_at);
        if (c < 0) {
            tsrec__filter_binding_free(b);
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "filter values: value of $%s is malformed at character %zu "
                               "(expected \"text\" items separated by commas)",
                               keys[i], err_at + 1);
        }
        if (f->params[pi].numeric && (c != 1 || !b->vals[used].has_num)) {
            tsrec__filter_binding_free(b);
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "filter values: $%s is used in a comparison and must be one "
                               "number",
                               keys[i]);
        }
        b->bound[pi] = 1;
        b->first[pi] = used;
        b->count[pi] = c;
        used += c;
    }
    for (int64_t e = 0; e < f->n_exprs; e++) {
        const tsrec__filter_expr *ex = &f->exprs[e];
        b->expr_active[e] = 1;
        for (int64_t pi = 0; pi < f->n_params; pi++) {
            if (b->bound[pi] || (!uses_param(f, ex->root, pi) && !uses_param(f, ex->if_root, pi)))
                continue;
            if (ex->kind == TSREC__FEXPR_INCLUDE) {
                int rc = tsrec__fail(eh, TSREC_E_INVALID_ARG,
                                     "filter values: no value for $%s, which an INCLUDE "
                                     "expression needs",
                                     f->params[pi].name);
                tsrec__filter_binding_free(b);
                return rc;
            }
            b->expr_active[e] = 0; /* omitted EXCLUDE parameter: skip that part */
        }
    }
    *out = b;
    return tsrec__ok(eh);
}
