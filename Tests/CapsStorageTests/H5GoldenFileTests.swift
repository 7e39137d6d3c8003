import XCTest
import CapsStorage
import CapsTestSupport

/// Reads a file written by h5py (the PyTorch reference's golden tensors):
/// int64/float64 scalar attributes, an int32 array attribute, a
/// variable-length UTF-8 string attribute, float32 datasets.
final class H5GoldenFileTests: XCTestCase {
    func testAttributesAndDatasetsAgreeWithEachOther() throws {
        let file = try H5File.open(at: try Fixtures.shared("golden/small.h5"))
        // The README documents small.h5 as 3 classes with a sigmoid decoder.
        XCTAssertEqual(try file.requireInt("classes"), 3)
        XCTAssertEqual(try file.requireString("decoder_activation"), "sigmoid")
        XCTAssertEqual(try file.requireInts("decoder_hidden").count, 2)
        let lr = try file.requireDouble("adam_lr")
        XCTAssertGreaterThan(lr, 0)
        XCTAssertLessThan(lr, 1)
        let beta1 = try file.requireDouble("adam_beta1")
        XCTAssertTrue((0.5..<1).contains(beta1))

        // Dataset shapes follow from the configuration attributes.
        let filters = try file.requireInt("filters"), ngram = try file.requireInt("ngram")
        let dim = try file.requireInt("dim"), maxLen = try file.requireInt("max_len")
        let weight = try file.read(Float.self, from: "/weights/conv1.weight", shape: [filters, 1, ngram, dim])
        XCTAssertTrue(weight.values.allSatisfy(\.isFinite))
        XCTAssertTrue(weight.values.contains { $0 != 0 })
        let x = try file.requireShape("/input/x", [nil, maxLen, dim])
        XCTAssertEqual(try file.shape(of: "/input/labels"), [x[0]])

        // Labels (whatever integer type h5py chose) read as Int32 within range.
        let labels = try file.read(Int32.self, from: "/input/labels").values
        XCTAssertTrue(labels.allSatisfy { (0..<3).contains($0) }, "\(labels)")

        // A row range of the batch equals the same rows of a whole read.
        let whole = try file.read(Float.self, from: "/input/x").values
        let rowLength = maxLen * dim
        let rows = try file.dataset(at: "/input/x", as: Float.self).readRows(startRow: 1, count: x[0] - 1)
        XCTAssertEqual(rows, Array(whole[rowLength...]))

        XCTAssertTrue(try file.children().contains("after_adam_step"))
        XCTAssertTrue(try file.attributeNames().contains("routings"))
    }
}
