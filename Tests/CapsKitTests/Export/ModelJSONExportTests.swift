import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import Foundation
import XCTest

final class ModelJSONExportTests: XCTestCase {
    /// Awkward Float32 values plus pseudo-random bit patterns across all exponents.
    private func awkwardFloats() -> [Float] {
        var values: [Float] = [0, -0.0, 0.1, 1.0 / 3, -2.5, .leastNonzeroMagnitude, .leastNormalMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, Float(bitPattern: 1), 16_777_216, 16_777_218, .ulpOfOne]
        var state: UInt32 = 0x1234_5678
        while values.count < 2_000 {
            state = state &* 1_664_525 &+ 1_013_904_223   // LCG (Numerical Recipes)
            let f = Float(bitPattern: state)
            if f.isFinite { values.append(f) }
        }
        return values
    }

    func testFloatsRoundTripBitExactThroughJSONSerialization() throws {
        let floats = awkwardFloats()
        let tensor = try ExportTensor(name: "w", shape: [2, floats.count / 2], floats: floats)
        let text = try ModelJSONExport.text(configuration: [], tensors: [tensor])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let tensors = try XCTUnwrap(root["tensors"] as? [[String: Any]])
        let values = try XCTUnwrap(tensors[0]["values"] as? [NSNumber])
        XCTAssertEqual(tensors[0]["shape"] as? [Int], [2, floats.count / 2])
        XCTAssertEqual(tensors[0]["dtype"] as? String, "float32")
        let back = values.map { Float($0.doubleValue) }
        let mismatches = zip(floats, back).filter { $0.bitPattern != $1.bitPattern && !($0 == 0 && $1 == 0) }
        XCTAssertEqual(mismatches.count, 0, "\(mismatches.prefix(5))")
        // The text itself distinguishes −0.0 even if a parser folds it to 0.
        XCTAssertTrue(text.contains("-0.0"))
    }

    func testConfigurationAndIntegerTensorsKeepOrderAndTypes() throws {
        let config: [ConfigurationEntry] = [.init("seed", 42), .init("optimizer", "adam"),
                                            .init("learning_rate", 0.001), .init("reconstruction", true)]
        let labels = try ExportTensor(name: "labels", shape: [3], values: .int32([2, 0, 1]))
        let big = try ExportTensor(name: "steps", shape: [1], values: .int64([1 << 53 + 1]))
        let text = try ModelJSONExport.text(configuration: config, tensors: [labels, big])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let c = try XCTUnwrap(root["configuration"] as? [String: Any])
        XCTAssertEqual(c["seed"] as? Int, 42)
        XCTAssertEqual(c["optimizer"] as? String, "adam")
        XCTAssertEqual(c["learning_rate"] as? Double, 0.001)
        XCTAssertEqual(c["reconstruction"] as? Bool, true)
        let keys = ["\"seed\"", "\"optimizer\"", "\"learning_rate\"", "\"reconstruction\""].map { text.range(of: $0)!.lowerBound }
        XCTAssertEqual(keys, keys.sorted(), "configuration keeps the caller's order")
        let tensors = try XCTUnwrap(root["tensors"] as? [[String: Any]])
        XCTAssertEqual(tensors[0]["values"] as? [Int], [2, 0, 1])
        XCTAssertTrue(text.contains("[9007199254740993]"), "int64 written exactly, not through a double")
        XCTAssertEqual(try ModelJSONExport.text(configuration: config, tensors: [labels, big]), text)
    }

    func testNonFiniteValuesAreRejectedWithTheirPosition() throws {
        let bad = try ExportTensor(name: "digit_caps/W", shape: [3], floats: [1, .infinity, .nan])
        XCTAssertThrowsError(try ModelJSONExport.text(configuration: [], tensors: [bad])) {
            guard case .nonFiniteValue(tensor: "digit_caps/W", index: 1, _)? = $0 as? ExportError else {
                return XCTFail("unexpected \($0)")
            }
            XCTAssertTrue("\($0)".contains("digit_caps/W"))
        }
    }

    func testSerializerLayout() {
        let value = JSONValue.object([("b", .array([.int(1), .int(2)])), ("a", .object([])),
                                      ("s", .string("tab\t\u{1}")), ("n", .double(.nan))])
        XCTAssertEqual(value.serialized(), "{\n  \"b\": [1, 2],\n  \"a\": {},\n  \"s\": \"tab\\t\\u0001\",\n  \"n\": null\n}\n")
    }
}
