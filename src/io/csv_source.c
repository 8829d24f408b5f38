/* Byte sources for the CSV reader: memory, file, and gzip with
 * auto-detection (see csv_internal.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "csv_internal.h"

/* Compressed input is read in chunks of this size; the decoded bytes go
 * straight into the caller's buffer, so memory stays fixed whatever the
 * file size. */
#define GZ_IN_BYTES ((size_t)64 << 10)

void tsrec__source_free(tsrec__source *s)
{
    if (s != NULL)
        s->destroy(s);
}

static void sys_reason(int err, char *buf, size_t cap)
{
    /* XSI strerror_r (we do not define _GNU_SOURCE): thread-safe. */
    if (strerror_r(err, buf, cap) != 0)
        snprintf(buf, cap, "error %d", err);
}

/* ---- memory ------------------------------------------------------------- */

typedef struct mem_src {
    tsrec__source base;
    const unsigned char *data;
    size_t len, pos, max_read;
} mem_src;

static int mem_read(tsrec__source *s, tsrec__handle *eh, unsigned char *buf, size_t cap,
                    size_t *out_n)
{
    (void)eh;
    mem_src *m = (mem_src *)s;
    size_t n = TSREC__MIN(cap, m->len - m->pos);
    if (m->max_read > 0 && n > m->max_read)
        n = m->max_read;
    if (n > 0)
        memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    *out_n = n;
    return TSREC_OK;
}

static void mem_destroy(tsrec__source *s)
{
    tsrec__free(s->ctx, s);
}

int tsrec__source_memory(tsrec_ctx *ctx, tsrec__handle *eh, const void *data, size_t len,
                         size_t max_read, tsrec__source **out)
{
    *out = NULL;
    if (data == NULL && len > 0)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "memory source: NULL data with length %zu", len);
    mem_src *m = tsrec__calloc(ctx, 1, sizeof *m);
    if (m == NULL)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory creating a memory source");
    m->base.read = mem_read;
    m->base.destroy = mem_destroy;
    m->base.ctx = ctx;
    m->data = data;
    m->len = data == NULL ? 0 : len;
    m->max_read = max_read;
    *out = &m->base;
    return TSREC_OK;
}

/* ---- file --------------------------------------------------------------- */

typedef struct file_src {
    tsrec__source base;
    int fd;
    char *path;
} file_src;

static int file_read(tsrec__source *s, tsrec__handle *eh, unsigned char *buf, size_t cap,
                     size_t *out_n)
{
    file_src *f = (file_src *)s;
    if (cap > (size_t)INT_MAX)
        cap = (size_t)INT_MAX;
    for (;;) {
        ssize_t n = read(f->fd, buf, cap);
        if (n >= 0) {
            *out_n = (size_t)n;
            return TSREC_OK;
        }
        if (errno == EINTR)
            continue;
        char why[128];
        sys_reason(errno, why, sizeof why);
        *out_n = 0;
        return tsrec__fail(eh, TSREC_E_IO, "cannot read '%s': %s", f->path, why);
    }
}

static void file_destroy(tsrec__source *s)
{
    file_src *f = (file_src *)s;
    if (f->fd >= 0)
        close(f->fd);
    tsrec__free(s->ctx, f->path);
    tsrec__free(s->ctx, f);
}

int tsrec__source_file(tsrec_ctx *ctx, tsrec__handle *eh, const char *path,
                       tsrec__source **out)
{
    *out = NULL;
    if (path == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "file source: NULL path");
    file_src *f = tsrec__calloc(ctx, 1, sizeof *f);
    char *copy = tsrec__strdup(ctx, path);
    if (f == NULL || copy == NULL) {
        tsrec__free(ctx, f);
        tsrec__free(ctx, copy);
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory opening '%s'", path);
    }
    int fd;
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        char why[128];
        sys_reason(errno, why, sizeof why);
        tsrec__free(ctx, f);
        tsrec__free(ctx, copy);
        return tsrec__fail(eh, TSREC_E_IO, "cannot open '%s': %s", path, why);
    }
    f->base.read = file_read;
    f->base.destroy = file_destroy;
    f->base.ctx = ctx;
    f->fd = fd;
    f->path = copy;
    *out = &f->base;
    return TSREC_OK;
}

/* ---- gzip auto-detection and inflate ------------------------------------ */

enum { AUTO_UNDECIDED, AUTO_PLAIN, AUTO_GZIP_MEMBER, AUTO_GZIP_BETWEEN };

typedef struct auto_src {
    tsrec__source base;
    tsrec__source *inner;
    char *name;             /* for messages; "input" when none was given */
    unsigned char *in;      /* GZ_IN_BYTES */
    size_t in_len, in_pos;  /* valid bytes in `in`, next unread */
    uint64_t in_base;       /* offset of in[0] in the compressed input */
    int inner_eof;
    int mode;
    int z_ready;            /* inflateInit2 done */
    z_stream zs;
} auto_src;

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    size_t bytes;
    if (tsrec__mul_size(items, size, &bytes) != 0)
        return Z_NULL;
    return tsrec__alloc((tsrec_ctx *)opaque, bytes);
}

static void z_free(voidpf opaque, voidpf p)
{
    tsrec__free((tsrec_ctx *)opaque, p);
}

/* Read more compressed bytes after the ones not yet consumed. */
static int auto_fill(auto_src *a, tsrec__handle *eh)
{
    if (a->in_pos > 0) {
        memmove(a->in, a->in + a->in_pos, a->in_len - a->in_pos);
        a->in_base += a->in_pos;
        a->in_len -= a->in_pos;
        a->in_pos = 0;
    }
    if (a->inner_eof || a->in_len == GZ_IN_BYTES)
        return TSREC_OK;
    size_t n = 0;
    int rc = a->inner->read(a->inner, eh, a->in + a->in_len, GZ_IN_BYTES - a->in_len, &n);
    if (rc != TSREC_OK)
        return rc;
    if (n == 0)
        a->inner_eof = 1;
    a->in_len += n;
    return TSREC_OK;
}

static int auto_decide(auto_src *a, tsrec__handle *eh)
{
    /* Two bytes decide; a source may deliver them one at a time. */
    while (a->in_len < 2 && !a->inner_eof) {
        int rc = auto_fill(a, eh);
        if (rc != TSREC_OK)
            return rc;
    }
    if (a->in_len < 2 || a->in[0] != 0x1f || a->in[1] != 0x8b) {
        a->mode = AUTO_PLAIN;
        return TSREC_OK;
    }
    memset(&a->zs, 0, sizeof a->zs);
    a->zs.zalloc = z_alloc;
    a->zs.zfree = z_free;
    a->zs.opaque = a->base.ctx;
    int zr = inflateInit2(&a->zs, 15 + 16); /* 16: gzip wrapper only */
    if (zr == Z_MEM_ERROR)
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory starting gzip decoding of %s",
                           a->name);
    if (zr != Z_OK)
        return tsrec__fail(eh, TSREC_E_FORMAT, "cannot start gzip decoding of %s (zlib %d)",
                           a->name, zr);
    a->z_ready = 1;
    a->mode = AUTO_GZIP_MEMBER;
    return TSREC_OK;
}

static int plain_read(auto_src *a, tsrec__handle *eh, unsigned char *buf, size_t cap,
                      size_t *out_n)
{
    if (a->in_pos < a->in_len) {
        size_t n = TSREC__MIN(cap, a->in_len - a->in_pos);
        memcpy(buf, a->in + a->in_pos, n);
        a->in_pos += n;
        *out_n = n;
        return TSREC_OK;
    }
    if (a->inner_eof) {
        *out_n = 0;
        return TSREC_OK;
    }
    return a->inner->read(a->inner, eh, buf, cap, out_n);
}

static int gzip_read(auto_src *a, tsrec__handle *eh, unsigned char *buf, size_t cap,
                     size_t *out_n)
{
    if (cap > (size_t)UINT_MAX)
        cap = (size_t)UINT_MAX;
    a->zs.next_out = buf;
    a->zs.avail_out = (uInt)cap;
    while (a->zs.avail_out == cap) {
        if (a->in_pos == a->in_len) {
            int rc = auto_fill(a, eh);
            if (rc != TSREC_OK)
                return rc;
        }
        if (a->mode == AUTO_GZIP_BETWEEN) {
            if (a->in_pos == a->in_len)
                break; /* clean end after the last member */
            /* Another member follows (concatenated .gz files). Anything
             * that is not a gzip header fails in inflate below. */
            inflateReset(&a->zs);
            a->mode = AUTO_GZIP_MEMBER;
        }
        a->zs.next_in = a->in + a->in_pos;
        a->zs.avail_in = (uInt)(a->in_len - a->in_pos);
        int zr = inflate(&a->zs, Z_NO_FLUSH);
        a->in_pos = a->in_len - a->zs.avail_in;
        switch (zr) {
        case Z_STREAM_END:
            a->mode = AUTO_GZIP_BETWEEN;
            break;
        case Z_OK:
            break;
        case Z_BUF_ERROR: /* no progress: needs input the file does not have? */
            if (a->in_pos == a->in_len && a->inner_eof)
                return tsrec__fail(eh, TSREC_E_FORMAT, "truncated gzip stream in %s", a->name);
            break;
        case Z_MEM_ERROR:
            return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory decoding gzip %s", a->name);
        case Z_DATA_ERROR:
        case Z_NEED_DICT:
            return tsrec__fail(eh, TSREC_E_FORMAT, "corrupt gzip data at byte %llu in %s",
                               (unsigned long long)(a->in_base + a->in_pos), a->name);
        default:
            return tsrec__fail(eh, TSREC_E_FORMAT, "gzip decoding failed in %s (zlib %d)",
                               a->name, zr);
        }
    }
    *out_n = cap - a->zs.avail_out;
    return TSREC_OK;
}

static int auto_read(tsrec__source *s, tsrec__handle *eh, unsigned char *buf, size_t cap,
                     size_t *out_n)
{
    auto_src *a = (auto_src *)s;
    *out_n = 0;
    if (a->mode == AUTO_UNDECIDED) {
        int rc = auto_decide(a, eh);
        if (rc != TSREC_OK)
            return rc;
    }
    if (a->mode == AUTO_PLAIN)
        return plain_read(a, eh, buf, cap, out_n);
    return gzip_read(a, eh, buf, cap, out_n);
}

static void auto_destroy(tsrec__source *s)
{
    auto_src *a = (auto_src *)s;
    if (a->z_ready)
        inflateEnd(&a->zs);
    tsrec__source_free(a->inner);
    tsrec__free(s->ctx, a->in);
    tsrec__free(s->ctx, a->name);
    tsrec__free(s->ctx, a);
}

int tsrec__source_auto(tsrec_ctx *ctx, tsrec__handle *eh, tsrec__source *inner,
                       const char *name, tsrec__source **out)
{
    *out = NULL;
    if (inner == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "gzip source: NULL inner source");
    auto_src *a = tsrec__calloc(ctx, 1, sizeof *a);
    char *copy = tsrec__strdup(ctx, name != NULL ? name : "input");
    unsigned char *in = tsrec__alloc(ctx, GZ_IN_BYTES);
    if (a == NULL || copy == NULL || in == NULL) {
        tsrec__free(ctx, a);
        tsrec__free(ctx, copy);
        tsrec__free(ctx, in);
        tsrec__source_free(inner);
        return tsrec__fail(eh, TSREC_E_NOMEM, "out of memory creating a gzip source");
    }
    a->base.read = auto_read;
    a->base.destroy = auto_destroy;
    a->base.ctx = ctx;
    a->inner = inner;
    a->name = copy;
    a->in = in;
    a->mode = AUTO_UNDECIDED;
    *out = &a->base;
    return TSREC_OK;
}

int tsrec__source_open_path(tsrec_ctx *ctx, tsrec__handle *eh, const char *path,
                            tsrec__source **out)
{
    tsrec__source *f = NULL;
    int rc = tsrec__source_file(ctx, eh, path, &f);
    if (rc != TSREC_OK) {
        *out = NULL;
        return rc;
    }
    return tsrec__source_auto(ctx, eh, f, path, out);
}
