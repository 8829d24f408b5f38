/* Strict JSON parser to an arena-allocated DOM: see json_internal.h. */
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_internal.h"
#include "utf8_internal.h"

/* ---- arena ---------------------------------------------------------------- */

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    /* data follows, 16-byte aligned */
} chunk;

#define CHUNK_HDR ((sizeof(chunk) + 15) & ~(size_t)15)
#define CHUNK_MIN ((size_t)4096)
#define CHUNK_MAX ((size_t)1 << 20)
/* First chunk: this many bytes per input byte (the DOM of a typical
 * request, values and members included, fits in one chunk). */
#define CHUNK_PER_INPUT 6
#define INLINE_STACK 16 /* values / members held in the parser before the heap */

struct tsrec__json_doc {
    tsrec_ctx *ctx;
    chunk *chunks;
    size_t next_size;
    tsrec__json root;
};

static void *arena_alloc(tsrec__json_doc *d, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    chunk *c = d->chunks;
    if (c == NULL || c->size - c->used < n) {
        size_t want = d->next_size;
        if (want < n)
            want = n;
        if (want > SIZE_MAX - CHUNK_HDR)
            return NULL;
        c = tsrec__alloc(d->ctx, CHUNK_HDR + want);
        if (c == NULL)
            return NULL;
        c->size = want;
        c->used = 0;
        c->next = d->chunks;
        d->chunks = c;
        if (d->next_size < CHUNK_MAX)
            d->next_size *= 2;
    }
    void *p = (unsigned char *)c + CHUNK_HDR + c->used;
    c->used += n;
    return p;
}

void tsrec__json_free(tsrec__json_doc *d)
{
    if (d == NULL)
        return;
    chunk *c = d->chunks;
    while (c != NULL) {
        chunk *next = c->next;
        tsrec__free(d->ctx, c);
        c = next;
    }
    tsrec__free(d->ctx, d);
}

const tsrec__json *tsrec__json_root(const tsrec__json_doc *d)
{
    return d == NULL ? NULL : &d->root;
}

/* ---- parser state ---------------------------------------------------------- */

typedef struct parser {
    tsrec__json_doc *doc;
    tsrec__handle *eh;
    const unsigned char *s, *p, *e; /* start, cursor, end */
    int64_t line;
    const unsigned char *line_start;
    int32_t depth, max_depth;
    /* Children of the arrays and objects being parsed, stacked; a
     * container moves its own into the arena when it closes. The stacks
     * start in the parser itself (small documents, such as API requests,
     * then need no allocation for them) and move to the heap to grow. */
    tsrec__json *vals;
    size_t n_vals, cap_vals;
    tsrec__json_member *mems;
    size_t n_mems, cap_mems;
    tsrec__json vals_inline[INLINE_STACK];
    tsrec__json_member mems_inline[INLINE_STACK];
} parser;

static int32_t clamp32(int64_t v)
{
    return v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

static int32_t col_of(const parser *ps, const unsigned char *at)
{
    return clamp32((int64_t)(at - ps->line_start) + 1);
}

static int fail_at(parser *ps, const unsigned char *at, const char *what)
{
    if (at >= ps->e)
        return tsrec__fail(ps->eh, TSREC_E_PARSE,
                           "JSON: %s at line %lld column %d (end of input)", what,
                           (long long)ps->line, (int)col_of(ps, at));
    return tsrec__fail(ps->eh, TSREC_E_PARSE, "JSON: %s at line %lld column %d", what,
                       (long long)ps->line, (int)col_of(ps, at));
}

static int nomem(parser *ps)
{
    return tsrec__fail(ps->eh, TSREC_E_NOMEM, "out of memory parsing JSON");
}

static void skip_ws(parser *ps)
{
    const unsigned char *p = ps->p, *e = ps->e;
    while (p < e) {
        unsigned char c = *p;
        if (c == ' ' || c == '\t' || c == '\r') {
            p++;
        } else if (c == '\n') {
            p++;
            ps->line++;
            ps->line_start = p;
        } else {
            break;
        }
    }
    ps->p = p;
}

static int parse_value(parser *ps, tsrec__json *out);

/* ---- strings ----------------------------------------------------------------- */

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return 0;
        v = v * 16 + d;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Bytes inside a string: 0 plain printable ASCII, 1 '"', 2 '\\', 3 a
 * control character or a UTF-8 byte (one table load per byte in the scan). */
#define STR_QUOTE 1
#define STR_ESCAPE 2
static const unsigned char STR_CLASS[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

/* ps->p is on the opening quote. The decoded text is never longer than
 * the raw text (every escape shrinks or keeps its length), so one arena
 * block of the raw length holds it. */
static int parse_string(parser *ps, const char **out, size_t *out_len)
{
    const unsigned char *open = ps->p;
    const unsigned char *p = open + 1, *e = ps->e;
    /* Find the closing quote first to size the output, noting whether the
     * text is plain printable ASCII without escapes (ids, keys, most
     * values): that is copied as it is, without the checks below. */
    const unsigned char *q = p;
    int plain = 1;
    while (q < e) {
        unsigned cls = STR_CLASS[*q];
        if (cls == 0) {
            q++;
            continue;
        }
        if (cls == STR_QUOTE)
            break;
        plain = 0;
        q += cls == STR_ESCAPE ? 2 : 1; /* the escaped byte cannot end the string */
    }
    if (q >= e)
        return fail_at(ps, e, "unterminated string");
    unsigned char *o = arena_alloc(ps->doc, (size_t)(q - p) + 1);
    if (o == NULL)
        return nomem(ps);
    unsigned char *w = o;
    if (plain) {
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        p = q;
    }
    while (p < q) {
        unsigned char c = *p;
        if (c == '\\') {
            unsigned char x = p[1];
            switch (x) {
            case '"': *w++ = '"'; p += 2; continue;
            case '\\': *w++ = '\\'; p += 2; continue;
            case '/': *w++ = '/'; p += 2; continue;
            case 'b': *w++ = '\b'; p += 2; continue;
            case 'f': *w++ = '\f'; p += 2; continue;
            case 'n': *w++ = '\n'; p += 2; continue;
            case 'r': *w++ = '\r'; p += 2; continue;
            case 't': *w++ = '\t'; p += 2; continue;
            case 'u': break;
            default: return fail_at(ps, p, "invalid escape in string");
            }
            unsigned cp;
            if (q - p < 6 || !hex4(p + 2, &cp))
                return fail_at(ps, p, "expected 4 hex digits after \\u");
            p += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail_at(ps, p - 6, "lone low surrogate in string");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (q - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return fail_at(ps, p - 6, "lone high surrogate in string");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            w += put_utf8(w, cp);
        } else if (c < 0x20) {
            return fail_at(ps, p, "control character in string (must be escaped)");
        } else if (c < 0x80) {
            *w++ = c;
            p++;
        } else {
            int n = tsrec__utf8_seq(p, (size_t)(q - p));
            if (n <= 0)
                return fail_at(ps, p, "invalid UTF-8 in string");
            memcpy(w, p, (size_t)n);
            w += n;
            p += n;
        }
    }
    *w = '\0';
    ps->p = q + 1;
    *out = (const char *)o;
    *out_len = (size_t)(w - o);
    return TSREC_OK;
}

/* ---- numbers ----------------------------------------------------------------- */

static int is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

/* Exact int64 value of a decimal number given by its digits, or 0 if it is
 * not an integer in range. Works on the digits, not on the double, so
 * 9007199254740993 and 1.00000000000000001 are judged correctly. */
static int exact_int(const unsigned char *ip, size_t ilen, const unsigned char *fp, size_t flen,
                     int64_t exp10, int neg, int64_t *out)
{
    /* Significant digits: integer digits then fraction digits. */
    char dig[40];
    size_t nd = 0;
    int64_t scale = exp10 - (int64_t)flen; /* value = digits * 10^scale */
    size_t total = ilen + flen;
    size_t k = 0;
    /* skip leading zeros */
    while (k < total && (k < ilen ? ip[k] : fp[k - ilen]) == '0')
        k++;
    /* trailing zeros raise the scale */
    size_t last = total;
    while (last > k && (last - 1 < ilen ? ip[last - 1] : fp[last - 1 - ilen]) == '0') {
        last--;
        scale++;
    }
    if (k == last) {
        *out = 0;
        return 1;
    }
    if (scale < 0 || last - k > 19 || (int64_t)(last - k) + scale > 19)
        return 0;
    for (size_t i = k; i < last; i++)
        dig[nd++] = (char)(i < ilen ? ip[i] : fp[i - ilen]);
    uint64_t mag = 0;
    for (size_t i = 0; i < nd; i++) {
        unsigned d = (unsigned)(dig[i] - '0');
        if (mag > (UINT64_MAX - d) / 10)
            return 0;
        mag = mag * 10 + d;
    }
    for (int64_t i = 0; i < scale; i++) {
        if (mag > UINT64_MAX / 10)
            return 0;
        mag *= 10;
    }
    uint64_t lim = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    if (mag > lim)
        return 0;
    *out = neg ? (mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    return 1;
}

/* strtod follows LC_NUMERIC, which a host program may have changed; JSON
 * always uses '.', so swap in the locale's decimal point when it differs. */
static char locale_point(void)
{
    const struct lconv *lc = localeconv();
    if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0] != '\0' &&
        lc->decimal_point[1] == '\0')
        return lc->decimal_point[0];
    return '.';
}

/* Exact powers of ten as doubles (10^22 is the largest that is exact). */
static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The double of a number with at most 15 digits and a decimal scale within
 * +-22, without strtod: the digits are an exact double (< 2^53) and so is
 * 10^|scale|, so one IEEE multiply or divide rounds the exact value once,
 * to nearest -- the correctly rounded result strtod gives (Clinger's fast
 * path). Most JSON numbers (ids, epoch seconds, prices) take it. 0 when it
 * does not apply (or the compiler evaluates doubles in wider precision,
 * which would round twice); the caller then uses strtod. */
static int fast_double(const unsigned char *ip, size_t ilen, const unsigned char *fp, size_t flen,
                       int64_t exp10, int neg, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    if (ilen + flen > 15)
        return 0;
    int64_t scale = exp10 - (int64_t)flen;
    if (scale < -22 || scale > 22)
        return 0;
    uint64_t m = 0;
    for (size_t i = 0; i < ilen; i++)
        m = m * 10 + (uint64_t)(ip[i] - '0');
    for (size_t i = 0; i < flen; i++)
        m = m * 10 + (uint64_t)(fp[i] - '0');
    double d = (double)m;
    d = scale >= 0 ? d * POW10[scale] : d / POW10[-scale];
    *out = neg ? -d : d; /* "-0" is -0.0, as strtod reads it */
    return 1;
#else
    (void)ip, (void)ilen, (void)fp, (void)flen, (void)exp10, (void)neg, (void)out;
    return 0;
#endif
}

/* The double of the number text (validated JSON grammar) with strtod. */
static int slow_double(parser *ps, const unsigned char *start, const char *text, size_t len,
                       double *out)
{
    char point = locale_point();
    char small[64];
    const char *conv = text;
    char *tmp = NULL;
    if (point != '.') {
        char *w = small;
        if (len >= sizeof small) {
            tmp = tsrec__alloc(ps->doc->ctx, len + 1);
            if (tmp == NULL)
                return nomem(ps);
            w = tmp;
        }
        memcpy(w, text, len + 1);
        for (size_t i = 0; i < len; i++)
            if (w[i] == '.')
                w[i] = point;
        conv = w;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(conv, &end);
    int parsed_all = end == conv + len;
    tsrec__free(ps->doc->ctx, tmp);
    if (!parsed_all)
        return fail_at(ps, start, "malformed number");
    *out = d;
    return TSREC_OK;
}

static int parse_number(parser *ps, tsrec__json *out)
{
    const unsigned char *start = ps->p, *p = ps->p, *e = ps->e;
    int neg = 0;
    if (p < e && *p == '-') {
        neg = 1;
        p++;
    }
    const unsigned char *ip = p;
    if (p >= e || !is_digit(*p))
        return fail_at(ps, p, "expected a digit");
    if (*p == '0') {
        p++;
        if (p < e && is_digit(*p))
            return fail_at(ps, p, "leading zero in number");
    } else {
        while (p < e && is_digit(*p))
            p++;
    }
    size_t ilen = (size_t)(p - ip);
    const unsigned char *fp = p;
    size_t flen = 0;
    if (p < e && *p == '.') {
        p++;
        fp = p;
        if (p >= e || !is_digit(*p))
            return fail_at(ps, p, "expected a digit after '.'");
        while (p < e && is_digit(*p))
            p++;
        flen = (size_t)(p - fp);
    }
    int64_t exp10 = 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < e && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        if (p >= e || !is_digit(*p))
            return fail_at(ps, p, "expected a digit in the exponent");
        while (p < e && is_digit(*p)) {
            if (exp10 < 1000000000)
                exp10 = exp10 * 10 + (*p - '0');
            p++;
        }
        if (eneg)
            exp10 = -exp10;
    }
    size_t len = (size_t)(p - start);
    char *text = arena_alloc(ps->doc, len + 1);
    if (text == NULL)
        return nomem(ps);
    memcpy(text, start, len);
    text[len] = '\0';

    double d = 0.0;
    if (!fast_double(ip, ilen, fp, flen, exp10, neg, &d)) {
        int rc = slow_double(ps, start, text, len, &d);
        if (rc != TSREC_OK)
            return rc;
    }
    if (!isfinite(d))
        return fail_at(ps, start, "number out of range (not a finite double)");

    out->type = TSREC__JSON_NUMBER;
    out->u.num.text = text;
    out->u.num.len = len;
    out->u.num.d = d;
    int64_t iv = 0;
    out->is_int = exact_int(ip, ilen, fp, flen, exp10, neg, &iv);
    out->u.num.i = out->is_int ? iv : 0;
    ps->p = p;
    return TSREC_OK;
}

/* ---- containers ---------------------------------------------------------------- */

/* Double a stack's capacity; the first growth copies it out of the
 * parser's inline storage. */
static void *grow_stack(parser *ps, void *stack, const void *inline_stack, size_t *cap,
                        size_t elem)
{
    size_t ncap = *cap * 2, bytes;
    if (tsrec__mul_size(ncap, elem, &bytes) != 0)
        return NULL;
    void *ns;
    if (stack == inline_stack) {
        ns = tsrec__alloc(ps->doc->ctx, bytes);
        if (ns != NULL)
            memcpy(ns, stack, *cap * elem);
    } else {
        ns = tsrec__realloc(ps->doc->ctx, stack, bytes);
    }
    if (ns != NULL)
        *cap = ncap;
    return ns;
}

static int push_val(parser *ps, const tsrec__json *v)
{
    if (ps->n_vals == ps->cap_vals) {
        tsrec__json *nv =
            grow_stack(ps, ps->vals, ps->vals_inline, &ps->cap_vals, sizeof *ps->vals);
        if (nv == NULL)
            return nomem(ps);
        ps->vals = nv;
    }
    ps->vals[ps->n_vals++] = *v;
    return TSREC_OK;
}

static int push_mem(parser *ps, const tsrec__json_member *m)
{
    if (ps->n_mems == ps->cap_mems) {
        tsrec__json_member *nm =
            grow_stack(ps, ps->mems, ps->mems_inline, &ps->cap_mems, sizeof *ps->mems);
        if (nm == NULL)
            return nomem(ps);
        ps->mems = nm;
    }
    ps->mems[ps->n_mems++] = *m;
    return TSREC_OK;
}

static int enter(parser *ps)
{
    if (ps->depth >= ps->max_depth) {
        char why[64];
        snprintf(why, sizeof why, "nesting deeper than %d", (int)ps->max_depth);
        return fail_at(ps, ps->p, why);
    }
    ps->depth++;
    return TSREC_OK;
}

/* 1 when the next value is a scalar and its stack has room: it is then
 * parsed straight into its slot, which nothing can move meanwhile (no
 * nested container, no growth). Building it in a local and copying it in,
 * as containers must be, stalls on every value (the copy reads back the
 * fresh narrow stores). */
static int scalar_fits(const parser *ps, size_t n, size_t cap)
{
    return n < cap && ps->p < ps->e && *ps->p != '{' && *ps->p != '[';
}

static int parse_array(parser *ps, tsrec__json *out)
{
    int rc = enter(ps);
    if (rc != TSREC_OK)
        return rc;
    size_t base = ps->n_vals;
    ps->p++; /* '[' */
    skip_ws(ps);
    if (ps->p < ps->e && *ps->p == ']') {
        ps->p++;
    } else {
        for (;;) {
            skip_ws(ps);
            if (scalar_fits(ps, ps->n_vals, ps->cap_vals)) {
                rc = parse_value(ps, &ps->vals[ps->n_vals]);
                if (rc != TSREC_OK)
                    return rc;
                ps->n_vals++;
            } else {
                tsrec__json v;
                rc = parse_value(ps, &v);
                if (rc != TSREC_OK)
                    return rc;
                rc = push_val(ps, &v);
                if (rc != TSREC_OK)
                    return rc;
            }
            skip_ws(ps);
            if (ps->p < ps->e && *ps->p == ',') {
                ps->p++;
                continue; /* a value must follow: "[1,]" fails there */
            }
            if (ps->p < ps->e && *ps->p == ']') {
                ps->p++;
                break;
            }
            return fail_at(ps, ps->p, "expected ',' or ']'");
        }
    }
    size_t n = ps->n_vals - base;
    tsrec__json *items = NULL;
    if (n > 0) {
        size_t bytes;
        if (tsrec__mul_size(n, sizeof *items, &bytes) != 0 ||
            (items = arena_alloc(ps->doc, bytes)) == NULL)
            return nomem(ps);
        memcpy(items, ps->vals + base, bytes);
    }
    ps->n_vals = base;
    out->type = TSREC__JSON_ARRAY;
    out->u.arr.items = items;
    out->u.arr.n = (int64_t)n;
    ps->depth--;
    return TSREC_OK;
}

static int key_cmp(const void *a, const void *b)
{
    const tsrec__json_member *x = *(const tsrec__json_member *const *)a;
    const tsrec__json_member *y = *(const tsrec__json_member *const *)b;
    size_t n = TSREC__MIN(x->key_len, y->key_len);
    int c = memcmp(x->key, y->key, n);
    if (c != 0)
        return c;
    if (x->key_len != y->key_len)
        return x->key_len < y->key_len ? -1 : 1;
    return x < y ? -1 : (x > y ? 1 : 0); /* document order among equals */
}

static int same_key(const tsrec__json_member *a, const tsrec__json_member *b)
{
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

static int dup_error(parser *ps, const tsrec__json_member *m)
{
    /* The member's value position stands for the key's line. */
    return tsrec__fail(ps->eh, TSREC_E_DUPLICATE,
                       "JSON: duplicate key \"%.*s\" at line %d", (int)TSREC__MIN(m->key_len, 80),
                       m->key, (int)m->value.line);
}

/* Refuse duplicate keys among members [0, n): pairwise for small objects,
 * by sorting pointers for large ones (so 100k keys stay fast). */
static int check_dups(parser *ps, const tsrec__json_member *m, size_t n)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (same_key(&m[i], &m[j]))
                    return dup_error(ps, &m[i]);
        return TSREC_OK;
    }
    size_t bytes;
    const tsrec__json_member **idx = NULL;
    if (tsrec__mul_size(n, sizeof *idx, &bytes) != 0 ||
        (idx = tsrec__alloc(ps->doc->ctx, bytes)) == NULL)
        return nomem(ps);
    for (size_t i = 0; i < n; i++)
        idx[i] = &m[i];
    qsort((void *)idx, n, sizeof *idx, key_cmp);
    const tsrec__json_member *dup = NULL;
    for (size_t i = 1; i < n; i++) {
        if (same_key(idx[i], idx[i - 1]) && (dup == NULL || idx[i] < dup))
            dup = idx[i]; /* report the earliest second occurrence */
    }
    tsrec__free(ps->doc->ctx, (void *)idx);
    return dup != NULL ? dup_error(ps, dup) : TSREC_OK;
}

static int parse_object(parser *ps, tsrec__json *out)
{
    int rc = enter(ps);
    if (rc != TSREC_OK)
        return rc;
    size_t base = ps->n_mems;
    ps->p++; /* '{' */
    skip_ws(ps);
    if (ps->p < ps->e && *ps->p == '}') {
        ps->p++;
    } else {
        for (;;) {
            if (ps->p >= ps->e || *ps->p != '"')
                return fail_at(ps, ps->p, "expected a string key");
            tsrec__json_member m;
            rc = parse_string(ps, &m.key, &m.key_len);
            if (rc != TSREC_OK)
                return rc;
            skip_ws(ps);
            if (ps->p >= ps->e || *ps->p != ':')
                return fail_at(ps, ps->p, "expected ':'");
            ps->p++;
            skip_ws(ps);
            if (scalar_fits(ps, ps->n_mems, ps->cap_mems)) {
                tsrec__json_member *slot = &ps->mems[ps->n_mems];
                rc = parse_value(ps, &slot->value);
                if (rc != TSREC_OK)
                    return rc;
                slot->key = m.key;
                slot->key_len = m.key_len;
                ps->n_mems++;
            } else {
                rc = parse_value(ps, &m.value);
                if (rc != TSREC_OK)
                    return rc;
                rc = push_mem(ps, &m);
                if (rc != TSREC_OK)
                    return rc;
            }
            skip_ws(ps);
            if (ps->p < ps->e && *ps->p == ',') {
                ps->p++;
                skip_ws(ps);
                continue; /* a key must follow: "{"a":1,}" fails there */
            }
            if (ps->p < ps->e && *ps->p == '}') {
                ps->p++;
                break;
            }
            return fail_at(ps, ps->p, "expected ',' or '}'");
        }
    }
    size_t n = ps->n_mems - base;
    rc = check_dups(ps, ps->mems + base, n);
    if (rc != TSREC_OK)
        return rc;
    tsrec__json_member *items = NULL;
    if (n > 0) {
        size_t bytes;
        if (tsrec__mul_size(n, sizeof *items, &bytes) != 0 ||
            (items = arena_alloc(ps->doc, bytes)) == NULL)
            return nomem(ps);
        memcpy(items, ps->mems + base, bytes);
    }
    ps->n_mems = base;
    out->type = TSREC__JSON_OBJECT;
    out->u.obj.items = items;
    out->u.obj.n = (int64_t)n;
    ps->depth--;
    return TSREC_OK;
}

static int literal(parser *ps, const char *word, size_t n)
{
    if ((size_t)(ps->e - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail_at(ps, ps->p, "expected a value");
    ps->p += n;
    return TSREC_OK;
}

static int parse_value(parser *ps, tsrec__json *out)
{
    skip_ws(ps);
    memset(out, 0, sizeof *out);
    out->line = clamp32(ps->line);
    out->column = col_of(ps, ps->p);
    if (ps->p >= ps->e)
        return fail_at(ps, ps->p, "expected a value");
    int rc;
    switch (*ps->p) {
    case '{':
        return parse_object(ps, out);
    case '[':
        return parse_array(ps, out);
    case '"':
        out->type = TSREC__JSON_STRING;
        return parse_string(ps, &out->u.str.ptr, &out->u.str.len);
    case 't':
        out->type = TSREC__JSON_BOOL;
        out->u.boolean = 1;
        return literal(ps, "true", 4);
    case 'f':
        out->type = TSREC__JSON_BOOL;
        return literal(ps, "false", 5);
    case 'n':
        out->type = TSREC__JSON_NULL;
        return literal(ps, "null", 4);
    default:
        if (*ps->p == '-' || is_digit(*ps->p))
            return parse_number(ps, out);
        rc = fail_at(ps, ps->p, "expected a value");
        return rc;
    }
}

int tsrec__json_parse(tsrec_ctx *ctx, tsrec__handle *eh, const char *text, size_t len,
                      int32_t max_depth, tsrec__json_doc **out)
{
    *out = NULL;
    if (text == NULL && len > 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "JSON: NULL text with length %zu", len);
    tsrec__json_doc *d = tsrec__calloc(ctx, 1, sizeof *d);
    if (d == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory parsing JSON");
    d->ctx = ctx;
    d->next_size = CHUNK_MIN;
    if (len / CHUNK_PER_INPUT >= CHUNK_MAX / CHUNK_PER_INPUT)
        d->next_size = CHUNK_MAX;
    else if (len * CHUNK_PER_INPUT > CHUNK_MIN)
        d->next_size = len * CHUNK_PER_INPUT;
    static const unsigned char empty[1] = {0};
    const unsigned char *s = text != NULL ? (const unsigned char *)text : empty;
    parser ps;
    memset(&ps, 0, offsetof(parser, vals_inline)); /* the inline stacks need no clearing */
    ps.vals = ps.vals_inline;
    ps.cap_vals = INLINE_STACK;
    ps.mems = ps.mems_inline;
    ps.cap_mems = INLINE_STACK;
    ps.doc = d;
    ps.eh = eh;
    ps.s = ps.p = ps.line_start = s;
    ps.e = s + len;
    ps.line = 1;
    ps.max_depth = max_depth > 0 ? max_depth : TSREC__JSON_DEFAULT_DEPTH;
    int rc = parse_value(&ps, &d->root);
    if (rc == TSREC_OK) {
        skip_ws(&ps);
        if (ps.p < ps.e)
            rc = fail_at(&ps, ps.p, "expected end of input");
    }
    if (ps.vals != ps.vals_inline)
        tsrec__free(ctx, ps.vals);
    if (ps.mems != ps.mems_inline)
        tsrec__free(ctx, ps.mems);
    if (rc != TSREC_OK) {
        tsrec__json_free(d);
        return rc;
    }
    *out = d;
    return TSREC_OK;
}

/* ---- accessors ------------------------------------------------------------------ */

int32_t tsrec__json_type(const tsrec__json *v)
{
    return v == NULL ? -1 : v->type;
}

const char *tsrec__json_type_name(int32_t type)
{
    switch (type) {
    case TSREC__JSON_NULL: return "null";
    case TSREC__JSON_BOOL: return "boolean";
    case TSREC__JSON_NUMBER: return "number";
    case TSREC__JSON_STRING: return "string";
    case TSREC__JSON_ARRAY: return "array";
    case TSREC__JSON_OBJECT: return "object";
    default: return "nothing";
    }
}

const tsrec__json *tsrec__json_get(const tsrec__json *v, const char *key)
{
    if (v == NULL || v->type != TSREC__JSON_OBJECT || key == NULL)
        return NULL;
    size_t kl = strlen(key);
    for (int64_t i = 0; i < v->u.obj.n; i++) {
        const tsrec__json_member *m = &v->u.obj.items[i];
        if (m->key_len == kl && memcmp(m->key, key, kl) == 0)
            return &m->value;
    }
    return NULL;
}

int64_t tsrec__json_len(const tsrec__json *v)
{
    if (v == NULL)
        return -1;
    if (v->type == TSREC__JSON_ARRAY)
        return v->u.arr.n;
    if (v->type == TSREC__JSON_OBJECT)
        return v->u.obj.n;
    return -1;
}

const tsrec__json *tsrec__json_at(const tsrec__json *v, int64_t i)
{
    if (v == NULL || v->type != TSREC__JSON_ARRAY || i < 0 || i >= v->u.arr.n)
        return NULL;
    return &v->u.arr.items[i];
}

static int bad_type(const tsrec__json *v, tsrec__handle *eh, const char *what,
                    const char *expected)
{
    if (v == NULL)
        return tsrec__fail(eh, TSREC_E_BAD_TYPE, "%s: missing (expected %s)",
                           what != NULL ? what : "value", expected);
    return tsrec__fail(eh, TSREC_E_BAD_TYPE, "%s: expected %s, got %s at line %d column %d",
                       what != NULL ? what : "value", expected,
                       tsrec__json_type_name(v->type), (int)v->line, (int)v->column);
}

int tsrec__json_as_string(const tsrec__json *v, tsrec__handle *eh, const char *what,
                          const char **out, size_t *out_len)
{
    if (v == NULL || v->type != TSREC__JSON_STRING)
        return bad_type(v, eh, what, "a string");
    *out = v->u.str.ptr;
    if (out_len != NULL)
        *out_len = v->u.str.len;
    return TSREC_OK;
}

int tsrec__json_as_double(const tsrec__json *v, tsrec__handle *eh, const char *what,
                          double *out)
{
    if (v == NULL || v->type != TSREC__JSON_NUMBER)
        return bad_type(v, eh, what, "a number");
    *out = v->u.num.d;
    return TSREC_OK;
}

int tsrec__json_as_int64(const tsrec__json *v, tsrec__handle *eh, const char *what,
                         int64_t *out)
{
    if (v == NULL || v->type != TSREC__JSON_NUMBER)
        return bad_type(v, eh, what, "an integer");
    if (!v->is_int)
        return tsrec__fail(eh, TSREC_E_OUT_OF_RANGE,
                           "%s: %s is not an integer in the int64 range at line %d column %d",
                           what != NULL ? what : "value", v->u.num.text, (int)v->line,
                           (int)v->column);
    *out = v->u.num.i;
    return TSREC_OK;
}

int tsrec__json_as_bool(const tsrec__json *v, tsrec__handle *eh, const char *what,
                        int32_t *out)
{
    if (v == NULL || v->type != TSREC__JSON_BOOL)
        return bad_type(v, eh, what, "a boolean");
    *out = v->u.boolean;
    return TSREC_OK;
}
