/* Fuzz target for the CSV reader and the gzip source. The input is read
 * twice: through the auto-detecting source with the default buffer, and
 * one byte per read into a 16-byte buffer. Both readings must give the
 * same records, statuses and error positions (the parser resumes at any
 * split point), and nothing may leak. After a fatal source error (corrupt
 * gzip) only the status must agree: how many records came out before it
 * depends on how much was decoded per read. */
#include <stdint.h>
#include <string.h>

#include "csv_internal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FNV-1a over everything a reading yields. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t read_all(tsrec_ctx *ctx, const uint8_t *data, size_t size, size_t max_read,
                         size_t buffer, int *out_fatal)
{
    *out_fatal = TSREC_OK;
    tsrec__source *mem = NULL, *src = NULL;
    if (tsrec__source_memory(ctx, NULL, data, size, max_read, &mem) != TSREC_OK)
        abort();
    if (tsrec__source_auto(ctx, NULL, mem, "fuzz", &src) != TSREC_OK)
        abort();
    tsrec__csv_options o = {64, 16, 256, buffer};
    tsrec__csv_reader *r = NULL;
    if (tsrec__csv_reader_new(ctx, NULL, src, &o, &r) != TSREC_OK)
        abort();
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int guard = 0; guard < 1000000; guard++) {
        tsrec__csv_record rec;
        int rc = tsrec__csv_next(r, NULL, &rec);
        h = mix(h, &rc, sizeof rc);
        if (rc == TSREC_E_PARSE) {
            const tsrec__csv_error *e = tsrec__csv_last_error(r);
            h = mix(h, &e->line, sizeof e->line);
            h = mix(h, &e->column, sizeof e->column);
            h = mix(h, e->reason, strlen(e->reason));
            continue;
        }
        if (rc != TSREC_OK)
            *out_fatal = rc;
        if (rc != TSREC_OK || rec.n_fields == 0)
            break;
        h = mix(h, &rec.line, sizeof rec.line);
        h = mix(h, &rec.offset, sizeof rec.offset);
        for (int64_t i = 0; i < rec.n_fields; i++) {
            h = mix(h, &rec.fields[i].len, sizeof rec.fields[i].len);
            h = mix(h, rec.fields[i].ptr, rec.fields[i].len);
        }
    }
    tsrec__csv_reader_free(r);
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsrec_ctx *ctx = fuzz_ctx_new();
    int fa, fb;
    uint64_t a = read_all(ctx, data, size, 0, 0, &fa);
    uint64_t b = read_all(ctx, data, size, 1, 16, &fb);
    if (fa != fb || (fa == TSREC_OK && a != b))
        abort();
    fuzz_ctx_free(ctx);
    return 0;
}
