/* tsrec: command-line front end to libtsrec. */
#include <stdio.h>
#include <string.h>

#include <tsrec/tsrec.h>

#include "cli_forecast.h"
#include "cli_personalize.h"
#include "demo.h"

/* Top-level commands. Each gets argv from its own name on (argv[0] is
 * the command) and returns the exit code. Add a command with one line. */
typedef struct top_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} top_command;

static int cmd_info(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int run_forecast(int argc, char **argv) { return cli_forecast_main(argc - 1, argv + 1); }
static int run_forecastquery(int argc, char **argv)
{
    return cli_forecastquery_main(argc - 1, argv + 1);
}
static int run_personalize(int argc, char **argv)
{
    return cli_personalize_main(argc - 1, argv + 1);
}
static int run_personalize_runtime(int argc, char **argv)
{
    return cli_personalize_runtime_main(argc - 1, argv + 1);
}
static int run_personalize_events(int argc, char **argv)
{
    return cli_personalize_events_main(argc - 1, argv + 1);
}

static int run_demo(int argc, char **argv) { return cli_demo_main(argc, argv); }

static const top_command commands[] = {
    {"forecast", run_forecast, "Amazon Forecast: dataset groups, datasets, predictors, forecasts"},
    {"forecastquery", run_forecastquery, "Amazon Forecast Query: query-forecast"},
    {"personalize", run_personalize,
     "Amazon Personalize: dataset groups, schemas, solutions, campaigns, filters"},
    {"personalize-runtime", run_personalize_runtime,
     "get-recommendations, get-personalized-ranking"},
    {"personalize-events", run_personalize_events, "put-events, put-users, put-items"},
    {"demo", run_demo, "the Forecast and Personalize walkthrough on bundled sample data"},
    {"info", cmd_info, "print version, BLAS/LAPACKE/zlib and enabled algorithms"},
    {"version", cmd_version, "print the library version"},
    {"help", cmd_help, "print this text"},
    {NULL, NULL, NULL},
};

static int usage(FILE *f)
{
    fprintf(f, "usage: tsrec <command> [<subcommand>] [options]\n\ncommands:\n");
    for (const top_command *c = commands; c->name; c++)
        fprintf(f, "  %-20s %s\n", c->name, c->help);
    fprintf(f,
            "\n"
            "`tsrec <command> --help` lists the subcommands, `tsrec <command> <subcommand>\n"
            "--help` their options. The AWS-style commands keep their state in a workspace\n"
            "folder: --workspace DIR, else $TSREC_WORKSPACE, else ./tsrec-data. Responses are\n"
            "the AWS JSON on stdout; errors are printed on stderr as\n"
            "  An error occurred (<Exception>) when calling the <Operation> operation: <message>\n"
            "\n"
            "exit codes: 0 success, 1 command failed (service error), 2 usage error,\n"
            "            3 I/O or workspace error\n");
    return f == stderr ? 2 : 0;
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return usage(stdout);
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("%s\n", tsrec_version_string());
    return 0;
}

/* Pretty-print the build-info JSON one key per line: the JSON is flat
 * enough (one nested level) that indenting at braces and commas suffices. */
static void print_json_indented(const char *s)
{
    int depth = 0, in_str = 0;
    for (; *s; s++) {
        char c = *s;
        if (in_str) {
            putchar(c);
            if (c == '\\' && s[1]) {
                putchar(*++s);
            } else if (c == '"') {
                in_str = 0;
            }
            continue;
        }
        switch (c) {
        case '"': in_str = 1; putchar(c); break;
        case '{':
            printf("{\n%*s", 2 * ++depth, "");
            break;
        case '}':
            printf("\n%*s}", 2 * --depth, "");
            break;
        case ',': printf(",\n%*s", 2 * depth, ""); break;
        case ':': printf(": "); break;
        default: putchar(c);
        }
    }
    putchar('\n');
}

static int cmd_info(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    tsrec_ctx *ctx = NULL;
    if (tsrec_ctx_new(NULL, &ctx) != TSREC_OK) {
        fprintf(stderr, "tsrec: %s\n", tsrec_last_error());
        return 1;
    }
    printf("libtsrec %s\n", tsrec_version_string());
    print_json_indented(tsrec_build_info());
    tsrec_ctx_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0)
        return cmd_version(argc - 1, argv + 1);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return usage(stdout);
    for (const top_command *c = commands; c->name; c++)
        if (strcmp(cmd, c->name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "tsrec: unknown command '%s'\n", cmd);
    return usage(stderr);
}
