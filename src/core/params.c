/* Parameter values objects: create from a table, set by name (one or many,
 * atomically), typed getters, reset, introspection. Text parsing and
 * formatting are in params_value.c. */
#include <string.h>

#include "params_internal.h"

#define SHOW_MAX 64

static int show_len(size_t len)
{
    return (int)(len < SHOW_MAX ? len : SHOW_MAX);
}

static void free_value(tsrec_ctx *ctx, tsrec__param_value *v)
{
    tsrec__free(ctx, v->s);
    v->s = NULL;
}

static int64_t find_n(const tsrec__params *p, const char *key, size_t len)
{
    for (int64_t i = 0; i < p->n; i++) {
        const char *name = p->defs[i].name;
        if (strncmp(name, key, len) == 0 && name[len] == '\0')
            return i;
    }
    return -1;
}

int64_t tsrec__params_find(const tsrec__params *p, const char *name)
{
    if (p == NULL || name == NULL)
        return -1;
    return find_n(p, name, strlen(name));
}

static int unknown_name(const tsrec__params *p, tsrec__handle *eh, const char *key,
                        size_t len)
{
    const char *hint = tsrec__param_closest(p->defs, p->n, key, len);
    if (hint != NULL)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "unknown parameter '%.*s%s' (did you mean '%s'?)", show_len(len),
                           key, len > SHOW_MAX ? "..." : "", hint);
    return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME, "unknown parameter '%.*s%s'",
                       show_len(len), key, len > SHOW_MAX ? "..." : "");
}

/* ---- table check, create, free ---------------------------------------- */

static int check_def(const tsrec__param_def *defs, int64_t i, tsrec__handle *eh)
{
    const tsrec__param_def *d = &defs[i];
    if (d->name == NULL || d->name[0] == '\0')
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "parameter table: entry %lld has no name", (long long)i);
    for (const char *c = d->name; *c; c++) {
        if (*c == '=' || *c == ',' || *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "parameter table: name '%s' contains a separator", d->name);
    }
    for (int64_t j = 0; j < i; j++) {
        if (strcmp(defs[j].name, d->name) == 0)
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "parameter table: name '%s' appears twice", d->name);
    }
    if (d->type < TSREC__PARAM_INT || d->type > TSREC__PARAM_ENUM)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "parameter table: '%s' has type %d",
                           d->name, (int)d->type);
    if (d->def == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "parameter table: '%s' has no default", d->name);
    if (d->type == TSREC__PARAM_ENUM && (d->choices == NULL || d->choices[0] == '\0'))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "parameter table: enum '%s' has no choices", d->name);
    if (d->type == TSREC__PARAM_INT && d->ilo > d->ihi)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "parameter table: '%s' has lower bound above upper", d->name);
    if (d->type == TSREC__PARAM_DOUBLE && d->lo > d->hi)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "parameter table: '%s' has lower bound above upper", d->name);
    return TSREC_OK;
}

/* Parse every default into vals[0..n) (zeroed by the caller). On failure
 * the values parsed so far are freed. A default that does not parse is a
 * broken table (INVALID_ARG); NOMEM passes through. */
static int parse_defaults(const tsrec__params *p, tsrec__handle *eh, tsrec__param_value *vals)
{
    for (int64_t i = 0; i < p->n; i++) {
        const tsrec__param_def *d = &p->defs[i];
        int st = tsrec__param_parse(d, p->ctx, eh, d->def, strlen(d->def), &vals[i]);
        if (st != TSREC_OK) {
            for (int64_t j = 0; j < i; j++)
                free_value(p->ctx, &vals[j]);
            if (st == TSREC_E_NOMEM)
                return st;
            return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                               "parameter table: bad default for '%s': %s", d->name,
                               tsrec_last_error());
        }
    }
    return TSREC_OK;
}

void tsrec__params_free(tsrec__params *p)
{
    if (p == NULL)
        return;
    tsrec_ctx *ctx = p->ctx;
    if (p->v != NULL) {
        for (int64_t i = 0; i < p->n; i++)
            free_value(ctx, &p->v[i]);
    }
    tsrec__free(ctx, p->v);
    tsrec__free(ctx, p->set);
    tsrec__free(ctx, p);
}

int tsrec__params_new(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__param_def *defs,
                      int64_t n, tsrec__params **out)
{
    if (out != NULL)
        *out = NULL;
    if (ctx == NULL || out == NULL || n < 0 || (n > 0 && defs == NULL))
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "params: NULL ctx, output or table, or negative size");
    for (int64_t i = 0; i < n; i++) {
        int st = check_def(defs, i, eh);
        if (st != TSREC_OK)
            return st;
    }
    size_t slots = (size_t)(n > 0 ? n : 1);
    tsrec__params *p = tsrec__calloc(ctx, 1, sizeof(*p));
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "params: out of memory");
    p->ctx = ctx;
    p->defs = defs;
    p->n = n;
    p->v = tsrec__calloc(ctx, slots, sizeof(*p->v));
    p->set = tsrec__calloc(ctx, slots, 1);
    if (p->v == NULL || p->set == NULL) {
        tsrec__params_free(p);
        return tsrec__fail(eh, TSREC_E_NOMEM, "params: out of memory for %lld values",
                           (long long)n);
    }
    int st = parse_defaults(p, eh, p->v);
    if (st != TSREC_OK) {
        tsrec__params_free(p);
        return st;
    }
    *out = p;
    return TSREC_OK;
}

/* ---- set ---------------------------------------------------------------- */

int tsrec__params_set(tsrec__params *p, tsrec__handle *eh, const char *name,
                      const char *value)
{
    if (p == NULL || name == NULL || value == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "params: NULL object, name or value");
    size_t len = strlen(name);
    int64_t i = find_n(p, name, len);
    if (i < 0)
        return unknown_name(p, eh, name, len);
    tsrec__param_value nv;
    int st = tsrec__param_parse(&p->defs[i], p->ctx, eh, value, strlen(value), &nv);
    if (st != TSREC_OK)
        return st;
    free_value(p->ctx, &p->v[i]);
    p->v[i] = nv;
    p->set[i] = 1;
    return TSREC_OK;
}

static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',';
}

/* Staging area for all-or-nothing updates: parsed values and which of them
 * are present. */
typedef struct staging {
    tsrec__param_value *v;
    uint8_t *has;
} staging;

static int staging_new(const tsrec__params *p, tsrec__handle *eh, staging *sg)
{
    size_t slots = (size_t)(p->n > 0 ? p->n : 1);
    sg->v = tsrec__calloc(p->ctx, slots, sizeof(*sg->v));
    sg->has = tsrec__calloc(p->ctx, slots, 1);
    if (sg->v == NULL || sg->has == NULL) {
        tsrec__free(p->ctx, sg->v);
        tsrec__free(p->ctx, sg->has);
        return tsrec__fail(eh, TSREC_E_NOMEM, "params: out of memory");
    }
    return TSREC_OK;
}

/* Drop the staging area; its values too unless they were committed. */
static void staging_free(const tsrec__params *p, staging *sg, int free_values)
{
    if (free_values) {
        for (int64_t i = 0; i < p->n; i++)
            free_value(p->ctx, &sg->v[i]);
    }
    tsrec__free(p->ctx, sg->v);
    tsrec__free(p->ctx, sg->has);
}

/* Move the staged values in; only allocation-free steps from here. */
static void staging_commit(tsrec__params *p, staging *sg, int mark_set)
{
    for (int64_t i = 0; i < p->n; i++) {
        if (!sg->has[i])
            continue;
        free_value(p->ctx, &p->v[i]);
        p->v[i] = sg->v[i];
        sg->v[i].s = NULL;
        p->set[i] = (uint8_t)mark_set;
    }
}

/* Parse one "name=value" token into the staging area. */
static int stage_pair(const tsrec__params *p, tsrec__handle *eh, staging *sg,
                      const char *tok, size_t toklen)
{
    const char *eq = memchr(tok, '=', toklen);
    if (eq == NULL)
        return tsrec__fail(eh, TSREC_E_PARSE,
                           "params: expected name=value, got '%.*s'", show_len(toklen), tok);
    size_t keylen = (size_t)(eq - tok);
    if (keylen == 0)
        return tsrec__fail(eh, TSREC_E_PARSE, "params: missing name in '%.*s'",
                           show_len(toklen), tok);
    int64_t i = find_n(p, tok, keylen);
    if (i < 0)
        return unknown_name(p, eh, tok, keylen);
    if (sg->has[i])
        return tsrec__fail(eh, TSREC_E_DUPLICATE, "params: parameter '%s' is given twice",
                           p->defs[i].name);
    int st = tsrec__param_parse(&p->defs[i], p->ctx, eh, eq + 1, toklen - keylen - 1,
                                &sg->v[i]);
    if (st != TSREC_OK)
        return st;
    sg->has[i] = 1;
    return TSREC_OK;
}

int tsrec__params_set_many(tsrec__params *p, tsrec__handle *eh, const char *text)
{
    if (p == NULL || text == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "params: NULL object or text");
    staging sg;
    int st = staging_new(p, eh, &sg);
    if (st != TSREC_OK)
        return st;
    const char *s = text;
    for (;;) {
        while (is_sep(*s))
            s++;
        if (*s == '\0')
            break;
        const char *tok = s;
        while (*s != '\0' && !is_sep(*s))
            s++;
        st = stage_pair(p, eh, &sg, tok, (size_t)(s - tok));
        if (st != TSREC_OK) {
            staging_free(p, &sg, 1);
            return st;
        }
    }
    staging_commit(p, &sg, 1);
    staging_free(p, &sg, 0);
    return TSREC_OK;
}

int tsrec__params_reset(tsrec__params *p, tsrec__handle *eh)
{
    if (p == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "params: NULL object");
    staging sg;
    int st = staging_new(p, eh, &sg);
    if (st != TSREC_OK)
        return st;
    st = parse_defaults(p, eh, sg.v);
    if (st != TSREC_OK) {
        /* parse_defaults already freed what it parsed. */
        staging_free(p, &sg, 0);
        return st;
    }
    memset(sg.has, 1, (size_t)(p->n > 0 ? p->n : 1));
    staging_commit(p, &sg, 0);
    staging_free(p, &sg, 0);
    return TSREC_OK;
}

/* ---- get ---------------------------------------------------------------- */

static int type_mismatch(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                         const char *wanted)
{
    return tsrec__fail(eh, TSREC_E_BAD_TYPE, "parameter '%s' is %s, not %s",
                       p->defs[i].name, tsrec__param_type_name(p->defs[i].type), wanted);
}

static int check_index(const tsrec__params *p, tsrec__handle *eh, int64_t i, const void *out)
{
    if (p == NULL || out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "params: NULL object or output");
    if (i < 0 || i >= p->n)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG,
                           "params: index %lld out of range [0, %lld)", (long long)i,
                           (long long)p->n);
    return TSREC_OK;
}

static int index_of(const tsrec__params *p, tsrec__handle *eh, const char *name,
                    const void *out, int64_t *out_i)
{
    if (p == NULL || name == NULL || out == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "params: NULL object, name or output");
    size_t len = strlen(name);
    *out_i = find_n(p, name, len);
    if (*out_i < 0)
        return unknown_name(p, eh, name, len);
    return TSREC_OK;
}

int tsrec__params_get_int_at(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                             int64_t *out)
{
    int st = check_index(p, eh, i, out);
    if (st != TSREC_OK)
        return st;
    if (p->defs[i].type != TSREC__PARAM_INT)
        return type_mismatch(p, eh, i, "int");
    *out = p->v[i].i;
    return TSREC_OK;
}

int tsrec__params_get_double_at(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                                double *out)
{
    int st = check_index(p, eh, i, out);
    if (st != TSREC_OK)
        return st;
    if (p->defs[i].type != TSREC__PARAM_DOUBLE)
        return type_mismatch(p, eh, i, "double");
    *out = p->v[i].d;
    return TSREC_OK;
}

int tsrec__params_get_bool_at(const tsrec__params *p, tsrec__handle *eh, int64_t i, int *out)
{
    int st = check_index(p, eh, i, out);
    if (st != TSREC_OK)
        return st;
    if (p->defs[i].type != TSREC__PARAM_BOOL)
        return type_mismatch(p, eh, i, "bool");
    *out = (int)p->v[i].i;
    return TSREC_OK;
}

int tsrec__params_get_str_at(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                             const char **out)
{
    int st = check_index(p, eh, i, out);
    if (st != TSREC_OK)
        return st;
    if (p->defs[i].type != TSREC__PARAM_STRING && p->defs[i].type != TSREC__PARAM_ENUM)
        return type_mismatch(p, eh, i, "string");
    *out = p->v[i].s;
    return TSREC_OK;
}

int tsrec__params_get_enum_at(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                              int64_t *out)
{
    int st = check_index(p, eh, i, out);
    if (st != TSREC_OK)
        return st;
    if (p->defs[i].type != TSREC__PARAM_ENUM)
        return type_mismatch(p, eh, i, "enum");
    *out = p->v[i].i;
    return TSREC_OK;
}

int tsrec__params_get_int(const tsrec__params *p, tsrec__handle *eh, const char *name,
                          int64_t *out)
{
    int64_t i = -1;
    int st = index_of(p, eh, name, out, &i);
    return st != TSREC_OK ? st : tsrec__params_get_int_at(p, eh, i, out);
}

int tsrec__params_get_double(const tsrec__params *p, tsrec__handle *eh, const char *name,
                             double *out)
{
    int64_t i = -1;
    int st = index_of(p, eh, name, out, &i);
    return st != TSREC_OK ? st : tsrec__params_get_double_at(p, eh, i, out);
}

int tsrec__params_get_bool(const tsrec__params *p, tsrec__handle *eh, const char *name,
                           int *out)
{
    int64_t i = -1;
    int st = index_of(p, eh, name, out, &i);
    return st != TSREC_OK ? st : tsrec__params_get_bool_at(p, eh, i, out);
}

int tsrec__params_get_str(const tsrec__params *p, tsrec__handle *eh, const char *name,
                          const char **out)
{
    int64_t i = -1;
    int st = index_of(p, eh, name, out, &i);
    return st != TSREC_OK ? st : tsrec__params_get_str_at(p, eh, i, out);
}

int tsrec__params_get_enum(const tsrec__params *p, tsrec__handle *eh, const char *name,
                           int64_t *out)
{
    int64_t i = -1;
    int st = index_of(p, eh, name, out, &i);
    return st != TSREC_OK ? st : tsrec__params_get_enum_at(p, eh, i, out);
}

/* ---- introspection ------------------------------------------------------ */

int64_t tsrec__params_count(const tsrec__params *p)
{
    return p != NULL ? p->n : 0;
}

const tsrec__param_def *tsrec__params_def(const tsrec__params *p, int64_t i)
{
    if (p == NULL || i < 0 || i >= p->n)
        return NULL;
    return &p->defs[i];
}

const char *tsrec__params_name(const tsrec__params *p, int64_t i)
{
    const tsrec__param_def *d = tsrec__params_def(p, i);
    return d != NULL ? d->name : NULL;
}

const char *tsrec__param_type_name(int32_t type)
{
    switch (type) {
    case TSREC__PARAM_INT:
        return "int";
    case TSREC__PARAM_DOUBLE:
        return "double";
    case TSREC__PARAM_BOOL:
        return "bool";
    case TSREC__PARAM_STRING:
        return "string";
    case TSREC__PARAM_ENUM:
        return "enum";
    default:
        return "unknown";
    }
}

int tsrec__params_bounds(const tsrec__params *p, tsrec__handle *eh, int64_t i,
                         double *out_lo, double *out_hi, uint32_t *out_flags)
{
    int st = check_index(p, eh, i, p); /* no single output to check */
    if (st != TSREC_OK)
        return st;
    const tsrec__param_def *d = &p->defs[i];
    double lo, hi;
    uint32_t flags = 0;
    if (d->type == TSREC__PARAM_INT) {
        lo = d->ilo == INT64_MIN ? -INFINITY : (double)d->ilo;
        hi = d->ihi == INT64_MAX ? INFINITY : (double)d->ihi;
    } else if (d->type == TSREC__PARAM_DOUBLE) {
        lo = isnan(d->lo) ? -INFINITY : d->lo;
        hi = isnan(d->hi) ? INFINITY : d->hi;
        flags = d->flags & (TSREC__PARAM_LO_EXCL | TSREC__PARAM_HI_EXCL);
    } else {
        return type_mismatch(p, eh, i, "a number");
    }
    if (out_lo != NULL)
        *out_lo = lo;
    if (out_hi != NULL)
        *out_hi = hi;
    if (out_flags != NULL)
        *out_flags = flags;
    return TSREC_OK;
}

int tsrec__params_is_set(const tsrec__params *p, int64_t i)
{
    if (p == NULL || i < 0 || i >= p->n)
        return 0;
    return p->set[i] != 0;
}

int tsrec__params_format(const tsrec__params *p, tsrec__handle *eh, int64_t i, char *buf,
                         size_t cap, size_t *out_len)
{
    int st = check_index(p, eh, i, out_len);
    if (st != TSREC_OK)
        return st;
    *out_len = tsrec__param_format_value(&p->defs[i], &p->v[i], buf, cap);
    return TSREC_OK;
}

/* Append s to buf at *pos (truncating, always NUL-terminated when cap > 0)
 * while *pos counts the full length. */
static void append(char *buf, size_t cap, size_t *pos, const char *s, size_t len)
{
    if (buf != NULL && *pos < cap) {
        size_t room = cap - 1 - *pos;
        size_t n = len < room ? len : room;
        memcpy(buf + *pos, s, n);
        buf[*pos + n] = '\0';
    }
    *pos += len;
}

int tsrec__params_to_string(const tsrec__params *p, tsrec__handle *eh, char *buf, size_t cap,
                            size_t *out_len)
{
    if (p == NULL || out_len == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "params: NULL object or output");
    size_t pos = 0;
    if (buf != NULL && cap > 0)
        buf[0] = '\0';
    for (int64_t i = 0; i < p->n; i++) {
        const tsrec__param_def *d = &p->defs[i];
        if (i > 0)
            append(buf, cap, &pos, " ", 1);
        append(buf, cap, &pos, d->name, strlen(d->name));
        append(buf, cap, &pos, "=", 1);
        char small[64];
        size_t vlen = tsrec__param_format_value(d, &p->v[i], small, sizeof small);
        if (vlen < sizeof small)
            append(buf, cap, &pos, small, vlen);
        else
            append(buf, cap, &pos, p->v[i].s, vlen); /* long STRING value */
    }
    *out_len = pos;
    return TSREC_OK;
}
