import Foundation
import XCTest
@testable import CapsText
import CapsTestSupport

final class DocumentReaderTests: XCTestCase {
    private func read(_ text: String, _ source: String, _ options: ReadOptions = ReadOptions()) throws -> [LabeledDocument] {
        try read(Data(text.utf8), source, options)
    }

    private func read(_ data: Data, _ source: String, _ options: ReadOptions = ReadOptions()) throws -> [LabeledDocument] {
        var reader = try DocumentReader(data: data, source: source, options: options)
        return try reader.readAll()
    }

    private func problem(_ body: () throws -> Void) -> TextInputError? {
        do {
            try body()
            return nil
        } catch let error as TextInputError {
            return error
        } catch {
            XCTFail("unexpected error \(error)")
            return nil
        }
    }

    // MARK: TSV

    func testTSVLabelTextAndFurtherTabs() throws {
        let docs = try read("pos\tgood film\nneg\tbad\tworse\n", "a.tsv")
        XCTAssertEqual(docs, [LabeledDocument(labels: ["pos"], text: "good film", line: 1),
                              LabeledDocument(labels: ["neg"], text: "bad\tworse", line: 2)])
    }

    func testTSVEmptyTextIsADocumentAndBlankLinesAreSkippedAndCounted() throws {
        var reader = try DocumentReader(data: Data("pos\t\n\n  \nneg\tx".utf8), source: "a.tsv")
        let docs = try reader.readAll()
        XCTAssertEqual(docs, [LabeledDocument(labels: ["pos"], text: "", line: 1),
                              LabeledDocument(labels: ["neg"], text: "x", line: 4)])
        XCTAssertEqual(reader.statistics.skippedBlankLines, 2)
    }

    func testTSVWithoutTabNamesFileAndLine() {
        let error = problem { _ = try read("pos\tok\nno tab here\n", "data/x.tsv") }
        XCTAssertEqual(error?.problem, .missingTab)
        XCTAssertEqual(error?.line, 2)
        XCTAssertTrue(error?.description.hasPrefix("data/x.tsv:2: ") ?? false, error?.description ?? "")
        XCTAssertEqual(problem { _ = try read(" \ttext\n", "x.tsv") }?.problem, .emptyLabel)
    }

    func testLabelSeparatorSplitsTSVAndCSVLabelFields() throws {
        var options = ReadOptions()
        options.labelSeparator = ","
        let docs = try read("earn,acq\tprofit up\ncrude\toil\n", "r.tsv", options)
        XCTAssertEqual(docs.map(\.labels), [["earn", "acq"], ["crude"]])
        options.format = .csv
        options.csv.separator = ";"
        XCTAssertEqual(try read("a, b;text\n", "r.csv", options).map(\.labels), [["a", "b"]])
        // Without the option the field is one label, commas and all.
        XCTAssertEqual(try read("earn,acq\tx\n", "r.tsv").map(\.labels), [["earn,acq"]])
        options = ReadOptions()
        options.labelSeparator = ","
        let error = problem { _ = try read("earn,,acq\tx\n", "r.tsv", options) }
        XCTAssertEqual(error?.problem, .emptyLabel)
        XCTAssertEqual(error?.line, 1)
    }

    // MARK: Line ends, BOM, UTF-8

    func testCRLFAndCRLineEndsAndBOM() throws {
        let docs = try read("\u{FEFF}a\tone\r\nb\ttwo\rc\tthree\r\n", "x.tsv")
        XCTAssertEqual(docs.map(\.labels), [["a"], ["b"], ["c"]])
        XCTAssertEqual(docs.map(\.text), ["one", "two", "three"])
        XCTAssertEqual(docs.map(\.line), [1, 2, 3])
    }

    func testCRLFSplitAcrossReadChunksCountsOnce() throws {
        // Chunks "a\r" | "\nb\r" | "" : the CRLF straddles a chunk boundary.
        var chunks = [Data("a\r".utf8), Data("\nb\r".utf8)]
        var lines = LineReader { chunks.isEmpty ? nil : chunks.removeFirst() }
        var got: [[UInt8]] = []
        while let line = try lines.nextLine() { got.append(line) }
        XCTAssertEqual(got, [Array("a".utf8), Array("b".utf8)])
        XCTAssertEqual(lines.lineNumber, 2)
    }

    func testLongLinesAcrossManySmallChunks() throws {
        let text = String(repeating: "x", count: 1000) + "\n" + String(repeating: "y", count: 10)
        let bytes = Array(text.utf8)
        var offset = 0
        var lines = LineReader {
            guard offset < bytes.count else { return nil }
            defer { offset += 7 }
            return Data(bytes[offset..<min(offset + 7, bytes.count)])
        }
        XCTAssertEqual(try lines.nextLine()?.count, 1000)
        XCTAssertEqual(try lines.nextLine()?.count, 10)
        XCTAssertNil(try lines.nextLine())
    }

    func testInvalidUTF8IsAnErrorOnItsLine() {
        var data = Data("a\tok\nb\tfine\nc\tbad ".utf8)
        data.append(contentsOf: [0xC3, 0x28])  // a lead byte followed by a non-continuation byte
        data.append(contentsOf: Array("\n".utf8))
        let error = problem { _ = try read(data, "bad.tsv") }
        XCTAssertEqual(error?.problem, .invalidUTF8)
        XCTAssertEqual(error?.line, 3)
    }

    func testInvalidUTF8CanBeReplacedAndCounted() throws {
        var data = Data("a\tx".utf8)
        data.append(0xFF)
        data.append(contentsOf: Array("y\nb\tz\n".utf8))
        var reader = try DocumentReader(data: data, source: "bad.tsv", options: ReadOptions(invalidUTF8: .replace))
        let docs = try reader.readAll()
        XCTAssertEqual(docs.map(\.text), ["x\u{FFFD}y", "z"])
        XCTAssertEqual(reader.statistics.repairedLines, 1)
    }

    // MARK: CSV

    func testCSVQuotingEdgeCases() throws {
        let csv = #"""
        1,"Hello, world","He said ""hi"""
        2,"two
        lines",plain

        3,,""
        """#
        let options = ReadOptions(csv: CSVOptions(labelColumn: 0, textColumns: [1, 2]))
        let docs = try read(csv, "x.csv", options)
        XCTAssertEqual(docs, [
            LabeledDocument(labels: ["1"], text: "Hello, world He said \"hi\"", line: 1),
            LabeledDocument(labels: ["2"], text: "two\nlines plain", line: 2),
            LabeledDocument(labels: ["3"], text: "", line: 5),
        ])
    }

    func testCSVQuotedNewlineWithCRLFAndBareQuoteInsideUnquotedField() throws {
        let docs = try read("a,\"x\r\ny\"\r\nb,5\"6\r\n", "x.csv")
        XCTAssertEqual(docs, [LabeledDocument(labels: ["a"], text: "x\ny", line: 1),
                              LabeledDocument(labels: ["b"], text: "5\"6", line: 3)])
    }

    func testCSVHeaderWithColumnsByName() throws {
        let csv = "class,title,description\n3,Wall St. Bears,\"Short-sellers, ...\"\n"
        let options = ReadOptions(csv: CSVOptions(hasHeader: true, labelColumn: "class",
                                                  textColumns: ["title", "description"]))
        XCTAssertEqual(try read(csv, "ag.csv", options),
                       [LabeledDocument(labels: ["3"], text: "Wall St. Bears Short-sellers, ...", line: 2)])
    }

    func testCSVErrors() {
        let unbalanced = problem { _ = try read("a,ok\nb,\"never closed\nc,d\n", "x.csv") }
        XCTAssertEqual(unbalanced?.problem, .unterminatedQuote)
        XCTAssertEqual(unbalanced?.line, 2)

        let trailing = problem { _ = try read("a,\"x\"y\n", "x.csv") }
        XCTAssertEqual(trailing?.problem, .textAfterClosingQuote("y"))

        let short = problem { _ = try read("a,b\nc\n", "x.csv") }
        XCTAssertEqual(short?.problem, .tooFewFields(expected: 2, found: 1))
        XCTAssertEqual(short?.line, 2)

        let options = ReadOptions(csv: CSVOptions(hasHeader: true, labelColumn: "label", textColumns: ["text"]))
        let unknown = problem { _ = try read("class,text\n1,x\n", "x.csv", options) }
        XCTAssertEqual(unknown?.problem, .unknownColumn("label", available: ["class", "text"]))
        XCTAssertEqual(unknown?.line, 1)

        let noHeader = problem { _ = try read("1,x\n", "x.csv", ReadOptions(csv: CSVOptions(labelColumn: "class"))) }
        XCTAssertEqual(noHeader?.problem, .unknownColumn("class", available: []))
    }

    /// Found by fuzzing (fuzz-csv): a quoted line end in a header name made
    /// the unknown-column message two lines; file text in messages is escaped.
    func testCSVUnknownColumnMessageStaysOneLine() {
        let options = ReadOptions(csv: CSVOptions(hasHeader: true, labelColumn: "label", textColumns: ["text"]))
        let unknown = problem { _ = try read("label,\"two\nlines\"\npos,x\n", "x.csv", options) }
        XCTAssertEqual(unknown?.problem, .unknownColumn("text", available: ["label", "two\nlines"]))
        XCTAssertEqual(unknown?.description, #"x.csv:1: no column named "text"; expected one of "label", "two\nlines""#)
    }

    // MARK: fastText and plain

    func testFastTextMultiLabel() throws {
        let text = "__label__sports __label__news  Match report __label__x\n__label__tech\n"
        let docs = try read(text, "ft.txt")
        XCTAssertEqual(docs, [LabeledDocument(labels: ["sports", "news"], text: "Match report __label__x", line: 1),
                              LabeledDocument(labels: ["tech"], text: "", line: 2)])
    }

    func testFastTextCustomPrefixAndMissingLabel() throws {
        let options = ReadOptions(format: .fastText, labelPrefix: "#")
        XCTAssertEqual(try read("#a #b text\n", "x", options).first?.labels, ["a", "b"])
        let error = problem { _ = try read("__label__a x\nno label\n", "ft.txt") }
        XCTAssertEqual(error?.problem, .missingLabel(prefix: "__label__"))
        XCTAssertEqual(error?.line, 2)
        let lenient = ReadOptions(format: .fastText, labelsRequired: false)
        XCTAssertEqual(try read("no label\n", "x", lenient), [LabeledDocument(labels: [], text: "no label", line: 1)])
    }

    func testPlainTextKeepsEveryLineAsADocument() throws {
        let docs = try read("first line\n\nthird\n", "notes.txt")
        XCTAssertEqual(docs, [LabeledDocument(labels: [], text: "first line", line: 1),
                              LabeledDocument(labels: [], text: "", line: 2),
                              LabeledDocument(labels: [], text: "third", line: 3)])
    }

    // MARK: Format detection and files

    func testFormatDetection() throws {
        XCTAssertEqual(try DocumentReader(data: Data("x,y".utf8), source: "a.csv").format, .csv)
        XCTAssertEqual(try DocumentReader(data: Data("no tab".utf8), source: "a.TSV").format, .tsv)
        XCTAssertEqual(try DocumentReader(data: Data("\n\n__label__a x".utf8), source: "a.txt").format, .fastText)
        XCTAssertEqual(try DocumentReader(data: Data("a\tb".utf8), source: "a.txt").format, .plain)
        XCTAssertEqual(try DocumentReader(data: Data("a\tb".utf8), source: "<stdin>").format, .tsv)
        XCTAssertEqual(try DocumentReader(data: Data("a b".utf8), source: "<stdin>").format, .plain)
        XCTAssertEqual(try DocumentReader(data: Data("a\tb".utf8), source: "a.tsv",
                                          options: ReadOptions(format: .plain)).format, .plain)
        // Lines read ahead for detection are still delivered, with their numbers.
        var reader = try DocumentReader(data: Data("\n__label__a x\n__label__b y".utf8), source: "a.txt")
        XCTAssertEqual(try reader.readAll().map(\.line), [2, 3])
        XCTAssertEqual(reader.statistics.skippedBlankLines, 1)
    }

    func testReadsFilesAndReportsMissingOnes() throws {
        let dir = try Fixtures.temporaryDirectory(for: self)
        let path = dir.appendingPathComponent("train.tsv").path
        try Data("pos\tfine\r\nneg\tbad\r\n".utf8).write(to: URL(fileURLWithPath: path))
        var reader = try DocumentReader(path: path)
        XCTAssertEqual(try reader.readAll().map(\.labels), [["pos"], ["neg"]])

        let missing = problem { _ = try DocumentReader(path: dir.appendingPathComponent("nope.tsv").path) }
        XCTAssertEqual(missing?.problem, .unreadable("no such file"))
        let directory = problem { _ = try DocumentReader(path: dir.path) }
        XCTAssertEqual(directory?.problem, .unreadable("is a directory"))
    }
}
