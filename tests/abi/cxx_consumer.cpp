// A C++ program using the public API through the shared library.
#include <tsrec/tsrec.h>

#include <cstdio>
#include <cstring>
#include <string>

int main()
{
    tsrec_ctx_options o;
    if (tsrec_ctx_options_init(&o) != TSREC_OK)
        return 1;
    o.seed = 1234;
    tsrec_ctx *ctx = nullptr;
    if (tsrec_ctx_new(&o, &ctx) != TSREC_OK || ctx == nullptr)
        return 2;
    uint64_t seed = 0;
    if (tsrec_ctx_get_seed(ctx, &seed) != TSREC_OK || seed != 1234)
        return 3;
    if (tsrec_ctx_set_threads(ctx, 0) != TSREC_E_OUT_OF_RANGE)
        return 4;
    std::string msg = tsrec_errmsg(ctx);
    if (msg.find("n_threads") == std::string::npos)
        return 5;
    if (std::strcmp(tsrec_version_string(), TSREC_VERSION_STRING) != 0)
        return 6;
    tsrec_ctx_free(ctx);
    std::printf("ok - C++ consumer linked against libtsrec %s\n", tsrec_version_string());
    return 0;
}
