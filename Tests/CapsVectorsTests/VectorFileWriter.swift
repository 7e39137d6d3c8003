import _CZlib
import Foundation
import XCTest
@testable import CapsVectors
import CapsTestSupport

/// Writes small word-vector files in each format for the tests, independently
/// of the reader: text through `Float.description` (which round-trips
/// exactly), binary from the raw little-endian bits, gzip through zlib.
struct VectorFileWriter {
    let directory: URL

    /// `word v1 … vD` lines, optionally after a `count dim` header line.
    static func text(_ rows: [(String, [Float])], header: (Int, Int)? = nil) -> Data {
        var lines: [String] = []
        if let header { lines.append("\(header.0) \(header.1)") }
        for (word, vector) in rows {
            lines.append(([word] + vector.map { $0.description }).joined(separator: " "))
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// word2vec binary: `count dim\n`, then `word ` + little-endian float32s,
    /// each record followed by `\n` when `newlines`.
    static func binary(_ rows: [(String, [Float])], header: (Int, Int), newlines: Bool) -> Data {
        var data = Data("\(header.0) \(header.1)\n".utf8)
        for (word, vector) in rows {
            data.append(contentsOf: Array(word.utf8) + [0x20])
            for value in vector {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            if newlines { data.append(0x0A) }
        }
        return data
    }

    /// Writes `data` to `name` in the directory and returns the path.
    func write(_ data: Data, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// Writes `data` gzip-compressed through zlib's gzopen/gzwrite.
    func writeGzip(_ data: Data, to name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard let file = gzopen(path, "wb") else { throw XCTSkip("gzopen failed for \(path)") }
        let written = data.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        XCTAssertEqual(Int(written), data.count)
        XCTAssertEqual(gzclose(file), Z_OK)
        return path
    }
}

extension XCTestCase {
    func writer() throws -> VectorFileWriter {
        VectorFileWriter(directory: try Fixtures.temporaryDirectory(for: self))
    }

    /// Every row of a vector file, words decoded as UTF-8.
    func readAll(_ path: String, format: VectorFormat? = nil, dim: Int? = nil) throws -> (VectorFileReader, [(String, [Float])]) {
        let reader = try VectorFileReader(path: path, format: format, expectedDim: dim)
        var rows: [(String, [Float])] = []
        while try reader.nextRow({ rows.append((String(decoding: $0, as: UTF8.self), Array($1))) }) {}
        return (reader, rows)
    }

    /// The `VectorFileError` that `body` throws, failing the test otherwise.
    func vectorError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> VectorFileError? {
        do {
            try body()
            XCTFail("expected a VectorFileError", file: file, line: line)
        } catch let error as VectorFileError {
            return error
        } catch {
            XCTFail("expected a VectorFileError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
