/* Lexer for Personalize filter expressions. Works on byte offsets so the
 * parser can report 1-based positions. Numbers go through the locale-free
 * field parser, so "9.99" here equals "9.99" read from a CSV. */
#include <string.h>

#include "filter_internal.h"
#include "import_internal.h"

static int is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Span of a number starting at i: [+-]digits[.digits][(e|E)[+-]digits]. */
static size_t number_end(const char *t, size_t n, size_t i)
{
    if (i < n && (t[i] == '+' || t[i] == '-'))
        i++;
    while (i < n && is_digit(t[i]))
        i++;
    if (i < n && t[i] == '.') {
        i++;
        while (i < n && is_digit(t[i]))
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (t[j] == '+' || t[j] == '-'))
            j++;
        if (j < n && is_digit(t[j])) {
            while (j < n && is_digit(t[j]))
                j++;
            i = j;
        }
    }
    return i;
}

void tsrec__filter_lex(const char *t, size_t n, size_t *pos, tsrec__filter_token *out)
{
    size_t i = *pos;
    while (i < n && is_space(t[i]))
        i++;
    memset(out, 0, sizeof *out);
    out->start = i;
    out->len = 1;
    if (i >= n) {
        out->kind = TSREC__FTOK_END;
        out->len = 0;
        *pos = i;
        return;
    }
    char c = t[i];
    size_t j = i + 1;
    switch (c) {
    case '(': out->kind = TSREC__FTOK_LPAREN; break;
    case ')': out->kind = TSREC__FTOK_RPAREN; break;
    case ',': out->kind = TSREC__FTOK_COMMA; break;
    case '.': out->kind = TSREC__FTOK_DOT; break;
    case '|': out->kind = TSREC__FTOK_PIPE; break;
    case '*': out->kind = TSREC__FTOK_STAR; break;
    case '=': out->kind = TSREC__FTOK_EQ; break;
    case '!':
        if (j < n && t[j] == '=') {
            out->kind = TSREC__FTOK_NE;
            j++;
        } else {
            out->kind = TSREC__FTOK_ERROR;
            out->err = "'!' must be followed by '='";
        }
        break;
    case '<':
    case '>':
        if (j < n && t[j] == '=') {
            out->kind = c == '<' ? TSREC__FTOK_LE : TSREC__FTOK_GE;
            j++;
        } else {
            out->kind = c == '<' ? TSREC__FTOK_LT : TSREC__FTOK_GT;
        }
        break;
    case '"':
        /* Only \" and \\ are escapes: anything else after a backslash is
         * an error rather than a guess. */
        for (;;) {
            if (j >= n) {
                out->kind = TSREC__FTOK_ERROR;
                out->err = "unterminated string";
                break;
            }
            if (t[j] == '\\') {
                if (j + 1 < n && (t[j + 1] == '"' || t[j + 1] == '\\')) {
                    j += 2;
                    continue;
                }
                out->kind = TSREC__FTOK_ERROR;
                out->err = "unknown escape in string (only \\\" and \\\\ are allowed)";
                out->start = j;
                break;
            }
            if (t[j] == '"') {
                j++;
                out->kind = TSREC__FTOK_STRING;
                break;
            }
            j++;
        }
        break;
    case '$':
        while (j < n && (is_alpha(t[j]) || is_digit(t[j])))
            j++;
        if (j == i + 1) {
            out->kind = TSREC__FTOK_ERROR;
            out->err = "'$' must be followed by a parameter name";
        } else {
            out->kind = TSREC__FTOK_PARAM;
        }
        break;
    default:
        if (is_alpha(c)) {
            while (j < n && (is_alpha(t[j]) || is_digit(t[j])))
                j++;
            out->kind = TSREC__FTOK_IDENT;
        } else if (is_digit(c) || ((c == '-' || c == '+') && j < n && is_digit(t[j]))) {
            j = number_end(t, n, i);
            if (j < n && (is_alpha(t[j]) || t[j] == '.')) {
                out->kind = TSREC__FTOK_ERROR;
                out->err = "malformed number";
            } else if (tsrec__parse_f64(t + i, j - i, &out->num) != TSREC__PARSE_OK) {
                out->kind = TSREC__FTOK_ERROR;
                out->err = "number out of range";
            } else {
                out->kind = TSREC__FTOK_NUMBER;
            }
        } else {
            out->kind = TSREC__FTOK_ERROR;
            out->err = "unexpected character";
        }
        break;
    }
    if (out->kind == TSREC__FTOK_ERROR) {
        *pos = n; /* the parser stops at the first error */
        return;
    }
    out->len = j - i;
    *pos = j;
}

size_t tsrec__filter_unescape(const char *raw, size_t raw_len, char *dst)
{
    size_t k = 0;
    for (size_t i = 1; i + 1 < raw_len; i++) {
        if (raw[i] == '\\' && i + 2 < raw_len)
            i++;
        dst[k++] = raw[i];
    }
    return k;
}
