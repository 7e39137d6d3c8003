// swift-tools-version: 6.0
// libFuzzer targets for CapsKit's readers — a package of its own so that
// neither `swift build` nor `swift test` at the repository root ever sees
// them. Built and run by `make fuzz` / `make fuzz-smoke` (see the Makefile):
//
//   swift build --package-path Fuzz --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
//
// Why this shape:
// - The root package is a dependency by path, so the readers fuzzed are the
//   real ones, compiled from Sources/ with the flags above: every Swift module
//   is instrumented for coverage and AddressSanitizer (C code — BoringSSL,
//   libhdf5, zlib — is not; ASan still intercepts its malloc/free/memcpy).
//   The debug configuration keeps Swift's bounds and overflow checks, which
//   the root's release flags (-Ounchecked) would remove.
// - Only the `fuzz-*` executables link libFuzzer (`-sanitize=fuzzer`).
//   SwiftPM links every executable with `--defsym main=<module>_main`, so
//   libFuzzer's own `main` cannot be the entry point; each target's main.swift
//   starts libFuzzer through `LLVMFuzzerRunDriver` (FuzzDriver) instead, and
//   also defines `LLVMFuzzerTestOneInput`, which libFuzzer's archive needs at
//   link time. lld, because gold fails on the duplicate `main`.
// - `fuzz-seeds` (no libFuzzer) writes the seed corpora with the real writers.
// - The reader modules (CapsText, CapsVectors, CapsArtifacts) are not products
//   of the root package; they are imported through the `CapsKit` product,
//   whose build puts every module of the graph on the search path.
import PackageDescription

let fuzzerLink: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]

/// One libFuzzer target in Sources/NAME.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport", "FuzzMain"], linkerSettings: fuzzerLink)
}

let targets = ["fuzz-tsv", "fuzz-csv", "fuzz-fasttext", "fuzz-plain",
               "fuzz-vectors-text", "fuzz-vectors-binary", "fuzz-vectors-gzip",
               "fuzz-tokens", "fuzz-embedded", "fuzz-model"]

let package = Package(
    name: "CapsKitFuzz",
    dependencies: [.package(name: "CapsKit", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzMain", dependencies: ["FuzzDriver"]),
        .target(name: "FuzzSupport", dependencies: [.product(name: "CapsKit", package: "CapsKit")]),
        .executableTarget(name: "fuzz-seeds", dependencies: ["FuzzSupport"],
                          linkerSettings: [.unsafeFlags(["-use-ld=lld"])]),
    ] + targets.map(fuzzTarget),
    swiftLanguageModes: [.v5]
)
