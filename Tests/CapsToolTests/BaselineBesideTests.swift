import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// `Tests/Benchmarks/baseline_beside.py`, the TF-IDF+LR line `make train`
/// prints after its report: the baseline's accuracy on the same split, the
/// run's own from its metrics.json, and the signed gap between them.
final class BaselineBesideTests: ToolTestCase {
    let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/Benchmarks/baseline_beside.py").path

    /// Two classes a word apart, so TF-IDF+LR gets every test document right.
    func writeSplit() throws {
        let train = (0..<20).map { $0 % 2 == 0 ? "pos\tgood film number \($0)" : "neg\tbad film number \($0)" }
        let test = ["pos\tgood film", "neg\tbad film", "pos\ta good one", "neg\ta bad one"]
        try (train.joined(separator: "\n") + "\n").write(toFile: path("train.tsv"), atomically: true, encoding: .utf8)
        try (test.joined(separator: "\n") + "\n").write(toFile: path("test.tsv"), atomically: true, encoding: .utf8)
        try #"{"accuracy": 0.75}"#.write(toFile: path("metrics.json"), atomically: true, encoding: .utf8)
    }

    func testPrintsTheBaselineBesideTheRunOrHowToGetScikitLearn() throws {
        try writeSplit()
        let python = try Python.with(modules: ["json"])
        let hasSklearn = try python.run(["-c", "import sklearn"]).status == 0
        let run = try python.run([script, directory.path, path("metrics.json"), "-o", path("baseline.txt")])
        XCTAssertEqual(run.status, 0, run.stderr)
        if hasSklearn {
            XCTAssertTrue(run.stdout.hasPrefix("TF-IDF+LR on the same split: 100.00% (scikit-learn, "), run.stdout)
            XCTAssertTrue(run.stdout.hasSuffix(" s); CapsKit: 75.00%, -25.00 points: TF-IDF+LR is ahead\n"), run.stdout)
            XCTAssertEqual(try String(contentsOfFile: path("baseline.txt"), encoding: .utf8), run.stdout)
        } else {
            XCTAssertTrue(run.stdout.contains("scikit-learn is not installed (pip install scikit-learn"), run.stdout)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("baseline.txt")),
                           "nothing kept, so the next run tries again")
        }
    }

    func testAMissingSplitFailsInOneLine() throws {
        try writeSplit()
        let python = try Python.with(modules: ["json"])
        guard try python.run(["-c", "import sklearn"]).status == 0 else {
            throw XCTSkip("needs scikit-learn to reach the data (pip install scikit-learn); skipped")
        }
        let run = try python.run([script, path("nowhere"), path("metrics.json")])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "baseline_beside: \(path("nowhere")): no such folder\n")
    }
}
