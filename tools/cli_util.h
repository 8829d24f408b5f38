/* tsrec CLI: shared helpers for the AWS-style subcommands -- option parsing,
 * a growable string for response JSON, a small read-only JSON scanner for
 * request files, AWS exception mapping and the ctx every command uses.
 *
 * The CLI is a program, not library code: it uses the C library allocator
 * and stdio directly, and exits with the codes below. */
#ifndef TSREC_CLI_UTIL_H
#define TSREC_CLI_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tsrec/tsrec.h>

#include "progress.h"
#include "workspace.h"

/* Exit codes (documented in `tsrec --help`). */
#define CLI_EXIT_OK 0
#define CLI_EXIT_SERVICE 1 /* the operation failed (an AWS-style exception) */
#define CLI_EXIT_USAGE 2   /* bad command line */
#define CLI_EXIT_IO 3      /* a local file or the workspace could not be used */

#define CLI_MAX_OPTS 32

/* A subcommand: its name, the AWS operation it mirrors (for error text),
 * its options ("name=" takes a value, "name" is a flag; space separated),
 * the help text and whether it changes the workspace (exclusive lock). */
typedef struct cli_call cli_call;
typedef int (*cli_handler)(cli_call *call);
typedef struct cli_command {
    const char *name;
    const char *operation;
    const char *options;
    const char *help;
    int writes;
    cli_handler run;
} cli_command;

/* Everything a handler needs: parsed options, the open workspace, and
 * the ctx (created lazily by cli_ctx). */
struct cli_call {
    const char *service; /* "forecast", "personalize", ... (CLI word) */
    const cli_command *cmd;
    int n_opts;
    char keys[CLI_MAX_OPTS][64];
    const char *vals[CLI_MAX_OPTS]; /* NULL for flags */
    cli_ws ws;
    tsrec_ctx *ctx;
    cli_progress progress;
};

/* Run one subcommand of a service from argv (argv[0] = subcommand name):
 * handles --help, option checking, the workspace lock and cleanup.
 * Returns the exit code. */
int cli_dispatch(const char *service, const char *service_help, const cli_command *cmds,
                 int argc, char **argv);

/* Option value or NULL; cli_flag is 1 when a flag was given. */
const char *cli_opt(const cli_call *call, const char *name);
int cli_flag(const cli_call *call, const char *name);
/* A required option: NULL after printing a usage error (caller returns
 * CLI_EXIT_USAGE). */
const char *cli_need(const cli_call *call, const char *name);
/* Parse a positive integer option into *out; 0 ok, else usage error printed. */
int cli_opt_int(const cli_call *call, const char *name, int64_t lo, int64_t hi, int64_t *out);
/* Print "usage" for the current subcommand to stderr and return CLI_EXIT_USAGE. */
int cli_usage_error(const cli_call *call, const char *fmt, ...);

/* The ctx for this call: threads = online cores when `training`, the
 * progress bar wired in. NULL after printing an error (exit 3). */
tsrec_ctx *cli_ctx(cli_call *call, int training);

/* Report a failed library call as the AWS CLI does:
 *   An error occurred (<Exception>) when calling the <Op> operation: <msg>
 * and return the exit code for the status. */
int cli_fail(const cli_call *call, int status, const char *msg);
/* Same with an explicit exception name and printf message; returns 1. */
int cli_fail_ex(const cli_call *call, const char *exception, const char *fmt, ...);
/* AWS exception name for a library status. */
const char *cli_exception_name(int status);
/* A workspace / local file problem: "tsrec: ..." on stderr, returns 3. */
int cli_io_error(const char *fmt, ...);

/* Read a whole file (a leading "file://" is stripped) into a malloc'd,
 * NUL-terminated buffer. NULL with errno set on failure. */
char *cli_read_file(const char *path, size_t *out_len);
/* An option that is inline JSON or file://path / @path / an existing
 * file: malloc'd text or NULL after printing an error (*exit_code set). */
char *cli_json_arg(const char *value, size_t *out_len, int *exit_code);

/* Growable string. On allocation failure `oom` is set and appends stop. */
typedef struct cli_sb {
    char *p;
    size_t len, cap;
    int oom;
} cli_sb;
void cli_sb_printf(cli_sb *sb, const char *fmt, ...);
void cli_sb_add(cli_sb *sb, const char *s, size_t n);
/* Append s as a quoted, escaped JSON string. */
void cli_sb_str(cli_sb *sb, const char *s);
void cli_sb_free(cli_sb *sb);

/* Read-only JSON scanning over text. cli_json_find locates the value at a
 * dotted key path ("InputDataConfig.DatasetGroupArn") of nested objects:
 * 1 found (span in *out and *out_len), 0 absent, -1 malformed JSON. */
int cli_json_find(const char *json, size_t len, const char *path, const char **out,
                  size_t *out_len);
/* 1 when text is one well-formed JSON value (whitespace around allowed). */
int cli_json_valid(const char *json, size_t len);
/* Decode a JSON string value span (with its quotes) into a malloc'd C
 * string; NULL if it is not a string. */
char *cli_json_unquote(const char *v, size_t len);
/* Convenience: the string at path, malloc'd, or NULL. */
char *cli_json_get_str(const char *json, size_t len, const char *path);

/* Pretty-print compact JSON with 4-space indentation (AWS CLI style). */
void cli_print_json(FILE *f, const char *json, size_t len);

/* The last path segment of an ARN or plain name ("arn:...:predictor/p1"
 * -> "p1"). Returns a pointer into s. */
const char *cli_arn_name(const char *s);
/* A resource named by --RESOURCE-arn (its last segment) or else the
 * required --RESOURCE-name, e.g. RESOURCE "predictor"; NULL (usage error
 * reported) when neither is given. */
const char *cli_arn_or_name(const cli_call *call, const char *resource);

/* Current UTC time as epoch seconds with fraction (AWS CLI prints dates
 * as ISO text; we store epoch numbers in metadata). */
double cli_now(void);

#endif /* TSREC_CLI_UTIL_H */
