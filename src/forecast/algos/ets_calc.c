/* ETS state recursions with the semantics of R forecast's etscalc: the
 * same one-step forecast, error, level/growth/season updates, the 1e-10
 * guard on denominators, and the lik criterion. The seasonal states are
 * kept in a ring buffer (R shifts an array every step); the arithmetic per
 * step is the same. R's growth update uses beta / alpha because its beta
 * is alpha times the Holt-Winters beta. */
#include <math.h>
#include <string.h>

#include "ets_internal.h"

#define ETS_TOL 1.0e-10
#define ETS_HUGE 1.0e10

/* Level part of the one-step forecast; NaN for an undefined M trend. */
static double level_part(double l, double b, int32_t trend, double phi)
{
    if (trend == TSREC__ETS_N)
        return l;
    if (trend == TSREC__ETS_A)
        return l + phi * b;
    if (b < 0.0)
        return NAN;
    return l * pow(b, phi);
}

/* One state update given the observation yt (R's update()): the new level,
 * growth and season, where *s holds s_{t-m} and receives the new season. */
static void step(double *l, double *b, double *s, double oldl, double oldb, double olds,
                 double yt, int32_t trend, int32_t season, double alpha, double ratio,
                 double gamma, double phi)
{
    /* q is the level part of the forecast (R recomputes it with l*b when
     * phi == 1, identical to pow(b, 1)). */
    double q, phib = 0.0;
    if (trend == TSREC__ETS_N) {
        q = oldl;
    } else if (trend == TSREC__ETS_A) {
        phib = phi * oldb;
        q = oldl + phib;
    } else {
        phib = fabs(phi - 1.0) < ETS_TOL ? oldb : pow(oldb, phi);
        q = oldl * phib;
    }
    double p;
    if (season == TSREC__ETS_N)
        p = yt;
    else if (season == TSREC__ETS_A)
        p = yt - olds;
    else
        p = fabs(olds) < ETS_TOL ? ETS_HUGE : yt / olds;
    *l = q + alpha * (p - q);
    if (trend != TSREC__ETS_N) {
        double r;
        if (trend == TSREC__ETS_A)
            r = *l - oldl;
        else
            r = fabs(oldl) < ETS_TOL ? ETS_HUGE : *l / oldl;
        *b = phib + ratio * (r - phib);
    }
    if (season != TSREC__ETS_N) {
        double u;
        if (season == TSREC__ETS_A)
            u = yt - q;
        else
            u = fabs(q) < ETS_TOL ? ETS_HUGE : yt / q;
        *s = olds + gamma * (u - olds);
    }
}

double tsrec__ets_calc(const double *y, int64_t n, const double *x0, int32_t m,
                       int32_t error, int32_t trend, int32_t season, double alpha,
                       double beta, double gamma, double phi, double *e, double *f,
                       double *states)
{
    double ring[TSREC__ETS_MAX_M];
    const int has_b = trend != TSREC__ETS_N;
    const int has_s = season != TSREC__ETS_N;
    if (!has_s || m < 1)
        m = 1;
    const int32_t ns = 1 + has_b + (has_s ? m : 0);
    double l = x0[0], b = has_b ? x0[1] : 0.0;
    if (has_s)
        for (int32_t k = 0; k < m; k++)
            ring[k] = x0[1 + has_b + (m - 1 - k)];
    int32_t pos = 0; /* ring[pos] is the oldest season, s_{t-m} */
    if (states)
        memcpy(states, x0, (size_t)ns * sizeof(double));

    double sse = 0.0, slog = 0.0;
    const double ratio = has_b ? beta / alpha : 0.0;
    for (int64_t t = 0; t < n; t++) {
        const double oldl = l, oldb = b;
        const double olds = has_s ? ring[pos] : 0.0;
        double fc = level_part(oldl, oldb, trend, phi);
        if (season == TSREC__ETS_A)
            fc += olds;
        else if (season == TSREC__ETS_M)
            fc *= olds;
        f[t] = fc;
        if (isnan(fc))
            return NAN;
        double et = error == TSREC__ETS_A ? y[t] - fc : (y[t] - fc) / fc;
        e[t] = et;

        step(&l, &b, &ring[pos], oldl, oldb, olds, y[t], trend, season, alpha,
             ratio, gamma, phi);
        if (has_s)
            pos = pos + 1 == m ? 0 : pos + 1;
        if (states) {
            double *st = states + (t + 1) * ns;
            st[0] = l;
            if (has_b)
                st[1] = b;
            if (has_s)
                for (int32_t k = 1; k <= m; k++) /* s_k: k-th most recent */
                    st[has_b + k] = ring[(pos - k + m) % m];
        }
        sse += et * et;
        slog += log(fabs(fc));
    }
    double lik = (double)n * log(sse);
    if (error == TSREC__ETS_M)
        lik += 2.0 * slog;
    return lik;
}

void tsrec__ets_point(const double *x, int32_t m, int32_t trend, int32_t season,
                      double phi, int64_t h, double *f)
{
    const int has_b = trend != TSREC__ETS_N;
    const int has_s = season != TSREC__ETS_N;
    if (!has_s || m < 1)
        m = 1;
    const double l = x[0], b = has_b ? x[1] : 0.0;
    double phistar = phi;
    for (int64_t i = 0; i < h; i++) {
        double v = level_part(l, b, trend, phistar);
        if (has_s) {
            /* R: s[j], j = m - 1 - i wrapped into [0, m). */
            int64_t j = (int64_t)m - 1 - (i % m);
            double s = x[1 + has_b + j];
            v = season == TSREC__ETS_A ? v + s : v * s;
        }
        f[i] = v;
        if (fabs(phi - 1.0) < ETS_TOL)
            phistar += 1.0;
        else
            phistar += pow(phi, (double)(i + 1));
    }
}

int tsrec__ets_simulate(const double *x, int32_t m, int32_t error, int32_t trend,
                        int32_t season, double alpha, double beta, double gamma,
                        double phi, int64_t h, const double *e, double *yout)
{
    double ring[TSREC__ETS_MAX_M];
    const int has_b = trend != TSREC__ETS_N;
    const int has_s = season != TSREC__ETS_N;
    if (!has_s || m < 1)
        m = 1;
    double l = x[0], b = has_b ? x[1] : 0.0;
    if (has_s)
        for (int32_t k = 0; k < m; k++)
            ring[k] = x[1 + has_b + (m - 1 - k)];
    int32_t pos = 0;
    const double ratio = has_b ? beta / alpha : 0.0;
    for (int64_t t = 0; t < h; t++) {
        const double oldl = l, oldb = b;
        const double olds = has_s ? ring[pos] : 0.0;
        double fc = level_part(oldl, oldb, trend, phi);
        if (season == TSREC__ETS_A)
            fc += olds;
        else if (season == TSREC__ETS_M)
            fc *= olds;
        if (isnan(fc))
            return -1;
        yout[t] = error == TSREC__ETS_A ? fc + e[t] : fc * (1.0 + e[t]);
        step(&l, &b, &ring[pos], oldl, oldb, olds, yout[t], trend, season, alpha, ratio,
             gamma, phi);
        if (has_s)
            pos = pos + 1 == m ? 0 : pos + 1;
    }
    return 0;
}
