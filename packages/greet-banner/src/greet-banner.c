/* greet-banner: libgreet's greeting in an ASCII box. The arguments, joined by spaces,
 * are the name; with none, libgreet's default name.
 *
 * Expected stdout (exit status 0), with GREET_DEFAULT_NAME unset or "world":
 *   $ greet-banner
 *   +---------------+
 *   | Hello, world! |
 *   +---------------+
 *   $ greet-banner Alice Bob
 *   +-------------------+
 *   | Hello, Alice Bob! |
 *   +-------------------+
 */
#include <greet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void rule(size_t width)
{
    putchar('+');
    for (size_t i = 0; i < width + 2; i++)
        putchar('-');
    puts("+");
}

int main(int argc, char **argv)
{
    size_t length = 1;
    for (int i = 1; i < argc; i++)
        length += strlen(argv[i]) + 1;

    char *name = malloc(length);
    if (name == NULL)
        return EXIT_FAILURE;
    name[0] = '\0';
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            strcat(name, " ");
        strcat(name, argv[i]);
    }

    int needed = greet_format(NULL, 0, name);
    char *text = needed < 0 ? NULL : malloc((size_t)needed + 1);
    if (text == NULL) {
        free(name);
        return EXIT_FAILURE;
    }
    greet_format(text, (size_t)needed + 1, name);

    rule((size_t)needed);
    printf("| %s |\n", text);
    rule((size_t)needed);

    free(text);
    free(name);
    return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
