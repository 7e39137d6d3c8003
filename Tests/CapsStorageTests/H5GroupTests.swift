import XCTest
import CapsStorage

final class H5GroupTests: XCTestCase {
    func testIntermediateGroupsAreCreatedAndListed() throws {
        let file = try H5File.create(at: try temporaryFile())
        try file.write([Float(1)], shape: [1], to: "/weights/conv1/bias")
        try file.write([Float(2)], shape: [1], to: "weights/conv1/weight")
        try file.createGroup("/forward/deep/er")
        try file.createGroup("/forward/deep")  // existing group: fine
        XCTAssertTrue(file.contains("/weights/conv1"))
        XCTAssertTrue(file.contains("/weights/conv1/bias"))
        XCTAssertFalse(file.contains("/weights/conv2/bias"), "missing intermediate group is just false")
        XCTAssertFalse(file.contains("/nothing"))
        XCTAssertEqual(try file.kind(of: "/weights"), .group)
        XCTAssertEqual(try file.kind(of: "/weights/conv1/weight"), .dataset)
        XCTAssertNil(try file.kind(of: "/weights/x"))
        XCTAssertEqual(try file.children(of: "/"), ["forward", "weights"])
        XCTAssertEqual(try file.children(of: "/weights/conv1"), ["bias", "weight"])
        XCTAssertEqual(try file.children(of: "/forward/deep/er"), [])
        assertThrowsMessage(try file.createGroup("/weights/conv1/bias"), containing: ["group /weights/conv1/bias", "dataset"])
        assertThrowsMessage(try file.children(of: "/weights/conv1/bias"), containing: ["group /weights/conv1/bias: not found"])
        assertThrowsMessage(try file.write([Float(1)], shape: [1], to: "/weights"), containing: ["dataset /weights", "group"])
    }
}
