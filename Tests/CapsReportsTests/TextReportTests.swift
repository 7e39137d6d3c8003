import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports
import XCTest

final class TextReportTests: XCTestCase {
    private func report(names: [String]) throws -> [String] {
        let m = try ClassificationMetrics(lengths: ThreeClassExample.lengths(), labels: ThreeClassExample.labels,
                                          classNames: names)
        return m.textReport().components(separatedBy: "\n")
    }

    func testReportCarriesTheHandComputedNumbers() throws {
        let lines = try report(names: ThreeClassExample.names)
        XCTAssertEqual(lines[0], "accuracy 0.3333 (2 of 6 documents), mean margin loss 0.3354")
        let rowA = lines.first { $0.hasPrefix("A ") }!.split(separator: " ")
        XCTAssertEqual(rowA, ["A", "0.5000", "0.6667", "0.5714", "3"])
        let macro = lines.first { $0.hasPrefix("macro avg") }!.split(separator: " ")
        XCTAssertEqual(macro.suffix(4), ["0.1667", "0.2222", "0.1905", "6"])
        let weighted = lines.first { $0.hasPrefix("weighted avg") }!.split(separator: " ")
        XCTAssertEqual(weighted.suffix(4), ["0.2500", "0.3333", "0.2857", "6"])
    }

    func testColumnsAlignByDisplayWidthWithCJKNames() throws {
        let names = ["体育", "finance", "科技新闻"]
        let lines = try report(names: names)
        // Every cell after the name is right-aligned, so aligned rows all end
        // at the same display column; counting characters instead of columns
        // would make the CJK rows two or four columns short.
        let header = lines.firstIndex { $0.hasPrefix("class") }!
        let scoreRows = lines[header...].prefix { !$0.isEmpty }
        XCTAssertEqual(scoreRows.count, 4)
        XCTAssertEqual(Set(scoreRows.map { TerminalWidth.of($0) }).count, 1, "\(scoreRows)")

        let matrixHeader = lines.firstIndex { $0.hasPrefix("true \\ predicted") }!
        let matrixRows = lines[matrixHeader...].prefix { !$0.isEmpty }
        XCTAssertEqual(matrixRows.count, 4)
        XCTAssertEqual(Set(matrixRows.map { TerminalWidth.of($0) }).count, 1, "\(matrixRows)")
        for name in names { XCTAssertTrue(matrixRows.first!.contains(name), name) }
        // The count column of "科技新闻" begins where the precision column of "体育" does.
        let cjkRow = scoreRows.first { $0.hasPrefix("科技新闻") }!
        let otherRow = scoreRows.first { $0.hasPrefix("体育") }!
        func columnOfFirstDigit(_ s: String) -> Int { TerminalWidth.of(s.prefix { !$0.isNumber }) }
        XCTAssertEqual(columnOfFirstDigit(cjkRow), columnOfFirstDigit(otherRow))
    }

    func testLongNamesAreTruncatedWithAnEllipsis() throws {
        let long = String(repeating: "x", count: 40)
        let lines = try report(names: [long, "B", "C"])
        XCTAssertFalse(lines.joined().contains(long))
        XCTAssertTrue(lines.contains { $0.hasPrefix(String(repeating: "x", count: 23) + "…") })
    }
}
