/* tsrec CLI: Personalize loaders shared by cli_personalize.c and
 * cli_runtime.c, and the PutUsers / PutItems verbs. */
#ifndef TSREC_CLI_PERSONALIZE_INTERNAL_H
#define TSREC_CLI_PERSONALIZE_INTERNAL_H

#include "cli_util.h"

/* Load solution NAME of GROUP onto the loaded group g. */
int cli_pz_load_solution(cli_call *call, const char *group, const char *name,
                         tsrec_dataset_group *g, tsrec_solution **out);
/* Load campaign NAME of GROUP with the solution it was created from (both
 * freed by the caller: campaign first). */
int cli_pz_load_campaign(cli_call *call, const char *group, const char *name,
                         tsrec_dataset_group *g, tsrec_solution **out_solution,
                         tsrec_campaign **out_campaign);

/* `personalize-events put-users` / `put-items` (cli_put_records.c). */
int cli_pz_put_users(cli_call *call);
int cli_pz_put_items(cli_call *call);

#endif /* TSREC_CLI_PERSONALIZE_INTERNAL_H */
