/* The XOP Toolkit headers, included once for all glue sources.
 *
 * The toolkit's headers are not warning-free C (unused static arrays, a struct first named in a
 * parameter list); the glue itself is compiled with all warnings as errors, so the warnings of
 * the toolkit headers are silenced here and nowhere else. */

#ifndef XOP_TOOLKIT_H
#define XOP_TOOLKIT_H

/* Declared before the toolkit names it inside a parameter list (XOPWinMacSupport.h). */
struct IORec;

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#endif
#if defined(_MSC_VER)
#pragma warning(push, 3)
#endif

#include "XOPStandardHeaders.h"

#if defined(_MSC_VER)
#pragma warning(pop)
#endif
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Igor 8 and later: the "return type" of functions with multiple return values. */
#ifndef FV_NORETURN_TYPE
#define FV_NORETURN_TYPE 0x00020000
#endif

#endif /* XOP_TOOLKIT_H */
