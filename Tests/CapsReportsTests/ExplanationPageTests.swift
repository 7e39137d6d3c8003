import CapsNet
import XCTest
@testable import CapsReports

/// The explanation page and table keep whatever the text holds from
/// breaking them: markup in tokens and class names is escaped, tabs and
/// line breaks in TSV fields become spaces.
final class ExplanationPageTests: XCTestCase {
    private func explanations() -> Explanations {
        let explained = ClassExplanation(classIndex: 0, name: "a\"b<c>", length: 0.75, tokenShares: [0.5, -0.25, 0.125],
                                         paddingShare: 0.25, biasShare: 0.125, coupling: [0.2, 0.8])
        let reconstruction = CapsuleReconstruction(className: "a\"b<c>", words: ["x", "y", "z"], similarities: [0.9, 0.8, 0.7],
                                                   perturbations: [.init(dimension: 0, delta: 0.25, words: ["x", "<w>", "z"]),
                                                                   .init(dimension: 1, delta: -0.25, words: ["x", "y", "z"])])
        let document = DocumentExplanation(number: 1, tokens: ["<script>alert(1)</script>", "tab\there", "&amp;"],
                                           labels: ["a\"b<c>"], classes: [explained], reconstruction: reconstruction)
        return Explanations(method: .route, modelPath: "m<1>.h5", inputPath: "in.tsv", inputDocuments: 3,
                            documents: [document], capsuleNames: ["2-gram capsule 1", "lexical capsule 1"])
    }

    func testMarkupInTheTextIsEscaped() {
        let html = explanations().html()
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&amp;amp;"))
        XCTAssertTrue(html.contains("a&quot;b&lt;c&gt;"))
        XCTAssertTrue(html.contains("m&lt;1&gt;.h5"))
        XCTAssertTrue(html.contains("the first 1 of 3 documents"))
        // The reconstruction lists the changed word and names the unchanged perturbation.
        XCTAssertTrue(html.contains("<b>&lt;w&gt;</b>"))
        XCTAssertTrue(html.contains("No word changes for: dim 2 −0.25"))
        // Shades: the largest positive share is full red, the negative one half blue.
        XCTAssertTrue(html.contains("background:#b2182b"), "full red for the largest share")
        XCTAssertTrue(html.contains("background:\(Explanations.shade(-0.5).background)"))
    }

    func testTheTableKeepsOneRowPerFieldSet() {
        let lines = explanations().tsv().split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[0], "index\trank\tclass\tlength\tposition\ttoken\tshare")
        XCTAssertEqual(lines[2], "0\t1\ta\"b<c>\t0.75\t2\ttab here\t-0.25")
        XCTAssertEqual(lines.count, 1 + 3 + 2 + 1)
        XCTAssertEqual(lines[4], "0\t1\ta\"b<c>\t0.75\t\t<padding>\t0.25")
        let total = lines.dropFirst().filter { !$0.isEmpty }.map { Double($0.split(separator: "\t").last!)! }.reduce(0, +)
        XCTAssertEqual(total, 0.75, accuracy: 1e-12, "shares sum to the length")
    }

    func testDeletionCellsAreMeansWithStandardErrors() {
        let cell = DeletionReport.cell(drops: [0.1, 0.3, 0.2, 0.4], changes: 1)
        XCTAssertEqual(cell.meanDrop, 0.25, accuracy: 1e-12)
        XCTAssertEqual(cell.standardError, (0.05 / 3 / 4).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(cell.changed, 0.25)
        XCTAssertEqual(DeletionReport.cell(drops: [], changes: 0), DeletionReport.Cell(meanDrop: 0, standardError: 0, changed: 0))
    }
}
