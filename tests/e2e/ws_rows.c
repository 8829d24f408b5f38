/* Test helper for cli_crash.sh: print the row count of one dataset of a
 * saved dataset group (ws_rows GROUP_FILE DATASET_TYPE), so the script can
 * check that events reached the Interactions exactly once -- no CLI verb
 * prints a dataset's row count. */
#include <inttypes.h>
#include <stdio.h>

#include <tsrec/io.h>
#include <tsrec/tsrec.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: ws_rows GROUP_FILE DATASET_TYPE\n");
        return 2;
    }
    tsrec_ctx *ctx = NULL;
    tsrec_dataset_group *g = NULL;
    tsrec_dataset *ds = NULL;
    int64_t rows = 0;
    int st = tsrec_ctx_new(NULL, &ctx);
    if (st == TSREC_OK)
        st = tsrec_dataset_group_load(ctx, argv[1], &g);
    if (st == TSREC_OK)
        st = tsrec_dataset_group_dataset(g, argv[2], &ds);
    if (st == TSREC_OK)
        st = tsrec_dataset_row_count(ds, &rows);
    if (st == TSREC_OK)
        printf("%" PRId64 "\n", rows);
    else
        fprintf(stderr, "ws_rows: %s\n", tsrec_last_error());
    tsrec_dataset_group_free(g);
    tsrec_ctx_free(ctx);
    return st == TSREC_OK ? 0 : 1;
}
