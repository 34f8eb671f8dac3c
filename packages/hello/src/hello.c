/* hello: greets through libgreet (a dependency package, linked as a shared library).
 *
 * Expected stdout (exit status 0), with GREET_DEFAULT_NAME unset or "world":
 *   hello                 Hello, world!
 *   hello Alice           Hello, Alice!
 *   hello Alice Bob       Hello, Alice!
 *                         Hello, Bob!
 *   hello --version       hello 1.0.0 (libgreet 1.0.0)
 * With GREET_DEFAULT_NAME=tree, `hello` prints "Hello, tree!".
 */
#include <greet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("hello 1.0.0 (libgreet %s)\n", greet_version());
        return EXIT_SUCCESS;
    }
    if (argc < 2)
        return greet_print(stdout, NULL) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    for (int i = 1; i < argc; i++) {
        if (greet_print(stdout, argv[i]) != 0)
            return EXIT_FAILURE;
    }
    return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
