import Foundation
import XCTest

/// A Python interpreter for cross-checks against NumPy and the PyTorch
/// reference: `$CAPSKIT_PYTHON` when set, else `python3` on the PATH. Tests
/// that need one skip, saying which modules were missing, when none imports them.
struct Python {
    let executable: String

    /// The first candidate interpreter that imports every module of `modules`.
    static func with(modules: [String]) throws -> Python {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["CAPSKIT_PYTHON"], !env.isEmpty { candidates.append(env) }
        candidates.append("python3")
        for candidate in candidates {
            let python = Python(executable: candidate)
            if let run = try? python.run(["-c", "import " + modules.joined(separator: ", ")]), run.status == 0 {
                return python
            }
        }
        throw XCTSkip("needs a Python that imports \(modules.joined(separator: ", ")) (tried \(candidates.joined(separator: ", ")); set CAPSKIT_PYTHON); skipped")
    }

    /// Runs the interpreter with `arguments`; standard output and error are captured.
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("capskit-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        return (process.terminationStatus, try String(contentsOf: outURL, encoding: .utf8),
                try String(contentsOf: errURL, encoding: .utf8))
    }
}
