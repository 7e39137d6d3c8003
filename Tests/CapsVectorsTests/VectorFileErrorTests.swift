import CapsTestSupport
@testable import CapsVectors
import Foundation
import XCTest

/// Every malformed-file error, with the line or record it names.
final class VectorFileErrorTests: XCTestCase {
    private func error(reading text: String, format: VectorFormat? = nil, dim: Int? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws -> VectorFileError? {
        let path = try writer().write(Data(text.utf8), to: "bad.txt")
        return error(readingPath: path, format: format, dim: dim, file: file, line: line)
    }

    private func error(readingPath path: String, format: VectorFormat? = nil, dim: Int? = nil,
                       file: StaticString = #filePath, line: UInt = #line) -> VectorFileError? {
        vectorError({ _ = try readAll(path, format: format, dim: dim) }, file: file, line: line)
    }

    func testTooFewValuesNamesTheLine() throws {
        let e = try error(reading: "a 1 2 3\nb 4 5 6\nc 7 8\n")
        XCTAssertEqual(e?.location, .line(3))
        XCTAssertEqual(e?.kind, .wrongValueCount(expected: 3, found: 2))
        XCTAssertTrue(e?.description.hasSuffix("bad.txt:3: expected 3 values after the word, found 2") ?? false, e?.description ?? "")
    }

    /// Found by fuzzing (fuzz-vectors-text): a form feed or carriage return
    /// inside a value was printed raw, breaking the one-line message.
    func testControlCharactersInAValueAreEscapedInTheMessage() throws {
        let feed = try error(reading: "1 3\na 1 2\u{0C} 3\n", format: .word2vecText)
        XCTAssertEqual(feed?.kind, .nonNumericValue("2\u{0C}", field: 2))
        XCTAssertTrue(feed?.description.hasSuffix(#"bad.txt:2: value 2 '2\u{C}' is not a number"#) ?? false, feed?.description ?? "")
        let carriageReturn = try error(reading: "1 2\na 0\r0 1\n", format: .word2vecText)
        XCTAssertTrue(carriageReturn?.description.hasSuffix(#"bad.txt:2: value 1 '0\r0' is not a number"#) ?? false,
                      carriageReturn?.description ?? "")
    }

    /// Found by fuzzing (fuzz-vectors-binary): a header declaring 44 trillion
    /// components made the reader allocate a row buffer for them and trap.
    func testHugeDimensionInTheHeaderIsAnError() throws {
        for format in [nil, VectorFormat.word2vecBinary, .word2vecText] {
            let e = try error(reading: "2 44444444444444\nthe ", format: format)
            XCTAssertEqual(e?.location, .line(1))
            XCTAssertEqual(e?.kind, .dimensionTooLarge(found: 44_444_444_444_444, limit: VectorFileReader.maxDimension))
        }
        XCTAssertTrue(try error(reading: "1 1048577\n")?.description
            .hasSuffix("bad.txt:1: header declares 1048577 components per vector; expected at most 1048576") ?? false)
    }

    /// Found by fuzzing (fuzz-vectors-gzip, LeakSanitizer): a gzip stream
    /// that fails just after its header line leaked the row buffer sized by
    /// the header (4 MiB here) on every open, because the initializer threw
    /// before all stored properties were set, so `deinit` never freed it.
    func testStreamFailingAfterTheHeaderLeaksNoRowBuffer() throws {
        let w = try writer()
        let whole = try w.writeGzip(Data("3 \(VectorFileReader.maxDimension)\nthe 1 2\n".utf8), to: "whole.gz")
        // Without the 8-byte CRC/length trailer: the header line decodes, then zlib fails.
        let path = try w.write(try Data(contentsOf: URL(fileURLWithPath: whole)).dropLast(8), to: "cut.gz")
        let e = vectorError { _ = try VectorFileReader(path: path) }
        XCTAssertEqual(e?.location, .file)
        guard case .readFailed(let reason) = e?.kind, reason.hasSuffix("unexpected end of file") else {
            return XCTFail("got \(String(describing: e))")
        }
        #if os(Linux)
        // The address space, not the resident set: a leaked buffer is never touched.
        func virtualBytes() throws -> Int {
            let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
            return Int(statm.split(separator: " ")[0])! * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
        let opens = 100, before = try virtualBytes()
        for _ in 0..<opens { _ = vectorError { _ = try VectorFileReader(path: path) } }
        let grown = try virtualBytes() - before
        XCTAssertLessThan(grown, 128 << 20, "\(opens) failed opens grew the address space by \(grown >> 20) MiB "
                          + "(a leaked row buffer each would be \(opens * 4) MiB)")
        #endif
    }

    func testTooManyValuesNamesTheLine() throws {
        let e = try error(reading: "a 1 2 3\nb 4 5 6 7\n")
        XCTAssertEqual(e?.location, .line(2))
        XCTAssertEqual(e?.kind, .wrongValueCount(expected: 3, found: 4))
    }

    func testNonNumericValueNamesLineAndField() throws {
        let e = try error(reading: "2 3\na 1 2 3\nb 4 5x 6\n")
        XCTAssertEqual(e?.location, .line(3))
        XCTAssertEqual(e?.kind, .nonNumericValue("5x", field: 2))
        let nan = try error(reading: "a 1 nan 3\n")
        XCTAssertEqual(nan?.kind, .nonFiniteValue("nan", field: 2))
        let overflow = try error(reading: "a 1 2 3\nb 1 2 1e39\n")
        XCTAssertEqual(overflow?.location, .line(2))
        XCTAssertEqual(overflow?.kind, .nonFiniteValue("1e39", field: 3))
    }

    func testRowWithoutWord() throws {
        let e = try error(reading: "a 1 2\n 3 4\n")
        XCTAssertEqual(e?.location, .line(2))
        XCTAssertEqual(e?.kind, .emptyWord)
    }

    func testHeaderCountAboveRowsNamesTheHeader() throws {
        let e = try error(reading: "3 2\na 1 2\nb 3 4\n")
        XCTAssertEqual(e?.location, .line(1))
        XCTAssertEqual(e?.kind, .tooFewRows(declared: 3, found: 2))
    }

    func testHeaderCountBelowRowsNamesTheExtraRow() throws {
        let e = try error(reading: "1 2\na 1 2\nb 3 4\n")
        XCTAssertEqual(e?.location, .line(3))
        XCTAssertEqual(e?.kind, .tooManyRows(declared: 1))
    }

    func testHeaderDimDisagreeingWithRows() throws {
        // The first row decides text vs binary, so disagree from the second.
        let e = try error(reading: "2 2\na 1 2\nb 3 4 5\n")
        XCTAssertEqual(e?.location, .line(3))
        XCTAssertEqual(e?.kind, .wrongValueCount(expected: 2, found: 3))
        // Forced text, the very first row is checked against the header.
        let forced = try error(reading: "2 2\na 1 2 3\nb 3 4\n", format: .word2vecText)
        XCTAssertEqual(forced?.location, .line(2))
        XCTAssertEqual(forced?.kind, .wrongValueCount(expected: 2, found: 3))
    }

    func testEmptyFile() throws {
        let e = try error(reading: "")
        XCTAssertEqual(e?.location, .file)
        XCTAssertEqual(e?.kind, .empty)
        let gz = try writer().writeGzip(Data(), to: "empty.gz")
        XCTAssertEqual(error(readingPath: gz)?.kind, .empty)
    }

    func testRequestedDimensionDisagreeing() throws {
        let glove = try error(reading: "a 1 2 3\n", dim: 4)
        XCTAssertEqual(glove?.location, .line(1))
        XCTAssertEqual(glove?.kind, .dimensionMismatch(file: 3, requested: 4))
        let word2vec = try error(reading: "1 3\na 1 2 3\n", dim: 2)
        XCTAssertEqual(word2vec?.kind, .dimensionMismatch(file: 3, requested: 2))
    }

    func testForcedHeaderFormatWithoutHeader() throws {
        let e = try error(reading: "a 1 2\n", format: .word2vecBinary)
        XCTAssertEqual(e?.location, .line(1))
        guard case .invalidHeader = e?.kind else { return XCTFail("got \(String(describing: e))") }
    }

    func testMissingFile() throws {
        let path = try writer().directory.appendingPathComponent("absent.txt").path
        let e = error(readingPath: path)
        guard case .cannotOpen = e?.kind else { return XCTFail("got \(String(describing: e))") }
        XCTAssertTrue(e?.description.hasPrefix(path) ?? false)
    }

    // MARK: - word2vec binary

    private let binaryRows: [(String, [Float])] = [("a", [1, 2, 3]), ("b", [4, 5, 6]), ("c", [7, 8, 9])]

    func testTruncatedBinaryNamesTheRecord() throws {
        let w = try writer()
        let full = VectorFileWriter.binary(binaryRows, header: (3, 3), newlines: true)
        // Cut 5 bytes into record 2's vector: header 4 bytes, record 1 is
        // "a " + 12 + "\n" = 15 bytes, record 2 starts with "b ".
        let cut = full.prefix(4 + 15 + 2 + 5)
        let e = error(readingPath: try w.write(cut, to: "cut.bin"), format: .word2vecBinary)
        XCTAssertEqual(e?.location, .record(2))
        // The record needs "b " + 12 bytes; "b " + 5 are there.
        XCTAssertEqual(e?.kind, .truncatedRecord(expected: 14, found: 7))
        XCTAssertTrue(e?.description.hasSuffix("cut.bin: record 2: truncated record: needs 14 bytes, the file ends after 7") ?? false,
                      e?.description ?? "")
        // Cut inside the word of record 3 of a file without newlines.
        let tight = VectorFileWriter.binary(binaryRows, header: (3, 3), newlines: false)
        let inWord = error(readingPath: try w.write(tight.prefix(4 + 14 + 14 + 1), to: "word.bin"), format: .word2vecBinary)
        XCTAssertEqual(inWord?.location, .record(3))
        XCTAssertEqual(inWord?.kind, .truncatedRecord(expected: 1 + 1 + 12, found: 1))
    }

    func testBinaryHeaderCountDisagreeingWithRecords() throws {
        let w = try writer()
        let few = error(readingPath: try w.write(VectorFileWriter.binary(binaryRows, header: (4, 3), newlines: true), to: "few.bin"))
        XCTAssertEqual(few?.location, .record(4))
        XCTAssertEqual(few?.kind, .tooFewRows(declared: 4, found: 3))
        let many = error(readingPath: try w.write(VectorFileWriter.binary(binaryRows, header: (2, 3), newlines: true), to: "many.bin"))
        XCTAssertEqual(many?.location, .record(3))
        XCTAssertEqual(many?.kind, .tooManyRows(declared: 2))
    }

    func testTruncatedGzipStreamIsAReadError() throws {
        let w = try writer()
        let rows = (0..<500).map { ("w\($0)", [Float($0), 1, 2]) }
        let gz = try w.writeGzip(VectorFileWriter.text(rows), to: "full.gz")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: gz))
        let cut = try w.write(bytes.prefix(bytes.count / 2), to: "cut.gz")
        let e = error(readingPath: cut)
        XCTAssertEqual(e?.location, .file)
        guard case .readFailed = e?.kind else { return XCTFail("got \(String(describing: e))") }
    }
}
