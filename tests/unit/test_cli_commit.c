/* Multi-file commits of the tsrec CLI (tools/cli_commit.c and
 * tools/workspace.c, compiled into this test): apply replaces every file
 * and leaves no journal; an abandoned commit leaves the old files; a
 * journal left half-done is redone by recovery (and by opening the
 * workspace, for reads too); stray .pending files are swept; a damaged
 * journal is refused and kept; listings never show .pending files. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "../../tools/cli_commit.h"
#include "../../tools/workspace.h"

typedef struct fixture {
    char root[256];
    cli_ws ws;
} fixture;

static void put(const fixture *fx, const char *rel, const char *text)
{
    char p[CLI_PATH_MAX];
    assert_int_equal(cli_ws_path(&fx->ws, p, sizeof p, "%s", rel), 0);
    assert_int_equal(cli_ws_write_atomic(p, text, strlen(text)), 0);
}

/* Content of ROOT/REL ("" when missing: no file holds that here). */
static const char *get(const fixture *fx, const char *rel)
{
    static char buf[256];
    char p[CLI_PATH_MAX];
    assert_int_equal(cli_ws_path(&fx->ws, p, sizeof p, "%s", rel), 0);
    buf[0] = '\0';
    FILE *f = fopen(p, "rb");
    if (f != NULL) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

static int exists(const fixture *fx, const char *rel)
{
    char p[CLI_PATH_MAX];
    struct stat st;
    assert_int_equal(cli_ws_path(&fx->ws, p, sizeof p, "%s", rel), 0);
    return lstat(p, &st) == 0;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    const char *tmp = getenv("TMPDIR");
    snprintf(fx->root, sizeof fx->root, "%s/tsrec-commit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(fx->root));
    assert_int_equal(cli_ws_open(&fx->ws, fx->root, 1), 0);
    put(fx, "personalize/g/group.json", "{}");
    put(fx, "personalize/g/group.tsrec", "old group");
    put(fx, "personalize/g/campaigns/a.json", "{}");
    put(fx, "personalize/g/campaigns/a.tsrec", "old a");
    put(fx, "personalize/g/campaigns/b.json", "{}");
    put(fx, "personalize/g/campaigns/b.tsrec", "old b");
    *state = fx;
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *fx = *state;
    cli_ws_close(&fx->ws);
    assert_int_equal(nftw(fx->root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
    free(fx);
    return 0;
}

static const char *const files[] = {"personalize/g/group.tsrec",
                                    "personalize/g/campaigns/a.tsrec",
                                    "personalize/g/campaigns/b.tsrec"};
static const char *const news[] = {"new group", "new a", "new b"};

/* A commit of the three files with their new content staged. */
static void stage_all(fixture *fx, cli_commit *c)
{
    cli_commit_init(c, &fx->ws);
    for (int i = 0; i < 3; i++) {
        char p[CLI_PATH_MAX], pending[CLI_PATH_MAX];
        assert_int_equal(cli_ws_path(&fx->ws, p, sizeof p, "%s", files[i]), 0);
        assert_int_equal(cli_commit_add(c, p, pending, sizeof pending), 0);
        assert_string_equal(pending + strlen(pending) - 8, ".pending");
        assert_int_equal(cli_ws_write_atomic(pending, news[i], strlen(news[i])), 0);
    }
}

static int any_pending(const fixture *fx)
{
    return exists(fx, "personalize/g/group.tsrec.pending") ||
           exists(fx, "personalize/g/campaigns/a.tsrec.pending") ||
           exists(fx, "personalize/g/campaigns/b.tsrec.pending");
}

static void test_apply_replaces_every_file(void **state)
{
    fixture *fx = *state;
    cli_commit c;
    stage_all(fx, &c);
    assert_string_equal(get(fx, files[1]), "old a");
    assert_int_equal(cli_commit_apply(&c), 0);
    cli_commit_free(&c);
    for (int i = 0; i < 3; i++)
        assert_string_equal(get(fx, files[i]), news[i]);
    assert_false(any_pending(fx));
    assert_false(cli_commit_journal_exists(&fx->ws));
}

static void test_free_without_apply_keeps_old_files(void **state)
{
    fixture *fx = *state;
    cli_commit c;
    stage_all(fx, &c);
    cli_commit_free(&c);
    assert_string_equal(get(fx, files[0]), "old group");
    assert_string_equal(get(fx, files[2]), "old b");
    assert_false(any_pending(fx));
}

static void test_apply_refuses_a_missing_pending(void **state)
{
    fixture *fx = *state;
    cli_commit c;
    stage_all(fx, &c);
    char p[CLI_PATH_MAX];
    assert_int_equal(cli_ws_path(&fx->ws, p, sizeof p, "%s.pending", files[1]), 0);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(cli_commit_apply(&c), -1);
    cli_commit_free(&c);
    /* Refused before the commit point: nothing changed, nothing left. */
    assert_string_equal(get(fx, files[0]), "old group");
    assert_false(any_pending(fx));
    assert_false(cli_commit_journal_exists(&fx->ws));
}

static void test_add_refuses_paths_outside_the_workspace(void **state)
{
    fixture *fx = *state;
    cli_commit c;
    cli_commit_init(&c, &fx->ws);
    char pending[CLI_PATH_MAX], p[CLI_PATH_MAX];
    assert_int_equal(cli_commit_add(&c, "/etc/passwd", pending, sizeof pending), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(cli_ws_path(&fx->ws, p, sizeof p, "personalize/../../x"), 0);
    assert_int_equal(cli_commit_add(&c, p, pending, sizeof pending), -1);
    assert_int_equal(c.n, 0);
    cli_commit_free(&c);
}

/* The state a commit killed after its first rename leaves. */
static void half_done(fixture *fx)
{
    put(fx, "personalize/g/campaigns/a.tsrec.pending", "new a");
    put(fx, "personalize/g/campaigns/b.tsrec.pending", "new b");
    put(fx, "personalize/g/group.tsrec", "new group");
    put(fx, ".commit-journal",
        "tsrec-commit-journal 1\npersonalize/g/group.tsrec\n"
        "personalize/g/campaigns/a.tsrec\npersonalize/g/campaigns/b.tsrec\n");
}

static void test_recover_redoes_a_half_done_journal(void **state)
{
    fixture *fx = *state;
    half_done(fx);
    assert_true(cli_commit_journal_exists(&fx->ws));
    assert_int_equal(cli_commit_recover(&fx->ws), 0);
    for (int i = 0; i < 3; i++)
        assert_string_equal(get(fx, files[i]), news[i]);
    assert_false(any_pending(fx));
    assert_false(cli_commit_journal_exists(&fx->ws));
    /* Redoing again finds nothing to do. */
    assert_int_equal(cli_commit_recover(&fx->ws), 0);
    assert_string_equal(get(fx, files[1]), "new a");
}

static void test_a_reader_open_finishes_the_journal(void **state)
{
    fixture *fx = *state;
    half_done(fx);
    cli_ws_close(&fx->ws);
    assert_int_equal(cli_ws_open(&fx->ws, fx->root, 0), 0);
    assert_string_equal(get(fx, files[2]), "new b");
    assert_false(cli_commit_journal_exists(&fx->ws));
}

static void test_recover_sweeps_stray_pending_files(void **state)
{
    fixture *fx = *state;
    put(fx, "personalize/g/campaigns/a.tsrec.pending", "never committed");
    put(fx, "forecast/f/dataset-import-jobs/d/j.json.pending", "never committed");
    put(fx, "personalize/g/campaigns/keep.txt", "not ours to remove");
    assert_int_equal(cli_commit_recover(&fx->ws), 0);
    assert_false(exists(fx, "personalize/g/campaigns/a.tsrec.pending"));
    assert_false(exists(fx, "forecast/f/dataset-import-jobs/d/j.json.pending"));
    assert_true(exists(fx, "personalize/g/campaigns/keep.txt"));
    assert_true(exists(fx, ".lock"));
    assert_string_equal(get(fx, files[1]), "old a");
}

static void test_a_damaged_journal_is_refused_and_kept(void **state)
{
    fixture *fx = *state;
    static const char *const bad[] = {
        "not a journal\npersonalize/g/group.tsrec\n",
        "tsrec-commit-journal 1\n../outside\n",
        "tsrec-commit-journal 1\n/etc/passwd\n",
        "tsrec-commit-journal 1\npersonalize/g/group.tsrec\n\n",
    };
    put(fx, "personalize/g/group.tsrec.pending", "new group");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put(fx, ".commit-journal", bad[i]);
        errno = 0;
        assert_int_equal(cli_commit_recover(&fx->ws), -1);
        assert_int_equal(errno, EINVAL);
        assert_true(cli_commit_journal_exists(&fx->ws));
        assert_string_equal(get(fx, files[0]), "old group");
        assert_true(exists(fx, "personalize/g/group.tsrec.pending"));
    }
}

static int count_visit(void *user, const char *group, const char *name)
{
    (void)group;
    assert_true(strcmp(name, "a") == 0 || strcmp(name, "b") == 0);
    (*(int *)user)++;
    return 0;
}

static void test_listings_skip_pending_files(void **state)
{
    fixture *fx = *state;
    put(fx, "personalize/g/campaigns/c.json.pending", "{}");
    put(fx, "personalize/g/campaigns/a.json.pending", "{}");
    put(fx, ".commit-journal", "tsrec-commit-journal 1\n");
    int n = 0;
    assert_int_equal(cli_ws_each(&fx->ws, "personalize", NULL, "campaigns", count_visit, &n), 0);
    assert_int_equal(n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_apply_replaces_every_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_without_apply_keeps_old_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_refuses_a_missing_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_refuses_paths_outside_the_workspace, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_recover_redoes_a_half_done_journal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_reader_open_finishes_the_journal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recover_sweeps_stray_pending_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_damaged_journal_is_refused_and_kept, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_listings_skip_pending_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
