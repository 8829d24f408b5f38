/* The 18 model types (error A/M x trend N/A/M x season N/A/M) of the
 * kernel in ets_lik_template.h for one lane count LIK_K, named
 * lik_<error><trend><season>_<LIK_K> (lowercase letters). Included by
 * ets_lik.c once per lane count; no include guard on purpose. */

#define LIK_E TSREC__ETS_A
#define LIK_T TSREC__ETS_N
#define LIK_S TSREC__ETS_N
#define LIK_FN LIK_NAME(ann)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_A
#define LIK_FN LIK_NAME(ana)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_M
#define LIK_FN LIK_NAME(anm)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#undef LIK_T
#define LIK_T TSREC__ETS_A
#define LIK_S TSREC__ETS_N
#define LIK_FN LIK_NAME(aan)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_A
#define LIK_FN LIK_NAME(aaa)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_M
#define LIK_FN LIK_NAME(aam)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#undef LIK_T
#define LIK_T TSREC__ETS_M
#define LIK_S TSREC__ETS_N
#define LIK_FN LIK_NAME(amn)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_A
#define LIK_FN LIK_NAME(ama)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_M
#define LIK_FN LIK_NAME(amm)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#undef LIK_T
#undef LIK_E

#define LIK_E TSREC__ETS_M
#define LIK_T TSREC__ETS_N
#define LIK_S TSREC__ETS_N
#define LIK_FN LIK_NAME(mnn)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_A
#define LIK_FN LIK_NAME(mna)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_M
#define LIK_FN LIK_NAME(mnm)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#undef LIK_T
#define LIK_T TSREC__ETS_A
#define LIK_S TSREC__ETS_N
#define LIK_FN LIK_NAME(man)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_A
#define LIK_FN LIK_NAME(maa)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_M
#define LIK_FN LIK_NAME(mam)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#undef LIK_T
#define LIK_T TSREC__ETS_M
#define LIK_S TSREC__ETS_N
#define LIK_FN LIK_NAME(mmn)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_A
#define LIK_FN LIK_NAME(mma)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#define LIK_S TSREC__ETS_M
#define LIK_FN LIK_NAME(mmm)
#include "ets_lik_template.h"
#undef LIK_S
#undef LIK_FN
#undef LIK_T
#undef LIK_E
