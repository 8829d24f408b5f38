/* A small generated Personalize dataset group for the save / load tests
 * (tests/api/test_api_personalize_save.c, tests/oom/test_oom_personalize_save.c
 * and the v1 fixtures in tests/fixtures/v1). Deterministic: the same rows
 * in the same order every time, so id codes match between runs. */
#ifndef TSREC_PZ_SAVE_FIXTURE_H
#define TSREC_PZ_SAVE_FIXTURE_H

#include <stdint.h>

#include "tsrec/tsrec.h"

/* n_users users u0.., n_items items i0.. (popularity skewed to low item
 * numbers by construction), 10..29 events per user with event types buy /
 * click and EVENT_VALUE 1..5. with_items adds an Items dataset with GENRE
 * "even" / "odd" and PRICE = item number. Returns NULL on any failure
 * (with an OOM ctx). */
tsrec_dataset_group *pzf_make_group(tsrec_ctx *ctx, int n_users, int n_items, int with_items);

#endif
