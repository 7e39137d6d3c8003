import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports
import XCTest

final class DocumentPredictionsTests: XCTestCase {
    private func table(labels: [Int32]?, names: [String] = ThreeClassExample.names) throws -> DocumentPredictions {
        try DocumentPredictions(lengths: ThreeClassExample.lengths(), labels: labels, classNames: names)
    }

    private func rows(_ tsv: String) -> [[String]] {
        tsv.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    func testTopKListsLongestFirstWithTiesByClassIndex() throws {
        let lines = rows(try table(labels: ThreeClassExample.labels).tsv(selection: .topK(2)))
        XCTAssertEqual(lines[0], ["index", "predicted", "true", "classes"])
        XCTAssertEqual(lines.count, 7)
        XCTAssertEqual(lines[1], ["0", "A", "A", "A:0.8000 B:0.3000"])
        XCTAssertEqual(lines[4], ["3", "A", "C", "A:0.5000 B:0.5000"])
        XCTAssertEqual(lines[6], ["5", "B", "C", "B:0.6000 C:0.5500"])
        XCTAssertTrue(lines.allSatisfy { $0.count == 4 })
    }

    func testTopKLargerThanTheClassCountListsEveryClass() throws {
        let lines = rows(try table(labels: nil).tsv(selection: .topK(10), decimals: 2))
        XCTAssertEqual(lines[3], ["2", "A", "", "A:0.60 C:0.40 B:0.10"])
    }

    func testThresholdIsInclusiveAndMayMatchNothing() throws {
        let lines = rows(try table(labels: nil).tsv(selection: .threshold(0.5)))
        XCTAssertEqual(lines[4][3], "A:0.5000 B:0.5000")        // both exactly at 0.5
        XCTAssertEqual(lines[6][3], "B:0.6000 C:0.5500")
        let none = rows(try table(labels: nil).tsv(selection: .threshold(0.99)))
        XCTAssertEqual(none[1], ["0", "A", "", ""])             // still reports the argmax
    }

    func testNamesWithSpacesTabsAndColonsSplitBackExactly() throws {
        let names = ["DESC:manner", "two words", "tab\there\\"]
        let lines = rows(try table(labels: ThreeClassExample.labels, names: names).tsv(selection: .topK(3)))
        for line in lines.dropFirst() {
            XCTAssertEqual(line.count, 4)
            let pairs = line[3].split(separator: " ").map { pair -> String in
                let colon = pair.lastIndex(of: ":")!
                return DocumentPredictions.unescape(String(pair[..<colon]))
            }
            XCTAssertEqual(Set(pairs), Set(names))
        }
        XCTAssertEqual(DocumentPredictions.unescape(lines[2][1]), "two words")
        XCTAssertEqual(DocumentPredictions.escape("a b\tc"), "a\\sb\\tc")
    }

    func testInvalidSelectionsAreRejected() throws {
        XCTAssertThrowsError(try table(labels: nil).tsv(selection: .topK(0))) {
            XCTAssertEqual($0 as? EvaluationError, .invalidTopK(0))
        }
        XCTAssertThrowsError(try table(labels: nil).tsv(selection: .threshold(.nan)))
    }
}
