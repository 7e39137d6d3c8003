import CapsKitTestSupport
import CapsStorage
import CapsTestSupport
import Foundation
import XCTest
import _CZlib

/// Shared scaffolding for the end-to-end tests of the built tools: a scratch
/// folder per test, small input files, and the checks every failure must pass.
class ToolTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
    }

    /// The path of `name` in the scratch folder.
    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Writes `text` (as UTF-8) to `name` and returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try write(Data(text.utf8), to: name)
    }

    @discardableResult
    func write(_ data: Data, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// Writes `text` gzip-compressed through zlib and returns the path.
    func writeGzip(_ text: String, to name: String) throws -> String {
        let target = path(name)
        guard let file = gzopen(target, "wb") else { throw XCTSkip("zlib cannot open \(target) for writing") }
        let bytes = Array(text.utf8)
        XCTAssertEqual(Int(gzwrite(file, bytes, UInt32(bytes.count))), bytes.count)
        XCTAssertEqual(gzclose(file), Z_OK)
        return target
    }

    /// The cue word of each label in `cueCorpus`.
    let cue = ["pos": "good", "neg": "bad"]

    /// Labelled lines `pos|neg<TAB>words`, alternating labels: `fillerCount`
    /// random filler words with the label's cue ("good" → pos, "bad" → neg)
    /// inserted at `cuePosition(next)`, where `next(n)` draws from 0..<n. Every
    /// draw comes from one linear congruential stream of `seed`, so nothing
    /// but the cue tells the label.
    func cueCorpus(documents: Int, seed: UInt64, fillerCount: Int, cuePosition: ((Int) -> Int) -> Int) -> String {
        let filler = ["the", "a", "day", "food", "people", "service", "today", "place", "was", "it"]
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines = ""
        for i in 0..<documents {
            let label = i % 2 == 0 ? "pos" : "neg"
            var words = (0..<fillerCount).map { _ in filler[next(filler.count)] }
            words.insert(cue[label]!, at: cuePosition(next))
            lines += "\(label)\t\(words.joined(separator: " "))\n"
        }
        return lines
    }

    /// Runs `tool` in the scratch folder and fails the test unless it exits 0.
    @discardableResult
    func runOK(_ tool: String, _ arguments: [String], stdin: String? = nil,
               file: StaticString = #filePath, line: UInt = #line) throws -> ToolRun {
        let run = try Fixtures.run(tool, arguments, stdin: stdin, in: directory)
        XCTAssertEqual(run.status, 0, "\(tool) \(arguments) failed: \(run.stderr)", file: file, line: line)
        return run
    }

    /// Runs `tool` expecting failure: a non-zero exit, exactly one line on
    /// stderr holding every fragment (file names, line numbers), and no
    /// file left behind in the scratch folder besides `existing` ones.
    @discardableResult
    func assertFailsCleanly(_ tool: String, _ arguments: [String], stdin: String? = nil,
                            mentions fragments: [String],
                            file: StaticString = #filePath, line: UInt = #line) throws -> ToolRun {
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        let run = try Fixtures.run(tool, arguments, stdin: stdin, in: directory)
        XCTAssertNotEqual(run.status, 0, "\(tool) \(arguments) should fail", file: file, line: line)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        XCTAssertEqual(lines.count, 1, "expected one line on stderr, got: \(run.stderr)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(run.stderr.contains(fragment), "stderr lacks \"\(fragment)\": \(run.stderr)", file: file, line: line)
        }
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        XCTAssertEqual(after.subtracting(before), [], "a failed run left files behind", file: file, line: line)
        return run
    }

    /// The whole float32 dataset `/x` and its shape.
    func readX(_ file: String) throws -> H5Array<Float> {
        let h5 = try H5File.open(at: file)
        defer { try? h5.close() }
        return try h5.read(Float.self, from: "/x")
    }
}
