/* `make check`: a few assertions against the static library. */
#define _POSIX_C_SOURCE 200112L
#include "greet.h"

#include <stdlib.h>
#include <string.h>

static int failures;

static void expect(const char *name, const char *want)
{
    char buf[64];
    int len = greet_format(buf, sizeof buf, name);
    if (strcmp(buf, want) != 0 || len != (int)strlen(want)) {
        fprintf(stderr, "greet_format(%s): got \"%s\" (%d), want \"%s\"\n",
                name ? name : "NULL", buf, len, want);
        failures++;
    }
}

int main(void)
{
    char small[8];

    unsetenv("GREET_DEFAULT_NAME");
    expect("Alice", "Hello, Alice!");
    expect(NULL, "Hello, world!");
    expect("", "Hello, world!");
    setenv("GREET_DEFAULT_NAME", "tree", 1);
    expect(NULL, "Hello, tree!");
    if (greet_format(small, sizeof small, "Alice") != 13 || strcmp(small, "Hello, ") != 0) {
        fprintf(stderr, "greet_format does not truncate like snprintf\n");
        failures++;
    }
    if (strcmp(greet_version(), GREET_VERSION) != 0) {
        fprintf(stderr, "greet_version: %s, header: %s\n", greet_version(), GREET_VERSION);
        failures++;
    }
    if (failures == 0)
        puts("libgreet: all tests passed");
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
