import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports
import Foundation
import XCTest

final class MetricsJSONTests: XCTestCase {
    func testSameInputsGiveByteIdenticalJSON() throws {
        let a = try ThreeClassExample.metrics().json.serialized()
        let b = try ThreeClassExample.metrics().json.serialized()
        XCTAssertEqual(Data(a.utf8), Data(b.utf8))
    }

    func testJSONParsesBackToTheSameNumbers() throws {
        let text = try ThreeClassExample.metrics().json.serialized()
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(root["documents"] as? Int, 6)
        XCTAssertEqual(try XCTUnwrap(root["accuracy"] as? Double), 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(root["margin_loss"] as? Double), 2.0125 / 6, accuracy: 1e-6)
        let classes = try XCTUnwrap(root["classes"] as? [[String: Any]])
        XCTAssertEqual(classes.map { $0["name"] as? String }, ["A", "B", "C"])
        XCTAssertEqual(classes.map { $0["support"] as? Int }, [3, 0, 3])
        XCTAssertEqual(classes.map { $0["predicted"] as? Int }, [4, 2, 0])
        XCTAssertEqual(try XCTUnwrap(classes[0]["f1"] as? Double), 4.0 / 7, accuracy: 1e-15)
        let weighted = try XCTUnwrap(root["weighted_avg"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(weighted["f1"] as? Double), 2.0 / 7, accuracy: 1e-15)
        let confusion = try XCTUnwrap(root["confusion_matrix"] as? [String: Any])
        XCTAssertEqual(confusion["counts"] as? [[Int]], [[2, 1, 0], [0, 0, 0], [2, 1, 0]])
    }

    func testKeysKeepTheirDocumentedOrder() throws {
        let text = try ThreeClassExample.metrics().json.serialized()
        let keys = ["\"documents\"", "\"accuracy\"", "\"correct\"", "\"margin_loss\"", "\"classes\"",
                    "\"macro_avg\"", "\"weighted_avg\"", "\"confusion_matrix\""]
        let positions = keys.map { text.range(of: $0)!.lowerBound }
        XCTAssertEqual(positions, positions.sorted())
    }

    func testAwkwardClassNamesSurviveTheRoundTrip() throws {
        let names = ["quote\"back\\slash", "line\nbreak\u{1}", "体育"]
        let m = try ClassificationMetrics(lengths: ThreeClassExample.lengths(), labels: ThreeClassExample.labels,
                                          classNames: names)
        let root = try JSONSerialization.jsonObject(with: Data(m.json.serialized().utf8)) as? [String: Any]
        let classes = root?["classes"] as? [[String: Any]]
        XCTAssertEqual(classes?.map { $0["name"] as? String }, names)
    }
}
