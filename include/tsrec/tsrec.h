/* libtsrec: umbrella header. Includes every stable public header. */
#ifndef TSREC_TSREC_H
#define TSREC_TSREC_H

#include <tsrec/export.h>
#include <tsrec/version.h>
#include <tsrec/error.h>
#include <tsrec/ctx.h>
#include <tsrec/dataset.h>
#include <tsrec/arrow.h>
#include <tsrec/forecast.h>
#include <tsrec/personalize.h>
#include <tsrec/io.h>

#endif /* TSREC_TSREC_H */
