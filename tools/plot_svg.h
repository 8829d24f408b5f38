/* tsrec CLI: standalone SVG charts -- a forecast (history, P50 line,
 * P10-P90 band, backtest split marks) and a backtest accuracy chart (one
 * panel per metric, a bar per algorithm, the chosen one highlighted).
 *
 * Output is a complete SVG 1.1 document with no scripts, external fonts or
 * stylesheets, so it opens in any browser and prints in colour or grey
 * (the palette is Okabe-Ito, distinguishable with colour-vision
 * deficiencies). Timestamps are epoch seconds, labelled in UTC. Functions
 * return 0, or -1 on bad arguments (NULL, zero-length or all-NaN data) or
 * a write error. */
#ifndef TSREC_CLI_PLOT_SVG_H
#define TSREC_CLI_PLOT_SVG_H

#include <stdint.h>
#include <stdio.h>

/* History y_hist at t_hist (NaN points leave gaps), and a forecast at t_fc:
 * p_mid as a line, [p_lo, p_hi] as a band (either may be NULL: no band;
 * p_mid NULL: no line). splits are backtest split timestamps drawn as
 * dashed verticals (may be NULL with n_splits 0). Names label the legend
 * (NULL: "P10", "P50", "P90"). n_hist + horizon must be > 0. */
int plot_forecast_svg(FILE *out, const char *title, const int64_t *t_hist, const double *y_hist,
                      int64_t n_hist, const int64_t *t_fc, const double *p_lo,
                      const double *p_mid, const double *p_hi, int64_t horizon,
                      const char *lo_name, const char *mid_name, const char *hi_name,
                      const int64_t *splits, int32_t n_splits);

/* values[a * n_metrics + m] is metric m of algorithm a (NaN: not
 * available, drawn as "n/a"). chosen is the algorithm to highlight, or -1. */
int plot_accuracy_svg(FILE *out, const char *title, const char *const *algorithms,
                      int32_t n_algorithms, const char *const *metrics, int32_t n_metrics,
                      const double *values, int32_t chosen);

/* The "nice" axis the charts use (exposed for tests): a range
 * [*out_lo, *out_hi] covering [lo, hi], stepped by *out_step (1, 2, 2.5 or
 * 5 times a power of ten) with at most max_ticks + 1 ticks. Returns -1 for
 * non-finite input or max_ticks < 1. */
int plot_nice_axis(double lo, double hi, int max_ticks, double *out_lo, double *out_hi,
                   double *out_step);

#endif /* TSREC_CLI_PLOT_SVG_H */
