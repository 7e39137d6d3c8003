import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports
import XCTest

final class ModelSummaryTests: XCTestCase {
    private func epoch(_ e: Int, loss: Double, valAcc: Double?) -> EpochRecord {
        EpochRecord(epoch: e, loss: loss, marginLoss: loss * 0.75, reconstructionLoss: loss * 0.25,
                      trainAccuracy: 0.9, validationLoss: valAcc.map { 1 - $0 }, validationAccuracy: valAcc,
                      learningRate: 0.001, seconds: 12.5, samplesPerSecond: 812)
    }

    private let layers = [
        LayerSummary(name: "embedding (frozen)", outputShape: [40, 300], parameters: 0),
        LayerSummary(name: "conv1", outputShape: [38, 256], parameters: 230_656),
        LayerSummary(name: "primary_caps", outputShape: [1152, 8], parameters: 5_308_672),
        LayerSummary(name: "类别胶囊", outputShape: [6, 16], parameters: 884_736),
    ]

    func testTableTotalsAndAlignment() {
        let summary = ModelSummary(title: "CapsNet", layers: layers, configuration: [], history: TrainingHistory())
        XCTAssertEqual(summary.totalParameters, 230_656 + 5_308_672 + 884_736)
        let lines = summary.text().components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "CapsNet")
        XCTAssertTrue(lines.contains("Total params: 6,424,064"))
        let rows = lines.filter { $0.hasPrefix("conv1") || $0.hasPrefix("primary_caps") || $0.hasPrefix("类别胶囊") || $0.hasPrefix("Layer") }
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(Set(rows.map { TerminalWidth.of($0) }).count, 1, "right-aligned counts end in one column")
        XCTAssertTrue(lines.contains { $0.contains("[N, 1152, 8]") && $0.hasSuffix("5,308,672") })
        XCTAssertFalse(summary.text().contains("Best epoch"), "no history, no best epoch")
    }

    func testGroupingOfParameterCounts() {
        XCTAssertEqual(ModelSummary.grouped(0), "0")
        XCTAssertEqual(ModelSummary.grouped(999), "999")
        XCTAssertEqual(ModelSummary.grouped(1000), "1,000")
        XCTAssertEqual(ModelSummary.grouped(-1_234_567), "-1,234,567")
    }

    func testConfigurationAndBestEpochByValidationAccuracy() {
        let history = TrainingHistory(records: [epoch(1, loss: 0.9, valAcc: 0.70), epoch(2, loss: 0.5, valAcc: 0.82),
                                                epoch(3, loss: 0.4, valAcc: 0.82), epoch(4, loss: 0.3, valAcc: .nan)])
        let summary = ModelSummary(layers: layers, configuration: [.init("routing_iterations", 3), .init("optimizer", "adam")],
                                   history: history)
        let text = summary.text()
        XCTAssertTrue(text.contains("routing_iterations  3\n"))
        XCTAssertTrue(text.contains("optimizer           adam\n"))
        // Epochs 2 and 3 tie at 0.82: the earlier wins; epoch 4's NaN never does.
        XCTAssertTrue(text.contains("Best epoch 2 of 4 (by validation accuracy)"), text)
        XCTAssertTrue(text.contains("validation accuracy  0.8200"))
        XCTAssertTrue(text.contains("loss                 0.5000"))
    }

    func testBestEpochFallsBackToLowestTrainingLoss() {
        let history = TrainingHistory(records: [epoch(1, loss: 0.9, valAcc: nil), epoch(2, loss: .nan, valAcc: nil),
                                                epoch(3, loss: 0.4, valAcc: nil)])
        XCTAssertEqual(history.best?.epoch, 3)
        XCTAssertTrue(ModelSummary(layers: [], configuration: [], history: history).text()
            .contains("Best epoch 3 of 3 (by training loss)"))
        XCTAssertNil(TrainingHistory().best)
    }
}
