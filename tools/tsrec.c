/* tsrec: command-line front end to libtsrec. */
#include <stdio.h>
#include <string.h>

#include <tsrec/tsrec.h>

static int usage(FILE *f)
{
    fprintf(f,
            "usage: tsrec <command> [options]\n"
            "\n"
            "commands:\n"
            "  info       print version, BLAS/LAPACKE/zlib and enabled algorithms\n"
            "  version    print the library version\n"
            "  help       print this text\n"
            "\n"
            "exit codes: 0 success, 1 command failed, 2 usage error\n");
    return f == stderr ? 2 : 0;
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

static int cmd_info(void)
{
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
    if (strcmp(cmd, "info") == 0)
        return cmd_info();
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("%s\n", tsrec_version_string());
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return usage(stdout);
    fprintf(stderr, "tsrec: unknown command '%s'\n", cmd);
    return usage(stderr);
}
