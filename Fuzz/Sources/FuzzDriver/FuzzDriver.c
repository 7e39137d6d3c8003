#include "FuzzDriver.h"

// libFuzzer's entry points (compiler-rt's FuzzerInterface.h; not installed
// with the Swift toolchain's headers, hence declared here).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int capsfuzz_run_driver(int *argc, char ***argv) {
    return LLVMFuzzerRunDriver(argc, argv, LLVMFuzzerTestOneInput);
}
