/* Access to a solution's versions by number, for callers that load a
 * solution from a file (the tsrec CLI creates campaigns and reads metrics
 * of versions trained by earlier commands). Versions are numbered 1..n in
 * the order they were trained; the solution owns them. */
#include "personalize_internal.h"

TSREC_API int tsrec_solution_version_count(const tsrec_solution *solution, int64_t *out_count)
{
    TSREC__CHECK(solution, TSREC__MAGIC_SOLUTION, "tsrec_solution_version_count",
                 "tsrec_solution");
    tsrec__handle *eh = (tsrec__handle *)&solution->hdr;
    if (out_count == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_solution_version_count: NULL out_count");
    *out_count = solution->n_versions;
    return TSREC_OK;
}

TSREC_API int tsrec_solution_version_get(tsrec_solution *solution, int64_t number,
                                         tsrec_solution_version **out_version)
{
    if (out_version != NULL)
        *out_version = NULL;
    TSREC__CHECK(solution, TSREC__MAGIC_SOLUTION, "tsrec_solution_version_get",
                 "tsrec_solution");
    tsrec__handle *eh = &solution->hdr;
    if (out_version == NULL)
        return tsrec__fail(eh, TSREC_E_INVALID_ARG, "tsrec_solution_version_get: NULL out_version");
    if (number < 1 || number > solution->n_versions)
        return tsrec__fail(eh, TSREC_E_UNKNOWN_NAME,
                           "solution '%s' has no version %lld (it has %lld)", solution->name,
                           (long long)number, (long long)solution->n_versions);
    *out_version = solution->versions[number - 1];
    return TSREC_OK;
}
