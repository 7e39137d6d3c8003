import XCTest
@testable import CapsCore

final class ProgressReporterTests: XCTestCase {
    func testPlainModePrintsAQuarterAtATimeWithRateAndETA() {
        var lines: [String] = []
        var now = 0.0
        let progress = ProgressReporter(label: "epoch 1/2", total: 1000, unit: "samples",
                                        interactive: false, sink: { lines.append($0) }, clock: { now })
        for _ in 0..<10 {
            now += 1
            progress.advance(by: 100, status: "loss 0.5")
        }
        progress.finish()
        // 25%, 50%, 75% (the caller prints the final summary itself).
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("epoch 1/2  300/1000 samples  100 samples/s  loss 0.5  ETA 0:07"), lines[0])
        XCTAssertTrue(lines.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") })
    }

    func testInteractiveModeRedrawsOneLineWithABar() {
        var out = ""
        var now = 0.0
        let progress = ProgressReporter(label: "x", total: 4, unit: "docs",
                                        interactive: true, sink: { out += $0 }, clock: { now })
        now = 1; progress.advance(by: 2)
        now = 2; progress.advance(by: 2)
        progress.finish()
        XCTAssertTrue(out.contains("[============            ]  2/4 docs  2.0 docs/s  ETA 0:01"), out)
        XCTAssertTrue(out.contains("4/4 docs"))
        XCTAssertFalse(out.contains("\n"))
    }

    func testClockText() {
        XCTAssertEqual(ProgressReporter.clockText(75), "1:15")
        XCTAssertEqual(ProgressReporter.clockText(3725), "1:02:05")
        XCTAssertEqual(ProgressReporter.clockText(0.4), "0:00")
    }
}
