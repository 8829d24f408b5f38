/* tsrec CLI: workspace folder, lock and atomic files (see workspace.h). */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include "workspace.h"

#include "cli_commit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_ws_path(const cli_ws *ws, char *buf, size_t cap, const char *fmt, ...)
{
    int n = snprintf(buf, cap, "%s/", ws->root);
    if (n < 0 || (size_t)n >= cap)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    return (m < 0 || (size_t)m >= cap - (size_t)n) ? -1 : 0;
}

int cli_ws_res_path(const cli_ws *ws, char *buf, size_t cap, const char *service,
                    const char *group, const char *kind, const char *name, const char *ext)
{
    if (kind == NULL)
        return cli_ws_path(ws, buf, cap, "%s/%s/group.%s", service, group, ext);
    return cli_ws_path(ws, buf, cap, "%s/%s/%s/%s.%s", service, group, kind, name, ext);
}

int cli_ws_mkdirs_for(const char *path)
{
    char tmp[CLI_PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, path, n + 1);
    /* Create each parent folder in turn; EEXIST is fine. */
    for (size_t i = 1; i < n; i++) {
        if (tmp[i] != '/')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            return -1;
        tmp[i] = '/';
    }
    return 0;
}

/* flock(op), retried on EINTR; closes the lock after printing why. */
static int take_lock(cli_ws *ws, int op)
{
    while (flock(ws->lock_fd, op) != 0) {
        if (errno != EINTR) {
            fprintf(stderr, "tsrec: cannot lock workspace '%s': %s\n", ws->root, strerror(errno));
            close(ws->lock_fd);
            ws->lock_fd = -1;
            return -1;
        }
    }
    return 0;
}

int cli_ws_open(cli_ws *ws, const char *dir, int writes)
{
    ws->lock_fd = -1;
    if (dir == NULL || *dir == '\0')
        dir = getenv("TSREC_WORKSPACE");
    if (dir == NULL || *dir == '\0')
        dir = "tsrec-data";
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n + 64 >= sizeof ws->root) {
        fprintf(stderr, "tsrec: workspace path too long\n");
        return -1;
    }
    memcpy(ws->root, dir, n);
    ws->root[n] = '\0';
    char lock[CLI_PATH_MAX];
    if (cli_ws_path(ws, lock, sizeof lock, ".lock") != 0 || cli_ws_mkdirs_for(lock) != 0) {
        fprintf(stderr, "tsrec: cannot create workspace '%s': %s\n", ws->root, strerror(errno));
        return -1;
    }
    ws->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (ws->lock_fd < 0) {
        fprintf(stderr, "tsrec: cannot open workspace lock '%s': %s\n", lock, strerror(errno));
        return -1;
    }
    /* Blocks until other commands on this workspace finish; a killed
     * command's lock goes away with its process. */
    if (take_lock(ws, writes ? LOCK_EX : LOCK_SH) != 0)
        return -1;
    /* A commit left unfinished by a killed command is finished before
     * anything reads (cli_commit.h): writers always (they also clear stray
     * .pending files), readers only when its journal is there, trading the
     * shared lock for the exclusive one meanwhile. */
    int recover = writes || cli_commit_journal_exists(ws);
    if (recover && !writes && take_lock(ws, LOCK_EX) != 0)
        return -1;
    if (recover && cli_commit_recover(ws) != 0) {
        fprintf(stderr,
                "tsrec: cannot finish the interrupted commit recorded in '%s/.commit-journal': "
                "%s\n",
                ws->root, strerror(errno));
        cli_ws_close(ws);
        return -1;
    }
    if (recover && !writes && take_lock(ws, LOCK_SH) != 0)
        return -1;
    return 0;
}

void cli_ws_close(cli_ws *ws)
{
    if (ws->lock_fd >= 0) {
        flock(ws->lock_fd, LOCK_UN);
        close(ws->lock_fd);
        ws->lock_fd = -1;
    }
}

int cli_ws_fsync_dir_of(const char *path)
{
    char dir[CLI_PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof dir)
        return -1;
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int cli_ws_write_atomic(const char *path, const char *data, size_t len)
{
    char tmp[CLI_PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (cli_ws_mkdirs_for(path) != 0)
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            errno = e;
            return -1;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return cli_ws_fsync_dir_of(path);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_ws_group_exists(const cli_ws *ws, const char *service, const char *group)
{
    char p[CLI_PATH_MAX];
    if (cli_ws_res_path(ws, p, sizeof p, service, group, NULL, NULL, "json") != 0)
        return 0;
    return file_exists(p);
}

/* Sorted names of a folder's entries: with `ext` the files NAME.ext
 * (returning NAME), without it the sub-folders. Caller frees. Hidden
 * names are skipped, and only names ending in exactly .ext count, so
 * temp files (NAME.ext.tmp-PID) and a commit's FINAL.pending files are
 * never resources. */
static char **list_dir(const char *dir, const char *ext, size_t *out_n)
{
    *out_n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    size_t el = ext ? strlen(ext) : 0;
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (nm[0] == '.' || nm[0] == '_')
            continue;
        size_t l = strlen(nm);
        char full[CLI_PATH_MAX];
        if (snprintf(full, sizeof full, "%s/%s", dir, nm) >= (int)sizeof full)
            continue;
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (ext) {
            if (!S_ISREG(st.st_mode) || l <= el + 1 || nm[l - el - 1] != '.' ||
                strcmp(nm + l - el, ext) != 0)
                continue;
            l -= el + 1;
        } else if (!S_ISDIR(st.st_mode)) {
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            char **g = realloc(names, nc * sizeof *g);
            if (g == NULL)
                break;
            names = g;
            cap = nc;
        }
        char *copy = malloc(l + 1);
        if (copy == NULL)
            break;
        memcpy(copy, nm, l);
        copy[l] = '\0';
        names[n++] = copy;
    }
    closedir(d);
    /* Insertion sort: folders hold few entries. */
    for (size_t i = 1; i < n; i++) {
        char *x = names[i];
        size_t j = i;
        while (j > 0 && strcmp(names[j - 1], x) > 0) {
            names[j] = names[j - 1];
            j--;
        }
        names[j] = x;
    }
    *out_n = n;
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int cli_ws_visit_any(void *user, const char *group, const char *name)
{
    (void)group;
    (void)name;
    *(int *)user = 1;
    return 1;
}

int cli_ws_each(const cli_ws *ws, const char *service, const char *group, const char *kind,
                cli_ws_visit_fn fn, void *user)
{
    char dir[CLI_PATH_MAX];
    size_t ng = 0;
    char **groups = NULL;
    if (group == NULL) {
        if (cli_ws_path(ws, dir, sizeof dir, "%s", service) != 0)
            return -1;
        groups = list_dir(dir, NULL, &ng);
    }
    int rc = 0;
    for (size_t gi = 0; rc == 0 && gi < (group ? 1 : ng); gi++) {
        const char *g = group ? group : groups[gi];
        if (!cli_ws_group_exists(ws, service, g))
            continue;
        if (kind == NULL) {
            rc = fn(user, g, g);
            continue;
        }
        if (cli_ws_path(ws, dir, sizeof dir, "%s/%s/%s", service, g, kind) != 0)
            continue;
        size_t n = 0;
        char **names = list_dir(dir, "json", &n);
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = fn(user, g, names[i]);
        free_names(names, n);
    }
    free_names(groups, ng);
    return rc;
}

typedef struct find_state {
    const char *name;
    char *group_out;
    size_t cap;
} find_state;

static int find_visit(void *user, const char *group, const char *name)
{
    find_state *fs = user;
    if (strcmp(name, fs->name) != 0)
        return 0;
    snprintf(fs->group_out, fs->cap, "%s", group);
    return 1;
}

int cli_ws_find(const cli_ws *ws, const char *service, const char *kind, const char *name,
                char *group_out, size_t cap)
{
    find_state fs = {name, group_out, cap};
    return cli_ws_each(ws, service, NULL, kind, find_visit, &fs) == 1;
}

int cli_ws_remove(const cli_ws *ws, const char *service, const char *group, const char *kind,
                  const char *name)
{
    char p[CLI_PATH_MAX];
    int rc = 0;
    /* The description goes first: once it is gone the resource no longer
     * exists, whatever happens to the object file after. */
    if (cli_ws_res_path(ws, p, sizeof p, service, group, kind, name, "json") != 0 ||
        (unlink(p) != 0 && errno != ENOENT))
        rc = -1;
    if (cli_ws_res_path(ws, p, sizeof p, service, group, kind, name, "tsrec") != 0 ||
        (unlink(p) != 0 && errno != ENOENT))
        rc = -1;
    if (rc == 0)
        cli_ws_fsync_dir_of(p);
    return rc;
}

/* rm -r of a folder we own (no symlink following: lstat). */
static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[CLI_PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub) {
            rc = -1;
            continue;
        }
        if (remove_tree(sub) != 0)
            rc = -1;
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

int cli_ws_delete_group(const cli_ws *ws, const char *service, const char *group)
{
    char from[CLI_PATH_MAX], to[CLI_PATH_MAX];
    if (cli_ws_path(ws, from, sizeof from, "%s/%s", service, group) != 0 ||
        cli_ws_path(ws, to, sizeof to, "%s/.deleted-%s-%ld", service, group, (long)getpid()) != 0)
        return -1;
    if (rename(from, to) != 0)
        return -1;
    cli_ws_fsync_dir_of(from);
    return remove_tree(to);
}

int cli_ws_each_file(const char *dir, const char *ext,
                     int (*fn)(void *user, const char *dir, const char *name), void *user)
{
    size_t n = 0;
    char **names = list_dir(dir, ext, &n);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = fn(user, dir, names[i]);
    free_names(names, n);
    return rc;
}
