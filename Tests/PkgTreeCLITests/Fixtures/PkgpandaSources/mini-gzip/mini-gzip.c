/* mini-gzip: gzip stdin to stdout with zlib (-1 .. -9 set the level), or -d to decompress. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static int compress_stream(int level) {
    char mode[4] = {'w', 'b', (char)('0' + level), '\0'};
    gzFile out = gzdopen(STDOUT_FILENO, mode);
    char buffer[16384];
    size_t count;
    if (!out) return 1;
    while ((count = fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        if (gzwrite(out, buffer, (unsigned)count) != (int)count) return 1;
    }
    return gzclose(out) == Z_OK ? 0 : 1;
}

static int decompress_stream(void) {
    gzFile in = gzdopen(STDIN_FILENO, "rb");
    char buffer[16384];
    int count;
    if (!in) return 1;
    while ((count = gzread(in, buffer, sizeof buffer)) > 0) {
        fwrite(buffer, 1, (size_t)count, stdout);
    }
    return gzclose(in) == Z_OK && count == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "-d") == 0) return decompress_stream();
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '1' && argv[1][1] <= '9') return compress_stream(argv[1][1] - '0');
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("mini-gzip with zlib %s\n", zlibVersion());
        return 0;
    }
    return compress_stream(6);
}
