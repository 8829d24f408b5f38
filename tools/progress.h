/* tsrec CLI: a terminal progress bar fed by the library's progress callback.
 *
 * Hook it up with tsrec_ctx_options.progress = cli_progress_fn and
 * .progress_user_data = &p. It draws on stderr only when stderr is a
 * terminal (so pipes, logs and tests see nothing), redraws at most ten
 * times a second, and ends each bar with a newline. The library calls the
 * callback from one thread at a time per operation (worker 0 of the pool,
 * then the caller for the final report); a try-lock drops a redraw rather
 * than block if two calls ever overlap. */
#ifndef TSREC_CLI_PROGRESS_H
#define TSREC_CLI_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

typedef struct cli_progress {
    int enabled;        /* draw at all (isatty(stderr) after init) */
    int active;         /* a bar line is on screen without its newline */
    FILE *out;          /* stderr after init */
    char what[40];      /* operation of the current bar */
    double t_start;     /* monotonic seconds when the current bar began */
    double t_drawn;     /* last redraw; < 0 while nothing is drawn */
    double min_show;    /* seconds an operation runs before its bar appears */
    int64_t last_total; /* total of the last completed bar (to drop repeats) */
    atomic_flag busy;   /* try-lock around a redraw */
} cli_progress;

/* Set defaults: enabled when stderr is a TTY; an operation gets a bar only
 * once it has run for min_show = 0.25 s, so quick steps leave no clutter.
 * A caller may then change enabled, out and min_show (tests draw into a
 * file with min_show 0). */
void cli_progress_init(cli_progress *p);

/* The tsrec_progress_fn: user is a cli_progress *. total < 0 means the
 * total is unknown (imports while streaming): a counter and rate are
 * drawn instead of a bar. done >= total > 0 completes the bar. */
void cli_progress_fn(void *user, const char *what, int64_t done, int64_t total);

/* End a bar left open (an operation that failed or had an unknown total). */
void cli_progress_finish(cli_progress *p);

#endif /* TSREC_CLI_PROGRESS_H */
