/* Standalone SVG charts for the tsrec CLI (see plot_svg.h). Everything is
 * written with fprintf in one pass: first the data ranges are scanned,
 * then axes, grid, data and legend are emitted in drawing order (later
 * elements paint over earlier ones). */
#include "plot_svg.h"

#include <math.h>
#include <string.h>
#include <time.h>

/* Okabe-Ito palette: readable for colour-blind viewers and in greyscale. */
static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                      "#56B4E9", "#D55E00", "#F0E442", "#000000"};
#define N_PALETTE ((int)(sizeof palette / sizeof palette[0]))

#define C_HISTORY "#1b3a5c"
#define C_FORECAST "#D55E00"
#define C_BAND "#E69F00"
#define C_GRID "#e3e3e3"
#define C_AXIS "#555555"
#define C_TEXT "#222222"
#define FONT "font-family=\"Helvetica, Arial, sans-serif\""

/* ---- shared helpers ---------------------------------------------------- */

/* Text content and attribute values: escape the five XML specials, drop
 * control characters (not allowed in XML 1.0). */
static void put_escaped(FILE *out, const char *s)
{
    for (; s != NULL && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            if (c >= 0x20 || c == '\t')
                fputc((int)c, out);
        }
    }
}

static void svg_begin(FILE *out, int w, int h, const char *title)
{
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            w, h, w, h);
    fputs("<title>", out);
    put_escaped(out, title != NULL ? title : "");
    fputs("</title>\n", out);
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
    if (title != NULL && *title) {
        fprintf(out,
                "<text x=\"%d\" y=\"30\" %s font-size=\"18\" font-weight=\"bold\" "
                "fill=\"%s\">",
                24, FONT, C_TEXT);
        put_escaped(out, title);
        fputs("</text>\n", out);
    }
}

static int svg_end(FILE *out)
{
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}

int plot_nice_axis(double lo, double hi, int max_ticks, double *out_lo, double *out_hi,
                   double *out_step)
{
    if (!isfinite(lo) || !isfinite(hi) || max_ticks < 1 || out_lo == NULL || out_hi == NULL ||
        out_step == NULL)
        return -1;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi - lo <= 0.0 || !isfinite(hi - lo)) {
        /* A flat series still gets a visible axis around its value. */
        double pad = fabs(lo) > 0.0 ? fabs(lo) * 0.1 : 1.0;
        lo -= pad;
        hi += pad;
        if (!isfinite(hi - lo))
            return -1;
    }
    static const double mult[] = {1.0, 2.0, 2.5, 5.0};
    double raw = (hi - lo) / max_ticks;
    double mag = pow(10.0, floor(log10(raw)));
    /* Try steps in increasing order from just below raw: the first one whose
     * rounded-out range fits in max_ticks wins. Rounding out can add a step
     * at each end, so a few candidates may be needed; 40 is far beyond that. */
    for (int k = 0; k < 40; k++) {
        double step = mult[k % 4] * mag * pow(10.0, (double)(k / 4));
        if (step < raw * (1.0 - 1e-12))
            continue;
        double a = floor(lo / step) * step;
        double b = ceil(hi / step) * step;
        /* The products can round past the data by an ulp: step back out. */
        if (a > lo)
            a -= step;
        if (b < hi)
            b += step;
        if (floor((b - a) / step + 0.5) <= max_ticks) {
            *out_lo = a;
            *out_hi = b;
            *out_step = step;
            return 0;
        }
    }
    return -1;
}

/* Digits after the point that show every tick of this step exactly. */
static int step_decimals(double step)
{
    int d = 0;
    while (d < 10 && fabs(step * pow(10.0, d) - floor(step * pow(10.0, d) + 0.5)) > 1e-6)
        d++;
    return d;
}

static void put_number(FILE *out, double v, int decimals)
{
    if (fabs(v) < 1e-12)
        v = 0.0; /* no "-0" labels */
    if (fabs(v) >= 1e7)
        fprintf(out, "%.3g", v);
    else
        fprintf(out, "%.*f", decimals, v);
}

/* ---- time axis ---------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * civil-date arithmetic), so month ticks need no timegm(). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int utc_fields(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    return gmtime_r(&tt, tm) != NULL ? 0 : -1;
}

#define MAX_TIME_TICKS 64

typedef struct time_ticks {
    int n;
    int64_t t[MAX_TIME_TICKS];
    int kind; /* 0: date and hour, 1: date, 2: year-month */
} time_ticks;

/* Ticks on round UTC boundaries, at most max_ticks of them in [a, b]. */
static void choose_time_ticks(int64_t a, int64_t b, int max_ticks, time_ticks *tt)
{
    static const int64_t fixed[] = {60,    300,   900,    1800,   3600,    7200,   10800,
                                    21600, 43200, 86400,  172800, 604800,  1209600};
    int64_t span = b - a;
    tt->n = 0;
    tt->kind = 1;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        int64_t step = fixed[i];
        if (span / step + 1 > max_ticks)
            continue;
        /* Weeks start on Monday: 1970-01-05 was one (epoch + 4 days). */
        int64_t origin = step >= 604800 ? 4 * 86400 : 0;
        int64_t first = a - origin;
        first = (first >= 0 ? (first + step - 1) / step : -((-first) / step)) * step + origin;
        for (int64_t t = first; t <= b && tt->n < MAX_TIME_TICKS; t += step)
            tt->t[tt->n++] = t;
        tt->kind = step < 86400 ? 0 : 1;
        return;
    }
    static const int months[] = {1, 2, 3, 6, 12, 24, 60, 120, 600, 1200};
    struct tm tm;
    if (utc_fields(a, &tm) != 0)
        return;
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        int64_t k = months[i];
        if (span / (k * 28 * 86400) + 1 > max_ticks && i + 1 < sizeof months / sizeof months[0])
            continue;
        /* First month boundary at or after a that is a multiple of k months. */
        int64_t mi = (int64_t)(tm.tm_year + 1900) * 12 + tm.tm_mon;
        mi = ((mi + k) / k) * k;
        tt->n = 0;
        for (; tt->n < MAX_TIME_TICKS; mi += k) {
            int64_t t = days_from_civil(mi / 12, mi % 12 + 1, 1) * 86400;
            if (t > b)
                break;
            if (t >= a)
                tt->t[tt->n++] = t;
        }
        tt->kind = 2;
        return;
    }
}

static void put_time_label(FILE *out, int64_t t, int kind)
{
    struct tm tm;
    char buf[40];
    if (utc_fields(t, &tm) != 0) {
        fprintf(out, "%lld", (long long)t);
        return;
    }
    size_t n;
    if (kind == 0)
        n = strftime(buf, sizeof buf, "%m-%d %H:%M", &tm);
    else if (kind == 1)
        n = strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    else
        n = strftime(buf, sizeof buf, "%Y-%m", &tm);
    if (n == 0)
        buf[0] = '\0';
    fputs(buf, out);
}

/* ---- forecast chart --------------------------------------------------------- */

#define FW 960
#define FH 460
#define F_LEFT 80
#define F_RIGHT 30
#define F_TOP 60
#define F_BOTTOM 90

typedef struct frame {
    double x0, x1, y0, y1;       /* data range */
    double px0, px1, py0, py1;   /* pixel box: py0 is the top */
} frame;

static double fx(const frame *f, double t)
{
    return f->px0 + (t - f->x0) / (f->x1 - f->x0) * (f->px1 - f->px0);
}

static double fy(const frame *f, double v)
{
    return f->py1 - (v - f->y0) / (f->y1 - f->y0) * (f->py1 - f->py0);
}

static void widen(double v, double *lo, double *hi)
{
    if (!isfinite(v))
        return;
    if (v < *lo)
        *lo = v;
    if (v > *hi)
        *hi = v;
}

/* A polyline through the finite points; a NaN ends the current run so the
 * gap shows. Emits nothing when no point is finite. */
/* Horizontal grid lines at every step from f->y0 to f->y1, each labelled
 * left of the plot area (font_size px, gap px from its edge). */
static void y_grid(FILE *out, const frame *f, double step, int font_size, int gap)
{
    int dec = step_decimals(step);
    for (int k = 0; k <= 64; k++) {
        double v = f->y0 + k * step;
        if (v > f->y1 + step * 1e-6)
            break;
        double y = fy(f, v);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1\"/>\n",
                f->px0, y, f->px1, y, C_GRID);
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"%d\" fill=\"%s\" "
                "text-anchor=\"end\">",
                f->px0 - gap, y + 4, FONT, font_size, C_AXIS);
        put_number(out, v, dec);
        fputs("</text>\n", out);
    }
}

static void put_line(FILE *out, const frame *f, const int64_t *t, const double *v, int64_t n,
                     const char *cls, const char *color, double width, const char *dash)
{
    int open = 0, pen_down = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            pen_down = 0;
            continue;
        }
        if (!open) {
            fprintf(out, "<path class=\"%s\" d=\"", cls);
            open = 1;
        }
        fprintf(out, "%s%.1f %.1f", pen_down ? " L" : " M", fx(f, (double)t[i]),
                fy(f, v[i]));
        pen_down = 1;
    }
    if (open)
        fprintf(out,
                "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" stroke-linejoin=\"round\""
                "%s%s%s/>\n",
                color, width, dash != NULL ? " stroke-dasharray=\"" : "",
                dash != NULL ? dash : "", dash != NULL ? "\"" : "");
}

/* The P10-P90 band: one closed polygon per run of steps where both bounds
 * are finite. */
static void put_band(FILE *out, const frame *f, const int64_t *t, const double *lo,
                     const double *hi, int64_t n)
{
    int64_t i = 0;
    while (i < n) {
        while (i < n && !(isfinite(lo[i]) && isfinite(hi[i])))
            i++;
        int64_t j = i;
        while (j < n && isfinite(lo[j]) && isfinite(hi[j]))
            j++;
        if (j > i) {
            fputs("<path class=\"band\" d=\"", out);
            for (int64_t k = i; k < j; k++)
                fprintf(out, "%s%.1f %.1f", k == i ? "M" : " L", fx(f, (double)t[k]),
                        fy(f, hi[k]));
            for (int64_t k = j; k-- > i;)
                fprintf(out, " L%.1f %.1f", fx(f, (double)t[k]), fy(f, lo[k]));
            fprintf(out, " Z\" fill=\"%s\" fill-opacity=\"0.35\" stroke=\"none\"/>\n", C_BAND);
        }
        i = j;
    }
}

static void legend_line(FILE *out, double x, double y, const char *color, const char *dash,
                        const char *label)
{
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
            "stroke-width=\"2.5\"%s%s%s/>\n",
            x, y, x + 26, y, color, dash ? " stroke-dasharray=\"" : "", dash ? dash : "",
            dash ? "\"" : "");
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"13\" fill=\"%s\">", x + 32, y + 4,
            FONT, C_TEXT);
    put_escaped(out, label);
    fputs("</text>\n", out);
}

int plot_forecast_svg(FILE *out, const char *title, const int64_t *t_hist, const double *y_hist,
                      int64_t n_hist, const int64_t *t_fc, const double *p_lo,
                      const double *p_mid, const double *p_hi, int64_t horizon,
                      const char *lo_name, const char *mid_name, const char *hi_name,
                      const int64_t *splits, int32_t n_splits)
{
    if (out == NULL || n_hist < 0 || horizon < 0 || n_splits < 0 || n_hist + horizon <= 0)
        return -1;
    if (n_hist > 0 && (t_hist == NULL || y_hist == NULL))
        return -1;
    if (horizon > 0 && (t_fc == NULL || (p_lo == NULL && p_mid == NULL && p_hi == NULL)))
        return -1;
    if (n_splits > 0 && splits == NULL)
        return -1;
    int band = horizon > 0 && p_lo != NULL && p_hi != NULL;
    lo_name = lo_name != NULL ? lo_name : "P10";
    mid_name = mid_name != NULL ? mid_name : "P50";
    hi_name = hi_name != NULL ? hi_name : "P90";

    /* Ranges: x over every timestamp given, y over every finite value. */
    double tx0 = INFINITY, tx1 = -INFINITY, vy0 = INFINITY, vy1 = -INFINITY;
    for (int64_t i = 0; i < n_hist; i++) {
        widen((double)t_hist[i], &tx0, &tx1);
        widen(y_hist[i], &vy0, &vy1);
    }
    for (int64_t i = 0; i < horizon; i++) {
        widen((double)t_fc[i], &tx0, &tx1);
        if (p_lo != NULL)
            widen(p_lo[i], &vy0, &vy1);
        if (p_mid != NULL)
            widen(p_mid[i], &vy0, &vy1);
        if (p_hi != NULL)
            widen(p_hi[i], &vy0, &vy1);
    }
    for (int32_t i = 0; i < n_splits; i++)
        widen((double)splits[i], &tx0, &tx1);
    if (!(vy0 <= vy1))
        return -1; /* nothing finite to draw */
    frame f;
    double ystep;
    if (plot_nice_axis(vy0, vy1, 6, &f.y0, &f.y1, &ystep) != 0)
        return -1;
    f.x0 = tx0;
    f.x1 = tx1 > tx0 ? tx1 : tx0 + 3600.0;
    f.px0 = F_LEFT;
    f.px1 = FW - F_RIGHT;
    f.py0 = F_TOP;
    f.py1 = FH - F_BOTTOM;

    svg_begin(out, FW, FH, title);
    /* Grid and y labels. */
    y_grid(out, &f, ystep, 12, 8);
    /* x ticks with UTC date labels. */
    time_ticks tt;
    choose_time_ticks((int64_t)f.x0, (int64_t)f.x1, 8, &tt);
    for (int k = 0; k < tt.n; k++) {
        double x = fx(&f, (double)tt.t[k]);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1\"/>\n",
                x, f.py0, x, f.py1 + 5, C_GRID);
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"12\" fill=\"%s\" "
                "text-anchor=\"middle\">",
                x, f.py1 + 20, FONT, C_AXIS);
        put_time_label(out, tt.t[k], tt.kind);
        fputs("</text>\n", out);
    }
    fprintf(out,
            "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"11\" fill=\"%s\" "
            "text-anchor=\"end\">time (UTC)</text>\n",
            f.px1, f.py1 + 38, FONT, C_AXIS);
    /* Axes. */
    fprintf(out,
            "<path d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f\" fill=\"none\" stroke=\"%s\" "
            "stroke-width=\"1.2\"/>\n",
            f.px0, f.py0, f.px0, f.py1, f.px1, f.py1, C_AXIS);

    /* Forecast start and backtest splits as labelled verticals. */
    for (int32_t i = 0; i < n_splits; i++) {
        double x = fx(&f, (double)splits[i]);
        fprintf(out,
                "<line class=\"split\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#777777\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>\n",
                x, f.py0, x, f.py1);
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"11\" fill=\"#777777\">backtest %d"
                "</text>\n",
                x + 4, f.py0 + 12 + 13.0 * (i % 2), FONT, (int)i + 1);
    }
    if (band)
        put_band(out, &f, t_fc, p_lo, p_hi, horizon);
    if (n_hist > 0)
        put_line(out, &f, t_hist, y_hist, n_hist, "history", C_HISTORY, 1.6, NULL);
    if (horizon > 0 && p_mid != NULL)
        put_line(out, &f, t_fc, p_mid, horizon, "forecast", C_FORECAST, 2.2, NULL);
    /* One-sided bounds (no band) still show as thin dashed lines. */
    if (horizon > 0 && !band && p_lo != NULL)
        put_line(out, &f, t_fc, p_lo, horizon, "bound", C_BAND, 1.2, "4 3");
    if (horizon > 0 && !band && p_hi != NULL)
        put_line(out, &f, t_fc, p_hi, horizon, "bound", C_BAND, 1.2, "4 3");

    /* Legend along the bottom. */
    double lx = F_LEFT, ly = FH - 22;
    if (n_hist > 0) {
        legend_line(out, lx, ly, C_HISTORY, NULL, "history");
        lx += 110;
    }
    if (horizon > 0 && p_mid != NULL) {
        legend_line(out, lx, ly, C_FORECAST, NULL, mid_name);
        lx += 110;
    }
    if (band) {
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"26\" height=\"12\" fill=\"%s\" "
                "fill-opacity=\"0.35\"/>\n",
                lx, ly - 6, C_BAND);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"13\" fill=\"%s\">", lx + 32,
                ly + 4, FONT, C_TEXT);
        put_escaped(out, lo_name);
        fputs("\xe2\x80\x93", out); /* en dash */
        put_escaped(out, hi_name);
        fputs(" interval</text>\n", out);
        lx += 180;
    }
    if (n_splits > 0)
        legend_line(out, lx, ly, "#777777", "5 4", "backtest split");
    return svg_end(out);
}

/* ---- accuracy chart -------------------------------------------------------- */

#define A_PANEL_W 230
#define A_PANEL_H 230
#define A_COLS 4
#define A_TOP 56
#define A_LEFT 20

int plot_accuracy_svg(FILE *out, const char *title, const char *const *algorithms,
                      int32_t n_algorithms, const char *const *metrics, int32_t n_metrics,
                      const double *values, int32_t chosen)
{
    if (out == NULL || algorithms == NULL || metrics == NULL || values == NULL ||
        n_algorithms <= 0 || n_metrics <= 0 || n_algorithms > 64 || n_metrics > 64 ||
        chosen < -1 || chosen >= n_algorithms)
        return -1;
    for (int32_t a = 0; a < n_algorithms; a++)
        if (algorithms[a] == NULL)
            return -1;
    for (int32_t m = 0; m < n_metrics; m++)
        if (metrics[m] == NULL)
            return -1;
    int cols = n_metrics < A_COLS ? (int)n_metrics : A_COLS;
    int rows = ((int)n_metrics + cols - 1) / cols;
    int legend_rows = ((int)n_algorithms + 3) / 4;
    int w = A_LEFT * 2 + cols * A_PANEL_W;
    int h = A_TOP + rows * A_PANEL_H + 20 + legend_rows * 22;
    svg_begin(out, w, h, title);
    fprintf(out,
            "<text x=\"%d\" y=\"48\" %s font-size=\"12\" fill=\"%s\">Backtest accuracy per "
            "algorithm (lower is better)</text>\n",
            24, FONT, C_AXIS);

    for (int32_t m = 0; m < n_metrics; m++) {
        double ox = A_LEFT + (double)(m % cols) * A_PANEL_W;
        double oy = A_TOP + (double)(m / cols) * A_PANEL_H;
        frame f;
        f.px0 = ox + 58;
        f.px1 = ox + A_PANEL_W - 14;
        f.py0 = oy + 34;
        f.py1 = oy + A_PANEL_H - 24;
        double lo = 0.0, hi = 0.0;
        for (int32_t a = 0; a < n_algorithms; a++)
            widen(values[(int64_t)a * n_metrics + m], &lo, &hi);
        double step;
        if (plot_nice_axis(lo, hi, 4, &f.y0, &f.y1, &step) != 0) {
            f.y0 = 0.0;
            f.y1 = 1.0;
            step = 0.25;
        }
        f.x0 = 0.0;
        f.x1 = (double)n_algorithms;
        fprintf(out, "<g class=\"panel\">\n");
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"14\" font-weight=\"bold\" "
                "fill=\"%s\" text-anchor=\"middle\">",
                (f.px0 + f.px1) / 2, oy + 20, FONT, C_TEXT);
        put_escaped(out, metrics[m]);
        fputs("</text>\n", out);
        y_grid(out, &f, step, 11, 6);
        double slot = (f.px1 - f.px0) / n_algorithms;
        double bw = slot * 0.7;
        double base = fy(&f, 0.0 > f.y0 ? 0.0 : f.y0);
        for (int32_t a = 0; a < n_algorithms; a++) {
            double v = values[(int64_t)a * n_metrics + m];
            double cx = f.px0 + slot * (a + 0.5);
            const char *col = palette[a % N_PALETTE];
            if (!isfinite(v)) {
                fprintf(out,
                        "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"10\" fill=\"%s\" "
                        "text-anchor=\"middle\">n/a</text>\n",
                        cx, base - 4, FONT, C_AXIS);
                continue;
            }
            double y = fy(&f, v);
            double top = y < base ? y : base;
            double hgt = fabs(base - y);
            int is_chosen = a == chosen;
            fprintf(out,
                    "<rect class=\"bar%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                    "height=\"%.1f\" fill=\"%s\" fill-opacity=\"%s\"%s/>\n",
                    is_chosen ? " chosen" : "", cx - bw / 2, top, bw, hgt, col,
                    is_chosen || chosen < 0 ? "1" : "0.45",
                    is_chosen ? " stroke=\"#000000\" stroke-width=\"2\"" : "");
            fprintf(out,
                    "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"10\" fill=\"%s\" "
                    "text-anchor=\"middle\"%s>%.3g</text>\n",
                    cx, top - 4, FONT, C_TEXT, is_chosen ? " font-weight=\"bold\"" : "", v);
        }
        fprintf(out,
                "<path d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f\" fill=\"none\" stroke=\"%s\" "
                "stroke-width=\"1.2\"/>\n",
                f.px0, f.py0, f.px0, f.py1, f.px1, f.py1, C_AXIS);
        fputs("</g>\n", out);
    }
    /* Legend: one swatch per algorithm, the chosen one marked. */
    double ly0 = A_TOP + rows * A_PANEL_H + 10;
    for (int32_t a = 0; a < n_algorithms; a++) {
        double lx = A_LEFT + 10 + (double)(a % 4) * 200;
        double ly = ly0 + (double)(a / 4) * 22;
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"12\" fill=\"%s\" "
                "fill-opacity=\"%s\"%s/>\n",
                lx, ly, palette[a % N_PALETTE], a == chosen || chosen < 0 ? "1" : "0.45",
                a == chosen ? " stroke=\"#000000\" stroke-width=\"2\"" : "");
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s font-size=\"13\" fill=\"%s\"%s>", lx + 22,
                ly + 11, FONT, C_TEXT, a == chosen ? " font-weight=\"bold\"" : "");
        put_escaped(out, algorithms[a]);
        if (a == chosen)
            fputs(" (chosen)", out);
        fputs("</text>\n", out);
    }
    return svg_end(out);
}
