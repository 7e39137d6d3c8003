import XCTest
@testable import CapsStorage

final class H5ErrorTests: XCTestCase {
    func testMissingFile() {
        assertThrowsMessage(try H5File.open(at: "/nonexistent/dir/model.h5"),
                            containing: ["/nonexistent/dir/model.h5: no such file"])
        assertThrowsMessage(try H5File.create(at: "/nonexistent/dir/model.h5"),
                            containing: ["/nonexistent/dir/model.h5", "folder /nonexistent/dir does not exist"])
    }

    func testNonHDF5FileAndFolder() throws {
        let path = try temporaryFile("notes.h5")
        try "label\ttext\n".write(toFile: path, atomically: true, encoding: .utf8)
        assertThrowsMessage(try H5File.open(at: path), containing: ["notes.h5: not an HDF5 file"])
        let empty = try temporaryFile("empty.h5")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        assertThrowsMessage(try H5File.open(at: empty), containing: ["empty.h5: not an HDF5 file"])
        let folder = (path as NSString).deletingLastPathComponent
        assertThrowsMessage(try H5File.open(at: folder), containing: ["is a folder"])
    }

    /// Found by fuzzing (fuzz-tokens): a dataspace declaring more values than
    /// memory made the whole-dataset reads allocate a buffer for them and
    /// abort the process ("failed to allocate … bytes"); now they throw.
    func testExtentLargerThanMemoryIsAnError() throws {
        let path = try temporaryFile("huge.h5")
        try H5File.create(at: path).close()
        XCTAssertTrue(ForeignWriter.addHugeDatasets(to: path))
        let file = try H5File.open(at: path)
        XCTAssertEqual(try file.shape(of: "/ints"), [1 << 50])
        assertThrowsMessage(try file.read(Int32.self, from: "/ints"),
                            containing: ["huge.h5: dataset /ints: extent [1125899906842624] of 4-byte values is larger than this machine's memory"])
        assertThrowsMessage(try file.readStrings(from: "/names"),
                            containing: ["dataset /names: extent [1125899906842624] of 8-byte values"])
        assertThrowsMessage(try file.readStrings(from: "/codes"),
                            containing: ["dataset /codes: extent [1125899906842624,16] of 1-byte values"])
    }

    /// A dataset declaring far more values than the file stores bytes (found
    /// by fuzz-embedded: a 17 GB read from a small file) is refused before
    /// memory is allocated for it.
    func testMoreValuesThanStoredBytesIsAnError() throws {
        let path = try temporaryFile("sparse.h5")
        try H5File.create(at: path).close()
        XCTAssertTrue(ForeignWriter.addUnwrittenDataset(to: path))
        let file = try H5File.open(at: path)
        assertThrowsMessage(try file.read(Int32.self, from: "/sparse"),
                            containing: ["sparse.h5: dataset /sparse: declares 16777216 values but stores only 0 bytes"])
        // A dataset written in full reads as before, however well it compresses.
        let written = try H5File.create(at: try temporaryFile("zeros.h5"))
        try written.write([Int32](repeating: 0, count: 1 << 20), shape: [1 << 20], to: "/zeros",
                          options: H5WriteOptions(chunkRows: 1 << 16, deflateLevel: 9))
        XCTAssertEqual(try written.read(Int32.self, from: "/zeros").values.count, 1 << 20)
    }

    /// The bound saturates instead of trapping on a storage size near 2^64 (found by fuzz-model).
    func testTheStoredSizeBoundSaturates() {
        XCTAssertTrue(H5File.storedBytesCanHold(values: 1 << 40, storedBytes: UInt64.max))
        XCTAssertTrue(H5File.storedBytesCanHold(values: 1 << 40, storedBytes: UInt64.max / 1032))
        XCTAssertTrue(H5File.storedBytesCanHold(values: 1032 * 10 + 65_536, storedBytes: 10))
        XCTAssertFalse(H5File.storedBytesCanHold(values: 1032 * 10 + 65_537, storedBytes: 10))
        XCTAssertFalse(H5File.storedBytesCanHold(values: 1 << 24, storedBytes: 0))
    }

    func testMissingDatasetAndWrongKind() throws {
        let file = try H5File.create(at: try temporaryFile("model.h5"))
        try file.createGroup("/weights")
        assertThrowsMessage(try file.read(Float.self, from: "/weights/conv1.weight"),
                            containing: ["model.h5: dataset /weights/conv1.weight: not found"])
        assertThrowsMessage(try file.shape(of: "/weights"), containing: ["dataset /weights: is a group, not a dataset"])
        assertThrowsMessage(try file.readStrings(from: "/absent/deeper"), containing: ["dataset /absent/deeper: not found"])
    }

    func testWrongShapeNamesExpectedAndFound() throws {
        let file = try H5File.create(at: try temporaryFile("model.h5"))
        try file.write([Float](repeating: 0, count: 16 * 4 * 12), shape: [16, 1, 4, 12], to: "/weights/conv1.weight")
        assertThrowsMessage(try file.read(Float.self, from: "/weights/conv1.weight", shape: [16, 1, 4, 10]),
                            containing: ["model.h5: dataset /weights/conv1.weight: expected float32 of shape [16,1,4,10], found [16,1,4,12]"])
        XCTAssertEqual(try file.read(Float.self, from: "/weights/conv1.weight", shape: [16, nil, 4, nil]).shape, [16, 1, 4, 12])
        XCTAssertEqual(try file.requireShape("/weights/conv1.weight", rank: 4), [16, 1, 4, 12])
        assertThrowsMessage(try file.requireShape("/weights/conv1.weight", rank: 2),
                            containing: ["expected rank 2, found shape [16,1,4,12]"])
        assertThrowsMessage(try file.requireShape("/weights/conv1.weight", [nil, 40, nil]),
                            containing: ["expected shape [*,40,*], found [16,1,4,12]"])
    }

    func testWrongTypeNamesBothTypes() throws {
        let file = try H5File.create(at: try temporaryFile())
        try file.write([Double(1.5)], shape: [1], to: "lr")
        assertThrowsMessage(try file.read(Int64.self, from: "lr"), containing: ["dataset /lr: expected int64 data, found float64"])
        try file.write(strings: ["a"], to: "s")
        assertThrowsMessage(try file.dataset(at: "s", as: Float.self), containing: ["dataset /s: expected float32 data, found string"])
        try file.write(scalar: Float(1), to: "scalar")
        assertThrowsMessage(try file.dataset(at: "scalar", as: Float.self), containing: ["is a scalar"])
        XCTAssertEqual(try file.readScalar(Float.self, from: "lr"), 1.5, "a one-element array reads as a scalar")
        try file.write([Float(1), 2], shape: [2], to: "pair")
        assertThrowsMessage(try file.readScalar(Float.self, from: "pair"), containing: ["expected a single float32 value, found shape [2]"])
    }
}
