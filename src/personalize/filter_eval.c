/* Evaluation of a compiled filter for one candidate. No allocation and no
 * shared mutable state, so a filter and its binding can be used from many
 * threads at once. Rules (aws-surface B8):
 *  - IN: a multi-valued categorical ("a|b") matches if any part matches;
 *    string matches are exact and case-sensitive, except event types.
 *  - NOT IN is the negation of IN, so an item without the field passes it.
 *  - Comparisons need numbers on both sides (a string field is read as a
 *    number when it is one); a missing value fails every comparison.
 *  - CurrentItem conditions fail when the request has no current item. */
#include <string.h>

#include "filter_internal.h"
#include "import_internal.h"

static int ieq(const char *a, size_t al, const char *b, size_t bl)
{
    if (al != bl)
        return 0;
    for (size_t i = 0; i < al; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

int tsrec__filter_event_set_has(const tsrec__filter_event_set *set, const char *type, size_t len)
{
    int in = 0;
    for (int64_t i = 0; i < set->n && !in; i++) {
        const tsrec__filter_val *v = &set->vals[i];
        if (v->kind == TSREC__FVAL_STAR || (v->len == 1 && v->str[0] == '*'))
            in = 1;
        else
            in = ieq(v->str, v->len, type, len);
    }
    return set->negate ? !in : in;
}

/* Values on the right of a condition: a literal or bound list, or a field
 * of the current item. */
typedef struct rhs_values {
    const tsrec__filter_val *vals;
    int64_t n;
    int is_field;
    tsrec__filter_fieldval fv;
} rhs_values;

static void get_rhs(const tsrec__filter *f, const tsrec__filter_binding *b,
                    const tsrec__filter_env *env, const tsrec__filter_node *nd, rhs_values *r)
{
    memset(r, 0, sizeof *r);
    if (nd->rhs == TSREC__FRHS_LIST) {
        r->vals = f->vals + nd->rhs_index;
        r->n = nd->rhs_count;
    } else if (nd->rhs == TSREC__FRHS_PARAM) {
        if (b && b->bound[nd->rhs_index]) {
            r->vals = b->vals + b->first[nd->rhs_index];
            r->n = b->count[nd->rhs_index];
        }
    } else {
        r->is_field = 1;
        r->fv.kind = TSREC__FFV_MISSING;
        if (env->current_item >= 0)
            env->cb->item_field(env->ud, env->current_item, nd->rhs_index, &r->fv);
    }
}

/* Numeric reading of a field value; 0 if it has none. */
static int field_number(const tsrec__filter_fieldval *v, double *out)
{
    if (v->kind == TSREC__FFV_NUMBER) {
        *out = v->num;
        return 1;
    }
    if (v->kind == TSREC__FFV_STRING && v->len > 0)
        return tsrec__parse_f64(v->str, v->len, out) == TSREC__PARSE_OK;
    return 0;
}

/* Does one part of a field value (a string part, or the number) equal a
 * part of a current-item value? */
static int part_eq_field(const tsrec__filter_fieldval *lhs, const char *s, size_t l,
                         const tsrec__filter_fieldval *rhs)
{
    double x, y;
    if (lhs->kind == TSREC__FFV_NUMBER || rhs->kind == TSREC__FFV_NUMBER) {
        tsrec__filter_fieldval one = {TSREC__FFV_STRING, 0.0, s, l};
        const tsrec__filter_fieldval *a = lhs->kind == TSREC__FFV_NUMBER ? lhs : &one;
        if (rhs->kind == TSREC__FFV_NUMBER)
            return field_number(a, &x) && field_number(rhs, &y) && x == y;
        /* lhs number against the parts of a string rhs */
        size_t st = 0;
        for (size_t i = 0; i <= rhs->len; i++) {
            if (i == rhs->len || rhs->str[i] == '|') {
                if (tsrec__parse_f64(rhs->str + st, i - st, &y) == TSREC__PARSE_OK &&
                    y == lhs->num)
                    return 1;
                st = i + 1;
            }
        }
        return 0;
    }
    size_t st = 0;
    for (size_t i = 0; i <= rhs->len; i++) {
        if (i == rhs->len || rhs->str[i] == '|') {
            if (i - st == l && memcmp(rhs->str + st, s, l) == 0)
                return 1;
            st = i + 1;
        }
    }
    return 0;
}

static int part_in(const tsrec__filter_fieldval *lhs, const char *s, size_t l,
                   const rhs_values *r)
{
    if (r->is_field)
        return r->fv.kind != TSREC__FFV_MISSING && part_eq_field(lhs, s, l, &r->fv);
    for (int64_t i = 0; i < r->n; i++) {
        const tsrec__filter_val *v = &r->vals[i];
        if (lhs->kind == TSREC__FFV_NUMBER) {
            if (v->has_num && v->num == lhs->num)
                return 1;
        } else if (v->len == l && memcmp(v->str, s, l) == 0) {
            return 1;
        }
    }
    return 0;
}

/* IN: any '|'-separated part of the field value is in the right side. */
static int value_in(const tsrec__filter_fieldval *lhs, const rhs_values *r)
{
    if (lhs->kind == TSREC__FFV_MISSING)
        return 0;
    if (lhs->kind == TSREC__FFV_NUMBER)
        return part_in(lhs, NULL, 0, r);
    size_t st = 0;
    for (size_t i = 0; i <= lhs->len; i++) {
        if (i == lhs->len || lhs->str[i] == '|') {
            if (part_in(lhs, lhs->str + st, i - st, r))
                return 1;
            st = i + 1;
        }
    }
    return 0;
}

static int compare(int32_t op, double x, double y)
{
    switch (op) {
    case TSREC__FOP_EQ: return x == y;
    case TSREC__FOP_NE: return x != y;
    case TSREC__FOP_LT: return x < y;
    case TSREC__FOP_LE: return x <= y;
    case TSREC__FOP_GT: return x > y;
    default: return x >= y;
    }
}

static int eval_cond(const tsrec__filter *f, const tsrec__filter_binding *b,
                     const tsrec__filter_env *env, const tsrec__filter_node *nd,
                     int64_t cand, int in_if)
{
    rhs_values r;
    get_rhs(f, b, env, nd, &r);
    if (nd->dataset == TSREC__FDS_INTERACTIONS) {
        /* ItemID filter: has the requesting user interacted with this item?
         * UserID filter: has this user interacted with any item? */
        int64_t user = f->target == TSREC__FILTER_ITEMS ? env->user : cand;
        int64_t item = f->target == TSREC__FILTER_ITEMS ? cand : -1;
        if (user < 0)
            return 0;
        tsrec__filter_event_set set = {r.vals, r.n, nd->op == TSREC__FOP_NOT_IN};
        return env->cb->user_interacted(env->ud, user, item, &set) != 0;
    }
    tsrec__filter_fieldval lhs = {TSREC__FFV_MISSING, 0.0, NULL, 0};
    if (nd->dataset == TSREC__FDS_ITEMS) {
        env->cb->item_field(env->ud, cand, nd->field, &lhs);
    } else {
        int64_t user = in_if ? env->user : cand;
        if (user >= 0)
            env->cb->user_field(env->ud, user, nd->field, &lhs);
    }
    if (nd->op == TSREC__FOP_IN)
        return value_in(&lhs, &r);
    if (nd->op == TSREC__FOP_NOT_IN)
        return !value_in(&lhs, &r);
    double x, y;
    if (!field_number(&lhs, &x))
        return 0;
    if (r.is_field) {
        if (!field_number(&r.fv, &y))
            return 0;
    } else {
        if (r.n != 1 || !r.vals[0].has_num)
            return 0;
        y = r.vals[0].num;
    }
    return compare(nd->op, x, y);
}

static int eval_node(const tsrec__filter *f, const tsrec__filter_binding *b,
                     const tsrec__filter_env *env, int32_t node, int64_t cand, int in_if)
{
    const tsrec__filter_node *nd = &f->nodes[node];
    switch (nd->kind) {
    case TSREC__FNODE_AND:
        return eval_node(f, b, env, nd->left, cand, in_if) &&
               eval_node(f, b, env, nd->right, cand, in_if);
    case TSREC__FNODE_OR:
        return eval_node(f, b, env, nd->left, cand, in_if) ||
               eval_node(f, b, env, nd->right, cand, in_if);
    default:
        return eval_cond(f, b, env, nd, cand, in_if);
    }
}

/* Is expression e active for this request (bound and IF true)? */
static int expr_active(const tsrec__filter *f, const tsrec__filter_binding *b,
                       const tsrec__filter_env *env, int64_t e)
{
    if (b && !b->expr_active[e])
        return 0;
    const tsrec__filter_expr *ex = &f->exprs[e];
    return ex->if_root < 0 || eval_node(f, b, env, ex->if_root, -1, 1);
}

static int keep_with(const tsrec__filter *f, const tsrec__filter_binding *b,
                     const tsrec__filter_env *env, const unsigned char *active, int64_t cand)
{
    int any_include = 0, included = 0;
    for (int64_t e = 0; e < f->n_exprs; e++) {
        if (!active[e])
            continue;
        const tsrec__filter_expr *ex = &f->exprs[e];
        if (ex->kind == TSREC__FEXPR_INCLUDE) {
            any_include = 1;
            if (!included && eval_node(f, b, env, ex->root, cand, 0))
                included = 1;
        } else if (eval_node(f, b, env, ex->root, cand, 0)) {
            return 0;
        }
    }
    return !any_include || included;
}

/* Expressions per filter are bounded by the text length (2500). */
#define MAX_EXPRS (TSREC__FILTER_MAX_CHARS / 8)

static void active_set(const tsrec__filter *f, const tsrec__filter_binding *b,
                       const tsrec__filter_env *env, unsigned char *active)
{
    for (int64_t e = 0; e < f->n_exprs; e++)
        active[e] = (unsigned char)expr_active(f, b, env, e);
}

int tsrec__filter_keep(const tsrec__filter *f, const tsrec__filter_binding *b,
                       const tsrec__filter_env *env, int64_t candidate)
{
    unsigned char active[MAX_EXPRS];
    active_set(f, b, env, active);
    return keep_with(f, b, env, active, candidate);
}

void tsrec__filter_keep_batch(const tsrec__filter *f, const tsrec__filter_binding *b,
                              const tsrec__filter_env *env, const int64_t *cand, int64_t n,
                              int64_t *out, int64_t *out_n)
{
    unsigned char active[MAX_EXPRS];
    active_set(f, b, env, active); /* IF clauses depend on the request only */
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
        if (keep_with(f, b, env, active, cand[i]))
            out[k++] = cand[i];
    *out_n = k;
}
