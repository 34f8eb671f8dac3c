/* fortune-lite: prints a fortune from the cookie files in its data directory.
 *
 *   fortune-lite          a random fortune
 *   fortune-lite -n N     the N-th fortune (1-based; files in name order, README skipped)
 *   fortune-lite -c       the number of fortunes
 *   fortune-lite -d DIR   read DIR instead of the data directory
 *
 * The data directory is $FORTUNE_LITE_DIR, else ../share/fortune-lite next to the real
 * path of the executable (so an unpacked tree works under any root), else DATADIR.
 * With the bundled cookies: `fortune-lite -c` prints "7" and `fortune-lite -n 1` prints
 * "A build that works on one machine is a rumour; a build that works on two is a fact."
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef DATADIR
#define DATADIR "/usr/local/share/fortune-lite"
#endif

struct fortunes {
    char **items;
    size_t count, capacity;
};

static int add(struct fortunes *f, const char *text, size_t length)
{
    while (length > 0 && text[length - 1] == '\n')
        length--;
    if (length == 0)
        return 0;
    if (f->count == f->capacity) {
        size_t capacity = f->capacity ? f->capacity * 2 : 16;
        char **items = realloc(f->items, capacity * sizeof *items);
        if (items == NULL)
            return -1;
        f->items = items;
        f->capacity = capacity;
    }
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, text, length);
    copy[length] = '\0';
    f->items[f->count++] = copy;
    return 0;
}

/* Appends the fortunes of one cookie file: entries separated by lines that are just "%". */
static int read_cookie_file(struct fortunes *f, const char *path)
{
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        perror(path);
        return -1;
    }
    char *line = NULL, *entry = NULL;
    size_t line_cap = 0, entry_len = 0;
    ssize_t n;
    int status = 0;
    while (status == 0 && (n = getline(&line, &line_cap, in)) != -1) {
        if (strcmp(line, "%\n") == 0 || strcmp(line, "%") == 0) {
            status = add(f, entry ? entry : "", entry_len);
            entry_len = 0;
            continue;
        }
        char *grown = realloc(entry, entry_len + (size_t)n + 1);
        if (grown == NULL) {
            status = -1;
            break;
        }
        entry = grown;
        memcpy(entry + entry_len, line, (size_t)n + 1);
        entry_len += (size_t)n;
    }
    if (status == 0)
        status = add(f, entry ? entry : "", entry_len);
    free(line);
    free(entry);
    fclose(in);
    return status;
}

static int is_cookie_file(const struct dirent *e)
{
    return e->d_name[0] != '.' && strcmp(e->d_name, "README") != 0;
}

static int read_cookie_dir(struct fortunes *f, const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, is_cookie_file, alphasort);
    if (n < 0) {
        perror(dir);
        return -1;
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        if (status == 0) {
            int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            if (len < 0 || (size_t)len >= sizeof path) {
                fprintf(stderr, "fortune-lite: path too long: %s/%s\n", dir, names[i]->d_name);
                status = -1;
            } else {
                status = read_cookie_file(f, path);
            }
        }
        free(names[i]);
    }
    free(names);
    return status;
}

/* ../share/fortune-lite beside the real path of this executable, if it exists. */
static const char *relative_datadir(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    int len = snprintf(buf, size, "%s/../share/fortune-lite", exe);
    if (len < 0 || (size_t)len >= size)
        return NULL;
    return access(buf, R_OK) == 0 ? buf : NULL;
}

static int usage(void)
{
    fputs("usage: fortune-lite [-c] [-n N] [-d DIR]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *dir = getenv("FORTUNE_LITE_DIR");
    char relative[PATH_MAX];
    long pick = 0;
    int count_only = 0, opt;

    while ((opt = getopt(argc, argv, "cn:d:")) != -1) {
        switch (opt) {
        case 'c': count_only = 1; break;
        case 'n': pick = strtol(optarg, NULL, 10); if (pick < 1) return usage(); break;
        case 'd': dir = optarg; break;
        default: return usage();
        }
    }
    if (optind != argc)
        return usage();
    if (dir == NULL || dir[0] == '\0')
        dir = relative_datadir(relative, sizeof relative);
    if (dir == NULL)
        dir = DATADIR;

    struct fortunes f = {0};
    if (read_cookie_dir(&f, dir) != 0)
        return 1;
    if (f.count == 0) {
        fprintf(stderr, "fortune-lite: no fortunes in %s\n", dir);
        return 1;
    }
    if (count_only) {
        printf("%zu\n", f.count);
    } else if (pick > 0) {
        if ((size_t)pick > f.count) {
            fprintf(stderr, "fortune-lite: only %zu fortunes\n", f.count);
            return 1;
        }
        puts(f.items[pick - 1]);
    } else {
        srand((unsigned)time(NULL) ^ (unsigned)getpid());
        puts(f.items[(size_t)rand() % f.count]);
    }
    for (size_t i = 0; i < f.count; i++)
        free(f.items[i]);
    free(f.items);
    return fflush(stdout) == 0 ? 0 : 1;
}
