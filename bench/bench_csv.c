/* CSV reader throughput: generates a 10-million-row interactions CSV
 * ("user_123,item_456,1577836800,click,1.0"), writes it plain and gzipped
 * to a temporary folder, and times the reader alone (records and fields
 * yielded, no interning or type conversion) over each file.
 *   bench_csv [rows] [dir]     defaults: 10000000, $TMPDIR or /tmp
 * Ends with "bench: csv_read mb_s=... gz_mb_s=..." (MB = 10^6 bytes of
 * decoded CSV). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "core_internal.h"
#include "csv_internal.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Write the file plain and gzipped (level 1, as a fast exporter would). */
static int generate(const char *plain, const char *gz, long rows, size_t *out_bytes)
{
    static const char *events[] = {"click", "view", "purchase", "add_to_cart"};
    FILE *f = fopen(plain, "wb");
    gzFile g = gzopen(gz, "wb1");
    if (f == NULL || g == NULL)
        return -1;
    char line[128];
    size_t total = 0;
    uint64_t s = 88172645463325252ULL;
    for (long i = 0; i < rows; i++) {
        uint64_t r = next_rand(&s);
        int n = snprintf(line, sizeof line, "user_%u,item_%u,%lld,%s,%u.%u\n",
                         (unsigned)(r % 1000000), (unsigned)((r >> 20) % 100000),
                         1577836800LL + i, events[(r >> 40) & 3], (unsigned)((r >> 44) % 5),
                         (unsigned)((r >> 50) % 10));
        fwrite(line, 1, (size_t)n, f);
        gzwrite(g, line, (unsigned)n);
        total += (size_t)n;
    }
    fclose(f);
    gzclose(g);
    *out_bytes = total;
    return 0;
}

/* Read a file through the reader; best of `reps` runs. */
static double read_mb_s(tsrec_ctx *ctx, const char *path, size_t bytes, long rows, int reps)
{
    double best = 1e30;
    for (int rep = 0; rep < reps; rep++) {
        tsrec__source *src = NULL;
        tsrec__csv_reader *r = NULL;
        if (tsrec__source_open_path(ctx, NULL, path, &src) != TSREC_OK ||
            tsrec__csv_reader_new(ctx, NULL, src, NULL, &r) != TSREC_OK) {
            fprintf(stderr, "open %s: %s\n", path, tsrec_last_error());
            exit(1);
        }
        double t0 = now();
        long n = 0;
        size_t field_bytes = 0;
        tsrec__csv_record rec;
        while (tsrec__csv_next(r, NULL, &rec) == TSREC_OK && rec.n_fields > 0) {
            n++;
            field_bytes += rec.fields[0].len + rec.fields[rec.n_fields - 1].len;
        }
        double t = now() - t0;
        tsrec__csv_reader_free(r);
        if (n != rows) {
            fprintf(stderr, "%s: read %ld rows, want %ld\n", path, n, rows);
            exit(1);
        }
        if (field_bytes == 0)
            exit(1);
        if (t < best)
            best = t;
    }
    return (double)bytes / 1e6 / best;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 10000000L;
    const char *dir = argc > 2 ? argv[2] : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    char plain[1024], gz[1024];
    snprintf(plain, sizeof plain, "%s/bench_csv_%ld.csv", dir, (long)getpid());
    snprintf(gz, sizeof gz, "%s/bench_csv_%ld.csv.gz", dir, (long)getpid());
    size_t bytes = 0;
    double t0 = now();
    if (generate(plain, gz, rows, &bytes) != 0) {
        fprintf(stderr, "cannot write %s\n", plain);
        return 1;
    }
    printf("generated %ld rows, %.1f MB in %.1f s\n", rows, (double)bytes / 1e6, now() - t0);
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK)
        return 1;
    double mb_s = read_mb_s(ctx, plain, bytes, rows, 3);
    printf("plain: %.0f MB/s (%.1f M rows/s)\n", mb_s, mb_s * 1e6 / (double)bytes * (double)rows / 1e6);
    double gz_mb_s = read_mb_s(ctx, gz, bytes, rows, 2);
    printf("gzip:  %.0f MB/s of decoded CSV\n", gz_mb_s);
    tsrec_ctx_free(ctx);
    unlink(plain);
    unlink(gz);
    printf("bench: csv_read mb_s=%.0f gz_mb_s=%.0f\n", mb_s, gz_mb_s);
    return 0;
}
