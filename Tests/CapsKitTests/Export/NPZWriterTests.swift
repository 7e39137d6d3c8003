import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsTestSupport
import Foundation
import XCTest

final class NPZWriterTests: XCTestCase {
    static func sampleTensors() throws -> [ExportTensor] {
        [
            try ExportTensor(name: "primary/W", shape: [2, 3], floats: [1, -2.5, 0.1, .leastNonzeroMagnitude, -0.0, 3.4e38]),
            try ExportTensor(name: "bias", shape: [3], floats: [0.5, 0.25, -1]),
            try ExportTensor(name: "scalar", shape: [], floats: [42]),
            try ExportTensor(name: "labels", shape: [4], values: .int32([0, 2, -1, .max])),
            try ExportTensor(name: "steps", shape: [1, 2], values: .int64([.min, 1 << 40])),
            try ExportTensor(name: "empty", shape: [0, 5], floats: []),
            try ExportTensor(name: "体育", shape: [1], floats: [7]),
        ]
    }

    func testTheTestReadersCRCMatchesTheStandardCheckValue() {
        // The CRC-32 of "123456789" is 0xCBF43926 (the catalogued check value),
        // so ZipReader's CRC checks of ZIPFoundation's members mean something.
        XCTAssertEqual(ZipReader.crc32(Data("123456789".utf8)), 0xCBF4_3926)
    }

    func testArchiveStructureHeadersDirectoryAndCRCs() throws {
        let tensors = try Self.sampleTensors()
        let zip = try ZipReader(NPZWriter.data(tensors))
        XCTAssertEqual(zip.members.map(\.name), tensors.map { $0.name + ".npy" })
        XCTAssertTrue(zip.members.allSatisfy { $0.flags == 1 << 11 }, "UTF-8 name flag")
        // Fixed timestamp 1980-01-01 00:00 (DOS date: day 1 | month 1 << 5 | 0 years << 9).
        XCTAssertTrue(zip.members.allSatisfy { $0.dosDate == 0x21 && $0.dosTime == 0 }, "fixed 1980-01-01 date")
        for (member, tensor) in zip.members.map(\.bytes).enumerated().map({ ($0.element, tensors[$0.offset]) }) {
            XCTAssertEqual(member, NPYEncoder.encode(tensor))
        }
    }

    func testNPYHeaderIsVersionOneAlignedTo64Bytes() throws {
        let tensor = try ExportTensor(name: "w", shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        let bytes = [UInt8](NPYEncoder.encode(tensor))
        XCTAssertEqual(Array(bytes[0..<8]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])   // \x93NUMPY 1.0
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        XCTAssertTrue(header.hasSuffix("\n"))
        XCTAssertEqual(bytes.count, 10 + headerLength + 6 * 4)
        // 1.0f is 0x3F800000, little-endian.
        XCTAssertEqual(Array(bytes[(10 + headerLength)..<(14 + headerLength)]), [0x00, 0x00, 0x80, 0x3F])
        XCTAssertEqual(NPYEncoder.shapeTuple([]), "()")
        XCTAssertEqual(NPYEncoder.shapeTuple([7]), "(7,)")
    }

    func testOutputIsByteStableInMemoryAndOnDisk() throws {
        let inMemory = try NPZWriter.data(Self.sampleTensors())
        XCTAssertEqual(try NPZWriter.data(Self.sampleTensors()), inMemory)
        // Files written at different times hold the same bytes as data().
        let dir = try Fixtures.temporaryDirectory(for: self)
        let first = dir.appendingPathComponent("a.npz"), second = dir.appendingPathComponent("b.npz")
        try NPZWriter.write(Self.sampleTensors(), to: first)
        Thread.sleep(forTimeInterval: 2.1)   // past the 2 s resolution of a DOS timestamp
        try NPZWriter.write(Self.sampleTensors(), to: second)
        XCTAssertEqual(try Data(contentsOf: first), inMemory)
        XCTAssertEqual(try Data(contentsOf: second), inMemory)
    }

    func testWriteIsAtomicAndLeavesNoTemporaryFiles() throws {
        let dir = try Fixtures.temporaryDirectory(for: self)
        let url = dir.appendingPathComponent("model.npz")
        try Data("old".utf8).write(to: url)

        // A rejected export leaves the previous file as it was.
        let a = try ExportTensor(name: "a", shape: [1], floats: [1])
        XCTAssertThrowsError(try NPZWriter.write([a, a], to: url))
        XCTAssertEqual(try Data(contentsOf: url), Data("old".utf8))

        // A good one replaces it whole; only the destination remains in the folder.
        try NPZWriter.write(Self.sampleTensors(), to: url)
        XCTAssertEqual(try ZipReader(Data(contentsOf: url)).members.count, try Self.sampleTensors().count)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.npz"])

        // A missing folder is one error naming the destination; nothing is created.
        let missing = dir.appendingPathComponent("no/such/folder/model.npz")
        XCTAssertThrowsError(try NPZWriter.write(Self.sampleTensors(), to: missing)) { error in
            guard case let .writeFailed(path, _)? = error as? ExportError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, missing.path)
            XCTAssertFalse("\(error)".contains("\n"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.npz"])
    }

    func testBadTensorsAreRejected() throws {
        XCTAssertThrowsError(try ExportTensor(name: "w", shape: [2, 2], floats: [1, 2, 3])) {
            XCTAssertEqual($0 as? ExportError, .shapeMismatch(tensor: "w", shape: [2, 2], count: 3))
        }
        for name in ["", "/abs", "a/../b", "a//b"] {
            XCTAssertThrowsError(try ExportTensor(name: name, shape: [1], floats: [1]), name)
        }
        let a = try ExportTensor(name: "a", shape: [1], floats: [1])
        XCTAssertThrowsError(try NPZWriter.data([a, a])) {
            XCTAssertEqual($0 as? ExportError, .duplicateName("a"))
        }
    }

    /// The real reader: numpy.load, when python3 with numpy is installed.
    func testNumpyLoadsShapesDtypesAndExactValues() throws {
        let tensors = try Self.sampleTensors()
        let dir = try Fixtures.temporaryDirectory(for: self)
        let url = dir.appendingPathComponent("model.npz")
        try NPZWriter.write(tensors, to: url)

        // Float32 values are compared by bit pattern, so -0.0 and subnormals count.
        let script = """
        import json, sys, numpy
        out = {}
        with numpy.load(sys.argv[1]) as z:
            for k in z.files:
                a = z[k]
                bits = a.view('<u4') if a.dtype == numpy.dtype('<f4') else a
                out[k] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'bits': [int(x) for x in bits.ravel(order='C')]}
        print(json.dumps(out))
        """
        let run = try python(["-c", script, url.path])
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.utf8)) as? [String: [String: Any]])
        XCTAssertEqual(Set(decoded.keys), Set(tensors.map(\.name)))
        for tensor in tensors {
            let entry = try XCTUnwrap(decoded[tensor.name], tensor.name)
            XCTAssertEqual(entry["shape"] as? [Int], tensor.shape, tensor.name)
            let bits = try XCTUnwrap(entry["bits"] as? [NSNumber], tensor.name)
            switch tensor.values {
            case let .float32(v):
                XCTAssertEqual(entry["dtype"] as? String, "<f4")
                XCTAssertEqual(bits.map(\.uint32Value), v.map(\.bitPattern), tensor.name)
            case let .int32(v):
                XCTAssertEqual(entry["dtype"] as? String, "<i4")
                XCTAssertEqual(bits.map(\.int32Value), v, tensor.name)
            case let .int64(v):
                XCTAssertEqual(entry["dtype"] as? String, "<i8")
                XCTAssertEqual(bits.map(\.int64Value), v, tensor.name)
            }
        }
    }

    /// Runs python3 with numpy, or skips the test saying why.
    private func python(_ arguments: [String]) throws -> String {
        func run(_ args: [String]) throws -> (Int32, String, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + args
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
        guard let probe = try? run(["-c", "import numpy"]), probe.0 == 0 else {
            throw XCTSkip("python3 with numpy is not importable; the Swift ZIP/NPY structure tests still ran")
        }
        let (status, stdout, stderr) = try run(arguments)
        XCTAssertEqual(status, 0, stderr)
        return stdout
    }
}
