#include "greet.h"

#include <stdlib.h>

const char *greet_version(void)
{
    return GREET_VERSION;
}

const char *greet_default_name(void)
{
    const char *name = getenv("GREET_DEFAULT_NAME");
    return (name != NULL && name[0] != '\0') ? name : "world";
}

int greet_format(char *buf, size_t size, const char *name)
{
    if (name == NULL || name[0] == '\0')
        name = greet_default_name();
    return snprintf(buf, size, "Hello, %s!", name);
}

int greet_print(FILE *out, const char *name)
{
    if (name == NULL || name[0] == '\0')
        name = greet_default_name();
    return fprintf(out, "Hello, %s!\n", name) < 0 ? -1 : 0;
}
