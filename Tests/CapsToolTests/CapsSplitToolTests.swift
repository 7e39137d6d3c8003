import CapsKitTestSupport
import CapsTestSupport
import XCTest

/// End-to-end runs of the built `capssplit`.
final class CapsSplitToolTests: ToolTestCase {
    /// 20 A, 10 B and 30 C documents, interleaved.
    func writeCorpus(to name: String = "all.tsv") throws {
        var lines: [String] = []
        for i in 0..<30 {
            if i < 20 { lines.append("A\talpha document \(i)") }
            if i < 10 { lines.append("B\tbeta document \(i)") }
            lines.append("C\tgamma document \(i)")
        }
        try write(lines.joined(separator: "\n") + "\n", to: name)
    }

    func lines(_ name: String) throws -> [String] {
        try String(contentsOfFile: path(name), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func classCounts(_ lines: [String]) -> [String: Int] {
        Dictionary(lines.map { (String($0.prefix { $0 != "\t" }), 1) }, uniquingKeysWith: +)
    }

    func testStratifiedCountsAndNothingLostOrRepeated() throws {
        try writeCorpus()
        let run = try runOK("capssplit", ["--test-fraction", "0.1", "all.tsv", "-o", "out"])
        XCTAssertTrue(run.stderr.contains("train 54, test 6"), run.stderr)
        let train = try lines("out/train.tsv"), test = try lines("out/test.tsv")
        // round(0.1 × 20) = 2, round(0.1 × 10) = 1, round(0.1 × 30) = 3.
        XCTAssertEqual(classCounts(test), ["A": 2, "B": 1, "C": 3])
        XCTAssertEqual(classCounts(train), ["A": 18, "B": 9, "C": 27])
        XCTAssertEqual((train + test).sorted(), try lines("all.tsv").sorted())
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out/dev.tsv")))
    }

    func testSameSeedSameSplitOtherSeedOtherSplit() throws {
        try writeCorpus()
        try runOK("capssplit", ["--seed", "3", "all.tsv", "-o", "a"])
        try runOK("capssplit", ["--seed", "3", "all.tsv", "-o", "b"])
        try runOK("capssplit", ["--seed", "4", "all.tsv", "-o", "c"])
        XCTAssertEqual(try lines("a/test.tsv"), try lines("b/test.tsv"))
        XCTAssertEqual(try lines("a/train.tsv"), try lines("b/train.tsv"))
        XCTAssertNotEqual(try lines("a/test.tsv"), try lines("c/test.tsv"))
    }

    func testDevFractionAndSeveralInputs() throws {
        try writeCorpus(to: "one.tsv")
        try write("A\textra a\nB\textra b\n", to: "two.tsv")
        try runOK("capssplit", ["--test-fraction", "0.1", "--dev-fraction", "0.2", "one.tsv", "two.tsv", "-o", "out"])
        let train = try lines("out/train.tsv"), dev = try lines("out/dev.tsv"), test = try lines("out/test.tsv")
        XCTAssertEqual(train.count + dev.count + test.count, 62)
        // Test: round(0.1 × 21) = 2, round(0.1 × 11) = 1, 3; dev takes 0.2 / 0.9 of each remaining class:
        // round(19 × 2/9) = 4, round(10 × 2/9) = 2, round(27 × 2/9) = 6.
        XCTAssertEqual(classCounts(test), ["A": 2, "B": 1, "C": 3])
        XCTAssertEqual(classCounts(dev), ["A": 4, "B": 2, "C": 6])
        XCTAssertEqual(Set(train).intersection(dev).count + Set(dev).intersection(test).count, 0)
    }

    func testDedupeDropsRepeatsAndConflicts() throws {
        try write("A\tsame\nA\tsame\nB\tboth\nA\tboth\nA\tone\nB\ttwo\nB\tthree\nA\tfour\n", to: "dup.tsv")
        let run = try runOK("capssplit", ["--dedupe", "--test-fraction", "0.5", "dup.tsv", "-o", "out"])
        XCTAssertTrue(run.stderr.contains("removed 1 repeats, 2 under conflicting labels"), run.stderr)
        let all = try lines("out/train.tsv") + lines("out/test.tsv")
        XCTAssertEqual(all.sorted(), ["A\tfour", "A\tone", "A\tsame", "B\tthree", "B\ttwo"])
    }

    func testUnlabeledInputFailsWithoutOutput() throws {
        try write("A\tfine\nB\tfine\n", to: "good.tsv")
        try write("no labels here\nnor here\n", to: "plain.txt")
        try assertFailsCleanly("capssplit", ["good.tsv", "plain.txt", "-o", "out"], mentions: ["plain.txt:1", "label"])
        try assertFailsCleanly("capssplit", ["--test-fraction", "1.5", "good.tsv", "-o", "out"], mentions: ["--test-fraction"])
        try assertFailsCleanly("capssplit", ["missing.tsv", "-o", "out"], mentions: ["missing.tsv"])
    }

    func testHelpShowsAnExample() throws {
        XCTAssertTrue(try runOK("capssplit", ["--help"]).stdout.contains("EXAMPLE"))
    }
}
