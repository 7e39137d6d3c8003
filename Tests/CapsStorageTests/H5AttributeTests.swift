import XCTest
import CapsStorage

final class H5AttributeTests: XCTestCase {
    private let every: [String: H5AttributeValue] = [
        "name": .string("capsule ✓"),
        "labels": .strings(["ABBR", "DESC", ""]),
        "classes": .int(-6),
        "big": .int(Int64.min),
        "hidden": .ints([512, 1024]),
        "lr": .double(1e-3),
        "betas": .doubles([0.9, 0.999]),
        "no_ints": .ints([]),
        "no_strings": .strings([]),
    ]

    func testEveryKindRoundTripsOnRootGroupAndDataset() throws {
        let path = try temporaryFile()
        do {
            let file = try H5File.create(at: path)
            try file.createGroup("/a/b")
            try file.write([Float(1)], shape: [1], to: "/a/b/w")
            for target in ["/", "/a/b", "/a/b/w"] {
                for (name, value) in every { try file.setAttribute(name, value, on: target) }
            }
            try file.close()
        }
        let file = try H5File.open(at: path)
        for target in ["/", "/a/b", "/a/b/w"] {
            XCTAssertEqual(try file.attributeNames(on: target), every.keys.sorted(), target)
            for (name, value) in every {
                XCTAssertEqual(try file.attribute(name, on: target), value, "\(name) on \(target)")
            }
            XCTAssertNil(try file.attribute("absent", on: target))
        }

        let header = try h5dump(["-H", "-A", path])
        for type in ["H5T_STD_I64LE", "H5T_IEEE_F64LE", "H5T_CSET_UTF8", "SIMPLE { ( 2 ) / ( 2 ) }", "SCALAR"] {
            XCTAssertTrue(header.contains(type), "h5dump lacks \(type)")
        }
    }

    func testOverwriteReplacesValueAndType() throws {
        let file = try H5File.create(at: try temporaryFile())
        try file.setAttribute("epoch", 3)
        try file.setAttribute("epoch", 4)
        XCTAssertEqual(try file.attribute("epoch"), .int(4))
        try file.setAttribute("epoch", .strings(["now", "text"]))
        XCTAssertEqual(try file.attribute("epoch"), .strings(["now", "text"]))
        try file.setAttribute("epoch", 0.5)
        XCTAssertEqual(try file.attribute("epoch"), .double(0.5))
        XCTAssertEqual(try file.attributeNames(), ["epoch"])
    }

    func testAccessorsAcceptCompatibleForms() {
        XCTAssertEqual(H5AttributeValue.int(3).doubleValue, 3)
        XCTAssertEqual(H5AttributeValue.ints([7]).intValue, 7)
        XCTAssertNil(H5AttributeValue.ints([7, 8]).intValue)
        XCTAssertNil(H5AttributeValue.double(2).intValue, "floats are never silently made integers")
        XCTAssertEqual(H5AttributeValue.string("x").stringsValue, ["x"])
        XCTAssertEqual(H5AttributeValue.ints([1, 2]).doublesValue, [1, 2])
        XCTAssertNil(H5AttributeValue.string("1").intValue)
    }

    func testOtherIntegerWidthsReadAsInt() throws {
        let path = try temporaryFile()
        try H5File.create(at: path).close()
        XCTAssertTrue(ForeignWriter.addUInt16Attribute(to: path, name: "sizes", values: [65535, 2]))
        XCTAssertEqual(try H5File.open(at: path).attribute("sizes"), .ints([65535, 2]))
    }

    func testRequiredAttributesExplainWhatIsWrong() throws {
        let file = try H5File.create(at: try temporaryFile("model.h5"))
        try file.setAttribute("classes", 6)
        try file.setAttribute("activation", "sigmoid")
        try file.setAttribute("hidden", .ints([512, 1024]))
        XCTAssertEqual(try file.requireInt("classes"), 6)
        XCTAssertEqual(try file.requireDouble("classes"), 6)
        XCTAssertEqual(try file.requireString("activation"), "sigmoid")
        XCTAssertEqual(try file.requireInts("hidden"), [512, 1024])
        XCTAssertEqual(try file.requireStrings("activation"), ["sigmoid"])
        assertThrowsMessage(try file.requireInt("routings"),
                            containing: ["model.h5: attribute 'routings' on /: missing (expected an integer)"])
        assertThrowsMessage(try file.requireInt("activation"),
                            containing: ["attribute 'activation' on /", "expected an integer", "found a string \"sigmoid\""])
        assertThrowsMessage(try file.requireDoubles("activation"), containing: ["expected numbers"])
        assertThrowsMessage(try file.attribute("x", on: "/nowhere"), containing: ["object /nowhere: not found"])
        assertThrowsMessage(try file.setAttribute("x", 1, on: "/nowhere"), containing: ["object /nowhere: not found"])
    }
}
