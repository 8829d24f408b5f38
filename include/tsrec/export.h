/* libtsrec: symbol export and C++ linkage macros. */
#ifndef TSREC_EXPORT_H
#define TSREC_EXPORT_H

#if defined(TSREC_STATIC)
#define TSREC_API
#elif defined(_WIN32)
#if defined(TSREC_BUILDING)
#define TSREC_API __declspec(dllexport)
#else
#define TSREC_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define TSREC_API __attribute__((visibility("default")))
#else
#define TSREC_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define TSREC_DEPRECATED(msg) __attribute__((deprecated(msg)))
#define TSREC_NODISCARD __attribute__((warn_unused_result))
#else
#define TSREC_DEPRECATED(msg)
#define TSREC_NODISCARD
#endif

#ifdef __cplusplus
#define TSREC_BEGIN_DECLS extern "C" {
#define TSREC_END_DECLS }
#else
#define TSREC_BEGIN_DECLS
#define TSREC_END_DECLS
#endif

#endif /* TSREC_EXPORT_H */
