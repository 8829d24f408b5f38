/* The object container (container_internal.h): a 48-byte header followed by
 * the zlib-compressed payload, written to and read from stream callbacks.
 *
 * The header carries the compressed length, which is only known once the
 * payload is compressed, so writing compresses into a chain of 64 KiB
 * blocks (one deflate pass, memory proportional to the compressed size) and
 * then hands the header and each block to the writer. Reading never trusts
 * the header beyond its CRC: the output buffer grows with what the stream
 * actually inflates to (never straight to the declared size), and every
 * length is checked against what was really read. Files are written
 * atomically: temp file, fsync, rename, fsync of the folder. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "container_internal.h"

/* zlib level 1: float-heavy payloads (dataset columns) deflate ~3x faster
 * than at zlib's default 6 for files only ~13% larger. */
#define DEFLATE_LEVEL 1
/* Chunk size of the compressed stream, both ways. */
#define CHUNK ((size_t)65536)
/* Sanity cap on a declared payload, whatever the memory limit: 1 TiB. */
#define PAYLOAD_CAP ((uint64_t)1 << 40)
/* First output allocation when inflating; grows by doubling. */
#define INFLATE_START ((size_t)1 << 20)
/* deflate cannot expand data by more than ~1032:1 in reverse. */
#define MAX_INFLATE_RATIO 1032u

static const unsigned char magic[8] = {'T', 'S', 'R', 'E', 'C', '\0', 'O', 'B'};

/* ---- zlib through the ctx allocator ------------------------------------- */

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    size_t n;
    if (tsrec__mul_size(items, size, &n) != 0)
        return Z_NULL;
    return tsrec__alloc(opaque, n);
}

static void z_free(voidpf opaque, voidpf p)
{
    tsrec__free(opaque, p); /* the block header knows its size */
}

static void z_setup(z_stream *zs, tsrec_ctx *ctx)
{
    memset(zs, 0, sizeof *zs);
    zs->zalloc = z_alloc;
    zs->zfree = z_free;
    zs->opaque = ctx;
}

/* ---- header --------------------------------------------------------------- */

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t crc_of(const void *p, size_t n)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    const unsigned char *b = p;
    /* crc32 takes uInt lengths: feed large buffers in pieces. */
    while (n > 0) {
        uInt step = n > (size_t)(UINT_MAX / 2) ? UINT_MAX / 2 : (uInt)n;
        crc = crc32(crc, b, step);
        b += step;
        n -= step;
    }
    return (uint32_t)crc;
}

static const char *type_name(uint32_t t)
{
    switch (t) {
    case TSREC_OBJECT_DATASET_GROUP: return "dataset group";
    case TSREC_OBJECT_PREDICTOR: return "predictor";
    case TSREC_OBJECT_FORECAST: return "forecast";
    case TSREC_OBJECT_SOLUTION: return "solution";
    case TSREC_OBJECT_CAMPAIGN: return "campaign";
    case TSREC_OBJECT_EVENT_TRACKER: return "event tracker";
    case TSREC_OBJECT_FILTER: return "filter";
    default: return "object of unknown type";
    }
}

/* "a"/"an" for type_name(t), so messages read "file holds an event tracker". */
static const char *article(uint32_t t)
{
    return t == TSREC_OBJECT_EVENT_TRACKER || type_name(t)[0] == 'o' ? "an" : "a";
}

/* ---- writing ---------------------------------------------------------------- */

typedef struct block {
    struct block *next;
    size_t len;
    unsigned char data[CHUNK];
} block;

static void free_blocks(tsrec_ctx *ctx, block *b)
{
    while (b != NULL) {
        block *next = b->next;
        tsrec__free(ctx, b);
        b = next;
    }
}

/* Deflate the payload into a chain of blocks; *out_len is the total. */
static int compress_payload(tsrec__handle *eh, tsrec_ctx *ctx, const tsrec__wbuf *b,
                            block **out_head, uint64_t *out_len)
{
    *out_head = NULL;
    *out_len = 0;
    z_stream zs;
    z_setup(&zs, ctx);
    int zr = deflateInit(&zs, DEFLATE_LEVEL);
    if (zr != Z_OK)
        return tsrec__fail(eh, zr == Z_MEM_ERROR ? TSREC_E_NOMEM : TSREC_E_IO,
                           "cannot save: zlib deflateInit failed (%d)", zr);
    block *head = NULL, **tail = &head;
    const unsigned char *in = b->data;
    size_t in_left = b->len;
    uint64_t total = 0;
    int rc = TSREC_OK;
    for (;;) {
        block *blk = tsrec__alloc(ctx, sizeof *blk);
        if (blk == NULL) {
            rc = tsrec__fail(eh, TSREC_E_NOMEM, "cannot save: out of memory compressing");
            break;
        }
        blk->next = NULL;
        blk->len = 0;
        *tail = blk;
        tail = &blk->next;
        zs.next_out = blk->data;
        zs.avail_out = (uInt)CHUNK;
        /* Fill this block, feeding input in uInt-sized steps. */
        do {
            if (zs.avail_in == 0 && in_left > 0) {
                size_t step = in_left > (size_t)(UINT_MAX / 2) ? UINT_MAX / 2 : in_left;
                zs.next_in = (Bytef *)(uintptr_t)in; /* zlib does not write input */
                zs.avail_in = (uInt)step;
                in += step;
                in_left -= step;
            }
            zr = deflate(&zs, in_left == 0 ? Z_FINISH : Z_NO_FLUSH);
        } while (zr == Z_OK && zs.avail_out > 0);
        blk->len = CHUNK - zs.avail_out;
        total += blk->len;
        if (zr == Z_STREAM_END)
            break;
        /* Z_OK: the block is full, take another. Anything else (even
         * Z_BUF_ERROR, impossible with input or room given) stops. */
        if (zr != Z_OK) {
            rc = tsrec__fail(eh, zr == Z_MEM_ERROR ? TSREC_E_NOMEM : TSREC_E_IO,
                             "cannot save: zlib deflate failed (%d)", zr);
            break;
        }
    }
    deflateEnd(&zs);
    if (rc != TSREC_OK) {
        free_blocks(ctx, head);
        return rc;
    }
    *out_head = head;
    *out_len = total;
    return TSREC_OK;
}

int tsrec__container_write(tsrec__handle *eh, uint32_t object_type, uint32_t state_version,
                           const tsrec__wbuf *b, tsrec_write_fn wr, void *user)
{
    if (b == NULL || wr == NULL)
        return tsrec__fail(eh, TSREC_E_MISUSE, "cannot save: %s is NULL",
                           b == NULL ? "payload" : "write callback");
    if (b->status != TSREC_OK)
        return tsrec__fail(eh, b->status, "cannot save: building the %s's payload failed (%s)",
                           type_name(object_type), tsrec_status_str(b->status));
    block *head = NULL;
    uint64_t clen = 0;
    int rc = compress_payload(eh, b->ctx, b, &head, &clen);
    if (rc != TSREC_OK)
        return rc;

    unsigned char h[TSREC__CONTAINER_HEADER];
    memcpy(h, magic, sizeof magic);
    put32(h + 8, TSREC__CONTAINER_FORMAT);
    put32(h + 12, object_type);
    put32(h + 16, state_version);
    put32(h + 20, 0);
    put64(h + 24, (uint64_t)b->len);
    put64(h + 32, clen);
    put32(h + 40, crc_of(b->data, b->len));
    put32(h + 44, crc_of(h, 44));

    uint64_t written = 0;
    if (wr(user, h, sizeof h) != 0) {
        rc = TSREC_E_IO;
    } else {
        written = sizeof h;
        for (const block *blk = head; blk != NULL; blk = blk->next) {
            if (blk->len == 0)
                continue;
            if (wr(user, blk->data, blk->len) != 0) {
                rc = TSREC_E_IO;
                break;
            }
            written += blk->len;
        }
    }
    free_blocks(b->ctx, head);
    if (rc != TSREC_OK)
        return tsrec__fail(eh, rc, "cannot save the %s: the write callback failed after %llu bytes",
                           type_name(object_type), (unsigned long long)written);
    return tsrec__ok(eh);
}

/* ---- reading ---------------------------------------------------------------- */

/* Read up to n bytes (fewer only at the end of the input). */
static int read_full(tsrec_read_fn rd, void *user, unsigned char *buf, size_t n, size_t *got)
{
    *got = 0;
    while (*got < n) {
        size_t k = 0;
        if (rd(user, buf + *got, n - *got, &k) != 0)
            return TSREC_E_IO;
        if (k > n - *got)
            return TSREC_E_IO; /* the reader claimed more than it was given room for */
        if (k == 0)
            break;
        *got += k;
    }
    return TSREC_OK;
}

typedef struct header {
    uint32_t format, type, state, flags;
    uint64_t ulen, clen;
    uint32_t crc;
} header;

/* Read and check the fixed header fields that do not depend on the caller's
 * expectations: magic, header CRC, format version, flags. */
static int read_header(tsrec__handle *eh, tsrec_read_fn rd, void *user, header *hd)
{
    unsigned char h[TSREC__CONTAINER_HEADER];
    size_t got = 0;
    if (read_full(rd, user, h, sizeof h, &got) != TSREC_OK)
        return tsrec__fail(eh, TSREC_E_IO, "cannot load: the read callback failed");
    if (got == 0)
        return tsrec__fail(eh, TSREC_E_FORMAT, "cannot load: the input is empty");
    if (got < sizeof magic || memcmp(h, magic, sizeof magic) != 0) {
        if (got >= 2 && h[0] == 0x1f && h[1] == 0x8b)
            return tsrec__fail(eh, TSREC_E_FORMAT,
                               "not a libtsrec file: it is gzip-compressed (bad magic)");
        return tsrec__fail(eh, TSREC_E_FORMAT, "not a libtsrec file (bad magic)");
    }
    if (got < sizeof h)
        return tsrec__fail(eh, TSREC_E_FORMAT, "truncated libtsrec file: header has %zu of %d bytes",
                           got, TSREC__CONTAINER_HEADER);
    tsrec__rbuf r;
    tsrec__rbuf_init(&r, h + 8, sizeof h - 8);
    hd->format = tsrec__rbuf_u32(&r);
    hd->type = tsrec__rbuf_u32(&r);
    hd->state = tsrec__rbuf_u32(&r);
    hd->flags = tsrec__rbuf_u32(&r);
    hd->ulen = (uint64_t)tsrec__rbuf_i64(&r);
    hd->clen = (uint64_t)tsrec__rbuf_i64(&r);
    hd->crc = tsrec__rbuf_u32(&r);
    uint32_t hcrc = tsrec__rbuf_u32(&r);
    if (hcrc != crc_of(h, 44))
        return tsrec__fail(eh, TSREC_E_FORMAT, "corrupt libtsrec file: header CRC mismatch");
    if (hd->format > TSREC__CONTAINER_FORMAT)
        return tsrec__fail(eh, TSREC_E_VERSION,
                           "file written in container format %u; this libtsrec reads up to %u",
                           (unsigned)hd->format, (unsigned)TSREC__CONTAINER_FORMAT);
    if (hd->format == 0 || hd->flags != 0)
        return tsrec__fail(eh, TSREC_E_FORMAT, "corrupt libtsrec file: bad %s in header",
                           hd->format == 0 ? "format version" : "flags");
    return TSREC_OK;
}

/* Grow the output buffer towards `want` bytes (doubling, never past want). */
static int grow_output(tsrec_ctx *ctx, unsigned char **buf, size_t *cap, size_t want)
{
    size_t ncap = *cap == 0 ? INFLATE_START : (*cap > SIZE_MAX / 2 ? want : *cap * 2);
    if (ncap > want)
        ncap = want;
    unsigned char *p = tsrec__realloc(ctx, *buf, ncap);
    if (p == NULL)
        return TSREC_E_NOMEM;
    *buf = p;
    *cap = ncap;
    return TSREC_OK;
}

/* Inflate exactly hd->clen bytes of input into exactly hd->ulen bytes. */
static int inflate_payload(tsrec__handle *eh, tsrec_ctx *ctx, const header *hd, tsrec_read_fn rd,
                           void *user, unsigned char **out)
{
    *out = NULL;
    size_t ulen = (size_t)hd->ulen;
    unsigned char *inbuf = tsrec__alloc(ctx, CHUNK);
    if (inbuf == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "cannot load: out of memory");
    z_stream zs;
    z_setup(&zs, ctx);
    int zr = inflateInit(&zs);
    if (zr != Z_OK) {
        tsrec__free(ctx, inbuf);
        return tsrec__fail(eh, zr == Z_MEM_ERROR ? TSREC_E_NOMEM : TSREC_E_IO,
                           "cannot load: zlib inflateInit failed (%d)", zr);
    }
    unsigned char *buf = NULL;
    size_t cap = 0, produced = 0;
    uint64_t consumed = 0; /* compressed bytes taken from the reader */
    unsigned char spill[16]; /* catches output beyond the declared length */
    int rc = TSREC_OK;
    for (;;) {
        if (zs.avail_in == 0 && consumed < hd->clen) {
            uint64_t left = hd->clen - consumed;
            size_t want = left < CHUNK ? (size_t)left : CHUNK;
            size_t got = 0;
            if (read_full(rd, user, inbuf, want, &got) != TSREC_OK) {
                rc = tsrec__fail(eh, TSREC_E_IO, "cannot load: the read callback failed");
                break;
            }
            if (got == 0) {
                rc = tsrec__fail(eh, TSREC_E_FORMAT,
                                 "truncated libtsrec file: %llu of %llu compressed bytes",
                                 (unsigned long long)consumed, (unsigned long long)hd->clen);
                break;
            }
            zs.next_in = inbuf;
            zs.avail_in = (uInt)got;
            consumed += got;
        }
        int spilling = 0;
        if (produced == cap && cap < ulen) {
            if (grow_output(ctx, &buf, &cap, ulen) != TSREC_OK) {
                rc = tsrec__fail(eh, TSREC_E_NOMEM, "cannot load: out of memory for a %zu-byte payload",
                                 ulen);
                break;
            }
        }
        if (produced < cap) {
            size_t room = cap - produced;
            zs.next_out = buf + produced;
            zs.avail_out = room > (size_t)(UINT_MAX / 2) ? UINT_MAX / 2 : (uInt)room;
        } else {
            zs.next_out = spill;
            zs.avail_out = (uInt)sizeof spill;
            spilling = 1;
        }
        uInt before = zs.avail_out;
        zr = inflate(&zs, Z_NO_FLUSH);
        size_t made = before - zs.avail_out;
        if (spilling && made > 0) {
            rc = tsrec__fail(eh, TSREC_E_FORMAT,
                             "corrupt libtsrec file: payload longer than the declared %zu bytes", ulen);
            break;
        }
        produced += spilling ? 0 : made;
        if (zr == Z_STREAM_END)
            break;
        if (zr == Z_MEM_ERROR) {
            rc = tsrec__fail(eh, TSREC_E_NOMEM, "cannot load: out of memory in zlib");
            break;
        }
        if (zr == Z_NEED_DICT || zr == Z_DATA_ERROR || zr == Z_STREAM_ERROR) {
            rc = tsrec__fail(eh, TSREC_E_FORMAT, "corrupt libtsrec file: bad compressed data (%s)",
                             zs.msg != NULL ? zs.msg : "zlib error");
            break;
        }
        if (zr == Z_BUF_ERROR && zs.avail_in == 0 && consumed == hd->clen) {
            rc = tsrec__fail(eh, TSREC_E_FORMAT,
                             "corrupt libtsrec file: compressed stream ends before its end marker");
            break;
        }
    }
    inflateEnd(&zs);
    tsrec__free(ctx, inbuf);
    if (rc == TSREC_OK && (zs.avail_in != 0 || consumed != hd->clen))
        rc = tsrec__fail(eh, TSREC_E_FORMAT,
                         "corrupt libtsrec file: compressed stream shorter than the declared %llu bytes",
                         (unsigned long long)hd->clen);
    if (rc == TSREC_OK && produced != ulen)
        rc = tsrec__fail(eh, TSREC_E_FORMAT,
                         "corrupt libtsrec file: payload has %zu bytes, header declares %zu", produced,
                         ulen);
    if (rc != TSREC_OK) {
        tsrec__free(ctx, buf);
        return rc;
    }
    *out = buf;
    return TSREC_OK;
}

int tsrec__container_read(tsrec__handle *eh, tsrec_ctx *ctx, uint32_t object_type,
                          uint32_t max_state_version, tsrec_read_fn rd, void *user,
                          tsrec__payload *out)
{
    if (out != NULL) {
        out->ctx = ctx;
        out->data = NULL;
        out->len = 0;
        out->state_version = 0;
    }
    if (ctx == NULL || rd == NULL || out == NULL)
        return tsrec__fail(eh, TSREC_E_MISUSE, "cannot load: %s is NULL",
                           ctx == NULL ? "ctx" : rd == NULL ? "read callback" : "output");
    header hd;
    memset(&hd, 0, sizeof hd); /* gcc -O3 cannot see read_header fills it */
    int rc = read_header(eh, rd, user, &hd);
    if (rc != TSREC_OK)
        return rc;
    if (hd.type != object_type)
        return tsrec__fail(eh, TSREC_E_FORMAT, "file holds %s %s, not %s %s", article(hd.type),
                           type_name(hd.type), article(object_type), type_name(object_type));
    if (hd.state > max_state_version)
        return tsrec__fail(eh, TSREC_E_VERSION,
                           "file holds a %s of state version %u; this libtsrec reads up to %u",
                           type_name(hd.type), (unsigned)hd.state, (unsigned)max_state_version);
    if (hd.state == 0)
        return tsrec__fail(eh, TSREC_E_FORMAT, "corrupt libtsrec file: state version 0");
    if (hd.ulen > PAYLOAD_CAP || hd.ulen > (uint64_t)SIZE_MAX - 1)
        return tsrec__fail(eh, TSREC_E_FORMAT, "corrupt libtsrec file: declared payload of %llu bytes",
                           (unsigned long long)hd.ulen);
    if (ctx->memory_limit != 0 && hd.ulen > ctx->memory_limit)
        return tsrec__fail(eh, TSREC_E_NOMEM,
                           "cannot load: the %s's payload (%llu bytes) exceeds the ctx memory limit "
                           "(%zu bytes)",
                           type_name(hd.type), (unsigned long long)hd.ulen, ctx->memory_limit);
    /* A zlib stream is at least a few bytes, expands at most ~1032x and
     * grows incompressible data only slightly: other sizes are lies. */
    if (hd.clen < 8 || hd.ulen / MAX_INFLATE_RATIO > hd.clen ||
        hd.clen > (uint64_t)compressBound((uLong)TSREC__MIN(hd.ulen, (uint64_t)ULONG_MAX / 2)) + 64)
        return tsrec__fail(eh, TSREC_E_FORMAT,
                           "corrupt libtsrec file: %llu compressed bytes cannot hold %llu bytes",
                           (unsigned long long)hd.clen, (unsigned long long)hd.ulen);
    unsigned char *data = NULL;
    rc = inflate_payload(eh, ctx, &hd, rd, user, &data);
    if (rc != TSREC_OK)
        return rc;
    /* The container ends with the zlib stream: anything after it means the
     * input is not what the header describes. */
    unsigned char extra[1];
    size_t got = 0;
    if (read_full(rd, user, extra, sizeof extra, &got) != TSREC_OK)
        rc = tsrec__fail(eh, TSREC_E_IO, "cannot load: the read callback failed");
    else if (got != 0)
        rc = tsrec__fail(eh, TSREC_E_FORMAT, "corrupt libtsrec file: trailing data after the payload");
    else if (crc_of(data, (size_t)hd.ulen) != hd.crc)
        rc = tsrec__fail(eh, TSREC_E_FORMAT, "corrupt libtsrec file: payload CRC mismatch");
    if (rc != TSREC_OK) {
        tsrec__free(ctx, data);
        return rc;
    }
    out->data = data;
    out->len = (size_t)hd.ulen;
    out->state_version = hd.state;
    return tsrec__ok(eh);
}

void tsrec__payload_free(tsrec__payload *p)
{
    if (p == NULL)
        return;
    tsrec__free(p->ctx, p->data);
    p->data = NULL;
    p->len = 0;
}


/* ---- files ------------------------------------------------------------------ */

/* A file descriptor as a stream; err keeps the errno of a failure so the
 * message can name it. */
typedef struct fd_stream {
    int fd;
    int err;
} fd_stream;

/* Large transfers go in pieces: some systems cap a single read/write. */
#define IO_STEP ((size_t)1 << 30)

static int fd_write(void *user, const void *data, size_t len)
{
    fd_stream *f = user;
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t n = write(f->fd, p, len > IO_STEP ? IO_STEP : len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            f->err = n < 0 ? errno : EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fd_read(void *user, void *buf, size_t cap, size_t *out_len)
{
    fd_stream *f = user;
    *out_len = 0;
    for (;;) {
        ssize_t n = read(f->fd, buf, cap > IO_STEP ? IO_STEP : cap);
        if (n >= 0) {
            *out_len = (size_t)n;
            return 0;
        }
        if (errno != EINTR) {
            f->err = errno;
            return -1;
        }
    }
}

static int fail_errno(tsrec__handle *eh, const char *what, const char *path, int err)
{
    return tsrec__fail(eh, TSREC_E_IO, "cannot %s '%s': %s", what, path, strerror(err));
}

/* The folder holding path, into dir (at least strlen(path) + 2 bytes). */
static void folder_of(const char *path, char *dir)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash == NULL ? 1 : (slash == path ? 1 : (size_t)(slash - path));
    if (slash == NULL)
        dir[0] = '.';
    else
        memcpy(dir, path, n);
    dir[n] = '\0';
}

/* fsync a folder, so a rename inside it survives a crash. */
static int sync_folder(tsrec__handle *eh, const char *dir)
{
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail_errno(eh, "open the folder", dir, errno);
    int rc = TSREC_OK;
    /* Some file systems cannot sync folders (EINVAL): nothing to do. */
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        rc = fail_errno(eh, "sync the folder", dir, errno);
    close(fd);
    return rc;
}

int tsrec__container_save(tsrec__handle *eh, uint32_t object_type, uint32_t state_version,
                          const tsrec__wbuf *b, const char *path)
{
    if (b == NULL || path == NULL || path[0] == '\0')
        return tsrec__fail(eh, TSREC_E_MISUSE, "cannot save: %s",
                           b == NULL ? "payload is NULL" : "path is NULL or empty");
    if (b->status != TSREC_OK)
        return tsrec__fail(eh, b->status, "cannot save '%s': building the payload failed (%s)", path,
                           tsrec_status_str(b->status));
    tsrec_ctx *ctx = b->ctx;
    /* One block for the temp name and the folder name, taken before
     * anything touches the disk: no allocation can fail after the rename. */
    size_t plen = strlen(path), cap = plen + 32;
    char *tmp = plen < SIZE_MAX / 2 - 32 ? tsrec__alloc(ctx, 2 * cap) : NULL;
    if (tmp == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "cannot save '%s': out of memory", path);
    char *dir = tmp + cap;
    snprintf(tmp, cap, "%s.tmp-%ld", path, (long)getpid());
    folder_of(path, dir);

    int flags = O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC;
    int fd = open(tmp, flags, 0644);
    if (fd < 0 && errno == EEXIST) {
        /* Left by a save of an earlier process with our pid that died
         * before its rename: nobody else can be writing it. */
        unlink(tmp);
        fd = open(tmp, flags, 0644);
    }
    if (fd < 0) {
        int rc = fail_errno(eh, "create", tmp, errno);
        tsrec__free(ctx, tmp);
        return rc;
    }
    fd_stream f = {fd, 0};
    int rc = tsrec__container_write(eh, object_type, state_version, b, fd_write, &f);
    if (rc == TSREC_E_IO && f.err != 0)
        rc = fail_errno(eh, "write", tmp, f.err);
    if (rc == TSREC_OK && fsync(fd) != 0)
        rc = fail_errno(eh, "sync", tmp, errno);
    if (close(fd) != 0 && rc == TSREC_OK)
        rc = fail_errno(eh, "close", tmp, errno);
    if (rc == TSREC_OK && rename(tmp, path) != 0)
        rc = fail_errno(eh, "rename the temp file over", path, errno);
    if (rc != TSREC_OK)
        unlink(tmp); /* path keeps its old content */
    if (rc == TSREC_OK)
        rc = sync_folder(eh, dir);
    tsrec__free(ctx, tmp);
    return rc == TSREC_OK ? tsrec__ok(eh) : rc;
}

int tsrec__container_load(tsrec__handle *eh, tsrec_ctx *ctx, uint32_t object_type,
                          uint32_t max_state_version, const char *path, tsrec__payload *out)
{
    if (out != NULL) {
        out->ctx = ctx;
        out->data = NULL;
        out->len = 0;
        out->state_version = 0;
    }
    if (ctx == NULL || path == NULL || out == NULL)
        return tsrec__fail(eh, TSREC_E_MISUSE, "cannot load: %s is NULL",
                           ctx == NULL ? "ctx" : path == NULL ? "path" : "output");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail_errno(eh, "open", path, errno);
    fd_stream f = {fd, 0};
    /* Collect the container's message to prefix it with the path. */
    tsrec__handle msg;
    tsrec__handle_init(&msg, 0, ctx);
    int rc = tsrec__container_read(&msg, ctx, object_type, max_state_version, fd_read, &f, out);
    close(fd);
    if (rc == TSREC_E_IO && f.err != 0)
        return fail_errno(eh, "read", path, f.err);
    if (rc != TSREC_OK)
        return tsrec__fail(eh, rc, "%s: %s", path, msg.errmsg);
    return tsrec__ok(eh);
}

int tsrec_file_info(tsrec_ctx *ctx, const char *path, int32_t *out_object_type,
                    int32_t *out_format_version, int32_t *out_state_version)
{
    TSREC__CHECK(ctx, TSREC__MAGIC_CTX, "tsrec_file_info", "ctx");
    tsrec__handle *eh = &ctx->hdr;
    if (path == NULL || out_object_type == NULL || out_format_version == NULL ||
        out_state_version == NULL)
        return tsrec__fail(eh, TSREC_E_MISUSE, "tsrec_file_info: %s is NULL",
                           path == NULL ? "path" : "an output pointer");
    *out_object_type = 0;
    *out_format_version = 0;
    *out_state_version = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail_errno(eh, "open", path, errno);
    fd_stream f = {fd, 0};
    tsrec__handle msg;
    tsrec__handle_init(&msg, 0, ctx);
    header hd;
    memset(&hd, 0, sizeof hd); /* gcc -O3 cannot see read_header fills it */
    int rc = read_header(&msg, fd_read, &f, &hd);
    close(fd);
    if (rc == TSREC_E_IO && f.err != 0)
        return fail_errno(eh, "read", path, f.err);
    if (rc != TSREC_OK)
        return tsrec__fail(eh, rc, "%s: %s", path, msg.errmsg);
    /* Header fields are u32 on disk; values past INT32_MAX are corrupt
     * even with a matching CRC. */
    if (hd.type > (uint32_t)INT32_MAX || hd.state > (uint32_t)INT32_MAX)
        return tsrec__fail(eh, TSREC_E_FORMAT, "%s: corrupt libtsrec header", path);
    *out_object_type = (int32_t)hd.type;
    *out_format_version = (int32_t)hd.format;
    *out_state_version = (int32_t)hd.state;
    return tsrec__ok(eh);
}

int tsrec__container_save_any(tsrec__handle *eh, uint32_t object_type, uint32_t state_version,
                              tsrec__wbuf *b, const char *path, tsrec_write_fn write,
                              void *user)
{
    int rc;
    if (b->status != TSREC_OK)
        rc = tsrec__fail(eh, b->status, "save: out of memory building the payload");
    else if (path != NULL)
        rc = tsrec__container_save(eh, object_type, state_version, b, path);
    else
        rc = tsrec__container_write(eh, object_type, state_version, b, write, user);
    tsrec__wbuf_free(b);
    return rc;
}

int tsrec__container_load_any(tsrec__handle *eh, tsrec_ctx *ctx, uint32_t object_type,
                              uint32_t max_state_version, const char *path, tsrec_read_fn read,
                              void *user, tsrec__payload *out)
{
    if (path != NULL)
        return tsrec__container_load(eh, ctx, object_type, max_state_version, path, out);
    return tsrec__container_read(eh, ctx, object_type, max_state_version, read, user, out);
}
