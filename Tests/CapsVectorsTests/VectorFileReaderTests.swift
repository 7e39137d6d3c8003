import CapsTestSupport
@testable import CapsVectors
import Foundation
import XCTest

/// Each format, plain and gzip, read back exactly, and its detection.
final class VectorFileReaderTests: XCTestCase {
    /// Values chosen to expose rounding: non-terminating binary fractions,
    /// a subnormal-adjacent tiny value, large magnitudes, negative zero.
    let rows: [(String, [Float])] = [
        ("the", [0.1, -0.2, 3.4028235e38]),
        ("Ünïcödé", [1.0e-38, -0.0, 7.0]),
        ("中国", [-1.5, 0.333333343, 123456.79]),
        ("x", [Float(bitPattern: 0x3F80_0001), -2.5e-7, 42]),
    ]

    private func assertRows(_ read: [(String, [Float])], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(read.map(\.0), rows.map(\.0), file: file, line: line)
        for (got, want) in zip(read, rows) {
            // Compare bit patterns so -0.0 vs 0.0 and last-bit rounding both count.
            XCTAssertEqual(got.1.map(\.bitPattern), want.1.map(\.bitPattern), "row \(want.0)", file: file, line: line)
        }
    }

    func testGloveTextRoundTripAndDetection() throws {
        let w = try writer()
        let path = try w.write(VectorFileWriter.text(rows), to: "v.txt")
        let (reader, read) = try readAll(path)
        XCTAssertEqual(reader.format, .gloveText)
        XCTAssertEqual(reader.dim, 3)
        XCTAssertNil(reader.declaredCount)
        XCTAssertFalse(reader.isCompressed)
        XCTAssertEqual(reader.rowsRead, rows.count)
        assertRows(read)
    }

    func testWord2vecTextRoundTripAndDetection() throws {
        let w = try writer()
        let path = try w.write(VectorFileWriter.text(rows, header: (4, 3)), to: "v.vec")
        let (reader, read) = try readAll(path)
        XCTAssertEqual(reader.format, .word2vecText)
        XCTAssertEqual(reader.dim, 3)
        XCTAssertEqual(reader.declaredCount, 4)
        assertRows(read)
    }

    func testWord2vecBinaryWithAndWithoutNewlines() throws {
        let w = try writer()
        for newlines in [true, false] {
            let path = try w.write(VectorFileWriter.binary(rows, header: (4, 3), newlines: newlines), to: "v\(newlines).bin")
            let (reader, read) = try readAll(path)
            XCTAssertEqual(reader.format, .word2vecBinary, "newlines: \(newlines)")
            XCTAssertEqual(reader.dim, 3)
            assertRows(read)
        }
    }

    func testGzipOfEachFormat() throws {
        let w = try writer()
        let files: [(Data, VectorFormat)] = [
            (VectorFileWriter.text(rows), .gloveText),
            (VectorFileWriter.text(rows, header: (4, 3)), .word2vecText),
            (VectorFileWriter.binary(rows, header: (4, 3), newlines: true), .word2vecBinary),
            (VectorFileWriter.binary(rows, header: (4, 3), newlines: false), .word2vecBinary),
        ]
        for (index, (data, format)) in files.enumerated() {
            let path = try w.writeGzip(data, to: "v\(index).gz")
            let (reader, read) = try readAll(path)
            XCTAssertTrue(reader.isCompressed)
            XCTAssertEqual(reader.format, format, "file \(index)")
            assertRows(read)
        }
    }

    func testBinaryLargerThanTheReadBufferStreams() throws {
        // 3,000 records × 100 floats ≈ 1.2 MB: more than the 1 MiB buffer, so
        // records straddle refills.
        let big = (0..<3000).map { i in ("w\(i)", (0..<100).map { Float(i) + Float($0) / 128 }) }
        let w = try writer()
        let path = try w.write(VectorFileWriter.binary(big, header: (3000, 100), newlines: true), to: "big.bin")
        let (reader, read) = try readAll(path)
        XCTAssertEqual(reader.rowsRead, 3000)
        XCTAssertEqual(read.map(\.0), big.map(\.0))
        XCTAssertTrue(zip(read, big).allSatisfy { $0.1 == $1.1 })
    }

    func testExplicitFormatOverridesDetection() throws {
        // "5 1" would be detected as a header; as GloVe it is the word "5"
        // with the 1-dimensional vector [1].
        let w = try writer()
        let path = try w.write(Data("5 1\n6 8\n".utf8), to: "one.txt")
        XCTAssertEqual(try VectorFileReader(path: path).format, .word2vecText)
        let (reader, read) = try readAll(path, format: .gloveText)
        XCTAssertEqual(reader.dim, 1)
        XCTAssertEqual(read.map(\.0), ["5", "6"])
        XCTAssertEqual(read.map(\.1), [[1], [8]])
    }

    func testTextLayoutVariants() throws {
        // CRLF line ends, a trailing space (fastText writes one), a UTF-8 BOM,
        // a blank last line, and a word holding spaces (as in glove.840B).
        let text = "\u{FEFF}a 1 2 \r\nat home 3 4\r\n. . . 5 6\n\n"
        let w = try writer()
        let path = try w.write(Data(text.utf8), to: "variants.txt")
        let (reader, read) = try readAll(path)
        XCTAssertEqual(reader.dim, 2)
        XCTAssertEqual(read.map(\.0), ["a", "at home", ". . ."])
        XCTAssertEqual(read.map(\.1), [[1, 2], [3, 4], [5, 6]])
    }

    func testHeaderWithNoRowsIsAnEmptyTable() throws {
        let w = try writer()
        let path = try w.write(Data("0 300\n".utf8), to: "none.vec")
        let (reader, read) = try readAll(path)
        XCTAssertEqual(reader.dim, 300)
        XCTAssertTrue(read.isEmpty)
    }
}
