/* Personalize recipe vtables (the Personalize twin of
 * src/forecast/algo_internal.h). The solution and campaign layers see a
 * recipe only through this descriptor; the cores in recipes_internal.h
 * know nothing of names, strings or handles.
 *
 * The descriptor is append-only: it starts with abi_version and
 * struct_size, and callers check struct_size and NULL before using a
 * member added later. */
#ifndef TSREC_RECIPE_INTERNAL_H
#define TSREC_RECIPE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core_internal.h"
#include "interactions_internal.h"
#include "params_internal.h"

struct tsrec__wbuf; /* src/io/container_internal.h */
struct tsrec__rbuf;

#define TSREC__RECIPE_ABI_VERSION 1u

/* What GetRecommendations needs (AWS recipe types). */
#define TSREC__RECIPE_POPULAR_ITEMS 1 /* userId optional, itemId ignored */
#define TSREC__RECIPE_RELATED_ITEMS 2 /* itemId required */

/* The ARN prefix of Amazon Personalize recipes. */
#define TSREC__RECIPE_ARN_PREFIX "arn:aws:personalize:::recipe/"

typedef struct tsrec__recipe {
    uint32_t abi_version;
    uint32_t struct_size;
    const char *name;               /* "aws-popularity-count", "aws-sims" */
    int32_t type;                   /* TSREC__RECIPE_* */
    int32_t reserved;
    const tsrec__param_def *params; /* algorithmHyperParameters table */
    int64_t n_params;
    /* Train on a store; *out_model is opaque. */
    int (*train)(tsrec_ctx *ctx, tsrec__handle *eh, const tsrec__params *params,
                 const tsrec__interactions *s, void **out_model);
    /* Up to n items for a request: `item` is the request item code (-1
     * when none; codes outside the model's items are unknown items and get
     * popular items), exclude a sorted unique array. Returns the count
     * written. Read-only: thread-safe. */
    int64_t (*recommend)(const void *model, int64_t item, const int32_t *exclude,
                         int64_t n_exclude, int64_t n, int32_t *out_items, double *out_scores);
    /* Score candidates cand[0..n) for a user whose recent items (newest
     * first, any codes) are hist[0..n_hist); NaN for an item the model does
     * not know (ranked last, unscored). Read-only: thread-safe. */
    void (*rank)(const void *model, const int32_t *hist, int64_t n_hist, const int64_t *cand,
                 int64_t n, double *out_scores);
    void (*free_model)(void *model);
    size_t (*bytes)(const void *model);
    /* Item code space of the model. */
    int64_t (*n_items)(const void *model);
    /* Persistence (added later: check struct_size and NULL). save appends
     * the trained model to b (never modifies the model; b->status carries
     * NOMEM); load reads one back from r, checking every count and code
     * (TSREC_E_FORMAT recorded on eh, or TSREC_E_NOMEM), and on failure
     * leaves *out_model NULL with nothing allocated. */
    int (*save)(const void *model, struct tsrec__wbuf *b);
    int (*load)(tsrec_ctx *ctx, tsrec__handle *eh, struct tsrec__rbuf *r, void **out_model);
} tsrec__recipe;

/* Does recipe r have member m (struct_size check for append-only fields)? */
#define TSREC__RECIPE_HAS(r, m)                                                        \
    ((r)->struct_size >= offsetof(tsrec__recipe, m) + sizeof((r)->m) && (r)->m != NULL)

/* The built-in recipes. */
const tsrec__recipe *const *tsrec__recipes(int64_t *out_count);
/* Lookup by name or ARN (arn:aws:personalize:::recipe/NAME); NULL if
 * unknown. len: bytes of s. */
const tsrec__recipe *tsrec__recipe_find(const char *s, size_t len);

#endif /* TSREC_RECIPE_INTERNAL_H */
