/* Version and build information. */
#include <pthread.h>
#include <stdio.h>

#include "tsrec/version.h"
#include "tsrec_config.h"

#include <zlib.h>

#if TSREC_WITH_FORECAST
/* Only then: src/core must link without src/forecast in -Dforecast=false. */
#include "algo_internal.h"
#endif

#if TSREC_HAVE_OPENBLAS_CONFIG
/* Declared by OpenBLAS's cblas.h; repeated here to avoid pulling it in. */
char *openblas_get_config(void);
int openblas_get_parallel(void);
#endif

const char *tsrec_version_string(void)
{
    return TSREC_VERSION_STRING;
}

int tsrec_version_number(void)
{
    return TSREC_VERSION_NUMBER;
}

static const char *blas_threading(void)
{
#if TSREC_HAVE_OPENBLAS_CONFIG
    switch (openblas_get_parallel()) {
    case 0: return "sequential";
    case 1: return "pthreads";
    case 2: return "openmp";
    default: return "unknown";
    }
#else
    return "unknown";
#endif
}

/* The text depends only on the build and the linked BLAS, which never
 * change during a process, so it is formatted once (pthread_once) into a
 * process-wide constant buffer. */
static char build_info_buf[2048];
static pthread_once_t build_info_once = PTHREAD_ONCE_INIT;

static void format_build_info(void)
{
    char *buf = build_info_buf;
#if TSREC_HAVE_OPENBLAS_CONFIG
    const char *blas_config = openblas_get_config();
#else
    const char *blas_config = "";
#endif
    int n = 0;
    n = snprintf(buf, sizeof build_info_buf,
                 "{\"version\":\"%s\",\"blas\":{\"vendor\":\"%s\",\"version\":\"%s\","
                 "\"config\":\"%s\",\"threading\":\"%s\"},"
                 "\"lapacke\":\"%s\",\"zlib\":{\"build\":\"%s\",\"runtime\":\"%s\"},"
                 "\"compiler\":\"%s\",\"buildtype\":\"%s\","
                 "\"forecast\":%s,\"personalize\":%s,\"neural\":%s,"
                 "\"algorithms\":[",
                 TSREC_VERSION_STRING, TSREC_BLAS_VENDOR, TSREC_BLAS_VERSION,
                 blas_config ? blas_config : "", blas_threading(), TSREC_LAPACKE_VERSION,
                 ZLIB_VERSION, zlibVersion(), TSREC_COMPILER, TSREC_BUILDTYPE,
                 TSREC_WITH_FORECAST ? "true" : "false",
                 TSREC_WITH_PERSONALIZE ? "true" : "false",
                 TSREC_WITH_NEURAL ? "true" : "false");
    size_t used = n > 0 && (size_t)n < sizeof build_info_buf ? (size_t)n
                                                             : sizeof build_info_buf - 1;
#if TSREC_WITH_FORECAST
    /* The built-in forecast algorithms, from the registry. */
    int64_t n_algos = 0;
    const tsrec__forecast_algo *const *algos = tsrec__forecast_algos(&n_algos);
    for (int64_t i = 0; i < n_algos; i++) {
        n = snprintf(buf + used, sizeof build_info_buf - used, "%s\"%s\"", i > 0 ? "," : "",
                     algos[i]->name);
        if (n > 0 && (size_t)n < sizeof build_info_buf - used)
            used += (size_t)n;
    }
#endif
    (void)snprintf(buf + used, sizeof build_info_buf - used, "]}");
}

const char *tsrec_build_info(void)
{
    pthread_once(&build_info_once, format_build_info);
    return build_info_buf;
}
