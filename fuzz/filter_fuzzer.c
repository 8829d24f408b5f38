/* Fuzz target for Personalize filter expressions. The first line of the
 * input is the expression; each further line "KEY=VALUE" is a filterValues
 * entry. Compile must give a known status and, on a syntax or rule error, a
 * position inside the text; a compiled filter is bound and evaluated on a
 * tiny catalogue, where the single and batch forms must agree. Nothing may
 * leak. */
#include <stdint.h>
#include <string.h>

#include "filter_internal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { N_ITEMS = 5, N_USERS = 3, MAX_LINES = 32 };

static const char *const STR[] = {"comedy", "drama|comedy", "", "Click", "7.5"};

static void item_field(void *ud, int64_t item, int32_t field, tsrec__filter_fieldval *out)
{
    (void)ud;
    if (item < 0 || item >= N_ITEMS)
        abort();
    out->kind = (int32_t)((item + field) % 3);
    out->num = (double)(item * 3 - field);
    out->str = STR[(item + field) % 5];
    out->len = strlen(out->str);
}

static void user_field(void *ud, int64_t user, int32_t field, tsrec__filter_fieldval *out)
{
    (void)ud;
    if (user < 0 || user >= N_USERS)
        abort();
    item_field(ud, user, field, out);
}

static int user_interacted(void *ud, int64_t user, int64_t item,
                           const tsrec__filter_event_set *set)
{
    (void)ud;
    if (user < 0 || user >= N_USERS || item >= N_ITEMS)
        abort();
    const char *t = STR[(user + item + 5) % 5];
    return tsrec__filter_event_set_has(set, t, strlen(t));
}

static const tsrec__filter_callbacks CB = {item_field, user_field, user_interacted};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char buf[4097];
    memcpy(buf, data, size);
    buf[size] = '\0';
    /* split into lines */
    char *lines[MAX_LINES];
    int n_lines = 0;
    char *p = buf;
    while (n_lines < MAX_LINES) {
        lines[n_lines++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    const char *keys[MAX_LINES], *vals[MAX_LINES];
    int64_t n_kv = 0;
    for (int i = 1; i < n_lines; i++) {
        char *eq = strchr(lines[i], '=');
        if (!eq)
            continue;
        *eq = '\0';
        keys[n_kv] = lines[i];
        vals[n_kv++] = eq + 1;
    }

    tsrec_ctx *ctx = fuzz_ctx_new();
    tsrec__filter *f = NULL;
    int64_t pos = -1;
    int rc = tsrec__filter_compile(ctx, NULL, lines[0], &f, &pos);
    int64_t len = (int64_t)strlen(lines[0]);
    if (rc != TSREC_OK) {
        if (f != NULL)
            abort();
        if (rc != TSREC_E_PARSE && rc != TSREC_E_INVALID_ARG && rc != TSREC_E_UNSUPPORTED)
            abort();
        if (pos < 0 || pos > len + 1 || (rc == TSREC_E_PARSE && pos == 0))
            abort();
    } else {
        if (pos != 0 || f->n_exprs < 1 || f->n_fields > TSREC__FILTER_MAX_FIELDS)
            abort();
        tsrec__filter_binding *b = NULL;
        rc = tsrec__filter_bind(f, NULL, keys, vals, n_kv, &b);
        if (rc == TSREC_OK) {
            for (int64_t user = -1; user < N_USERS; user++) {
                for (int64_t cur = -1; cur < N_ITEMS; cur += 2) {
                    tsrec__filter_env env = {&CB, NULL, user, cur};
                    int64_t n_cand = f->target == TSREC__FILTER_ITEMS ? N_ITEMS : N_USERS;
                    int64_t cand[N_ITEMS], kept[N_ITEMS], n_kept = -1, k = 0;
                    for (int64_t c = 0; c < n_cand; c++)
                        cand[c] = c;
                    tsrec__filter_keep_batch(f, b, &env, cand, n_cand, kept, &n_kept);
                    for (int64_t c = 0; c < n_cand; c++) {
                        int keep = tsrec__filter_keep(f, b, &env, c);
                        if (keep != 0 && keep != 1)
                            abort();
                        if (keep && (k >= n_kept || kept[k++] != c))
                            abort();
                    }
                    if (k != n_kept)
                        abort();
                }
            }
        } else if (rc != TSREC_E_INVALID_ARG || b != NULL) {
            abort();
        }
        tsrec__filter_binding_free(b);
        tsrec__filter_free(f);
    }
    fuzz_ctx_free(ctx);
    return 0;
}
