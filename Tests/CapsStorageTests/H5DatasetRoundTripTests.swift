import XCTest
import CapsStorage

final class H5DatasetRoundTripTests: XCTestCase {
    private let shapes: [[Int]] = [[], [0], [5], [2, 3], [2, 3, 4], [3, 0, 2]]

    /// Values that exercise sign, fractions and large magnitudes per type.
    private func sample<T: H5Scalar>(_: T.Type, count: Int) -> [T] {
        (0..<count).map { i -> T in
            switch T.h5Kind {
            case .float32: return Float(i) * -1.25 + 0.1 as! T
            case .float64: return Double(i) * 1e-3 - 7.5e100 as! T
            case .int32: return (i % 2 == 0 ? Int32.max - Int32(i) : Int32.min + Int32(i)) as! T
            case .int64: return Int64(i) * 1_000_000_007 - (1 << 62) as! T
            }
        }
    }

    private func roundTrip<T: H5Scalar>(_ type: T.Type, in file: H5File) throws {
        for shape in shapes {
            let path = "/\(T.h5Kind.rawValue)/rank\(shape.count)_\(shape.map(String.init).joined(separator: "x"))"
            let values = sample(T.self, count: shape.reduce(1, *))
            try file.write(values, shape: shape, to: path)
            XCTAssertEqual(try file.shape(of: path), shape, path)
            let back = try file.read(T.self, from: path)
            XCTAssertEqual(back.shape, shape, path)
            XCTAssertEqual(back.values, values, path)
        }
    }

    func testEveryTypeAndRankRoundTripsExactly() throws {
        let path = try temporaryFile()
        do {
            let file = try H5File.create(at: path)
            try roundTrip(Float.self, in: file)
            try roundTrip(Double.self, in: file)
            try roundTrip(Int32.self, in: file)
            try roundTrip(Int64.self, in: file)
            try file.close()
        }
        // Again after reopening, so nothing relied on in-memory caches.
        let file = try H5File.open(at: path)
        XCTAssertEqual(try file.read(Int64.self, from: "/int64/rank2_2x3").values, sample(Int64.self, count: 6))
        XCTAssertEqual(try file.readScalar(Double.self, from: "/float64/rank0_"), sample(Double.self, count: 1)[0])
        XCTAssertEqual(try file.elementType(of: "/float32/rank1_5").description, "float32")
        XCTAssertEqual(try file.elementType(of: "/int32/rank1_5").description, "int32")
    }

    func testStoredTypesConvertOnRead() throws {
        let file = try H5File.create(at: try temporaryFile())
        // 0.1 is not a float32: reading float64 as Float must round to nearest.
        try file.write([0.1, -2.5, 1e39], shape: [3], to: "d")
        let asFloat = try file.read(Float.self, from: "d").values
        XCTAssertEqual(asFloat[0], Float(0.1))
        XCTAssertEqual(asFloat[1], -2.5)
        XCTAssertEqual(asFloat[2], .infinity, "float64 beyond float32 range becomes infinity")

        try file.write([Int64(3), -4, 2_147_483_647], shape: [3], to: "labels")
        XCTAssertEqual(try file.read(Int32.self, from: "labels").values, [3, -4, Int32.max])
        XCTAssertEqual(try file.read(Double.self, from: "labels").values, [3, -4, 2_147_483_647])

        try file.write([Int32(-7), 9], shape: [2], to: "small")
        XCTAssertEqual(try file.read(Int64.self, from: "small").values, [-7, 9])
        XCTAssertEqual(try file.read(Float.self, from: "small").values, [-7, 9])
    }

    func testNarrowingIntegersIsRangeChecked() throws {
        let file = try H5File.create(at: try temporaryFile())
        try file.write([Int64(1), 1 << 40], shape: [2], to: "big")
        assertThrowsMessage(try file.read(Int32.self, from: "big"),
                            containing: ["dataset /big", "1099511627776", "element 1", "int32", "int64"])
    }

    func testFloatDataIsNotTruncatedIntoIntegers() throws {
        let file = try H5File.create(at: try temporaryFile())
        try file.write([Float(1.5)], shape: [1], to: "f")
        assertThrowsMessage(try file.read(Int32.self, from: "f"), containing: ["dataset /f", "expected int32", "found float32"])
    }

    func testRewritingADatasetReplacesIt() throws {
        let file = try H5File.create(at: try temporaryFile())
        try file.write([Float](repeating: 1, count: 6), shape: [2, 3], to: "/a/w")
        try file.write([Int32(5)], shape: [], to: "/a/w")
        XCTAssertEqual(try file.shape(of: "/a/w"), [])
        XCTAssertEqual(try file.readScalar(Int32.self, from: "/a/w"), 5)
    }

    func testChunkedDeflatedDatasetReadsBackByRowRanges() throws {
        let path = try temporaryFile()
        let rows = 1000, rowLength = 40 * 8
        // Smooth, compressible data; element value encodes its position.
        let values = (0..<(rows * rowLength)).map { Float($0 % 977) }
        do {
            let file = try H5File.create(at: path)
            try file.write(values, shape: [rows, 40, 8], to: "/x",
                           options: H5WriteOptions(chunkRows: 64, deflateLevel: 6))
            try file.close()
        }
        let file = try H5File.open(at: path)
        let dataset = try file.dataset(at: "/x", as: Float.self)
        XCTAssertEqual(dataset.shape, [rows, 40, 8])
        XCTAssertFalse(dataset.isResizable)
        // Ranges inside one chunk, across chunk edges, and the tail.
        for (start, count) in [(0, 1), (63, 2), (100, 300), (999, 1), (500, 0)] {
            let got = try dataset.readRows(startRow: start, count: count)
            XCTAssertEqual(got, Array(values[(start * rowLength)..<((start + count) * rowLength)]), "rows \(start)+\(count)")
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let rawBytes = rows * rowLength * MemoryLayout<Float>.size
        XCTAssertLessThan(size, rawBytes / 4, "deflate should shrink repetitive data at least 4×")

        let layout = try h5dump(["-p", "-H", "-d", "/x", path])
        XCTAssertTrue(layout.contains("CHUNKED ( 64, 40, 8 )"), layout)
        XCTAssertTrue(layout.contains("DEFLATE { LEVEL 6 }"), layout)
    }

    func testDeflateWithoutChunkRowsChoosesChunksWithinTheDataset() throws {
        let path = try temporaryFile()
        do {
            let file = try H5File.create(at: path)
            // About 1 MiB chunks would be 87,381 rows of 12 bytes: more than
            // the 10 rows there are, so the chunk is clamped to the dataset.
            try file.write([Int32](repeating: 7, count: 30), shape: [10, 3], to: "small",
                           options: H5WriteOptions(deflateLevel: 1))
            try file.write([Int32](repeating: 7, count: 30), shape: [10, 3], to: "plain")
            try file.close()
        }
        let small = try h5dump(["-p", "-H", "-d", "/small", path])
        XCTAssertTrue(small.contains("CHUNKED ( 10, 3 )"), small)
        XCTAssertTrue(small.contains("DEFLATE { LEVEL 1 }"), small)
        XCTAssertTrue(try h5dump(["-p", "-H", "-d", "/plain", path]).contains("CONTIGUOUS"))
        XCTAssertEqual(try H5File.open(at: path).read(Int32.self, from: "small").values, [Int32](repeating: 7, count: 30))
    }

    func testInvalidShapesAndOptionsAreRejected() throws {
        let file = try H5File.create(at: try temporaryFile())
        assertThrowsMessage(try file.write([Float(1), 2, 3], shape: [2, 2], to: "x"),
                            containing: ["dataset /x", "3 values", "[2,2]"])
        assertThrowsMessage(try file.write([Float(1)], shape: [1], to: "x", options: H5WriteOptions(deflateLevel: 12)),
                            containing: ["deflate level"])
    }
}
