/* Test-side Arrow producer (see arrow_fixture.h). */
#include "arrow_fixture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

af_counts af_count;

void af_reset_counts(void)
{
    memset(&af_count, 0, sizeof(af_count));
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
    if (p == NULL)
        abort(); /* test code: out of memory is not under test here */
    return p;
}

/* ---- arrays ------------------------------------------------------------ */

typedef struct af_priv {
    void *bufs[3];                  /* owned buffers */
    const void *view[3];            /* what ArrowArray.buffers points to */
    struct ArrowArray **children;   /* owned shells */
    struct ArrowArray **child_view; /* what ArrowArray.children points to */
    int64_t n_children;
    struct ArrowArray *dictionary;  /* owned shell */
    int top;                        /* a record batch */
} af_priv;

static void release_array(struct ArrowArray *a)
{
    af_priv *p = a->private_data;
    for (int b = 0; b < 3; b++)
        free(p->bufs[b]);
    for (int64_t k = 0; k < p->n_children; k++)
        af_array_free(p->children[k]);
    free(p->children);
    free(p->child_view);
    af_array_free(p->dictionary);
    if (p->top)
        af_count.batch_releases++;
    else
        af_count.child_releases++;
    free(p);
    a->release = NULL;
    a->private_data = NULL;
}

static struct ArrowArray *new_array(int64_t length, int n_buffers)
{
    struct ArrowArray *a = xcalloc(1, sizeof(*a));
    af_priv *p = xcalloc(1, sizeof(*p));
    a->length = length;
    a->n_buffers = n_buffers;
    a->buffers = p->view;
    a->release = release_array;
    a->private_data = p;
    return a;
}

static void set_buffer(struct ArrowArray *a, int b, void *buf)
{
    af_priv *p = a->private_data;
    p->bufs[b] = buf;
    p->view[b] = buf;
}

static void set_validity(struct ArrowArray *a, const int *valid, int64_t n)
{
    if (valid == NULL)
        return;
    unsigned char *bits = xcalloc((size_t)(n + 7) / 8 + 1, 1);
    int64_t nulls = 0;
    for (int64_t i = 0; i < n; i++) {
        if (valid[i])
            bits[i / 8] = (unsigned char)(bits[i / 8] | (1u << (i % 8)));
        else
            nulls++;
    }
    set_buffer(a, 0, bits);
    a->null_count = nulls;
}

static struct ArrowArray *strings(const char *const *vals, const size_t *lens, int64_t n,
                                  int large)
{
    struct ArrowArray *a = new_array(n, 3);
    size_t total = 0;
    int any_null = 0;
    for (int64_t i = 0; i < n; i++) {
        if (vals[i] == NULL)
            any_null = 1;
        else
            total += lens != NULL ? lens[i] : strlen(vals[i]);
    }
    int w = large ? 8 : 4;
    unsigned char *offs = xcalloc((size_t)n + 1, (size_t)w);
    char *data = xcalloc(total, 1);
    size_t at = 0;
    for (int64_t i = 0; i <= n; i++) {
        if (large) {
            int64_t o = (int64_t)at;
            memcpy(offs + (size_t)i * 8, &o, 8);
        } else {
            int32_t o = (int32_t)at;
            memcpy(offs + (size_t)i * 4, &o, 4);
        }
        if (i < n && vals[i] != NULL) {
            size_t l = lens != NULL ? lens[i] : strlen(vals[i]);
            memcpy(data + at, vals[i], l);
            at += l;
        }
    }
    set_buffer(a, 1, offs);
    set_buffer(a, 2, data);
    if (any_null) {
        int *valid = xcalloc((size_t)n, sizeof(int));
        for (int64_t i = 0; i < n; i++)
            valid[i] = vals[i] != NULL;
        set_validity(a, valid, n);
        free(valid);
    }
    return a;
}

struct ArrowArray *af_utf8(const char *const *vals, int64_t n)
{
    return strings(vals, NULL, n, 0);
}

struct ArrowArray *af_large_utf8(const char *const *vals, int64_t n)
{
    return strings(vals, NULL, n, 1);
}

struct ArrowArray *af_utf8_bytes(const char *const *vals, const size_t *lens, int64_t n)
{
    return strings(vals, lens, n, 0);
}

struct ArrowArray *af_fixed(const void *data, int width, int64_t n, const int *valid)
{
    struct ArrowArray *a = new_array(n, 2);
    void *buf = xcalloc((size_t)n, (size_t)width);
    memcpy(buf, data, (size_t)n * (size_t)width);
    set_buffer(a, 1, buf);
    set_validity(a, valid, n);
    return a;
}

struct ArrowArray *af_bool(const int *vals, const int *valid, int64_t n)
{
    struct ArrowArray *a = new_array(n, 2);
    unsigned char *bits = xcalloc((size_t)(n + 7) / 8 + 1, 1);
    for (int64_t i = 0; i < n; i++)
        if (vals[i])
            bits[i / 8] = (unsigned char)(bits[i / 8] | (1u << (i % 8)));
    set_buffer(a, 1, bits);
    set_validity(a, valid, n);
    return a;
}

struct ArrowArray *af_dict(const void *idx, int width, const int *valid, int64_t n,
                           const char *const *dict, int64_t n_dict)
{
    struct ArrowArray *a = af_fixed(idx, width, n, valid);
    af_priv *p = a->private_data;
    p->dictionary = af_utf8(dict, n_dict);
    a->dictionary = p->dictionary;
    return a;
}

struct ArrowArray *af_null(int64_t n)
{
    struct ArrowArray *a = new_array(n, 0);
    a->null_count = n;
    a->buffers = NULL;
    return a;
}

struct ArrowArray *af_batch(int64_t n_cols, struct ArrowArray **cols)
{
    struct ArrowArray *a = new_array(n_cols > 0 ? cols[0]->length : 0, 1);
    af_priv *p = a->private_data;
    p->top = 1;
    p->n_children = n_cols;
    p->children = xcalloc((size_t)n_cols, sizeof(*p->children));
    p->child_view = xcalloc((size_t)n_cols, sizeof(*p->child_view));
    for (int64_t k = 0; k < n_cols; k++)
        p->children[k] = p->child_view[k] = cols[k];
    a->n_children = n_cols;
    a->children = p->child_view;
    return a;
}

void af_shift(struct ArrowArray *a, int64_t k)
{
    a->offset += k;
    a->length -= k;
    a->null_count = -1; /* unknown after slicing */
}

void af_array_free(struct ArrowArray *a)
{
    if (a == NULL)
        return;
    if (a->release != NULL)
        a->release(a);
    free(a);
}

/* ---- schemas ------------------------------------------------------------- */

typedef struct sch_priv {
    struct ArrowSchema **children;
    int64_t n;
    int top;
} sch_priv;

static void release_schema(struct ArrowSchema *s)
{
    sch_priv *p = s->private_data;
    for (int64_t k = 0; k < p->n; k++)
        af_schema_free(p->children[k]);
    free(p->children);
    af_schema_free(s->dictionary);
    if (p->top)
        af_count.schema_releases++;
    free(p);
    s->release = NULL;
    s->private_data = NULL;
}

static struct ArrowSchema *leaf(const char *format, const char *name)
{
    struct ArrowSchema *s = xcalloc(1, sizeof(*s));
    sch_priv *p = xcalloc(1, sizeof(*p));
    s->format = format;
    s->name = name;
    s->flags = ARROW_FLAG_NULLABLE;
    s->release = release_schema;
    s->private_data = p;
    return s;
}

static void fill_schema(struct ArrowSchema *top, int64_t n, const char *const *names,
                        const char *const *formats, const char *const *dict_formats)
{
    sch_priv *p = top->private_data;
    p->top = 1;
    p->n = n;
    p->children = xcalloc((size_t)n, sizeof(*p->children));
    for (int64_t k = 0; k < n; k++) {
        p->children[k] = leaf(formats[k], names[k]);
        if (dict_formats != NULL && dict_formats[k] != NULL)
            p->children[k]->dictionary = leaf(dict_formats[k], NULL);
    }
    top->n_children = n;
    top->children = p->children;
}

struct ArrowSchema *af_schema(int64_t n, const char *const *names, const char *const *formats,
                              const char *const *dict_formats)
{
    struct ArrowSchema *s = leaf("+s", "");
    fill_schema(s, n, names, formats, dict_formats);
    return s;
}

void af_schema_free(struct ArrowSchema *s)
{
    if (s == NULL)
        return;
    if (s->release != NULL)
        s->release(s);
    free(s);
}

/* ---- streams ------------------------------------------------------------- */

typedef struct stream_priv {
    int64_t n;
    const char *const *names, *const *formats, *const *dict_formats;
    struct ArrowArray **batches;
    int64_t n_batches, next;
    int calls, fail_next, fail_schema;
    char error[64];
} stream_priv;

static int stream_get_schema(struct ArrowArrayStream *st, struct ArrowSchema *out)
{
    stream_priv *p = st->private_data;
    if (p->fail_schema) {
        strcpy(p->error, "schema lost");
        return EINVAL;
    }
    /* Built in place: the consumer's struct is the top-level schema. */
    struct ArrowSchema *s = leaf("+s", "");
    fill_schema(s, p->n, p->names, p->formats, p->dict_formats);
    *out = *s;
    free(s);
    return 0;
}

static int stream_get_next(struct ArrowArrayStream *st, struct ArrowArray *out)
{
    stream_priv *p = st->private_data;
    p->calls++;
    if (p->calls == p->fail_next) {
        strcpy(p->error, "disk on fire");
        return EIO;
    }
    if (p->next == p->n_batches) {
        memset(out, 0, sizeof(*out)); /* released: end of stream */
        return 0;
    }
    struct ArrowArray *a = p->batches[p->next];
    p->batches[p->next++] = NULL;
    *out = *a; /* move: the shell is ours, the contents now the consumer's */
    free(a);
    return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *st)
{
    stream_priv *p = st->private_data;
    return p->error[0] != '\0' ? p->error : NULL;
}

static void stream_release(struct ArrowArrayStream *st)
{
    stream_priv *p = st->private_data;
    for (int64_t i = p->next; i < p->n_batches; i++)
        af_array_free(p->batches[i]);
    free(p->batches);
    free(p);
    af_count.stream_releases++;
    st->release = NULL;
    st->private_data = NULL;
}

struct ArrowArrayStream *af_stream(int64_t n, const char *const *names,
                                   const char *const *formats, const char *const *dict_formats,
                                   struct ArrowArray **batches, int64_t n_batches, int fail_next,
                                   int fail_schema)
{
    struct ArrowArrayStream *s = xcalloc(1, sizeof(*s));
    stream_priv *p = xcalloc(1, sizeof(*p));
    p->n = n;
    p->names = names;
    p->formats = formats;
    p->dict_formats = dict_formats;
    p->batches = xcalloc((size_t)n_batches, sizeof(*p->batches));
    for (int64_t i = 0; i < n_batches; i++)
        p->batches[i] = batches[i];
    p->n_batches = n_batches;
    p->fail_next = fail_next;
    p->fail_schema = fail_schema;
    s->get_schema = stream_get_schema;
    s->get_next = stream_get_next;
    s->get_last_error = stream_last_error;
    s->release = stream_release;
    s->private_data = p;
    return s;
}

void af_stream_free(struct ArrowArrayStream *s)
{
    if (s == NULL)
        return;
    if (s->release != NULL)
        s->release(s);
    free(s);
}
