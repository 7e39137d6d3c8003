#ifndef CAPSKIT_FUZZ_DRIVER_H
#define CAPSKIT_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Starts libFuzzer on the target's LLVMFuzzerTestOneInput with the process's
/// arguments (libFuzzer's flags, corpus folders); returns its exit status.
/// Needed because SwiftPM makes the Swift `main` the entry point.
int capsfuzz_run_driver(int *argc, char ***argv);

#endif
