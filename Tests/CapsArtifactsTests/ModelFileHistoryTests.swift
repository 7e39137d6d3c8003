@testable import CapsArtifacts
import CapsKitTestSupport
import CapsStorage
import CapsTestSupport
import XCTest

/// A model file's `/history` is checked, not trusted: found by fuzzing
/// (`make fuzz`, target fuzz-model), a corrupt history crashed the reader.
final class ModelFileHistoryTests: XCTestCase {
    private func trainedModel() throws -> String {
        let directory = try Fixtures.temporaryDirectory(for: self)
        let input = directory.appendingPathComponent("train.emb.h5").path
        let model = directory.appendingPathComponent("model.h5").path
        try ScoringFixture.embeddedFile(at: input)
        try ScoringFixture.train(input: input, output: model, epochs: 2)
        return model
    }

    private func artifactError(reading path: String) -> ArtifactError? {
        do {
            _ = try ModelFile.read(from: path)
            XCTFail("expected an ArtifactError")
        } catch let error as ArtifactError {
            return error
        } catch {
            XCTFail("expected an ArtifactError, got \(error)")
        }
        return nil
    }

    /// An epoch number beyond Int (or not whole) trapped converting it to Int.
    func testEpochThatIsNoWholeNumberIsAnError() throws {
        let path = try trainedModel()
        let file = try H5File.open(at: path, writable: true)
        try file.write([1, 1e300] as [Double], shape: [2], to: "/history/epoch")
        try file.close()
        let error = artifactError(reading: path)
        XCTAssertEqual(error?.object, "dataset /history/epoch")
        XCTAssertEqual(error?.message, "row 1 holds 1e+300; expected a whole epoch number ≥ 1")
    }

    /// A column shorter than `epoch` was indexed past its end.
    func testColumnsOfDifferentLengthsAreAnError() throws {
        let path = try trainedModel()
        let file = try H5File.open(at: path, writable: true)
        try file.write([0.5] as [Double], shape: [1], to: "/history/loss")
        try file.close()
        XCTAssertThrowsError(try ModelFile.read(from: path)) { error in
            XCTAssertEqual(String(describing: error),
                           "\(path): dataset /history/loss: expected float64 of shape [2], found [1]")
        }
    }

    /// A configuration that implies terabytes of weights (found by fuzz-model:
    /// 17 TB) fails at the first tensor the file does not hold, before
    /// anything of that size is allocated.
    func testAConfigurationLargerThanItsWeightsIsAnError() throws {
        let path = try trainedModel()
        let file = try H5File.open(at: path, writable: true)
        try file.setRootAttributes([("filters", .int(1 << 40))])
        try file.close()
        XCTAssertThrowsError(try ModelFile.read(from: path, withCheckpoint: true)) { error in
            XCTAssertTrue(String(describing: error).contains("conv"), "\(error)")
        }
    }
}
