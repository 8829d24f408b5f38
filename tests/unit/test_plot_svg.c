/* SVG charts of the tsrec CLI (tools/plot_svg.c, compiled into this test):
 * well-formed output, every drawn point inside the canvas, the nice axis
 * covering the data, NaN gaps, and -1 (never a crash) on bad input. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#include "../../tools/plot_svg.h"

/* Run a writer into a temporary file and return its text (caller frees). */
static char *slurp(FILE *f)
{
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    return s;
}

/* Every element opened is closed in order: a tiny XML tag matcher that
 * knows the declaration, self-closing tags and attribute quoting. */
static void assert_balanced(const char *s)
{
    char stack[64][32];
    int depth = 0, elements = 0;
    assert_true(strncmp(s, "<?xml", 5) == 0 || strncmp(s, "<svg", 4) == 0);
    for (const char *p = s; (p = strchr(p, '<')) != NULL;) {
        if (p[1] == '?') {
            p = strstr(p, "?>");
            assert_non_null(p);
            continue;
        }
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t len = strcspn(name, " \t\n/>");
        assert_true(len > 0 && len < 32);
        const char *q = name + len;
        int in_quote = 0;
        while (*q && (in_quote || *q != '>')) {
            if (*q == '"')
                in_quote = !in_quote;
            assert_true(in_quote || *q != '<');
            q++;
        }
        assert_int_equal(*q, '>');
        int self_closing = q[-1] == '/';
        if (closing) {
            assert_true(depth > 0);
            depth--;
            assert_int_equal(strlen(stack[depth]), len);
            assert_memory_equal(stack[depth], name, len);
        } else if (!self_closing) {
            assert_true(depth < 64);
            memcpy(stack[depth], name, len);
            stack[depth][len] = '\0';
            depth++;
        }
        elements++;
        p = q + 1;
    }
    assert_int_equal(depth, 0);
    assert_true(elements > 5);
    /* No raw ampersand that is not an entity. */
    for (const char *a = strchr(s, '&'); a != NULL; a = strchr(a + 1, '&'))
        assert_true(strncmp(a, "&amp;", 5) == 0 || strncmp(a, "&lt;", 4) == 0 ||
                    strncmp(a, "&gt;", 4) == 0 || strncmp(a, "&quot;", 6) == 0 ||
                    strncmp(a, "&apos;", 6) == 0);
}

/* Width/height of the root element. */
static void svg_size(const char *s, double *w, double *h)
{
    const char *r = strstr(s, "<svg");
    assert_non_null(r);
    const char *pw = strstr(r, "width=\"");
    const char *ph = strstr(r, "height=\"");
    assert_non_null(pw);
    assert_non_null(ph);
    *w = atof(pw + 7);
    *h = atof(ph + 8);
}

/* Every coordinate pair in the d attribute of paths of class cls lies in
 * [x0,x1] x [y0,y1]; returns the number of subpaths (M commands). */
static int check_paths(const char *s, const char *cls, double x0, double x1, double y0,
                       double y1, int *n_points)
{
    char key[64];
    snprintf(key, sizeof key, "class=\"%s\" d=\"", cls);
    int moves = 0, pts = 0;
    for (const char *p = strstr(s, key); p != NULL; p = strstr(p, key)) {
        p += strlen(key);
        while (*p && *p != '"') {
            while (*p == ' ')
                p++;
            if (*p == 'Z') {
                p++;
                continue;
            }
            assert_true(*p == 'M' || *p == 'L');
            moves += *p == 'M';
            char *end;
            double x = strtod(p + 1, &end);
            double y = strtod(end, &end);
            assert_true(x >= x0 - 1e-9 && x <= x1 + 1e-9);
            assert_true(y >= y0 - 1e-9 && y <= y1 + 1e-9);
            pts++;
            p = end;
        }
    }
    if (n_points != NULL)
        *n_points = pts;
    return moves;
}

#define NH 72
#define HZ 24

typedef struct fc_data {
    int64_t th[NH], tf[HZ], splits[2];
    double y[NH], lo[HZ], mid[HZ], hi[HZ];
} fc_data;

static void make_data(fc_data *d)
{
    int64_t t0 = 1401580800; /* 2014-06-01 00:00 UTC */
    for (int i = 0; i < NH; i++) {
        d->th[i] = t0 + 3600 * (int64_t)i;
        d->y[i] = 100.0 + 40.0 * sin(i * 2.0 * M_PI / 24.0);
    }
    for (int k = 0; k < HZ; k++) {
        d->tf[k] = t0 + 3600 * (int64_t)(NH + k);
        d->mid[k] = 100.0 + 40.0 * sin((NH + k) * 2.0 * M_PI / 24.0);
        d->lo[k] = d->mid[k] - 15.0 - k;
        d->hi[k] = d->mid[k] + 25.0 + k;
    }
    d->splits[0] = d->th[24];
    d->splits[1] = d->th[48];
}

static char *render_forecast(const fc_data *d, const double *y, int64_t nh, int *rc)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    *rc = plot_forecast_svg(f, "Item <client_1> & \"friends\"", d->th, y, nh, d->tf, d->lo,
                            d->mid, d->hi, HZ, "P10", "P50", "P90", d->splits, 2);
    char *s = slurp(f);
    fclose(f);
    return s;
}

static void test_forecast_well_formed(void **state)
{
    (void)state;
    fc_data d;
    make_data(&d);
    int rc;
    char *s = render_forecast(&d, d.y, NH, &rc);
    assert_int_equal(rc, 0);
    assert_balanced(s);
    assert_non_null(strstr(s, "&lt;client_1&gt; &amp; &quot;friends&quot;"));
    assert_non_null(strstr(s, "class=\"band\""));
    assert_non_null(strstr(s, "class=\"forecast\""));
    /* two dashed split marks */
    int splits = 0;
    for (const char *p = strstr(s, "class=\"split\""); p; p = strstr(p + 1, "class=\"split\""))
        splits++;
    assert_int_equal(splits, 2);
    /* UTC date labels every 12 hours over the four days */
    assert_non_null(strstr(s, ">06-02 00:00<"));
    assert_non_null(strstr(s, ">06-04 12:00<"));
    free(s);
}

static void test_forecast_points_inside_canvas(void **state)
{
    (void)state;
    fc_data d;
    make_data(&d);
    /* An outlier far from the rest must still be inside the plot. */
    d.y[10] = 1e4;
    d.lo[3] = -500.0;
    int rc;
    char *s = render_forecast(&d, d.y, NH, &rc);
    assert_int_equal(rc, 0);
    double w, h;
    svg_size(s, &w, &h);
    int n;
    assert_int_equal(check_paths(s, "history", 0, w, 0, h, &n), 1);
    assert_int_equal(n, NH);
    assert_int_equal(check_paths(s, "forecast", 0, w, 0, h, &n), 1);
    assert_int_equal(n, HZ);
    assert_int_equal(check_paths(s, "band", 0, w, 0, h, &n), 1);
    assert_int_equal(n, 2 * HZ);
    free(s);
}

static void test_nice_axis_covers_range(void **state)
{
    (void)state;
    uint64_t x = 12345;
    for (int it = 0; it < 20000; it++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double a = ((double)(x >> 11) / 9007199254740992.0 - 0.5) * pow(10.0, (int)(x % 13) - 4);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double b = a + ((double)(x >> 11) / 9007199254740992.0) * pow(10.0, (int)(x % 11) - 5);
        int max_ticks = 2 + (int)(x % 8);
        double lo, hi, step;
        assert_int_equal(plot_nice_axis(a, b, max_ticks, &lo, &hi, &step), 0);
        assert_true(lo <= a && hi >= b);
        assert_true(step > 0.0);
        double ticks = (hi - lo) / step;
        /* a whole number of steps, up to the rounding of lo and hi */
        double tol = 1e-6 + 4e-16 * (fabs(lo) + fabs(hi)) / step;
        assert_true(ticks <= max_ticks + tol);
        if (!(fabs(ticks - floor(ticks + 0.5)) < tol))
            print_message("a=%g b=%g lo=%.17g hi=%.17g step=%g\n", a, b, lo, hi, step);
        assert_true(fabs(ticks - floor(ticks + 0.5)) < tol);
        /* step is 1, 2, 2.5 or 5 times a power of ten */
        double m = step / pow(10.0, floor(log10(step) + 1e-12));
        assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 2.5) < 1e-9 ||
                    fabs(m - 5) < 1e-9);
    }
    double lo, hi, step;
    assert_int_equal(plot_nice_axis(0.0, 97.0, 5, &lo, &hi, &step), 0);
    assert_true(lo == 0.0 && hi == 100.0 && step == 20.0);
    /* flat data still gets a non-empty axis */
    assert_int_equal(plot_nice_axis(5.0, 5.0, 5, &lo, &hi, &step), 0);
    assert_true(lo < 5.0 && hi > 5.0);
    assert_int_equal(plot_nice_axis(NAN, 1.0, 5, &lo, &hi, &step), -1);
    assert_int_equal(plot_nice_axis(0.0, INFINITY, 5, &lo, &hi, &step), -1);
    assert_int_equal(plot_nice_axis(0.0, 1.0, 0, &lo, &hi, &step), -1);
}

static void test_forecast_nan_gaps(void **state)
{
    (void)state;
    fc_data d;
    make_data(&d);
    double y[NH];
    memcpy(y, d.y, sizeof y);
    y[20] = NAN;
    y[21] = NAN;
    y[50] = NAN;
    d.mid[5] = NAN;
    int rc;
    char *s = render_forecast(&d, y, NH, &rc);
    assert_int_equal(rc, 0);
    assert_balanced(s);
    assert_null(strstr(s, "nan"));
    assert_null(strstr(s, "NaN"));
    double w, h;
    svg_size(s, &w, &h);
    int n;
    assert_int_equal(check_paths(s, "history", 0, w, 0, h, &n), 3);
    assert_int_equal(n, NH - 3);
    assert_int_equal(check_paths(s, "forecast", 0, w, 0, h, &n), 2);
    assert_int_equal(n, HZ - 1);
    free(s);

    /* A NaN bound splits the band into two polygons. */
    make_data(&d);
    d.lo[12] = NAN;
    s = render_forecast(&d, d.y, NH, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(check_paths(s, "band", 0, w, 0, h, &n), 2);
    assert_int_equal(n, 2 * (HZ - 1));
    free(s);

    /* Nothing finite at all: -1. */
    for (int i = 0; i < NH; i++)
        y[i] = NAN;
    FILE *f = tmpfile();
    assert_int_equal(plot_forecast_svg(f, "t", d.th, y, NH, NULL, NULL, NULL, NULL, 0, NULL,
                                       NULL, NULL, NULL, 0),
                     -1);
    fclose(f);
}

static void test_forecast_bad_input(void **state)
{
    (void)state;
    fc_data d;
    make_data(&d);
    FILE *f = tmpfile();
    assert_non_null(f);
    /* zero-length */
    assert_int_equal(plot_forecast_svg(f, "t", d.th, d.y, 0, d.tf, d.lo, d.mid, d.hi, 0, NULL,
                                       NULL, NULL, NULL, 0),
                     -1);
    assert_int_equal(plot_forecast_svg(f, "t", NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL,
                                       NULL, NULL, NULL, 0),
                     -1);
    /* negative counts, NULL arrays with counts, NULL stream */
    assert_int_equal(plot_forecast_svg(f, "t", d.th, d.y, -1, d.tf, d.lo, d.mid, d.hi, HZ, NULL,
                                       NULL, NULL, NULL, 0),
                     -1);
    assert_int_equal(plot_forecast_svg(f, "t", NULL, d.y, NH, d.tf, d.lo, d.mid, d.hi, HZ, NULL,
                                       NULL, NULL, NULL, 0),
                     -1);
    assert_int_equal(plot_forecast_svg(f, "t", d.th, d.y, NH, NULL, d.lo, d.mid, d.hi, HZ, NULL,
                                       NULL, NULL, NULL, 0),
                     -1);
    assert_int_equal(plot_forecast_svg(f, "t", d.th, d.y, NH, d.tf, d.lo, d.mid, d.hi, HZ, NULL,
                                       NULL, NULL, NULL, 2),
                     -1);
    assert_int_equal(plot_forecast_svg(NULL, "t", d.th, d.y, NH, d.tf, d.lo, d.mid, d.hi, HZ,
                                       NULL, NULL, NULL, NULL, 0),
                     -1);
    assert_int_equal(ftell(f), 0); /* nothing written on refusal */
    /* history only, forecast only, single point, NULL title: all draw */
    assert_int_equal(plot_forecast_svg(f, NULL, d.th, d.y, NH, NULL, NULL, NULL, NULL, 0, NULL,
                                       NULL, NULL, NULL, 0),
                     0);
    assert_int_equal(plot_forecast_svg(f, "fc", NULL, NULL, 0, d.tf, NULL, d.mid, NULL, HZ,
                                       NULL, NULL, NULL, NULL, 0),
                     0);
    assert_int_equal(plot_forecast_svg(f, "one", d.th, d.y, 1, NULL, NULL, NULL, NULL, 0, NULL,
                                       NULL, NULL, NULL, 0),
                     0);
    fclose(f);
}

static void test_forecast_long_span_ticks(void **state)
{
    (void)state;
    /* Two years of daily data: month ticks labelled YYYY-MM. */
    enum { N = 730 };
    static int64_t t[N];
    static double y[N];
    for (int i = 0; i < N; i++) {
        t[i] = 1388534400 + 86400 * (int64_t)i; /* from 2014-01-01 */
        y[i] = i % 7;
    }
    FILE *f = tmpfile();
    assert_int_equal(plot_forecast_svg(f, "daily", t, y, N, NULL, NULL, NULL, NULL, 0, NULL, NULL,
                                       NULL, NULL, 0),
                     0);
    char *s = slurp(f);
    fclose(f);
    assert_balanced(s);
    assert_non_null(strstr(s, ">2015-01<"));
    free(s);
}

static void test_accuracy_chart(void **state)
{
    (void)state;
    const char *algos[] = {"ETS", "NPTS", "Theta"};
    const char *metrics[] = {"wQL[0.5]", "WAPE", "RMSE", "MASE", "Avg wQL"};
    double v[3 * 5] = {0.12, 0.12, 35.0, 0.9, 0.10, 0.15, 0.15, 41.0, NAN, 0.13,
                       0.11, 0.11, 33.5, 0.8, 0.095};
    FILE *f = tmpfile();
    assert_int_equal(plot_accuracy_svg(f, "Accuracy & <metrics>", algos, 3, metrics, 5, v, 2), 0);
    char *s = slurp(f);
    fclose(f);
    assert_balanced(s);
    int chosen = 0, bars = 0;
    for (const char *p = strstr(s, "class=\"bar chosen\""); p;
         p = strstr(p + 1, "class=\"bar chosen\""))
        chosen++;
    for (const char *p = strstr(s, "class=\"bar"); p; p = strstr(p + 1, "class=\"bar"))
        bars++;
    assert_int_equal(chosen, 5);
    assert_int_equal(bars, 14); /* one NaN value has no bar */
    assert_non_null(strstr(s, ">n/a<"));
    assert_non_null(strstr(s, "Theta (chosen)"));
    assert_non_null(strstr(s, "Accuracy &amp; &lt;metrics&gt;"));
    double w, h;
    svg_size(s, &w, &h);
    /* every bar inside the canvas */
    for (const char *p = strstr(s, "class=\"bar"); p; p = strstr(p + 1, "class=\"bar")) {
        double x = atof(strstr(p, " x=\"") + 4), y = atof(strstr(p, " y=\"") + 4);
        double bw = atof(strstr(p, "width=\"") + 7), bh = atof(strstr(p, "height=\"") + 8);
        assert_true(x >= 0 && x + bw <= w && y >= 0 && y + bh <= h && bh >= 0);
    }
    free(s);
}

static void test_accuracy_bad_input(void **state)
{
    (void)state;
    const char *algos[] = {"ETS", "NPTS"};
    const char *metrics[] = {"WAPE"};
    const char *null_name[] = {"ETS", NULL};
    double v[2] = {0.1, 0.2};
    FILE *f = tmpfile();
    assert_int_equal(plot_accuracy_svg(NULL, "t", algos, 2, metrics, 1, v, 0), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", algos, 0, metrics, 1, v, 0), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", algos, 2, metrics, 0, v, 0), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", NULL, 2, metrics, 1, v, 0), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", algos, 2, NULL, 1, v, 0), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", algos, 2, metrics, 1, NULL, 0), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", algos, 2, metrics, 1, v, 2), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", algos, 2, metrics, 1, v, -2), -1);
    assert_int_equal(plot_accuracy_svg(f, "t", null_name, 2, metrics, 1, v, 0), -1);
    assert_int_equal(ftell(f), 0);
    /* all NaN and no chosen one still draws */
    double nan2[2] = {NAN, NAN};
    assert_int_equal(plot_accuracy_svg(f, NULL, algos, 2, metrics, 1, nan2, -1), 0);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_well_formed),
        cmocka_unit_test(test_forecast_points_inside_canvas),
        cmocka_unit_test(test_nice_axis_covers_range),
        cmocka_unit_test(test_forecast_nan_gaps),
        cmocka_unit_test(test_forecast_bad_input),
        cmocka_unit_test(test_forecast_long_span_ticks),
        cmocka_unit_test(test_accuracy_chart),
        cmocka_unit_test(test_accuracy_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
