// swift-tools-version: 6.0
// CapsKit — capsule-network text classification from the shell.
//
// Architecture (each arrow is a module dependency; the compiler enforces it):
//   CapsCore     seeded randomness, checksums, progress: shared by all modules (→ Crypto)
//   CapsText     raw text → tokens, vocabulary, labels          (no files of its own format)
//   CapsVectors  word-vector files → lookup tables               (→ _CZlib)
//   CapsStorage  HDF5 files, datasets, attributes, atomic output (→ _CHDF5; knows no layers)
//   CapsMPI      the processes of one training job: a single process, or the ranks of
//                an mpirun job through Open MPI loaded at run time (→ _CMPI)
//   CapsNet      tensors, layers, capsule model, loss, Adam      (→ CapsMPI, _COpenBLAS; touches no files)
//   CapsArtifacts the files between the stages — tokens, embedded, model (+ checkpoint),
//                scores — each read and written through one format/provenance header
//                and one atomic writer                         (→ CapsStorage, CapsText, CapsVectors, CapsNet)
//   CapsReports  metrics, text tables, JSON, SVG figures, the model summary (→ CapsArtifacts; writes no files)
//   CapsKit      the pipeline stages, one folder each: Split, Tokenize, Embed, Fit, Eval, Export
//                                                               (→ CapsArtifacts, CapsReports, ZIPFoundation)
//   tools        thin `main`s: parse options, call one stage
import PackageDescription

let release: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

/// Number-crunching modules are optimised in debug builds too: the test suite
/// hashes 171 MB vector files and runs golden-size forward/backward passes,
/// which take minutes at -Onone and seconds at -O.
let optimizedInDebug: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
] + release

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

/// A command-line tool: a thin `main` in Sources/Tools/NAME on CapsKit and ToolSupport.
func tool(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["CapsKit", "CapsArtifacts", "CapsReports", "CapsMPI", "ToolSupport", argumentParser],
                      path: "Sources/Tools/\(name)", swiftSettings: release)
}

let package = Package(
    name: "CapsKit",
    products: [
        .library(name: "CapsKit", targets: ["CapsKit"]),
        .executable(name: "tokenize", targets: ["tokenize"]),
        .executable(name: "embed", targets: ["embed"]),
        .executable(name: "capssplit", targets: ["capssplit"]),
        .executable(name: "capsfit", targets: ["capsfit"]),
        .executable(name: "capseval", targets: ["capseval"]),
        .executable(name: "capsexport", targets: ["capsexport"]),
        .executable(name: "capsbench", targets: ["capsbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 (BoringSSL, with the CPU's SHA instructions) for input fingerprints.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The ZIP container of .npz exports (stored members, ZIP64 past 4 GiB).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - C shims (system libraries found through pkg-config)
        .systemLibrary(name: "_CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "_COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "_CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Open MPI through dlopen at run time: no build dependency (see capskit_mpi.h).
        .target(name: "_CMPI", path: "Sources/_CMPI", linkerSettings: [.linkedLibrary("dl")]),

        // MARK: - Core library
        .target(name: "CapsCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: optimizedInDebug),
        .target(name: "CapsText", dependencies: ["CapsCore"], swiftSettings: release),
        .target(name: "CapsVectors", dependencies: ["CapsCore", "_CZlib"], swiftSettings: optimizedInDebug),
        .target(name: "CapsStorage", dependencies: ["CapsCore", "_CHDF5"], swiftSettings: release),
        .target(name: "CapsMPI", dependencies: ["_CMPI"], swiftSettings: release),
        .target(name: "CapsNet", dependencies: ["CapsCore", "CapsMPI", "_COpenBLAS"], swiftSettings: optimizedInDebug),
        .target(name: "CapsArtifacts",
                dependencies: ["CapsCore", "CapsText", "CapsVectors", "CapsStorage", "CapsNet"],
                swiftSettings: release),
        .target(name: "CapsReports", dependencies: ["CapsArtifacts", "CapsNet"], swiftSettings: release),
        .target(name: "CapsKit",
                dependencies: ["CapsCore", "CapsText", "CapsVectors", "CapsStorage", "CapsMPI", "CapsNet",
                               "CapsArtifacts", "CapsReports",
                               .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                swiftSettings: release),

        // MARK: - Command-line tools
        // Shared by the tools only: one-line errors and the text-input options.
        .target(name: "ToolSupport", dependencies: ["CapsKit", "CapsArtifacts", "CapsText", "CapsMPI", argumentParser],
                path: "Sources/ToolSupport", swiftSettings: release),
        tool("tokenize"),
        tool("embed"),
        tool("capssplit"),
        tool("capsfit"),
        tool("capseval"),
        tool("capsexport"),
        .executableTarget(name: "capsbench", dependencies: ["CapsNet", argumentParser],
                          path: "Sources/Tools/capsbench", swiftSettings: release),

        // MARK: - Tests
        // Library tests sit beside their module; the built tools are tested end to end in CapsToolTests.
        .target(name: "CapsTestSupport", path: "Tests/CapsTestSupport"),
        .target(name: "CapsKitTestSupport",
                dependencies: ["CapsKit", "CapsArtifacts", "CapsReports", "CapsNet", "CapsStorage", "CapsText",
                               "CapsVectors", "CapsCore", "CapsTestSupport"],
                path: "Tests/CapsKitTestSupport"),
        .testTarget(name: "CapsCoreTests", dependencies: ["CapsCore", "CapsTestSupport"]),
        .testTarget(name: "CapsTextTests", dependencies: ["CapsText", "CapsTestSupport"]),
        .testTarget(name: "CapsVectorsTests", dependencies: ["CapsVectors", "CapsTestSupport"]),
        .testTarget(name: "CapsStorageTests", dependencies: ["CapsStorage", "CapsTestSupport"]),
        .testTarget(name: "CapsNetTests", dependencies: ["CapsNet", "CapsStorage", "CapsTestSupport"]),
        .testTarget(name: "CapsArtifactsTests",
                    dependencies: ["CapsArtifacts", "CapsKit", "CapsKitTestSupport", "CapsTestSupport"]),
        .testTarget(name: "CapsReportsTests", dependencies: ["CapsReports", "CapsKitTestSupport", "CapsTestSupport"]),
        .testTarget(name: "CapsKitTests", dependencies: ["CapsKit", "CapsKitTestSupport", "CapsTestSupport"]),
        .testTarget(name: "CapsToolTests",
                    dependencies: ["CapsKit", "CapsNet", "CapsCore", "CapsKitTestSupport", "CapsTestSupport", "_CZlib"]),
    ],
    swiftLanguageModes: [.v5]
)
