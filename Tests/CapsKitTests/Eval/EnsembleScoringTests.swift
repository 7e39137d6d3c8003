import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import XCTest

/// An ensemble's scores are the mean over its members of each member's
/// capsule lengths, each computed here independently from the member's own
/// weights and table, on embedded and on raw-text input.
final class EnsembleScoringTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory(for: self) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func score(_ input: String, batch: Int = 7) throws -> Scores {
        var options = ScoringOptions()
        options.batchSize = batch
        return try EvalStage(model: path("model.h5"), input: input, scoring: options).run()
    }

    func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "largest difference \(worst)", file: file, line: line)
    }

    /// Σ_k lengths of member k on the rows `ids` looked up in its table (or on `x`), / K.
    func meanOfMembers(_ model: ModelFile, ids: [Int32]? = nil, x: [Float]? = nil) throws -> (mean: [Float], each: [[Float]]) {
        let each = try model.members.indices.map { k in
            let rows = x ?? ScoringFixture.gather(ids: ids!, table: model.members[k].tunedEmbedding ?? model.embedding,
                                                 dimension: model.config.dimension)
            return try ScoringFixture.directLengths(model: path("model.h5"), x: rows, member: k)
        }
        var sum = each[0]
        for member in each.dropFirst() { for i in sum.indices { sum[i] += member[i] } }
        return (sum.map { $0 / Float(each.count) }, each)
    }

    func testFineTunedEnsembleScoresEmbeddedInputWithTheMeanOfEachMembersLengths() throws {
        let data = try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), fineTune: true, decoder: false,
                                 ensemble: 3)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.members.count, 3)
        let scores = try score(path("data.h5"))
        let (mean, each) = try meanOfMembers(model, ids: data.ids)
        assertClose(scores.lengths.values, mean)
        // Not any one member's scores: the members disagree, and the mean is what is scored.
        for member in each {
            XCTAssertGreaterThan(zip(scores.lengths.values, member).map { abs($0 - $1) }.max()!, 1e-4)
        }
        XCTAssertEqual(scores.predictions, try CapsuleLengths(values: mean, classCount: 3).predictions())
        XCTAssertEqual(scores.histories.count, 3)
        XCTAssertEqual(try scores.plots().map(\.name),
                       ["confusion.svg", "training-member1.svg", "training-member2.svg", "training-member3.svg"])
    }

    func testStaticEnsembleScoresTheStoredMatrices() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), ensemble: 2)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertNil(model.tunedEmbedding)
        let x = try H5File.open(at: path("data.h5")).read(Float.self, from: "/x").values
        let scores = try score(path("data.h5"), batch: 16)
        assertClose(scores.lengths.values, try meanOfMembers(model, x: x).mean)
    }

    func testRawTextIsScoredWithEveryMembersOwnTable() throws {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), fineTune: true, decoder: false,
                                 ensemble: 2)
        // `wK` is id K; other words are <unk>; rows are cut at 8 tokens and padded with 0.
        let text = "class1\tw4 w10 w11\nclass0\tW2 w13 nosuchword w17\nclass2\tw6 w7 w8 w9 w10 w11 w12 w13 w14 w15\n"
        try text.write(toFile: path("docs.tsv"), atomically: true, encoding: .utf8)
        let ids: [Int32] = [4, 10, 11, 0, 0, 0, 0, 0,
                            2, 13, 1, 17, 0, 0, 0, 0,
                            6, 7, 8, 9, 10, 11, 12, 13]
        let model = try ModelFile.read(from: path("model.h5"))
        let scores = try score(path("docs.tsv"))
        XCTAssertEqual(scores.inputKind, .text)
        assertClose(scores.lengths.values, try meanOfMembers(model, ids: ids).mean)
        XCTAssertEqual(scores.labels, [1, 0, 2])
    }
}
