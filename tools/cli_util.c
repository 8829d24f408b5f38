/* tsrec CLI: option parsing, errors, JSON helpers (see cli_util.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- options -------------------------------------------------------- */

/* Is `name` among the space-separated specs? 1 takes a value, 0 flag,
 * -1 unknown. */
static int spec_kind(const char *specs, const char *name)
{
    size_t nl = strlen(name);
    const char *p = specs;
    while (p && *p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        size_t l = (size_t)(e - p);
        int val = l > 0 && p[l - 1] == '=';
        if ((val ? l - 1 : l) == nl && memcmp(p, name, nl) == 0)
            return val;
        p = e;
    }
    return -1;
}

const char *cli_opt(const cli_call *call, const char *name)
{
    for (int i = call->n_opts - 1; i >= 0; i--)
        if (strcmp(call->keys[i], name) == 0)
            return call->vals[i];
    return NULL;
}

int cli_flag(const cli_call *call, const char *name)
{
    for (int i = 0; i < call->n_opts; i++)
        if (strcmp(call->keys[i], name) == 0)
            return 1;
    return 0;
}

static void print_cmd_usage(FILE *f, const char *service, const cli_command *c)
{
    fprintf(f, "usage: tsrec %s %s [--workspace DIR]", service, c->name);
    const char *p = c->options;
    while (p && *p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e > p) {
            int val = e[-1] == '=';
            fprintf(f, " [--%.*s%s]", (int)(e - p - val), p, val ? " V" : "");
        }
        p = e;
    }
    fprintf(f, "\n\n%s\n", c->help);
}

int cli_usage_error(const cli_call *call, const char *fmt, ...)
{
    fprintf(stderr, "tsrec %s %s: ", call->service, call->cmd->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_cmd_usage(stderr, call->service, call->cmd);
    return CLI_EXIT_USAGE;
}

const char *cli_need(const cli_call *call, const char *name)
{
    const char *v = cli_opt(call, name);
    if (v == NULL || *v == '\0') {
        cli_usage_error(call, "--%s is required", name);
        return NULL;
    }
    return v;
}

int cli_opt_int(const cli_call *call, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const char *v = cli_opt(call, name);
    if (v == NULL)
        return 0;
    char *end = NULL;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi) {
        cli_usage_error(call, "--%s must be an integer in [%lld, %lld]", name, (long long)lo,
                        (long long)hi);
        return -1;
    }
    *out = (int64_t)x;
    return 0;
}

int cli_dispatch(const char *service, const char *service_help, const cli_command *cmds,
                 int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "help") == 0 ||
        strcmp(argv[0], "-h") == 0) {
        FILE *f = argc < 1 ? stderr : stdout;
        fprintf(f, "usage: tsrec %s <subcommand> [options]\n\n%s\n\nsubcommands:\n", service,
                service_help);
        for (const cli_command *c = cmds; c->name; c++)
            fprintf(f, "  %s\n", c->name);
        fprintf(f, "\n`tsrec %s <subcommand> --help` describes a subcommand.\n", service);
        return argc < 1 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const cli_command *cmd = NULL;
    for (const cli_command *c = cmds; c->name; c++)
        if (strcmp(c->name, argv[0]) == 0)
            cmd = c;
    if (cmd == NULL) {
        fprintf(stderr, "tsrec %s: unknown subcommand '%s' (see tsrec %s --help)\n", service,
                argv[0], service);
        return CLI_EXIT_USAGE;
    }
    cli_call call;
    memset(&call, 0, sizeof call);
    call.service = service;
    call.cmd = cmd;
    call.ws.lock_fd = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "help") == 0) {
            print_cmd_usage(stdout, service, cmd);
            return CLI_EXIT_OK;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
            return cli_usage_error(&call, "unexpected argument '%s'", a);
        const char *name = a + 2;
        char buf[64];
        const char *eq = strchr(name, '=');
        const char *val = NULL;
        if (eq != NULL) { /* --name=value */
            size_t l = (size_t)(eq - name);
            if (l >= sizeof buf)
                return cli_usage_error(&call, "unknown option '%s'", a);
            memcpy(buf, name, l);
            buf[l] = '\0';
            name = buf;
            val = eq + 1;
        }
        int kind = strcmp(name, "workspace") == 0 ? 1 : spec_kind(cmd->options, name);
        if (kind < 0)
            return cli_usage_error(&call, "unknown option '--%s'", name);
        if (kind == 1 && val == NULL) {
            if (i + 1 >= argc)
                return cli_usage_error(&call, "option '--%s' needs a value", name);
            val = argv[++i];
        } else if (kind == 0 && val != NULL) {
            return cli_usage_error(&call, "option '--%s' takes no value", name);
        }
        if (call.n_opts == CLI_MAX_OPTS)
            return cli_usage_error(&call, "too many options");
        snprintf(call.keys[call.n_opts], sizeof call.keys[0], "%s", name);
        call.vals[call.n_opts] = val;
        call.n_opts++;
    }
    if (cli_ws_open(&call.ws, cli_opt(&call, "workspace"), cmd->writes) != 0)
        return CLI_EXIT_IO;
    int rc = cmd->run(&call);
    cli_progress_finish(&call.progress);
    tsrec_ctx_free(call.ctx);
    cli_ws_close(&call.ws);
    fflush(stdout);
    if (ferror(stdout) && rc == CLI_EXIT_OK)
        rc = cli_io_error("cannot write the response to stdout");
    return rc;
}

/* ---- ctx ---------------------------------------------------------------- */

tsrec_ctx *cli_ctx(cli_call *call, int training)
{
    if (call->ctx != NULL)
        return call->ctx;
    tsrec_ctx_options o;
    tsrec_ctx_options_init(&o);
    if (training) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o.n_threads = n < 1 ? 1 : n > 256 ? 256 : (int32_t)n;
    }
    cli_progress_init(&call->progress);
    o.progress = cli_progress_fn;
    o.progress_user_data = &call->progress;
    if (tsrec_ctx_new(&o, &call->ctx) != TSREC_OK) {
        cli_io_error("cannot create a libtsrec context: %s", tsrec_last_error());
        return NULL;
    }
    return call->ctx;
}

/* ---- errors ------------------------------------------------------------- */

const char *cli_exception_name(int status)
{
    switch (status) {
    case TSREC_E_UNKNOWN_NAME: return "ResourceNotFoundException";
    case TSREC_E_EXISTS: return "ResourceAlreadyExistsException";
    case TSREC_E_NOMEM: return "LimitExceededException";
    case TSREC_E_UNSUPPORTED: return "InvalidInputException";
    default: return "InvalidInputException";
    }
}

int cli_fail(const cli_call *call, int status, const char *msg)
{
    cli_progress_finish((cli_progress *)&call->progress);
    /* In Create* requests an unknown name is a bad parameter value (a
     * domain, algorithm or recipe), not a missing resource: the CLI looks
     * resources up itself before calling the library. */
    const char *exc = cli_exception_name(status);
    if (status == TSREC_E_UNKNOWN_NAME && strncmp(call->cmd->operation, "Create", 6) == 0)
        exc = "InvalidInputException";
    if (msg == NULL || *msg == '\0')
        msg = tsrec_last_error();
    fprintf(stderr, "An error occurred (%s) when calling the %s operation: %s\n", exc,
            call->cmd->operation, msg && *msg ? msg : tsrec_status_str(status));
    /* Files the library could not read or write are local problems. */
    if (status == TSREC_E_IO)
        return CLI_EXIT_IO;
    return CLI_EXIT_SERVICE;
}

int cli_fail_ex(const cli_call *call, const char *exception, const char *fmt, ...)
{
    fprintf(stderr, "An error occurred (%s) when calling the %s operation: ", exception,
            call->cmd->operation);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_SERVICE;
}

int cli_io_error(const char *fmt, ...)
{
    fputs("tsrec: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_IO;
}

/* ---- files -------------------------------------------------------------- */

char *cli_read_file(const char *path, size_t *out_len)
{
    if (strncmp(path, "file://", 7) == 0)
        path += 7;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (len + 1 >= cap) {
            char *g = cap > ((size_t)1 << 30) ? NULL : realloc(buf, cap * 2);
            if (g == NULL) {
                free(buf);
                buf = NULL;
                errno = ENOMEM;
                break;
            }
            buf = g;
            cap *= 2;
        }
        size_t r = fread(buf + len, 1, cap - 1 - len, f);
        len += r;
        if (r == 0) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
                errno = EIO;
            }
            break;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
        if (out_len)
            *out_len = len;
    }
    return buf;
}

char *cli_json_arg(const char *value, size_t *out_len, int *exit_code)
{
    const char *p = value;
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    if (*p == '{' || *p == '[' || *p == '"') {
        size_t n = strlen(value);
        char *s = malloc(n + 1);
        if (s == NULL) {
            *exit_code = cli_io_error("out of memory");
            return NULL;
        }
        memcpy(s, value, n + 1);
        *out_len = n;
        return s;
    }
    const char *path = value;
    if (*path == '@')
        path++;
    char *s = cli_read_file(path, out_len);
    if (s == NULL)
        *exit_code = cli_io_error("cannot read '%s': %s", path, strerror(errno));
    return s;
}

/* ---- string builder ------------------------------------------------------ */

void cli_sb_add(cli_sb *sb, const char *s, size_t n)
{
    if (sb->oom)
        return;
    if (sb->len + n + 1 > sb->cap) {
        size_t nc = sb->cap ? sb->cap : 256;
        while (nc < sb->len + n + 1)
            nc *= 2;
        char *g = realloc(sb->p, nc);
        if (g == NULL) {
            sb->oom = 1;
            return;
        }
        sb->p = g;
        sb->cap = nc;
    }
    memcpy(sb->p + sb->len, s, n);
    sb->len += n;
    sb->p[sb->len] = '\0';
}

void cli_sb_printf(cli_sb *sb, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        cli_sb_add(sb, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        sb->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    cli_sb_add(sb, big, (size_t)n);
    free(big);
}

void cli_sb_str(cli_sb *sb, const char *s)
{
    cli_sb_add(sb, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': cli_sb_add(sb, "\\\"", 2); break;
        case '\\': cli_sb_add(sb, "\\\\", 2); break;
        case '\n': cli_sb_add(sb, "\\n", 2); break;
        case '\r': cli_sb_add(sb, "\\r", 2); break;
        case '\t': cli_sb_add(sb, "\\t", 2); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                cli_sb_add(sb, esc, 6);
            } else {
                cli_sb_add(sb, (const char *)p, 1);
            }
        }
    }
    cli_sb_add(sb, "\"", 1);
}

void cli_sb_free(cli_sb *sb)
{
    free(sb->p);
    sb->p = NULL;
    sb->len = sb->cap = 0;
}

/* ---- JSON scanning ---------------------------------------------------- */

/* A cursor over JSON text. Skipping validates structure (not number
 * grammar in full, nor UTF-8): the library validates requests itself;
 * this is only for finding names and rejecting obvious garbage early. */
typedef struct jcur {
    const char *p, *end;
    int depth;
} jcur;

static void jws(jcur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int jskip_string(jcur *c)
{
    if (c->p >= c->end || *c->p != '"')
        return -1;
    for (c->p++; c->p < c->end; c->p++) {
        if (*c->p == '\\') {
            if (++c->p >= c->end)
                return -1;
        } else if (*c->p == '"') {
            c->p++;
            return 0;
        } else if ((unsigned char)*c->p < 0x20) {
            return -1;
        }
    }
    return -1;
}

static int jskip_value(jcur *c)
{
    jws(c);
    if (c->p >= c->end)
        return -1;
    char ch = *c->p;
    if (ch == '"')
        return jskip_string(c);
    if (ch == '{' || ch == '[') {
        if (++c->depth > 200)
            return -1;
        char close = ch == '{' ? '}' : ']';
        c->p++;
        jws(c);
        if (c->p < c->end && *c->p == close) {
            c->p++;
            c->depth--;
            return 0;
        }
        for (;;) {
            if (ch == '{') {
                jws(c);
                if (jskip_string(c) != 0)
                    return -1;
                jws(c);
                if (c->p >= c->end || *c->p != ':')
                    return -1;
                c->p++;
            }
            if (jskip_value(c) != 0)
                return -1;
            jws(c);
            if (c->p >= c->end)
                return -1;
            if (*c->p == ',') {
                c->p++;
                continue;
            }
            if (*c->p != close)
                return -1;
            c->p++;
            c->depth--;
            return 0;
        }
    }
    const char *s = c->p;
    while (c->p < c->end && (strchr("+-.0123456789eE", *c->p) != NULL ||
                             (*c->p >= 'a' && *c->p <= 'z')))
        c->p++;
    size_t n = (size_t)(c->p - s);
    if (n == 0)
        return -1;
    if ((n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "null", 4) == 0)) ||
        (n == 5 && memcmp(s, "false", 5) == 0))
        return 0;
    if (*s == '-' || (*s >= '0' && *s <= '9')) {
        char *end = NULL;
        char tmp[64];
        if (n >= sizeof tmp)
            return -1;
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        (void)strtod(tmp, &end);
        return *end == '\0' ? 0 : -1;
    }
    return -1;
}

int cli_json_valid(const char *json, size_t len)
{
    jcur c = {json, json + len, 0};
    if (jskip_value(&c) != 0)
        return 0;
    jws(&c);
    return c.p == c.end;
}

int cli_json_find(const char *json, size_t len, const char *path, const char **out,
                  size_t *out_len)
{
    if (!cli_json_valid(json, len))
        return -1;
    jcur c = {json, json + len, 0};
    const char *seg = path;
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t sl = dot ? (size_t)(dot - seg) : strlen(seg);
        jws(&c);
        if (c.p >= c.end || *c.p != '{')
            return 0;
        c.p++;
        int found = 0;
        for (;;) {
            jws(&c);
            if (c.p < c.end && *c.p == '}')
                return 0;
            const char *ks = c.p;
            if (jskip_string(&c) != 0)
                return -1;
            /* Keys are compared raw (without escapes): AWS keys are ASCII. */
            int match = (size_t)(c.p - ks) == sl + 2 && memcmp(ks + 1, seg, sl) == 0;
            jws(&c);
            c.p++; /* ':' (validated above) */
            jws(&c);
            if (match) {
                found = 1;
                break;
            }
            if (jskip_value(&c) != 0)
                return -1;
            jws(&c);
            if (c.p < c.end && *c.p == ',')
                c.p++;
        }
        if (!found)
            return 0;
        if (dot == NULL) {
            const char *vs = c.p;
            if (jskip_value(&c) != 0)
                return -1;
            *out = vs;
            *out_len = (size_t)(c.p - vs);
            return 1;
        }
        seg = dot + 1;
    }
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

char *cli_json_unquote(const char *v, size_t len)
{
    if (len < 2 || v[0] != '"' || v[len - 1] != '"')
        return NULL;
    char *out = malloc(len * 2 + 1); /* \uXXXX -> at most 3 bytes of UTF-8 */
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        char ch = v[i];
        if (ch != '\\') {
            out[o++] = ch;
            continue;
        }
        ch = v[++i];
        switch (ch) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'u': {
            unsigned cp = 0;
            for (int k = 0; k < 4; k++) {
                int h = i + 1 + (size_t)k < len ? hexval(v[i + 1 + (size_t)k]) : -1;
                if (h < 0) {
                    free(out);
                    return NULL;
                }
                cp = cp * 16 + (unsigned)h;
            }
            i += 4;
            if (cp < 0x80) {
                out[o++] = (char)cp;
            } else if (cp < 0x800) {
                out[o++] = (char)(0xC0 | (cp >> 6));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[o++] = (char)(0xE0 | (cp >> 12));
                out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default: out[o++] = ch;
        }
    }
    out[o] = '\0';
    return out;
}

char *cli_json_get_str(const char *json, size_t len, const char *path)
{
    const char *v = NULL;
    size_t vl = 0;
    if (cli_json_find(json, len, path, &v, &vl) != 1)
        return NULL;
    return cli_json_unquote(v, vl);
}

void cli_print_json(FILE *f, const char *s, size_t len)
{
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            fputc(c, f);
            if (c == '\\' && i + 1 < len)
                fputc(s[++i], f);
            else if (c == '"')
                in_str = 0;
            continue;
        }
        switch (c) {
        case '"': in_str = 1; fputc(c, f); break;
        case '{':
        case '[': {
            /* Empty containers stay on one line. */
            size_t j = i + 1;
            while (j < len && (s[j] == ' ' || s[j] == '\n'))
                j++;
            if (j < len && (s[j] == '}' || s[j] == ']')) {
                fputc(c, f);
                fputc(s[j], f);
                i = j;
                break;
            }
            depth++;
            fprintf(f, "%c\n%*s", c, 4 * depth, "");
            break;
        }
        case '}':
        case ']':
            depth--;
            fprintf(f, "\n%*s%c", 4 * depth, "", c);
            break;
        case ',': fprintf(f, ",\n%*s", 4 * depth, ""); break;
        case ':': fputs(": ", f); break;
        case ' ':
        case '\n':
        case '\t':
        case '\r': break;
        default: fputc(c, f);
        }
    }
    fputc('\n', f);
}

const char *cli_arn_name(const char *s)
{
    if (strncmp(s, "arn:", 4) != 0)
        return s;
    const char *slash = strrchr(s, '/');
    return slash ? slash + 1 : s;
}

const char *cli_arn_or_name(const cli_call *call, const char *resource)
{
    char flag[64];
    snprintf(flag, sizeof flag, "%s-arn", resource);
    const char *arn = cli_opt(call, flag);
    if (arn != NULL)
        return cli_arn_name(arn);
    snprintf(flag, sizeof flag, "%s-name", resource);
    return cli_need(call, flag);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
