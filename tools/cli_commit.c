/* tsrec CLI: multi-file commits through a redo journal (see cli_commit.h). */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include "cli_commit.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOURNAL ".commit-journal"
#define JOURNAL_HEAD "tsrec-commit-journal 1\n"
#define PENDING ".pending"
#define CRASH_ENV "TSREC_CLI_CRASH_AFTER_RENAMES"
#define NO_CRASH INT_MIN
/* Folder depth of the sweep: SERVICE/GROUP/dataset-import-jobs/DATASET/
 * is the deepest the workspace goes; a little room beyond. */
#define SWEEP_DEPTH 8

void cli_commit_init(cli_commit *c, const cli_ws *ws)
{
    memset(c, 0, sizeof *c);
    c->ws = ws;
}

static int pending_of(const char *final_path, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s" PENDING, final_path);
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* ROOT/REL and ROOT/REL.pending. */
static int both_paths(const cli_ws *ws, const char *rel, char *final_path, char *pending)
{
    if (cli_ws_path(ws, final_path, CLI_PATH_MAX, "%s", rel) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return pending_of(final_path, pending, CLI_PATH_MAX);
}

/* A journal line must name a file inside the workspace: relative, no ".."
 * component, not hidden at the top (the lock, the journal). */
static int rel_ok(const char *rel)
{
    if (rel[0] == '\0' || rel[0] == '/' || rel[0] == '.')
        return 0;
    for (const char *p = rel; *p; p++) {
        if ((p == rel || p[-1] == '/') && p[0] == '.' && p[1] == '.' &&
            (p[2] == '/' || p[2] == '\0'))
            return 0;
    }
    return 1;
}

int cli_commit_add(cli_commit *c, const char *final_path, char *pending, size_t cap)
{
    size_t rl = strlen(c->ws->root);
    if (strncmp(final_path, c->ws->root, rl) != 0 || final_path[rl] != '/' ||
        strchr(final_path, '\n') != NULL || !rel_ok(final_path + rl + 1)) {
        errno = EINVAL;
        return -1;
    }
    if (pending_of(final_path, pending, cap) != 0)
        return -1;
    if (c->n == c->cap) {
        int nc = c->cap ? 2 * c->cap : 8;
        char **r = realloc(c->rel, (size_t)nc * sizeof *r);
        if (r == NULL)
            return -1;
        c->rel = r;
        c->cap = nc;
    }
    const char *rel = final_path + rl + 1;
    size_t l = strlen(rel);
    char *copy = malloc(l + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, rel, l + 1);
    c->rel[c->n++] = copy;
    return 0;
}

/* The test hook (cli_commit.h): NO_CRASH unless the variable is set. */
static int crash_point(void)
{
    const char *v = getenv(CRASH_ENV);
    if (v == NULL || *v == '\0')
        return NO_CRASH;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    return (*end != '\0' || n < -1 || n > 1000000) ? NO_CRASH : (int)n;
}

static int journal_path(const cli_ws *ws, char *buf)
{
    if (cli_ws_path(ws, buf, CLI_PATH_MAX, JOURNAL) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* Rename every REL.pending over REL, make the renames durable, then remove
 * the journal. A missing .pending was renamed by an earlier, interrupted
 * redo. On an error the journal stays, so the next command redoes it. */
static int redo(const cli_ws *ws, char *const *rel, int n, int crash)
{
    char final_path[CLI_PATH_MAX], pending[CLI_PATH_MAX], jp[CLI_PATH_MAX];
    for (int i = 0; i < n; i++) {
        if (both_paths(ws, rel[i], final_path, pending) != 0)
            return -1;
        if (rename(pending, final_path) != 0 && errno != ENOENT)
            return -1;
        if (crash == i + 1)
            _exit(137);
    }
    if (crash != NO_CRASH && crash > n)
        _exit(137);
    /* The journal may only go once the renames are on disk. */
    for (int i = 0; i < n; i++) {
        if (both_paths(ws, rel[i], final_path, pending) != 0 ||
            cli_ws_fsync_dir_of(final_path) != 0)
            return -1;
    }
    if (journal_path(ws, jp) != 0 || (unlink(jp) != 0 && errno != ENOENT))
        return -1;
    return cli_ws_fsync_dir_of(jp);
}

static void remove_pending(cli_commit *c)
{
    char final_path[CLI_PATH_MAX], pending[CLI_PATH_MAX];
    for (int i = 0; i < c->n; i++)
        if (both_paths(c->ws, c->rel[i], final_path, pending) == 0)
            unlink(pending);
}

/* Failure before the commit point: nothing changed, the .pending files go. */
static int apply_failed(cli_commit *c)
{
    int e = errno;
    remove_pending(c);
    c->applied = 1; /* nothing left to clean */
    errno = e;
    return -1;
}

int cli_commit_apply(cli_commit *c)
{
    int crash = crash_point();
    char final_path[CLI_PATH_MAX], pending[CLI_PATH_MAX], jp[CLI_PATH_MAX];
    /* Every new file must be there before the commit point: a missing one
     * would silently keep its old content. */
    size_t len = strlen(JOURNAL_HEAD);
    for (int i = 0; i < c->n; i++) {
        struct stat st;
        if (both_paths(c->ws, c->rel[i], final_path, pending) != 0 || stat(pending, &st) != 0)
            return apply_failed(c);
        len += strlen(c->rel[i]) + 1;
    }
    if (crash == -1)
        _exit(137);
    char *text = journal_path(c->ws, jp) == 0 ? malloc(len) : NULL;
    if (text == NULL)
        return apply_failed(c);
    size_t off = strlen(JOURNAL_HEAD);
    memcpy(text, JOURNAL_HEAD, off);
    for (int i = 0; i < c->n; i++) {
        size_t l = strlen(c->rel[i]);
        memcpy(text + off, c->rel[i], l);
        off += l;
        text[off++] = '\n';
    }
    int rc = cli_ws_write_atomic(jp, text, len);
    free(text);
    if (rc != 0)
        return apply_failed(c);
    c->applied = 1;
    if (crash == 0)
        _exit(137);
    return redo(c->ws, c->rel, c->n, crash);
}

void cli_commit_free(cli_commit *c)
{
    if (!c->applied)
        remove_pending(c);
    for (int i = 0; i < c->n; i++)
        free(c->rel[i]);
    free(c->rel);
    memset(c, 0, sizeof *c);
}

int cli_commit_journal_exists(const cli_ws *ws)
{
    char jp[CLI_PATH_MAX];
    struct stat st;
    return journal_path(ws, jp) == 0 && lstat(jp, &st) == 0;
}

/* The journal text, NUL-terminated, or NULL (errno ENOENT: no journal). */
static char *read_journal(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int bad = 0; /* out of memory */
    for (;;) {
        if (cap - len < 4096) {
            size_t nc = cap ? 2 * cap : 8192;
            char *t = realloc(text, nc);
            if (t == NULL) {
                bad = 1; /* a journal read in part must not be redone */
                break;
            }
            text = t;
            cap = nc;
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    int e = bad ? ENOMEM : ferror(f) ? EIO : 0;
    fclose(f);
    if (e != 0) {
        free(text);
        errno = e;
        return NULL;
    }
    text[len] = '\0';
    return text;
}

/* Delete every *.pending under dir (hidden names and symlinks skipped). */
static void sweep(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    size_t pl = strlen(PENDING);
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        char sub[CLI_PATH_MAX];
        struct stat st;
        if (nm[0] == '.' || snprintf(sub, sizeof sub, "%s/%s", dir, nm) >= (int)sizeof sub ||
            lstat(sub, &st) != 0)
            continue;
        size_t l = strlen(nm);
        if (S_ISDIR(st.st_mode) && depth > 0)
            sweep(sub, depth - 1);
        else if (S_ISREG(st.st_mode) && l > pl && strcmp(nm + l - pl, PENDING) == 0)
            unlink(sub);
    }
    closedir(d);
}

int cli_commit_recover(const cli_ws *ws)
{
    char jp[CLI_PATH_MAX];
    if (journal_path(ws, jp) != 0)
        return -1;
    char *text = read_journal(jp);
    if (text == NULL && errno != ENOENT)
        return -1;
    if (text != NULL) {
        size_t hl = strlen(JOURNAL_HEAD);
        if (strncmp(text, JOURNAL_HEAD, hl) != 0) {
            free(text);
            errno = EINVAL;
            return -1;
        }
        /* One path per line; cut the lines in place. */
        int n = 0;
        for (const char *p = text + hl; *p; p++)
            n += *p == '\n';
        char **rel = calloc((size_t)n + 1, sizeof *rel);
        if (rel == NULL) {
            free(text);
            return -1;
        }
        int k = 0, bad = 0;
        for (char *p = text + hl; *p && k < n;) {
            char *nl = strchr(p, '\n');
            *nl = '\0';
            bad |= !rel_ok(p);
            rel[k++] = p;
            p = nl + 1;
        }
        int rc = bad ? (errno = EINVAL, -1) : redo(ws, rel, k, NO_CRASH);
        free(rel);
        free(text);
        if (rc != 0)
            return -1;
    }
    /* Journal done (or none): any .pending left never reached a journal. */
    sweep(ws->root, SWEEP_DEPTH);
    return 0;
}
