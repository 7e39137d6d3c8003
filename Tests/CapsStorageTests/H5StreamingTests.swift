import XCTest
import CapsStorage

final class H5StreamingTests: XCTestCase {
    /// Element (row r, column c) of the test matrices: unique and exact in Float.
    private func value(_ r: Int, _ c: Int) -> Float { Float(r * 1000 + c) }

    func testRowBlocksWrittenOutOfOrderReadBackByRanges() throws {
        let path = try temporaryFile()
        let rows = 257, width = 12  // odd count: last block is partial
        do {
            let file = try H5File.create(at: path)
            let dataset = try file.createDataset(Float.self, at: "/embedded/x", shape: [rows, 3, 4],
                                                 chunkRows: 16, deflateLevel: 4)
            XCTAssertEqual(dataset.rowLength, width)
            // Write blocks back to front, so correctness cannot come from append order.
            for start in stride(from: 0, to: rows, by: 50).reversed() {
                let count = min(50, rows - start)
                let block = (start..<(start + count)).flatMap { r in (0..<width).map { value(r, $0) } }
                try block.withUnsafeBufferPointer { try dataset.writeRows($0, startRow: start) }
            }
            try file.close()
        }
        let file = try H5File.open(at: path)
        let dataset = try file.dataset(at: "/embedded/x", as: Float.self)
        XCTAssertEqual(dataset.shape, [rows, 3, 4])
        var buffer = [Float](repeating: -1, count: 40 * width)
        try buffer.withUnsafeMutableBufferPointer { try dataset.readRows(startRow: 217, count: 40, into: $0) }
        XCTAssertEqual(buffer, (217..<257).flatMap { r in (0..<width).map { value(r, $0) } })
        // The same rows as Double (float32 → float64 is exact).
        XCTAssertEqual(try file.dataset(at: "/embedded/x", as: Double.self).readRows(startRow: 3, count: 2),
                       (3..<5).flatMap { r in (0..<width).map { Double(value(r, $0)) } })
    }

    func testResizableDatasetGrowsByAppendingAndSurvivesReopen() throws {
        let path = try temporaryFile()
        do {
            let file = try H5File.create(at: path)
            let ids = try file.createDataset(Int32.self, at: "ids", shape: [0, 40], chunkRows: 8, resizable: true)
            XCTAssertTrue(ids.isResizable)
            for block in 0..<5 {
                let rows = block + 1  // 1, 2, 3, 4, 5 rows: 15 in all
                let start = ids.rowCount
                try ids.appendRows((start..<(start + rows)).flatMap { r in (0..<40).map { Int32(r * 40 + $0) } })
            }
            XCTAssertEqual(ids.shape, [15, 40])
            try file.close()
        }
        let file = try H5File.open(at: path)
        XCTAssertEqual(try file.shape(of: "ids"), [15, 40])
        XCTAssertEqual(try file.read(Int32.self, from: "ids").values, (0..<600).map(Int32.init))
        XCTAssertTrue(try file.dataset(at: "ids", as: Int64.self).isResizable)
    }

    func testRowRangeReadOfALargeChunkedFileUsesOnlyThoseRows() throws {
        // 64 MiB on disk, written block by block, then a read of rows in the
        // middle into a buffer of just those rows: memory stays bounded by
        // the block size however large the file grows.
        let path = try temporaryFile()
        let rows = 16_384, width = 40 * 25
        let blockRows = 1024
        do {
            let file = try H5File.create(at: path)
            let dataset = try file.createDataset(Float.self, at: "x", shape: [rows, 40, 25], chunkRows: 256)
            var block = [Float](repeating: 0, count: blockRows * width)
            for start in stride(from: 0, to: rows, by: blockRows) {
                for i in 0..<blockRows { block[i * width] = Float(start + i); block[i * width + width - 1] = -Float(start + i) }
                try dataset.writeRows(block, startRow: start)
            }
            try file.close()
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        XCTAssertGreaterThanOrEqual(size, rows * width * 4)
        let dataset = try H5File.open(at: path).dataset(at: "x", as: Float.self)
        let got = try dataset.readRows(startRow: 9_000, count: 3)
        XCTAssertEqual(got.count, 3 * width)
        for i in 0..<3 {
            XCTAssertEqual(got[i * width], Float(9_000 + i))
            XCTAssertEqual(got[i * width + width - 1], -Float(9_000 + i))
        }
    }

    func testBadRowRangesAndBuffersAreErrors() throws {
        let file = try H5File.create(at: try temporaryFile("rows.h5"))
        let dataset = try file.createDataset(Double.self, at: "d", shape: [4, 2])
        assertThrowsMessage(try dataset.writeRows([1, 2, 3], startRow: 0),
                            containing: ["rows.h5: dataset /d", "3 elements", "rows of 2"])
        assertThrowsMessage(try dataset.writeRows([1, 2, 3, 4], startRow: 3),
                            containing: ["rows 3..<5", "4 rows"])
        assertThrowsMessage(try dataset.readRows(startRow: -1, count: 1), containing: ["rows -1..<0"])
        assertThrowsMessage(try dataset.appendRows([1, 2]), containing: ["not created resizable"])
        var small = [Double](repeating: 0, count: 3)
        assertThrowsMessage(try small.withUnsafeMutableBufferPointer { try dataset.readRows(startRow: 0, count: 2, into: $0) },
                            containing: ["buffer holds 3 elements", "need 4"])
        assertThrowsMessage(try file.createDataset(Float.self, at: "s", shape: []), containing: ["rank ≥ 1"])
    }

    func testClosedFileOrHandleRefusesFurtherUse() throws {
        let file = try H5File.create(at: try temporaryFile())
        let dataset = try file.createDataset(Float.self, at: "d", shape: [2, 2])
        try dataset.writeRows([1, 2, 3, 4], startRow: 0)
        let other = try file.createDataset(Float.self, at: "e", shape: [1, 2])
        other.close()
        assertThrowsMessage(try other.readRows(startRow: 0, count: 1), containing: ["dataset handle is closed"])
        try file.close()
        XCTAssertFalse(file.isOpen)
        assertThrowsMessage(try dataset.readRows(startRow: 0, count: 1), containing: ["file is closed"])
        assertThrowsMessage(try file.shape(of: "d"), containing: ["file is closed"])
        XCTAssertNoThrow(try file.close(), "closing twice is harmless")
    }

    func testReadOnlyFilesRefuseWrites() throws {
        let path = try temporaryFile()
        let writer = try H5File.create(at: path)
        try writer.write([Float(0), 0], shape: [1, 2], to: "d")
        try writer.close()
        let file = try H5File.open(at: path)
        assertThrowsMessage(try file.dataset(at: "d", as: Float.self).writeRows([1, 2], startRow: 0), containing: ["read-only"])
        assertThrowsMessage(try file.setAttribute("a", 1), containing: ["read-only"])
        assertThrowsMessage(try file.write([Float(1)], shape: [1], to: "x"), containing: ["dataset /x", "read-only"])
        // HDF5 refuses to open a file read-write while this process has it open read-only.
        assertThrowsMessage(try H5File.open(at: path, writable: true), containing: ["already open for read-only"])
        try file.close()
        let writable = try H5File.open(at: path, writable: true)
        try writable.dataset(at: "d", as: Float.self).writeRows([5, 6], startRow: 0)
        XCTAssertEqual(try writable.read(Float.self, from: "d").values, [5, 6])
    }
}
