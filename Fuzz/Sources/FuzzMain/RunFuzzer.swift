import Foundation
import FuzzDriver

/// Hands the process to libFuzzer. Each target's main.swift defines
/// `@_cdecl("LLVMFuzzerTestOneInput")` and then calls this; libFuzzer parses
/// its own flags and corpus folders from the command line. A module of its
/// own so that `fuzz-seeds`, which links no libFuzzer, does not pull it in.
public func runFuzzer() -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(capsfuzz_run_driver(&argc, &argv))
}
