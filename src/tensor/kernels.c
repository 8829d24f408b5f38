/* Element-wise and reduction kernels for f64 and f32, generated from one
 * body (kernels_template.h) so both types share the same numerics.
 * See kernels_internal.h for the contract. */
#include "kernels_internal.h"

#include <math.h>

#define KT double
#define KS(name) name##_f64
#define KEXP exp
#define KLOG log
#define KLOG1P log1p
#define KTANH tanh
#include "kernels_template.h"
#undef KT
#undef KS
#undef KEXP
#undef KLOG
#undef KLOG1P
#undef KTANH

#define KT float
#define KS(name) name##_f32
#define KEXP expf
#define KLOG logf
#define KLOG1P log1pf
#define KTANH tanhf
#include "kernels_template.h"
#undef KT
#undef KS
#undef KEXP
#undef KLOG
#undef KLOG1P
#undef KTANH
