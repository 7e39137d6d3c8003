@testable import CapsArtifacts
import CapsStorage
import CapsTestSupport
import XCTest

/// The checkpoint's epoch sums are named attributes; checkpoints written by
/// 0.1.0 kept them as the dataset `partial_sums` [6] and must still resume.
final class CheckpointTests: XCTestCase {
    private func sample(sums: EpochSums) -> Checkpoint {
        Checkpoint(parameters: [1, 2, 3], adamStep: 7, adamFirstMoment: [0.1, 0.2, 0.3],
                   adamSecondMoment: [0.01, 0.02, 0.03], embeddingTable: nil, embeddingFirstMoment: nil,
                   embeddingSecondMoment: nil, epochsCompleted: 2, batchesDone: 5, learningRate: 0.0009,
                   epochSums: sums, bestValidationAccuracy: 0.75, bestEpoch: 2)
    }

    func testEpochSumsRoundTripByName() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("c.h5").path
        var sums = EpochSums()
        sums.loss = 12.5; sums.marginLoss = 10.25; sums.reconstructionLoss = 4.125
        sums.correct = 41; sums.samples = 50; sums.seconds = 3.5
        let file = try H5File.create(at: path)
        try sample(sums: sums).write(to: file)
        try file.close()

        let reopened = try H5File.open(at: path)
        XCTAssertEqual(try Checkpoint(from: reopened), sample(sums: sums))
        XCTAssertEqual(try reopened.requireInt("epoch_correct", on: "/checkpoint"), 41)
        XCTAssertEqual(try reopened.requireDouble("epoch_recon_loss_sum", on: "/checkpoint"), 4.125)
        XCTAssertFalse(reopened.contains("/checkpoint/partial_sums"))
    }

    func testLegacyPartialSumsAreReadInTheirDocumentedOrder() throws {
        let path = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("old.h5").path
        // The layout 0.1.0 wrote: the sums as a float64 dataset, loss … seconds.
        let file = try H5File.create(at: path)
        try file.createGroup("/checkpoint")
        try file.write([1, 2, 3] as [Float], shape: [3], to: "/checkpoint/parameters")
        try file.write([0.1, 0.2, 0.3] as [Float], shape: [3], to: "/checkpoint/adam_m")
        try file.write([0.01, 0.02, 0.03] as [Float], shape: [3], to: "/checkpoint/adam_v")
        try file.write([12.5, 10.25, 4.125, 41, 50, 3.5] as [Double], shape: [6], to: "/checkpoint/partial_sums")
        for (name, value) in [("step", H5AttributeValue.int(7)), ("epoch", .int(2)), ("batch", .int(5)),
                              ("lr", .double(Double(Float(0.0009)))), ("best_val_acc", .double(0.75)),
                              ("best_epoch", .int(2))] {
            try file.setAttribute(name, value, on: "/checkpoint")
        }
        try file.close()

        let state = try Checkpoint(from: H5File.open(at: path))
        XCTAssertEqual(state.parameters, [1, 2, 3])
        XCTAssertEqual(state.adamStep, 7)
        XCTAssertEqual(state.batchesDone, 5)
        XCTAssertEqual(state.epochSums.loss, 12.5)
        XCTAssertEqual(state.epochSums.marginLoss, 10.25)
        XCTAssertEqual(state.epochSums.reconstructionLoss, 4.125)
        XCTAssertEqual(state.epochSums.correct, 41)
        XCTAssertEqual(state.epochSums.samples, 50)
        XCTAssertEqual(state.epochSums.seconds, 3.5)
    }
}
