/* Kernel bodies for one element type, included by kernels.c once per type
 * with KT (element type), KS(name) (adds the _f32/_f64 suffix) and the
 * matching libm functions KEXP, KLOG, KLOG1P, KTANH defined. Not a header
 * of its own: no include guard on purpose. */

void KS(tsrec__k_exp)(const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = KEXP(x[i]);
}

void KS(tsrec__k_log)(const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = KLOG(x[i]);
}

void KS(tsrec__k_log1p)(const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = KLOG1P(x[i]);
}

void KS(tsrec__k_tanh)(const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = KTANH(x[i]);
}

/* exp of a non-positive argument only: 1/(1+e^-x) for x >= 0 and
 * e^x/(1+e^x) for x < 0, so nothing overflows. */
void KS(tsrec__k_sigmoid)(const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        KT v = x[i];
        KT e = KEXP(v >= 0 ? -v : v);
        y[i] = v >= 0 ? (KT)1 / ((KT)1 + e) : e / ((KT)1 + e);
    }
}

/* log(1 + e^x) = max(x, 0) + log1p(e^-|x|). */
void KS(tsrec__k_softplus)(const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        KT v = x[i];
        KT a = v < 0 ? -v : v;
        y[i] = (v > 0 ? v : (KT)0) + KLOG1P(KEXP(-a));
    }
}

void KS(tsrec__k_relu)(const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = x[i] < 0 ? (KT)0 : x[i]; /* NaN < 0 is false: NaN kept */
}

void KS(tsrec__k_add)(const KT *a, const KT *b, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = a[i] + b[i];
}

void KS(tsrec__k_mul)(const KT *a, const KT *b, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = a[i] * b[i];
}

void KS(tsrec__k_scale)(KT alpha, const KT *x, KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = alpha * x[i];
}

void KS(tsrec__k_axpby)(KT alpha, const KT *x, KT beta, KT *y, int64_t n)
{
    if (beta == 0) {
        for (int64_t i = 0; i < n; i++)
            y[i] = alpha * x[i];
    } else {
        for (int64_t i = 0; i < n; i++)
            y[i] = alpha * x[i] + beta * y[i];
    }
}

/* Pairwise summation: error grows with log(n) instead of n. The base case
 * keeps eight independent partial sums so it pipelines well. */
static double KS(pairwise_sum)(const KT *x, int64_t n)
{
    if (n <= 128) {
        double p[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        int64_t i = 0;
        for (; i + 8 <= n; i += 8)
            for (int j = 0; j < 8; j++)
                p[j] += (double)x[i + j];
        double s = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
        for (; i < n; i++)
            s += (double)x[i];
        return s;
    }
    int64_t h = (n / 2) & ~(int64_t)7;
    return KS(pairwise_sum)(x, h) + KS(pairwise_sum)(x + h, n - h);
}

double KS(tsrec__k_sum)(const KT *x, int64_t n)
{
    return n > 0 ? KS(pairwise_sum)(x, n) : 0.0;
}

double KS(tsrec__k_mean)(const KT *x, int64_t n)
{
    return n > 0 ? KS(pairwise_sum)(x, n) / (double)n : NAN;
}

/* Two passes with the compensation term of the corrected two-pass
 * algorithm: sum((x-m)^2) - (sum(x-m))^2 / n removes most of the error
 * left in the mean. */
double KS(tsrec__k_var)(const KT *x, int64_t n, int64_t ddof)
{
    if (n <= 0 || ddof < 0 || n <= ddof)
        return NAN;
    double m = KS(pairwise_sum)(x, n) / (double)n;
    double s2 = 0.0, c = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double d = (double)x[i] - m;
        s2 += d * d;
        c += d;
    }
    double v = (s2 - c * c / (double)n) / (double)(n - ddof);
    return v < 0.0 ? 0.0 : v;
}

double KS(tsrec__k_min)(const KT *x, int64_t n)
{
    double m = INFINITY;
    for (int64_t i = 0; i < n; i++) {
        if (x[i] != x[i])
            return NAN;
        if (x[i] < m)
            m = x[i];
    }
    return m;
}

double KS(tsrec__k_max)(const KT *x, int64_t n)
{
    double m = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        if (x[i] != x[i])
            return NAN;
        if (x[i] > m)
            m = x[i];
    }
    return m;
}

int64_t KS(tsrec__k_argmax)(const KT *x, int64_t n)
{
    if (n <= 0)
        return -1;
    int64_t best = 0;
    for (int64_t i = 0; i < n; i++) {
        if (x[i] != x[i])
            return i;
        if (x[i] > x[best])
            best = i;
    }
    return best;
}

/* Maximum ignoring NaN, and whether a NaN was seen. */
static double KS(max_nan)(const KT *x, int64_t n, int *has_nan)
{
    double m = -INFINITY;
    int nan = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = x[i];
        nan |= v != v;
        m = v > m ? v : m;
    }
    *has_nan = nan;
    return m;
}

double KS(tsrec__k_logsumexp)(const KT *x, int64_t n)
{
    int nan = 0;
    double m = KS(max_nan)(x, n, &nan);
    if (nan)
        return NAN;
    if (isinf(m)) /* empty or all -inf gives -inf; any +inf gives +inf */
        return m;
    double s = 0.0;
    for (int64_t i = 0; i < n; i++)
        s += exp((double)x[i] - m);
    return m + log(s);
}

void KS(tsrec__k_logsumexp_rows)(const KT *x, KT *out, int64_t rows, int64_t cols)
{
    for (int64_t r = 0; r < rows; r++)
        out[r] = (KT)KS(tsrec__k_logsumexp)(x + r * cols, cols);
}

static void KS(fill_nan)(KT *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = (KT)NAN;
}

void KS(tsrec__k_softmax_rows)(const KT *x, KT *y, int64_t rows, int64_t cols)
{
    for (int64_t r = 0; r < rows; r++) {
        const KT *xr = x + r * cols;
        KT *yr = y + r * cols;
        int nan = 0;
        double m = KS(max_nan)(xr, cols, &nan);
        if (nan || !isfinite(m)) {
            KS(fill_nan)(yr, cols);
            continue;
        }
        double s = 0.0;
        for (int64_t j = 0; j < cols; j++) {
            double e = exp((double)xr[j] - m);
            yr[j] = (KT)e;
            s += e;
        }
        double inv = 1.0 / s; /* s >= 1: the maximum contributes e^0 */
        for (int64_t j = 0; j < cols; j++)
            yr[j] = (KT)((double)yr[j] * inv);
    }
}

void KS(tsrec__k_log_softmax_rows)(const KT *x, KT *y, int64_t rows, int64_t cols)
{
    for (int64_t r = 0; r < rows; r++) {
        const KT *xr = x + r * cols;
        KT *yr = y + r * cols;
        int nan = 0;
        double m = KS(max_nan)(xr, cols, &nan);
        if (nan || !isfinite(m)) {
            KS(fill_nan)(yr, cols);
            continue;
        }
        double s = 0.0;
        for (int64_t j = 0; j < cols; j++)
            s += exp((double)xr[j] - m);
        double lse = m + log(s);
        for (int64_t j = 0; j < cols; j++)
            yr[j] = (KT)((double)xr[j] - lse);
    }
}
