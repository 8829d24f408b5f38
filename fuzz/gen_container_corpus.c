/* Writes the seed corpus of container_fuzzer into the folder named on the
 * command line (fuzz/corpus/container), using the library's own writer:
 *   build/fuzz/gen_container_corpus fuzz/corpus/container
 * Payloads are op streams in the format container_fuzzer.c decodes (an op
 * byte, then the value written by the matching tsrec__wbuf call). Besides
 * valid containers of every object type and layout, it writes truncated,
 * bit-flipped, patched-header and foreign inputs, and raw op streams. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "container_internal.h"

/* Op codes of container_fuzzer.c (op % 14). */
enum { OP_U8, OP_U32, OP_I32, OP_I64, OP_F64, OP_STR, OP_STR_INTO, OP_I32S, OP_I64S, OP_F32S,
       OP_F64S, OP_U8S, OP_COUNT, OP_SPAN };

static const char *out_dir;

static void die(const char *what)
{
    fprintf(stderr, "gen_container_corpus: %s\n", what);
    exit(1);
}

static void save(const char *name, const void *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        die(path);
}

/* A container of payload b in memory (malloc'd). */
static unsigned char *contain(uint32_t type, uint32_t state, const tsrec__wbuf *b, size_t *len)
{
    tsrec_membuf q = {NULL, 0, 0, 0};
    if (tsrec__container_write(NULL, type, state, b, tsrec_membuf_write, &q) != TSREC_OK)
        die("size query failed");
    tsrec_membuf m = {malloc(q.len + 16), q.len + 16, 0, 0};
    if (m.data == NULL || tsrec__container_write(NULL, type, state, b, tsrec_membuf_write, &m) != TSREC_OK)
        die("write failed");
    *len = m.len;
    return m.data;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Change a header field and fix the header CRC. */
static void patch(unsigned char *file, size_t off, uint32_t v)
{
    put32(file + off, v);
    put32(file + 44, (uint32_t)crc32(0L, file, 44));
}

/* One op of every kind, valid. */
static void all_ops(tsrec__wbuf *b, int variant)
{
    static const int32_t i32[] = {1, -1, INT32_MIN, INT32_MAX};
    static const int64_t i64[] = {INT64_MIN, -1, 0, INT64_MAX};
    static const float f32[] = {0.5f, -0.0f, 1e30f};
    static const double f64[] = {1.5, -0.0, 1e-310, 6.02e23};
    static const uint8_t u8[] = {0, 1, 255};
    tsrec__wbuf_u8(b, OP_U8);
    tsrec__wbuf_u8(b, (uint8_t)variant);
    tsrec__wbuf_u8(b, OP_U32);
    tsrec__wbuf_u32(b, 0xdeadbeefu);
    tsrec__wbuf_u8(b, OP_I32);
    tsrec__wbuf_i32(b, -7 * variant);
    tsrec__wbuf_u8(b, OP_I64);
    tsrec__wbuf_i64(b, INT64_MIN + variant);
    tsrec__wbuf_u8(b, OP_F64);
    tsrec__wbuf_f64(b, variant * 0.25);
    tsrec__wbuf_u8(b, OP_STR);
    tsrec__wbuf_str(b, variant % 2 ? "item_id" : NULL);
    tsrec__wbuf_u8(b, OP_STR);
    tsrec__wbuf_str(b, "");
    tsrec__wbuf_u8(b, OP_STR_INTO);
    tsrec__wbuf_str(b, "fits in 16");
    tsrec__wbuf_u8(b, OP_I32S);
    tsrec__wbuf_i32s(b, i32, 4);
    tsrec__wbuf_u8(b, OP_I64S);
    tsrec__wbuf_i64s(b, i64, 4);
    tsrec__wbuf_u8(b, OP_F32S);
    tsrec__wbuf_f32s(b, f32, 3);
    tsrec__wbuf_u8(b, OP_F64S);
    tsrec__wbuf_f64s(b, f64, 4);
    tsrec__wbuf_u8(b, OP_U8S);
    tsrec__wbuf_u8s(b, u8, 3);
    tsrec__wbuf_u8(b, OP_U8S);
    tsrec__wbuf_u8s(b, NULL, 0);
    tsrec__wbuf_u8(b, OP_COUNT);
    tsrec__wbuf_u8(b, 8);
    tsrec__wbuf_i64(b, 1);
    tsrec__wbuf_f64(b, 3.0);
    tsrec__wbuf_u8(b, OP_SPAN);
    tsrec__wbuf_u8(b, 4);
    tsrec__wbuf_u32(b, 0);
}

/* Ops whose values are corrupt: counts and lengths that do not fit. */
static void bad_ops(tsrec__wbuf *b, int which)
{
    switch (which) {
    case 0: tsrec__wbuf_u8(b, OP_F64S); tsrec__wbuf_i64(b, INT64_MAX); break;
    case 1: tsrec__wbuf_u8(b, OP_I32S); tsrec__wbuf_i64(b, -3); break;
    case 2: tsrec__wbuf_u8(b, OP_STR); tsrec__wbuf_i64(b, -5); break;
    case 3: tsrec__wbuf_u8(b, OP_STR); tsrec__wbuf_i64(b, 3); tsrec__wbuf_bytes(b, "a\0b", 3); break;
    case 4: tsrec__wbuf_u8(b, OP_STR_INTO); tsrec__wbuf_str(b, "a string longer than sixteen"); break;
    case 5: tsrec__wbuf_u8(b, OP_U8S); tsrec__wbuf_i64(b, 100); tsrec__wbuf_u32(b, 1); break;
    case 6: tsrec__wbuf_u8(b, OP_COUNT); tsrec__wbuf_u8(b, 0); tsrec__wbuf_i64(b, 1000); break;
    default: tsrec__wbuf_u8(b, OP_I64); tsrec__wbuf_u32(b, 1); break; /* over-read */
    }
}

int main(int argc, char **argv)
{
    if (argc != 2)
        die("usage: gen_container_corpus <folder>");
    out_dir = argv[1];
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK)
        die("no ctx");
    char name[64];
    size_t len;
    unsigned char *f;

    /* Valid containers of every object type, state versions 1..3. */
    for (uint32_t type = TSREC_OBJECT_DATASET_GROUP; type <= TSREC_OBJECT_FILTER; type++) {
        tsrec__wbuf b;
        tsrec__wbuf_init(&b, ctx);
        all_ops(&b, (int)type);
        f = contain(type, 1 + type % 3, &b, &len);
        snprintf(name, sizeof name, "valid_type%u.tsrec", (unsigned)type);
        save(name, f, len);
        if (type == TSREC_OBJECT_DATASET_GROUP) {
            save("raw_ops.bin", b.data, b.len); /* the op stream on its own */
            /* Damaged copies of one valid file. */
            save("trunc_empty.tsrec", f, 0);
            save("trunc_magic.tsrec", f, 6);
            save("trunc_header.tsrec", f, 30);
            save("trunc_header_only.tsrec", f, TSREC__CONTAINER_HEADER);
            save("trunc_mid_stream.tsrec", f, TSREC__CONTAINER_HEADER + (len - TSREC__CONTAINER_HEADER) / 2);
            save("trunc_last_byte.tsrec", f, len - 1);
            unsigned char *c = malloc(len + 4);
            if (c == NULL)
                die("oom");
            const size_t flips[] = {3, 14, 26, 41, 46, 50, len / 2 + 24, len - 3};
            for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
                memcpy(c, f, len);
                c[flips[i]] ^= 0x10;
                snprintf(name, sizeof name, "flip_byte%zu.tsrec", flips[i]);
                save(name, c, len);
            }
            memcpy(c, f, len);
            memcpy(c + len, "junk", 4);
            save("trailing_garbage.tsrec", c, len + 4);
            const struct {
                const char *name;
                size_t off;
                uint32_t v;
            } patches[] = {
                {"newer_format.tsrec", 8, TSREC__CONTAINER_FORMAT + 1},
                {"format_zero.tsrec", 8, 0},
                {"newer_state.tsrec", 16, 4},
                {"state_zero.tsrec", 16, 0},
                {"unknown_type.tsrec", 12, 42},
                {"flags_set.tsrec", 20, 1},
                {"ulen_plus_one.tsrec", 24, (uint32_t)b.len + 1},
                {"ulen_minus_one.tsrec", 24, (uint32_t)b.len - 1},
                {"ulen_huge.tsrec", 28, 0x100},
                {"clen_plus_one.tsrec", 32, (uint32_t)(len - TSREC__CONTAINER_HEADER) + 1},
                {"clen_minus_one.tsrec", 32, (uint32_t)(len - TSREC__CONTAINER_HEADER) - 1},
                {"payload_crc.tsrec", 40, 0x12345678u},
            };
            for (size_t i = 0; i < sizeof patches / sizeof patches[0]; i++) {
                memcpy(c, f, len);
                patch(c, patches[i].off, patches[i].v);
                save(patches[i].name, c, len);
            }
            free(c);
        }
        free(f);
        tsrec__wbuf_free(&b);
    }

    /* Empty payload. */
    tsrec__wbuf b;
    tsrec__wbuf_init(&b, ctx);
    f = contain(TSREC_OBJECT_FORECAST, 1, &b, &len);
    save("valid_empty.tsrec", f, len);
    free(f);

    /* Corrupt values inside valid containers, and as raw op streams. */
    for (int which = 0; which < 8; which++) {
        b.len = 0;
        all_ops(&b, which);
        bad_ops(&b, which);
        f = contain(TSREC_OBJECT_SOLUTION, 2, &b, &len);
        snprintf(name, sizeof name, "bad_value%d.tsrec", which);
        save(name, f, len);
        free(f);
        snprintf(name, sizeof name, "raw_bad_value%d.bin", which);
        save(name, b.data, b.len);
    }

    /* More than one 64 KiB chunk of compressed stream: incompressible
     * bytes in one u8 array. */
    b.len = 0;
    uint8_t *noise = malloc(70000);
    if (noise == NULL)
        die("oom");
    uint64_t s = 7;
    for (size_t i = 0; i < 70000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        noise[i] = (uint8_t)(s >> 56);
    }
    tsrec__wbuf_u8(&b, OP_U8S);
    tsrec__wbuf_u8s(&b, noise, 70000);
    free(noise);
    f = contain(TSREC_OBJECT_CAMPAIGN, 1, &b, &len);
    save("valid_multi_chunk.tsrec", f, len);
    free(f);
    tsrec__wbuf_free(&b);

    /* Foreign inputs. */
    static const char text[] = "item_id,user_id\n1,2\n";
    save("foreign_text.csv", text, sizeof text - 1);
    unsigned char gz[128];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        die("zlib");
    zs.next_in = (Bytef *)(uintptr_t)text;
    zs.avail_in = (uInt)(sizeof text - 1);
    zs.next_out = gz;
    zs.avail_out = sizeof gz;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        die("zlib");
    save("foreign_gzip.gz", gz, sizeof gz - zs.avail_out);
    deflateEnd(&zs);

    tsrec_ctx_free(ctx);
    return 0;
}
