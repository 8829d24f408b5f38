/* Fuzz target for the JSON parser and writer. A document that parses is
 * written back with the writer, parsed again and compared with the first
 * DOM value by value (numbers by their double, strings by their bytes). */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "json_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_value(tsrec__json_writer *w, const tsrec__json *v)
{
    switch (v->type) {
    case TSREC__JSON_NULL: tsrec__jw_null(w); break;
    case TSREC__JSON_BOOL: tsrec__jw_bool(w, v->u.boolean); break;
    case TSREC__JSON_NUMBER:
        if (v->is_int)
            tsrec__jw_int64(w, v->u.num.i);
        else
            tsrec__jw_double(w, v->u.num.d);
        break;
    case TSREC__JSON_STRING: tsrec__jw_string(w, v->u.str.ptr, v->u.str.len); break;
    case TSREC__JSON_ARRAY:
        tsrec__jw_array_begin(w);
        for (int64_t i = 0; i < v->u.arr.n; i++)
            write_value(w, &v->u.arr.items[i]);
        tsrec__jw_array_end(w);
        break;
    default:
        tsrec__jw_object_begin(w);
        for (int64_t i = 0; i < v->u.obj.n; i++) {
            const tsrec__json_member *m = &v->u.obj.items[i];
            tsrec__jw_key(w, m->key, m->key_len);
            write_value(w, &m->value);
        }
        tsrec__jw_object_end(w);
        break;
    }
}

static void same(const tsrec__json *a, const tsrec__json *b)
{
    if (a->type != b->type)
        abort();
    switch (a->type) {
    case TSREC__JSON_BOOL:
        if (a->u.boolean != b->u.boolean)
            abort();
        break;
    case TSREC__JSON_NUMBER:
        /* An integer stays an integer; a non-integer written as its
         * double may read back as an integer ("1.00000000000000001"). */
        if (a->u.num.d != b->u.num.d || (a->is_int && (!b->is_int || a->u.num.i != b->u.num.i)))
            abort();
        break;
    case TSREC__JSON_STRING:
        if (a->u.str.len != b->u.str.len || memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len) != 0)
            abort();
        break;
    case TSREC__JSON_ARRAY:
        if (a->u.arr.n != b->u.arr.n)
            abort();
        for (int64_t i = 0; i < a->u.arr.n; i++)
            same(&a->u.arr.items[i], &b->u.arr.items[i]);
        break;
    case TSREC__JSON_OBJECT:
        if (a->u.obj.n != b->u.obj.n)
            abort();
        for (int64_t i = 0; i < a->u.obj.n; i++) {
            const tsrec__json_member *x = &a->u.obj.items[i], *y = &b->u.obj.items[i];
            if (x->key_len != y->key_len || memcmp(x->key, y->key, x->key_len) != 0)
                abort();
            same(&x->value, &y->value);
        }
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsrec_ctx *ctx = fuzz_ctx_new();
    tsrec__json_doc *d = NULL;
    int rc = tsrec__json_parse(ctx, NULL, (const char *)data, size, 0, &d);
    if (rc == TSREC_OK) {
        tsrec__json_writer w;
        tsrec__jw_init(&w, ctx);
        write_value(&w, tsrec__json_root(d));
        const char *out = NULL;
        size_t len = 0;
        if (tsrec__jw_finish(&w, NULL, &out, &len) != TSREC_OK)
            abort();
        tsrec__json_doc *d2 = NULL;
        if (tsrec__json_parse(ctx, NULL, out, len, 0, &d2) != TSREC_OK)
            abort();
        same(tsrec__json_root(d), tsrec__json_root(d2));
        tsrec__json_free(d2);
        tsrec__jw_free(&w);
        tsrec__json_free(d);
    } else if (d != NULL || (rc != TSREC_E_PARSE && rc != TSREC_E_DUPLICATE)) {
        abort();
    }
    fuzz_ctx_free(ctx);
    return 0;
}
