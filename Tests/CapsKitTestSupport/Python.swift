import CapsTestSupport
import Foundation
import XCTest

/// A Python interpreter for cross-checks against NumPy and the PyTorch
/// reference: `$CAPSKIT_PYTHON` when set, else `python3` on the PATH. Tests
/// that need one skip, saying which modules were missing, when none imports them.
public struct Python {
    public let executable: String

    /// The first candidate interpreter that imports every module of `modules`.
    public static func with(modules: [String]) throws -> Python {
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
    public func run(_ arguments: [String]) throws -> ToolRun {
        try Fixtures.run(executable: URL(fileURLWithPath: "/usr/bin/env"), [executable] + arguments)
    }
}
