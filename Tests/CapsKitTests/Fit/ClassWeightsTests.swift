import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsTestSupport
import Foundation
import XCTest

/// `--class-weights`: resolved from the training rows or a file, applied in
/// the margin loss, stored in the model, checked on resume.
final class ClassWeightsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory(for: self)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testBalancedGivesEachClassTheSameTotalWeight() throws {
        let labels: [Int32] = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2]
        let weights = try XCTUnwrap(ClassWeights.resolve("balanced", labels: labels, names: ["a", "b", "c"]))
        // n / (C · n_c) = 12 / (3 · 6), 12 / (3 · 2), 12 / (3 · 4)
        XCTAssertEqual(weights, [Float(12.0 / 18.0), 2, 1])
        let totals = (0..<3).map { c in Float(labels.filter { $0 == c }.count) * weights[c] }
        XCTAssertEqual(totals[0], totals[1], accuracy: 1e-6)
        XCTAssertEqual(totals[1], totals[2], accuracy: 1e-6)
        XCTAssertNil(try ClassWeights.resolve("none", labels: labels, names: ["a", "b", "c"]))
    }

    func testAFileSetsListedClassesAndNamesItsBadLines() throws {
        let names = ["neg", "pos", "neutral"]
        try "# weights\npos\t3\n\nneutral 0.5\n".write(toFile: path("w.tsv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try ClassWeights.resolve(path("w.tsv"), labels: [], names: names), [1, 3, 0.5])
        for (text, fragment) in [("pos\t3\nspam\t2\n", "w.tsv:2: label 'spam' is not one of the classes"),
                                 ("pos\t-1\n", "w.tsv:1: value '-1' of 'pos' must be > 0"),
                                 ("pos\t1\npos\t2\n", "w.tsv:2: label 'pos' is listed twice"),
                                 ("pos\n", "w.tsv:1: expected 'label<TAB>value'")] {
            try text.write(toFile: path("w.tsv"), atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ClassWeights.resolve(path("w.tsv"), labels: [], names: names)) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
        XCTAssertThrowsError(try ClassWeights.resolve(path("absent.tsv"), labels: [], names: names)) { error in
            XCTAssertTrue("\(error)".contains("absent.tsv: no such file"), "\(error)")
        }
    }

    /// Weights change what is learned, are stored, and a resume with other weights is refused.
    func testWeightsReachTheLossTheModelAndResume() throws {
        try SyntheticData.write(to: path("train.h5"))
        var options = ScoringFixture.smallOptions(epochs: 1, seed: 3)
        options.validation = .none
        options.keep = .last
        let config = SyntheticData.smallConfig(decoder: false)
        let plain = try Trainer(inputPath: path("train.h5"), outputPath: path("plain.h5"), config: config,
                                options: options, commandLine: "test")
        try plain.run()
        try "class0\t4\n".write(toFile: path("w.tsv"), atomically: true, encoding: .utf8)
        var weighted = options
        weighted.classWeights = path("w.tsv")
        let trainer = try Trainer(inputPath: path("train.h5"), outputPath: path("weighted.h5"), config: config,
                                  options: weighted, commandLine: "test")
        XCTAssertEqual(trainer.classWeightValues, [4, 1, 1])
        XCTAssertEqual(trainer.network.marginLoss.classWeights, [4, 1, 1])
        try trainer.run()
        let a = try ModelFile.read(from: path("plain.h5")), b = try ModelFile.read(from: path("weighted.h5"))
        XCTAssertNotEqual(a.members[0].weights, b.members[0].weights)
        XCTAssertEqual(Trainer.storedClassWeights(of: b), [4, 1, 1])
        XCTAssertEqual(b.attribute("class_weights")?.stringValue, path("w.tsv"))
        XCTAssertNil(Trainer.storedClassWeights(of: a))
        // The file changed since: resuming would optimise another loss.
        try "class0\t2\n".write(toFile: path("w.tsv"), atomically: true, encoding: .utf8)
        weighted.epochs = 2
        XCTAssertThrowsError(try Trainer(inputPath: path("train.h5"), outputPath: path("weighted.h5"), config: config,
                                         options: weighted, resumeFrom: path("weighted.h5"), commandLine: "test")) { error in
            XCTAssertTrue("\(error)".contains("resume needs the same weights"), "\(error)")
        }
    }
}
