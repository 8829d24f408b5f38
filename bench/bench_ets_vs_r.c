/* ETS accuracy and speed against R forecast::ets.
 *
 * Usage: bench_ets_vs_r TRAIN.csv TEST.csv M H STRIDE [R_RESULTS.txt]
 * TRAIN / TEST are wide CSVs in the M4 layout (header, then id and values
 * per row, empty cells padding); every STRIDE-th series is used. R's
 * results come from tools/ref/ets_bench.R run with the same arguments
 * (bench/run_bench_ets_vs_r.sh does both). Prints per series the chosen
 * models, then mean MASE and sMAPE (M4 definitions), wQL at 0.1/0.5/0.9
 * (Amazon Forecast's definition, pooled over series) and 80% interval
 * coverage of both, CPU time per series of both (one thread), and a final
 *   bench: ets_vs_r series=... model_agree=... mase_tsrec=... mase_r=...
 *          ratio=...
 * line (ratio = R time / libtsrec time). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ets_internal.h"
#include "tsrec/ctx.h"

#define MAXS 2048
#define MAXN 4096

typedef struct series {
    char id[64];
    int n, nt;
    double *y, *test;
} series;

static int read_wide(const char *path, series *s, int max, int is_test)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    static char line[1 << 20];
    int k = 0;
    if (!fgets(line, sizeof line, f)) { /* header */
        fclose(f);
        return 0;
    }
    while (k < max && fgets(line, sizeof line, f)) {
        double *v = malloc(MAXN * sizeof(double));
        int cnt = 0, col = 0;
        char *p = line;
        char id[64] = "";
        while (*p && *p != '\n' && *p != '\r') {
            char *e = p;
            while (*e && *e != ',' && *e != '\n' && *e != '\r')
                e++;
            char cell[64];
            size_t len = (size_t)(e - p);
            if (len >= sizeof cell)
                len = sizeof cell - 1;
            memcpy(cell, p, len);
            cell[len] = 0;
            char *c = cell;
            if (*c == '"') {
                c++;
                char *q = strchr(c, '"');
                if (q)
                    *q = 0;
            }
            if (col == 0)
                snprintf(id, sizeof id, "%s", c);
            else if (*c && cnt < MAXN)
                v[cnt++] = strtod(c, NULL);
            col++;
            p = *e == ',' ? e + 1 : e;
        }
        if (is_test) {
            s[k].test = v;
            s[k].nt = cnt;
        } else {
            snprintf(s[k].id, sizeof s[k].id, "%s", id);
            s[k].y = v;
            s[k].n = cnt;
        }
        k++;
    }
    fclose(f);
    return k;
}

typedef struct acc {
    double mase, smape, ql[3], absy, cover, cnt_h, cpu;
    int n;
} acc;

static void score(acc *a, const series *s, int m, int h, const double *mean, const double *q10,
                  const double *q90)
{
    double den = 0.0;
    for (int t = m; t < s->n; t++)
        den += fabs(s->y[t] - s->y[t - m]);
    den /= (double)(s->n - m);
    double mae = 0.0, sm = 0.0;
    const double tau[3] = {0.1, 0.5, 0.9};
    for (int i = 0; i < h; i++) {
        double y = s->test[i];
        mae += fabs(y - mean[i]);
        double d = fabs(y) + fabs(mean[i]);
        sm += d > 0 ? 200.0 * fabs(y - mean[i]) / d : 0.0;
        const double *qs[3] = {q10, mean, q90};
        for (int k = 0; k < 3; k++) {
            double qv = qs[k][i];
            a->ql[k] += y > qv ? tau[k] * (y - qv) : (1.0 - tau[k]) * (qv - y);
        }
        a->absy += fabs(y);
        a->cover += (y >= q10[i] && y <= q90[i]);
        a->cnt_h += 1.0;
    }
    a->mase += den > 0 ? mae / h / den : 0.0;
    a->smape += sm / h;
    a->n++;
}

static void report(const char *who, const acc *a)
{
    printf("%-7s series=%d MASE=%.4f sMAPE=%.4f wQL[0.1]=%.4f wQL[0.5]=%.4f wQL[0.9]=%.4f "
           "cover80=%.3f cpu_per_series=%.4fs\n",
           who, a->n, a->mase / a->n, a->smape / a->n, 2 * a->ql[0] / a->absy,
           2 * a->ql[1] / a->absy, 2 * a->ql[2] / a->absy, a->cover / a->cnt_h,
           a->cpu / a->n);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: %s TRAIN TEST M H STRIDE [R_RESULTS]\n", argv[0]);
        return 2;
    }
    static series S[MAXS];
    int ns = read_wide(argv[1], S, MAXS, 0);
    int nt = read_wide(argv[2], S, MAXS, 1);
    int m = atoi(argv[3]), h = atoi(argv[4]), stride = atoi(argv[5]);
    if (ns <= 0 || nt != ns || m < 1 || h < 1 || stride < 1) {
        fprintf(stderr, "bad input\n");
        return 2;
    }
    FILE *rf = argc > 6 ? fopen(argv[6], "r") : NULL;
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK)
        return 1;
    acc A = {0}, B = {0}, At = {0};
    int agree = 0, with_r = 0;
    double *mean = malloc(sizeof(double) * (size_t)h), *qv = malloc(sizeof(double) * 2 * (size_t)h);
    double *rv = malloc(sizeof(double) * 3 * (size_t)h);
    const double q[2] = {0.1, 0.9};
    static char line[1 << 16];
    for (int s = 0; s < ns; s += stride) {
        tsrec__ets_model mod;
        clock_t c0 = clock();
        int st = tsrec__ets_fit(ctx, NULL, S[s].y, S[s].n, m, NULL, &mod);
        if (st == TSREC_OK)
            st = tsrec__ets_forecast(ctx, NULL, &mod, h, q, 2, 0, 1, mean, qv);
        double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        if (st != TSREC_OK) {
            printf("%s: libtsrec failed (%d)\n", S[s].id, st);
            continue;
        }
        A.cpu += cpu;
        score(&A, &S[s], m, h, mean, qv, qv + h);
        char rmodel[32] = "-";
        if (rf && fgets(line, sizeof line, rf)) {
            char rid[32];
            double rcpu;
            int off = 0;
            if (sscanf(line, "%31s %31s %lf%n", rid, rmodel, &rcpu, &off) == 3 &&
                !strcmp(rid, S[s].id)) {
                char *p = line + off;
                for (int i = 0; i < 3 * h; i++)
                    rv[i] = strtod(p, &p);
                B.cpu += rcpu;
                score(&B, &S[s], m, h, rv, rv + h, rv + 2 * h);
                At.cpu += cpu;
                score(&At, &S[s], m, h, mean, qv, qv + h);
                with_r++;
                agree += !strcmp(rmodel, mod.name);
            }
        }
        printf("%-8s n=%-4d tsrec=%-13s R=%-13s %s cpu=%.3fs\n", S[s].id, S[s].n, mod.name,
               rmodel, strcmp(rmodel, mod.name) ? (rf ? "DIFF" : "") : "same", cpu);
        tsrec__ets_model_free(ctx, &mod);
    }
    report("libtsrec", &A);
    if (with_r) {
        report("tsrec*", &At);
        report("R", &B);
    }
    double mt = At.n ? At.mase / At.n : A.mase / A.n, mr = with_r ? B.mase / B.n : NAN;
    printf("bench: ets_vs_r series=%d model_agree=%.4f mase_tsrec=%.4f mase_r=%.4f ratio=%.1f\n",
           with_r ? with_r : A.n, with_r ? (double)agree / with_r : NAN, mt, mr,
           with_r && At.cpu > 0 ? B.cpu / At.cpu : NAN);
    free(mean);
    free(qv);
    free(rv);
    for (int s = 0; s < ns; s++) {
        free(S[s].y);
        free(S[s].test);
    }
    if (rf)
        fclose(rf);
    tsrec_ctx_free(ctx);
    return 0;
}
