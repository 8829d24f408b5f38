/* Fuzz target for the object container and the payload reader.
 *
 * The input is read twice: as a container (tsrec__container_read, with the
 * object type taken from the input's own header so the fuzzer gets past the
 * type check), and as a raw payload. Either payload is then decoded as a
 * stream of "op byte + value" reads, one tsrec__rbuf call per op, checking
 * the reader's invariants: it never moves past its end, a failed reader
 * returns zeros, and every allocation is freed. A container that loads is
 * written again and must read back byte-identical. fuzz/gen_container_corpus.c
 * writes the seed corpus in this op format. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container_internal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Highest state version the target accepts (the corpus has newer ones). */
#define FUZZ_MAX_STATE 3

static void check(int ok)
{
    if (!ok)
        abort();
}

/* One decoded array: status rules shared by every typed reader. */
static void check_array(tsrec__rbuf *r, int rc, const void *p, int64_t n)
{
    check(rc == TSREC_OK || rc == TSREC_E_FORMAT || rc == TSREC_E_NOMEM);
    if (rc != TSREC_OK)
        check(p == NULL && n == 0);
    else
        check((n == 0) == (p == NULL) && n >= 0);
    check(r->pos <= r->len);
}

/* Decode data as ops until the reader fails or runs out. */
static void run_ops(tsrec_ctx *ctx, const unsigned char *data, size_t len)
{
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, data, len);
    while (!r.failed && r.pos < r.len) {
        uint8_t op = tsrec__rbuf_u8(&r);
        int rc;
        int64_t n = -1;
        switch (op % 14) {
        case 0: (void)tsrec__rbuf_u8(&r); break;
        case 1: (void)tsrec__rbuf_u32(&r); break;
        case 2: (void)tsrec__rbuf_i32(&r); break;
        case 3: (void)tsrec__rbuf_i64(&r); break;
        case 4: {
            double v = tsrec__rbuf_f64(&r);
            if (r.failed)
                check(v == 0.0);
            break;
        }
        case 5: {
            char *s = (char *)&r;
            rc = tsrec__rbuf_str(&r, ctx, &s);
            check(rc == TSREC_OK || rc == TSREC_E_FORMAT || rc == TSREC_E_NOMEM);
            check(rc == TSREC_OK || s == NULL);
            check(rc != TSREC_E_FORMAT || r.failed);
            if (s != NULL)
                check(strlen(s) <= r.pos);
            tsrec__free(ctx, s);
            break;
        }
        case 6: {
            char buf[16];
            rc = tsrec__rbuf_str_into(&r, buf, sizeof buf);
            check(rc == TSREC_OK || rc == TSREC_E_FORMAT);
            check(strlen(buf) < sizeof buf);
            break;
        }
        case 7: {
            int32_t *p = NULL;
            rc = tsrec__rbuf_i32s(&r, ctx, &p, &n);
            check_array(&r, rc, p, n);
            tsrec__free(ctx, p);
            break;
        }
        case 8: {
            int64_t *p = NULL;
            rc = tsrec__rbuf_i64s(&r, ctx, &p, &n);
            check_array(&r, rc, p, n);
            tsrec__free(ctx, p);
            break;
        }
        case 9: {
            float *p = NULL;
            rc = tsrec__rbuf_f32s(&r, ctx, &p, &n);
            check_array(&r, rc, p, n);
            tsrec__free(ctx, p);
            break;
        }
        case 10: {
            double *p = NULL;
            rc = tsrec__rbuf_f64s(&r, ctx, &p, &n);
            check_array(&r, rc, p, n);
            tsrec__free(ctx, p);
            break;
        }
        case 11: {
            uint8_t *p = NULL;
            rc = tsrec__rbuf_u8s(&r, ctx, &p, &n);
            check_array(&r, rc, p, n);
            tsrec__free(ctx, p);
            break;
        }
        case 12: {
            size_t elem = tsrec__rbuf_u8(&r) % 17;
            n = tsrec__rbuf_count(&r, elem);
            check(n >= -1 && (n == -1) == (r.failed != 0));
            /* The count is read, its elements not: they must still fit. */
            if (n >= 0)
                check((uint64_t)n * (elem ? elem : 1) <= r.len - r.pos);
            break;
        }
        default: {
            size_t want = tsrec__rbuf_u8(&r);
            size_t left = r.len - r.pos;
            const void *p = tsrec__rbuf_span(&r, want);
            check((p != NULL) == (!r.failed && want <= left));
            break;
        }
        }
        check(r.pos <= r.len);
        if (r.failed)
            check(tsrec__rbuf_u32(&r) == 0 && tsrec__rbuf_span(&r, 0) == NULL);
    }
}

/* A loaded payload saved again must load back byte-identical. */
static void round_trip(tsrec_ctx *ctx, uint32_t type, const tsrec__payload *p)
{
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    tsrec__wbuf_bytes(&b, p->data, p->len);
    tsrec_membuf q = {NULL, 0, 0, 0};
    check(tsrec__container_write(NULL, type, p->state_version, &b, tsrec_membuf_write, &q) == TSREC_OK);
    tsrec_membuf m = {malloc(q.len), q.len, 0, 0};
    check(m.data != NULL);
    check(tsrec__container_write(NULL, type, p->state_version, &b, tsrec_membuf_write, &m) == TSREC_OK);
    check(m.len == q.len);
    tsrec__payload again;
    m.pos = 0;
    check(tsrec__container_read(NULL, ctx, type, p->state_version, tsrec_membuf_read, &m, &again) ==
          TSREC_OK);
    check(again.len == p->len && again.state_version == p->state_version);
    check(p->len == 0 || memcmp(again.data, p->data, p->len) == 0);
    tsrec__payload_free(&again);
    free(m.data);
    tsrec__wbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsrec_ctx *ctx = fuzz_ctx_new();
    /* Keep hostile sizes from exhausting the fuzzer's memory. */
    if (tsrec_ctx_set_memory_limit(ctx, (size_t)256 << 20) != TSREC_OK)
        abort();
    uint32_t type = TSREC_OBJECT_DATASET_GROUP;
    if (size >= 16)
        type = (uint32_t)data[12] | (uint32_t)data[13] << 8 | (uint32_t)data[14] << 16 |
               (uint32_t)data[15] << 24;

    tsrec_membuf m = {(void *)(uintptr_t)data, size, size, 0};
    tsrec__payload p;
    int rc = tsrec__container_read(NULL, ctx, type, FUZZ_MAX_STATE, tsrec_membuf_read, &m, &p);
    if (rc == TSREC_OK) {
        check(p.state_version >= 1 && p.state_version <= FUZZ_MAX_STATE);
        check(p.len == 0 || p.data != NULL);
        run_ops(ctx, p.data, p.len);
        round_trip(ctx, type, &p);
        tsrec__payload_free(&p);
    } else {
        check(rc == TSREC_E_FORMAT || rc == TSREC_E_VERSION || rc == TSREC_E_NOMEM);
        check(p.data == NULL && p.len == 0);
    }
    /* The raw bytes as a payload too, so the reader is fuzzed without the
     * fuzzer having to forge CRCs. */
    run_ops(ctx, data, size);
    fuzz_ctx_free(ctx);
    return 0;
}
