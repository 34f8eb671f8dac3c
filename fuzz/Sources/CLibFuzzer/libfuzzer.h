// libFuzzer's driver, linked in by `-sanitize=fuzzer` (libclang_rt.fuzzer). The fuzz targets
// call it from their own `main` because SwiftPM links every executable with
// `--defsym main=<Module>_main`, which hides the `main` libFuzzer brings.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
