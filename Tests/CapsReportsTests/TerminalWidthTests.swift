import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports
import XCTest

final class TerminalWidthTests: XCTestCase {
    func testWidthsFollowEastAsianWidthAndCombiningMarks() {
        XCTAssertEqual(TerminalWidth.of("sports"), 6)
        XCTAssertEqual(TerminalWidth.of("体育"), 4)                 // CJK ideographs: wide
        XCTAssertEqual(TerminalWidth.of("한국"), 4)                 // Hangul syllables: wide
        XCTAssertEqual(TerminalWidth.of("ＡＢ"), 4)                 // fullwidth Latin
        XCTAssertEqual(TerminalWidth.of("ｶﾀ"), 2)                  // halfwidth katakana stays narrow
        XCTAssertEqual(TerminalWidth.of("cafe\u{301}"), 4)         // combining acute adds nothing
        XCTAssertEqual(TerminalWidth.of("😀"), 2)
    }

    func testTruncationNeverExceedsTheWidthNorSplitsAWideCharacter() {
        XCTAssertEqual(TerminalWidth.truncate("short", to: 10), "short")
        XCTAssertEqual(TerminalWidth.truncate("abcdefghij", to: 5), "abcd…")
        // 4 ideographs use 8 columns; a fifth would need 10 > 10 − 1 for the ellipsis.
        let cut = TerminalWidth.truncate("科技新闻科技新闻", to: 10)
        XCTAssertEqual(cut, "科技新闻…")
        XCTAssertLessThanOrEqual(TerminalWidth.of(cut), 10)
    }

    func testPaddingCountsDisplayColumns() {
        XCTAssertEqual(TerminalWidth.pad("体育", to: 6), "体育  ")
        XCTAssertEqual(TerminalWidth.pad("ab", to: 4, right: true), "  ab")
    }
}
