/* tsrec CLI: library functions the CLI needs that no public header
 * declares yet (src/personalize/cli_support_solution.c, exported through
 * src/libtsrec.map). Only available when built with Personalize. */
#ifndef TSREC_CLI_SUPPORT_H
#define TSREC_CLI_SUPPORT_H

#include <tsrec/personalize.h>

/* Number of versions a solution holds (1..n, in training order). */
TSREC_API int tsrec_solution_version_count(const tsrec_solution *solution, int64_t *out_count);
/* Version `number` (1-based) of a solution, owned by it;
 * TSREC_E_UNKNOWN_NAME when out of range. */
TSREC_API int tsrec_solution_version_get(tsrec_solution *solution, int64_t number,
                                         tsrec_solution_version **out_version);

#endif /* TSREC_CLI_SUPPORT_H */
