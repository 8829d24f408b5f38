/* Amazon Forecast's reserved field names. Forecast refuses about 820
 * SQL-style keywords as schema attribute names (aws-surface.md A2.2; the
 * full table is the developer guide's reserved-field-names page). This is a
 * representative subset: the page's A and B sections and the start of C,
 * the examples the reference names, and core SQL keywords. `timestamp`,
 * `date` and `item_id` are not reserved; domain fields such as WEB_TRAFFIC's
 * `value` are exempted by the caller. Sorted for binary search. */
#include <string.h>

#include "domains_internal.h"

static const char *const reserved[] = {
    "A", "ABORT", "ABS", "ABSOLUTE", "ACCESS", "ACTION", "ADA", "ADD", "ADMIN", "AFTER",
    "AGGREGATE", "ALIAS", "ALL", "ALLOCATE", "ALSO", "ALTER", "ALWAYS", "ANALYSE", "ANALYZE",
    "AND", "ANY", "ARE", "ARRAY", "AS", "ASC", "ASENSITIVE", "ASSERTION", "ASSIGNMENT",
    "ASYMMETRIC", "AT", "ATOMIC", "ATTRIBUTE", "ATTRIBUTES", "AUDIT", "AUTHORIZATION",
    "AUTO_INCREMENT", "AVG", "AVG_ROW_LENGTH",
    "BACKUP", "BACKWARD", "BEFORE", "BEGIN", "BERNOULLI", "BETWEEN", "BIGINT", "BINARY", "BIT",
    "BITVAR", "BIT_LENGTH", "BLOB", "BOOL", "BOOLEAN", "BOTH", "BREADTH", "BREAK", "BROWSE",
    "BULK", "BY",
    "C", "CACHE", "CALL", "CALLED", "CARDINALITY", "CASCADE", "CASCADED", "CASE", "CAST",
    "CATALOG", "CATALOG_NAME", "CEIL", "CEILING", "CHAIN", "CHANGE", "CHAR", "CHARACTER",
    "CHARACTERISTICS", "CHARACTERS", "CHARACTER_LENGTH", "CHARACTER_SET_CATALOG",
    "CHARACTER_SET_NAME", "CHARACTER_SET_SCHEMA", "CHAR_LENGTH", "CHECK", "CHECKED",
    "CHECKPOINT", "CHECKSUM", "CLASS", "CLASS_ORIGIN", "CLOB", "CLOSE", "COLUMN", "COUNT",
    "CREATE",
    "DEFAULT", "DELETE", "DISTINCT", "DROP",
    "ELSE", "END", "EXISTS",
    "FALSE", "FOR", "FOREIGN", "FROM",
    "GROUP",
    "HAVING",
    "IN", "INDEX", "INNER", "INSERT", "INTO", "IS",
    "JOIN",
    "KEY",
    "LEFT", "LIKE", "LIMIT",
    "MAX", "MIN",
    "NAME", "NOT", "NULL",
    "ON", "OR", "ORDER", "OUTER",
    "PRIMARY",
    "REFERENCES", "RIGHT",
    "SELECT", "SET", "SOME", "SUM",
    "TABLE", "THEN", "TIME", "TO", "TRUE",
    "UNION", "UNIQUE", "UPDATE", "USER", "USING",
    "VALUE", "VALUES", "VIEW",
    "WHEN", "WHERE", "WITH",
    "YEAR",
    "ZONE",
};

/* strcmp of the upper-cased a against b (already upper case). */
static int cmp_upper(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'a' && ca <= 'z')
            ca -= 'a' - 'A';
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca == 0)
            return 0;
    }
}

int tsrec__forecast_reserved_name(const char *name)
{
    if (name == NULL)
        return 0;
    size_t lo = 0, hi = TSREC__ARRAY_LEN(reserved);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_upper(name, reserved[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}
