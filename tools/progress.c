/* Terminal progress bar for the tsrec CLI (see progress.h). */
#include "progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define NAME_WIDTH 28
#define REDRAW_SECONDS 0.1

static double now_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_init(cli_progress *p)
{
    if (p == NULL)
        return;
    memset(p, 0, sizeof *p);
    atomic_flag_clear(&p->busy);
    p->out = stderr;
    p->enabled = isatty(fileno(stderr)) != 0;
    p->min_show = 0.25;
    p->t_drawn = -1.0;
    p->last_total = -1;
}

/* Columns of the terminal behind out (80 when it is not one). */
static int term_columns(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* "1:05" or "1:02:03"; "--:--" when not known yet. */
static void format_duration(char *buf, size_t cap, double s)
{
    if (!(s >= 0.0) || s > 360000.0) {
        snprintf(buf, cap, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else
        snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

static void draw(cli_progress *p, int64_t done, int64_t total, double now)
{
    double elapsed = now - p->t_start;
    double rate = elapsed > 1e-6 ? (double)done / elapsed : 0.0;
    char eta[24], tail[128];
    /* \r returns to column 0, \033[K clears what a longer line left. The
     * line is kept narrower than the terminal: a wrapped line could not be
     * redrawn in place. */
    if (total > 0) {
        double frac = (double)done / (double)total;
        frac = frac < 0.0 ? 0.0 : frac > 1.0 ? 1.0 : frac;
        int complete = done >= total;
        format_duration(eta, sizeof eta,
                        complete ? elapsed
                                 : rate > 0.0 ? (double)(total - done) / rate : -1.0);
        snprintf(tail, sizeof tail, "%3d%%  %lld/%lld  %.1f/s  %s %s", (int)(frac * 100.0),
                 (long long)done, (long long)total, rate, complete ? "in" : "ETA", eta);
        int width = term_columns(p->out) - 1 - NAME_WIDTH - 4 - (int)strlen(tail);
        width = width > 30 ? 30 : width < 8 ? 8 : width;
        char bar[31];
        int filled = (int)(frac * width + 0.5);
        for (int i = 0; i < width; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[width] = '\0';
        fprintf(p->out, "\r%-*.*s [%s] %s\033[K", NAME_WIDTH, NAME_WIDTH, p->what, bar, tail);
    } else {
        format_duration(eta, sizeof eta, elapsed);
        fprintf(p->out, "\r%-*.*s %lld  %.0f/s  %s\033[K", NAME_WIDTH, NAME_WIDTH, p->what,
                (long long)done, rate, eta);
    }
    fflush(p->out);
    p->t_drawn = now;
}

static void end_line(cli_progress *p)
{
    if (p->active && p->t_drawn >= 0.0) {
        fputc('\n', p->out);
        fflush(p->out);
    }
    p->active = 0;
    p->t_drawn = -1.0;
}

void cli_progress_fn(void *user, const char *what, int64_t done, int64_t total)
{
    cli_progress *p = user;
    if (p == NULL || !p->enabled || p->out == NULL)
        return;
    if (atomic_flag_test_and_set(&p->busy))
        return; /* another thread is drawing: this update is not worth waiting for */
    if (what == NULL)
        what = "working";
    double now = now_seconds();
    int complete = total > 0 && done >= total;
    int same = strncmp(p->what, what, sizeof p->what - 1) == 0;
    if (!p->active && same && complete && total == p->last_total) {
        /* The library repeats an operation's final report (worker, then
         * caller): the bar is already complete. */
        atomic_flag_clear(&p->busy);
        return;
    }
    if (!p->active || !same) {
        end_line(p); /* a new operation: keep the old bar's last state */
        snprintf(p->what, sizeof p->what, "%s", what);
        p->t_start = now;
        p->active = 1;
    }
    int shown = p->t_drawn >= 0.0;
    int due = shown ? now - p->t_drawn >= REDRAW_SECONDS : now - p->t_start >= p->min_show;
    /* A completed bar is drawn once more with its final numbers, but only if
     * it was on screen: quick operations leave no line at all. */
    if (due || (complete && shown))
        draw(p, done, total, now);
    if (complete) {
        p->last_total = total;
        end_line(p);
    }
    atomic_flag_clear(&p->busy);
}

void cli_progress_finish(cli_progress *p)
{
    if (p == NULL || !p->enabled || p->out == NULL)
        return;
    end_line(p);
}
