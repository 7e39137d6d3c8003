import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// Every tool on a write that fails: a full disk (a small tmpfs, where the
/// test may mount one) and a file-size limit (`ulimit -f`, everywhere). Each
/// must exit non-zero with one line `TOOL: …` giving the system's reason,
/// leave no temporary file, and leave an existing output as it was — for
/// capsfit, the last good checkpoint.
final class WriteFailureToolTests: ToolTestCase {
    /// Where outputs go: a folder on the full filesystem, or an ordinary one.
    var outputs: URL!
    private var mounted = false

    /// Flags for a model small enough to train in a fraction of a second.
    let small = ["--ngram", "2", "--filters", "12", "--primary-channels", "16", "--primary-kernel", "3",
                 "--class-dim", "8", "--lam-recon", "0", "--batch", "10", "--threads", "1"]

    override func setUpWithError() throws {
        try super.setUpWithError()
        var lines = ""
        let words = ["good", "fine", "great", "bad", "poor", "awful", "the", "a", "film", "plot"]
        for i in 0..<80 {
            let label = i % 2 == 0 ? "pos" : "neg"
            let text = (0..<12).map { words[($0 * 7 + i * 3 + (label == "pos" ? 0 : 3)) % words.count] }
            lines += "\(label)\t\(text.joined(separator: " "))\n"
        }
        try write(lines, to: "data.tsv")
        try runOK("tokenize", [path("data.tsv"), "-o", path("tokens.h5"), "--max-len", "8"])
        try runOK("embed", [path("tokens.h5"), "--dim", "6", "-o", path("data.h5")])
        try runOK("capsfit", small + ["--epochs", "1", path("data.h5"), "-o", path("model.h5")])
        outputs = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if mounted { _ = try Fixtures.run(executable: URL(fileURLWithPath: "/bin/umount"), [outputs.path]) }
        try super.tearDownWithError()
    }

    func output(_ name: String) -> String { outputs.appendingPathComponent(name).path }

    /// Every tool's writing command, into `outputs`.
    var writers: [(tool: String, arguments: [String])] {
        [("tokenize", [path("data.tsv"), "-o", output("tokens.h5")]),
         ("capssplit", [path("data.tsv"), "-o", outputs.path]),
         ("embed", [path("tokens.h5"), "--dim", "6", "-o", output("data.h5")]),
         ("capsfit", small + ["--epochs", "1", path("data.h5"), "-o", output("fresh.h5")]),
         ("capseval", ["--model", path("model.h5"), path("data.h5"), "-o", output("scores.h5")]),
         ("capseval", ["--model", path("model.h5"), path("data.h5"), "--json", output("metrics.json")]),
         ("capsexport", ["--format", "npz", path("model.h5"), "-o", output("weights.npz")]),
         ("capsexport", ["--format", "h5", path("model.h5"), "-o", output("weights.h5")])]
    }

    /// Runs `tool` through bash (for `ulimit`) and checks the failure.
    func assertWriteFails(_ tool: String, _ arguments: [String], limitKiB: Int? = nil, reason: String,
                          file: StaticString = #filePath, line: UInt = #line) throws {
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: outputs.path))
        let script = (limitKiB.map { "ulimit -f \($0); " } ?? "") + "exec \"$0\" \"$@\""
        let run = try Fixtures.run(executable: URL(fileURLWithPath: "/bin/bash"),
                                   ["-c", script, try Fixtures.tool(tool).path] + arguments, in: directory)
        XCTAssertNotEqual(run.status, 0, "\(tool) \(arguments) should fail", file: file, line: line)
        XCTAssertLessThan(run.status, 128, "\(tool) died of a signal: \(run.stderr)", file: file, line: line)
        let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("epoch ") && !$0.contains("  ") }
        let last = lines.last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("\(tool): "), "last stderr line: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(last.contains(reason), "stderr lacks \"\(reason)\": \(run.stderr)", file: file, line: line)
        XCTAssertFalse(last.contains(".tmp-"), "names a temporary file: \(last)", file: file, line: line)
        XCTAssertFalse(run.stderr.contains("Backtrac") || run.stderr.contains("time = "), run.stderr, file: file, line: line)
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: outputs.path))
        XCTAssertEqual(after.subtracting(before), [], "\(tool) left files behind", file: file, line: line)
    }

    func testAFileSizeLimitFailsEveryToolInOneLineAndLeavesNothing() throws {
        // 4 KiB: less than every artifact, more than a tool's own stderr (a file here, under the same limit).
        for (tool, arguments) in writers where !arguments.contains("--json") {
            try assertWriteFails(tool, arguments, limitKiB: 4, reason: "file too large")
        }
    }

    func testAFullDiskFailsEveryToolInOneLineAndKeepsTheLastCheckpoint() throws {
        let mount = try Fixtures.run(executable: URL(fileURLWithPath: "/bin/mount"),
                                     ["-t", "tmpfs", "-o", "size=1m", "tmpfs", outputs.path])
        guard mount.status == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): \(mount.stderr.trimmingCharacters(in: .whitespacesAndNewlines)); the file-size-limit test covers write failures")
        }
        mounted = true
        // A good checkpoint first, then fill every byte that is left.
        try FileManager.default.copyItem(atPath: path("model.h5"), toPath: output("model.h5"))
        let good = try Data(contentsOf: URL(fileURLWithPath: output("model.h5")))
        _ = try Fixtures.run(executable: URL(fileURLWithPath: "/bin/dd"),
                             ["if=/dev/zero", "of=\(output("pad"))", "bs=4096"])
        for (tool, arguments) in writers {
            try assertWriteFails(tool, arguments, reason: "no space left on device")
        }
        try assertWriteFails("capsfit", small + ["--epochs", "2", path("data.h5"), "--resume", output("model.h5"),
                                                 "-o", output("model.h5")],
                             reason: "no space left on device")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output("model.h5"))), good,
                       "the last good checkpoint changed")
    }
}
