import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsReports
import XCTest

final class WeightAverageTests: XCTestCase {
    func testDecayRampsUpLikeTensorFlowsNumUpdatesThenCaps() {
        let network = try! CapsuleNetwork(config: SyntheticData.smallConfig(decoder: false), maxBatch: 2, seed: 1)
        let average = WeightAverage(decay: 0.99, network: network, tuner: nil)
        XCTAssertEqual(average.effectiveDecay(step: 1), 2.0 / 11.0, accuracy: 1e-7)
        XCTAssertEqual(average.effectiveDecay(step: 90), 91.0 / 100.0, accuracy: 1e-7)
        XCTAssertEqual(average.effectiveDecay(step: 5000), 0.99)
    }

    func testAveragesParametersAndTableAndSwapsThemInOnlyForTheBody() throws {
        let network = try CapsuleNetwork(config: SyntheticData.smallConfig(decoder: false), maxBatch: 2, seed: 1)
        let P = network.parameters.count
        let tuner = EmbeddingTuner(table: [0, 0, 1, 1, 2, 2], dimension: 2)
        let start = network.parameters.allValues()
        let average = WeightAverage(decay: 0.5, network: network, tuner: tuner)
        // Step 1 (decay min(0.5, 2/11)): the live weights become start + 1.
        try network.parameters.set(contentsOf: start.map { $0 + 1 })
        average.update(network: network, tuner: tuner, step: 1)
        let d: Float = 2.0 / 11.0
        for i in stride(from: 0, to: P, by: max(1, P / 97)) {
            XCTAssertEqual(average.parameters[i], d * start[i] + (1 - d) * (start[i] + 1), accuracy: 1e-6)
        }
        // The table did not move, so its average is the table.
        XCTAssertEqual(average.embedding, tuner.table)

        let live = network.parameters.allValues()
        let seen = try average.withAveragedWeights(in: network, tuner: tuner) { network.parameters.allValues() }
        XCTAssertEqual(seen, average.parameters, "the body sees the average")
        XCTAssertEqual(network.parameters.allValues(), live, "the live weights are back, bit for bit")
        XCTAssertEqual(tuner.table, [0, 0, 1, 1, 2, 2])
    }
}
