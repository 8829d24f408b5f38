/* Folder input: the regular files of a directory in name order, so "one
 * file or a folder of files" imports in a reproducible order. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_internal.h"

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void tsrec__dir_list_free(tsrec_ctx *ctx, char **paths, int64_t n)
{
    if (paths == NULL)
        return;
    for (int64_t i = 0; i < n; i++)
        tsrec__free(ctx, paths[i]);
    tsrec__free(ctx, paths);
}

int tsrec__dir_list(tsrec_ctx *ctx, tsrec__handle *eh, const char *dir, char ***out_paths,
                    int64_t *out_n)
{
    *out_paths = NULL;
    *out_n = 0;
    if (dir == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "folder listing: NULL path");
    DIR *d = opendir(dir);
    if (d == NULL) {
        char why[128];
        if (strerror_r(errno, why, sizeof why) != 0)
            snprintf(why, sizeof why, "error %d", errno);
        return tsrec__fail(eh, TSREC_E_IO, "cannot open folder '%s': %s", dir, why);
    }
    size_t dlen = strlen(dir);
    int slash = dlen > 0 && dir[dlen - 1] == '/';
    char **paths = NULL;
    int64_t n = 0, cap = 0;
    int rc = TSREC_OK;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (e == NULL) {
            if (errno != 0) {
                char why[128];
                if (strerror_r(errno, why, sizeof why) != 0)
                    snprintf(why, sizeof why, "error %d", errno);
                rc = tsrec__fail(eh, TSREC_E_IO, "cannot list folder '%s': %s", dir, why);
            }
            break;
        }
        if (e->d_name[0] == '.')
            continue; /* ".", ".." and hidden files */
        size_t nlen = strlen(e->d_name);
        char *p = tsrec__alloc(ctx, dlen + nlen + 2);
        if (p == NULL) {
            rc = tsrec__fail(eh, TSREC_E_NOMEM, "out of memory listing folder '%s'", dir);
            break;
        }
        memcpy(p, dir, dlen);
        size_t at = dlen;
        if (!slash)
            p[at++] = '/';
        memcpy(p + at, e->d_name, nlen + 1);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            tsrec__free(ctx, p); /* not a regular file (or vanished) */
            continue;
        }
        if (n == cap) {
            int64_t ncap = cap == 0 ? 16 : cap * 2;
            char **np = tsrec__realloc(ctx, paths, (size_t)ncap * sizeof *np);
            if (np == NULL) {
                tsrec__free(ctx, p);
                rc = tsrec__fail(eh, TSREC_E_NOMEM, "out of memory listing folder '%s'", dir);
                break;
            }
            paths = np;
            cap = ncap;
        }
        paths[n++] = p;
    }
    closedir(d);
    if (rc != TSREC_OK) {
        tsrec__dir_list_free(ctx, paths, n);
        return rc;
    }
    /* Every path shares the folder prefix, so sorting paths sorts names. */
    if (n > 1)
        qsort(paths, (size_t)n, sizeof *paths, cmp_path);
    *out_paths = paths;
    *out_n = n;
    return TSREC_OK;
}
