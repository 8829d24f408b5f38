/* Terminal progress bar of the tsrec CLI (tools/progress.c, compiled into
 * this test): silent when disabled, a completed bar ends with a newline,
 * redraws are throttled, a new operation starts a new line. */
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#include "../../tools/progress.h"

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

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_disabled_is_silent(void **state)
{
    (void)state;
    cli_progress p;
    cli_progress_init(&p);
    FILE *f = tmpfile();
    p.out = f;
    p.enabled = 0;
    for (int i = 0; i <= 10; i++)
        cli_progress_fn(&p, "backtest", i, 10);
    cli_progress_finish(&p);
    assert_int_equal(ftell(f), 0);
    fclose(f);
    /* NULL user and NULL finish are ignored */
    cli_progress_fn(NULL, "x", 1, 2);
    cli_progress_finish(NULL);
}

static void test_bar_completes_with_newline(void **state)
{
    (void)state;
    cli_progress p;
    cli_progress_init(&p);
    FILE *f = tmpfile();
    p.out = f;
    p.enabled = 1;
    p.min_show = 0.0;
    /* 10000 quick updates: throttled to the first draw plus the final one. */
    for (int i = 1; i <= 10000; i++)
        cli_progress_fn(&p, "backtest ETS", i, 10000);
    cli_progress_fn(&p, "backtest ETS", 10000, 10000); /* the caller repeats the end */
    cli_progress_finish(&p); /* already ended: adds nothing */
    char *s = slurp(f);
    fclose(f);
    assert_true(count(s, "\r") >= 2 && count(s, "\r") < 100);
    assert_int_equal(count(s, "\n"), 1);
    assert_int_equal(s[strlen(s) - 1], '\n');
    assert_non_null(strstr(s, "100%"));
    assert_non_null(strstr(s, "10000/10000"));
    assert_non_null(strstr(s, "backtest ETS"));
    free(s);
}

static void test_new_operation_new_line(void **state)
{
    (void)state;
    cli_progress p;
    cli_progress_init(&p);
    FILE *f = tmpfile();
    p.out = f;
    p.enabled = 1;
    p.min_show = 0.0;
    cli_progress_fn(&p, "import", 65536, -1); /* unknown total: a counter */
    cli_progress_fn(&p, "backtest", 1, 4);    /* new operation: import's line ends */
    cli_progress_fn(&p, "backtest", 4, 4);
    cli_progress_fn(&p, "forecast", 2, 5);    /* left open ... */
    cli_progress_finish(&p);                  /* ... and closed */
    char *s = slurp(f);
    fclose(f);
    assert_int_equal(count(s, "\n"), 3);
    assert_non_null(strstr(s, "import"));
    assert_non_null(strstr(s, "65536"));
    assert_non_null(strstr(s, " 40%"));
    assert_int_equal(s[strlen(s) - 1], '\n');
    free(s);
}

static void test_quick_operation_leaves_nothing(void **state)
{
    (void)state;
    cli_progress p;
    cli_progress_init(&p); /* default: a bar only after 0.25 s */
    FILE *f = tmpfile();
    p.out = f;
    p.enabled = 1;
    for (int i = 1; i <= 100; i++)
        cli_progress_fn(&p, "forecast NPTS", i, 100);
    cli_progress_fn(&p, "forecast NPTS", 100, 100);
    cli_progress_fn(&p, "import", 65536, -1);
    cli_progress_finish(&p);
    assert_int_equal(ftell(f), 0);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disabled_is_silent),
        cmocka_unit_test(test_bar_completes_with_newline),
        cmocka_unit_test(test_new_operation_new_line),
        cmocka_unit_test(test_quick_operation_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
