import Foundation
import XCTest

/// Locations the tests share: the repository root, the read-only `../shared`
/// data folder beside the checkout, and scratch directories that clean up.
public enum Fixtures {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the checkout, or `$CAPSKIT_SHARED` when set.
    public static let sharedRoot: URL = {
        if let env = ProcessInfo.processInfo.environment["CAPSKIT_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// The path of a file under `../shared`, or an `XCTSkip` that says what is
    /// missing, so the default suite passes on a clone without the data.
    public static func shared(_ relativePath: String) throws -> String {
        let url = sharedRoot.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("needs ../shared/\(relativePath) (absent: \(url.path)); skipped")
        }
        return url.path
    }

    /// A fresh, empty directory, removed when the test case finishes.
    public static func temporaryDirectory(for testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("capskit-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A built executable of this package (`tokenize`, `embed`, ...), found in
    /// the same build folder as the running test bundle.
    public static func tool(_ name: String) throws -> URL {
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
        var candidates: [URL] = []
        if let bundle {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent(name))
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/\(name)"))
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
            return url
        }
        throw XCTSkip("executable \(name) is not built (looked in \(candidates.map(\.path)))")
    }
}

/// The result of running a command-line tool.
public struct ToolRun {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

extension Fixtures {
    /// Runs a built tool with arguments and optional standard input.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], stdin: String? = nil,
                           in directory: URL? = nil) throws -> ToolRun {
        try run(executable: try Fixtures.tool(tool), arguments, stdin: stdin, in: directory)
    }

    /// Runs any executable with arguments and optional standard input.
    public static func run(executable: URL, _ arguments: [String], stdin: String? = nil,
                           in directory: URL? = nil) throws -> ToolRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        // Outputs go to temporary files, so a chatty tool never blocks on a full pipe.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("capskit-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close(); try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return ToolRun(status: process.terminationStatus,
                       stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }
}
