/* libgreet: the smallest useful shared library, for the pkgtree example tree. */
#ifndef GREET_H
#define GREET_H

#include <stddef.h>
#include <stdio.h>

#define GREET_VERSION "1.0.0"

#if defined(__GNUC__)
#define GREET_API __attribute__((visibility("default")))
#else
#define GREET_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library that is loaded at run time (compare with GREET_VERSION). */
GREET_API const char *greet_version(void);

/* The name greeted when none is given: $GREET_DEFAULT_NAME when set and not empty,
 * else "world". The package exports GREET_DEFAULT_NAME=world in its environment. */
GREET_API const char *greet_default_name(void);

/* Formats "Hello, <name>!" into buf, like snprintf: never writes more than size bytes,
 * always terminates when size > 0, and returns the length of the whole greeting.
 * A NULL or empty name greets greet_default_name(). */
GREET_API int greet_format(char *buf, size_t size, const char *name);

/* Writes the greeting and a newline to out. Returns 0, or -1 when the write fails. */
GREET_API int greet_print(FILE *out, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* GREET_H */
