import XCTest
import CapsStorage

final class H5StringTests: XCTestCase {
    func testVariableLengthUTF8RoundTrip() throws {
        let path = try temporaryFile()
        let words = ["the", "", "naïve", "北京", "emoji 🙂", String(repeating: "x", count: 5000)]
        do {
            let file = try H5File.create(at: path)
            try file.write(strings: words, to: "/vocab/words")
            try file.write(strings: [], to: "/vocab/empty")
            try file.close()
        }
        let file = try H5File.open(at: path)
        XCTAssertEqual(try file.readStrings(from: "/vocab/words"), words)
        XCTAssertEqual(try file.readStrings(from: "/vocab/empty"), [])
        XCTAssertEqual(try file.shape(of: "/vocab/words"), [words.count])
        XCTAssertEqual(try file.elementType(of: "/vocab/words").description, "string")

        let header = try h5dump(["-H", "-d", "/vocab/words", path])
        XCTAssertTrue(header.contains("STRSIZE H5T_VARIABLE"), header)
        XCTAssertTrue(header.contains("CSET H5T_CSET_UTF8"), header)
    }

    func testFixedLengthStringsFromOtherToolsAreRead() throws {
        let path = try temporaryFile()
        try H5File.create(at: path).close()
        XCTAssertTrue(ForeignWriter.addFixedLengthStrings(to: path, dataset: "labels", values: ["neg", "pos", "neutral"],
                                                          width: 16, spacePadded: false, note: "made elsewhere"))
        XCTAssertTrue(ForeignWriter.addFixedLengthStrings(to: path, dataset: "padded", values: ["a", "bc "],
                                                          width: 6, spacePadded: true, note: "x"))
        let file = try H5File.open(at: path)
        XCTAssertEqual(try file.readStrings(from: "labels"), ["neg", "pos", "neutral"])
        XCTAssertEqual(try file.elementType(of: "labels").description, "string(16)")
        // Space padding cannot be told apart from trailing spaces: both go.
        XCTAssertEqual(try file.readStrings(from: "padded"), ["a", "bc"])
        XCTAssertEqual(try file.attribute("labels_note"), .string("made elsewhere"))
        XCTAssertEqual(try file.attribute("padded_note"), .string("x"))
    }

    func testStringsWithNULAreRejectedAndNumbersAreNotStrings() throws {
        let file = try H5File.create(at: try temporaryFile())
        assertThrowsMessage(try file.write(strings: ["ok", "bad\u{0}"], to: "s"), containing: ["dataset /s", "string 1", "NUL"])
        try file.write([Float(1)], shape: [1], to: "numbers")
        assertThrowsMessage(try file.readStrings(from: "numbers"), containing: ["dataset /numbers", "expected strings", "float32"])
        try file.write(strings: ["a"], to: "words")
        assertThrowsMessage(try file.read(Float.self, from: "words"), containing: ["dataset /words", "expected float32", "found string"])
    }
}
