import Foundation

/// Runs a measuring child process and reads the `Measurement` it prints as
/// its last line of stdout. Each row runs in a fresh process so that the
/// peak resident memory (VmHWM) is that row's alone.
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible, LocalizedError {
        let command: [String]
        let reason: String
        var description: String { "capsbench: \(command.joined(separator: " ")): \(reason)" }
        var errorDescription: String? { description }
    }

    static func measure(_ command: [String]) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        // stderr goes to a file rather than a second pipe, so a chatty child can
        // never block on a full pipe while this process reads stdout.
        let errorURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("capsbench-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorURL) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorURL)
        do { try process.run() } catch {
            throw Failure(command: command, reason: "cannot start (\(error.localizedDescription))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorURL)) ?? Data()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self)
                .split(separator: "\n").last.map(String.init) ?? "no message"
            throw Failure(command: command, reason: "exited with status \(process.terminationStatus): \(message)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").last,
              let measurement = try? JSONDecoder().decode(Measurement.self, from: Data(line.utf8)) else {
            throw Failure(command: command, reason: "expected one line of JSON with the measurement on stdout, got '\(text.prefix(200))'")
        }
        return measurement
    }

    /// The absolute path of this executable (for re-running it with `--row`).
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Finds `command` on PATH unless it already names a file.
    static func resolve(_ command: String) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether `python` can import torch (checked once, before any row runs).
    static func canImportTorch(_ python: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import torch"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
