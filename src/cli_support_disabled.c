/* tsrec_solution_version_count / _get (personalize/cli_support_solution.c)
 * when the library is built with -Dpersonalize=false: the symbols exist
 * (the map lists them) and answer TSREC_E_UNSUPPORTED. */
#include "core_internal.h"
#include "tsrec/personalize.h"

TSREC_API int tsrec_solution_version_count(const tsrec_solution *solution, int64_t *out_count);
TSREC_API int tsrec_solution_version_get(tsrec_solution *solution, int64_t number,
                                         tsrec_solution_version **out_version);

TSREC_API int tsrec_solution_version_count(const tsrec_solution *solution, int64_t *out_count)
{
    (void)solution;
    (void)out_count;
    return tsrec__fail_tls(TSREC_E_UNSUPPORTED,
                           "tsrec_solution_version_count: libtsrec was built without the "
                           "Personalize half (-Dpersonalize=false)");
}

TSREC_API int tsrec_solution_version_get(tsrec_solution *solution, int64_t number,
                                         tsrec_solution_version **out_version)
{
    (void)solution;
    (void)number;
    if (out_version != NULL)
        *out_version = NULL;
    return tsrec__fail_tls(TSREC_E_UNSUPPORTED,
                           "tsrec_solution_version_get: libtsrec was built without the "
                           "Personalize half (-Dpersonalize=false)");
}
