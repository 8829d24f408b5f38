/* One likelihood kernel of ets_lik.c: LIK_K lanes (parameter sets) of one
 * model type, with LIK_FN (the function name), LIK_K and LIK_E / LIK_T /
 * LIK_S (TSREC__ETS_* codes) defined by the includer, so every model test
 * in lik_step is a compile-time constant; LIK_K is 1, 2 or 4. Not a
 * header of its own: no include guard on purpose.
 *
 * Seasonal states live in sbuf without wrap-around, lanes interleaved:
 * sbuf[t * LIK_K + k] is lane k's s_{t-m} at step t, and step t writes the
 * new season to sbuf[(t + m) * LIK_K + k]. The lanes are independent
 * chains; running several in one loop overlaps their latencies. */

static void LIK_FN(const double *restrict y, int64_t n, int32_t m,
                   const tsrec__ets_lane *restrict lanes, double *restrict sbuf,
                   double *restrict out)
{
    enum { K = LIK_K };
    const int has_b = LIK_T != TSREC__ETS_N;
    lane_state st[K];
    for (int k = 0; k < K; k++) {
        const tsrec__ets_lane *ln = &lanes[k];
        lane_init(&st[k], ln, has_b);
        if (LIK_S != TSREC__ETS_N)
            for (int32_t j = 0; j < m; j++)
                sbuf[j * K + k] = ln->x0[1 + has_b + (m - 1 - j)];
    }
    const double *sold = sbuf;
    double *snew = sbuf + (int64_t)m * K;
    for (int64_t t = 0; t < n; t++) {
        const double yt = y[t];
        double ns[K];
        ns[0] = lik_step(&st[0], yt, sold[0], LIK_E, LIK_T, LIK_S);
#if LIK_K > 1
        ns[1] = lik_step(&st[1], yt, sold[1], LIK_E, LIK_T, LIK_S);
#endif
#if LIK_K > 2
        ns[2] = lik_step(&st[2], yt, sold[2], LIK_E, LIK_T, LIK_S);
        ns[3] = lik_step(&st[3], yt, sold[3], LIK_E, LIK_T, LIK_S);
#endif
        if (LIK_S != TSREC__ETS_N) {
            for (int k = 0; k < K; k++)
                snew[k] = ns[k];
            sold += K;
            snew += K;
        }
    }
    for (int k = 0; k < K; k++)
        out[k] = lane_lik(&st[k], n, LIK_E);
}
