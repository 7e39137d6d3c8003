import Foundation
import _CHDF5

/// An open numeric dataset read or written a block of rows at a time, for
/// data too large to hold in memory (embedded corpora are [N, 40, dim]).
///
/// A "row" is one entry along the first axis: `rowLength` elements, the
/// product of `shape[1...]`. Buffers are row-major and hold whole rows.
/// Reads convert from the stored type like `H5File.read` does.
///
/// Get one from `H5File.createDataset(_:at:shape:chunkRows:deflateLevel:resizable:)`
/// or `H5File.dataset(at:as:)`. The handle keeps its file object alive; it
/// closes on `close()`, on deinit, or when the file is closed.
///
/// Every call takes the process-wide HDF5 lock, so reading from a handle on
/// one thread while other threads use other files is safe. `shape` changes
/// under `appendRows`: a handle that grows should stay with one thread.
public final class H5Dataset<Element: H5Scalar>: @unchecked Sendable {
    /// The file this dataset lives in.
    public let file: H5File
    /// The dataset's absolute path inside the file.
    public let path: String
    /// The element type stored in the file.
    public let storedType: H5ElementType
    /// Current shape; `shape[0]` grows with `appendRows` on resizable datasets.
    public private(set) var shape: [Int]
    /// Whether the first axis is unlimited (see `appendRows`).
    public let isResizable: Bool
    /// Guarded by the HDF5 lock; -1 once closed.
    private var id: hid_t

    init(file: H5File, path: String, id: hid_t, storedType: H5ElementType, shape: [Int], resizable: Bool) {
        self.file = file
        self.path = path
        self.id = id
        self.storedType = storedType
        self.shape = shape
        self.isResizable = resizable
    }

    /// Number of rows (the first dimension).
    public var rowCount: Int { shape[0] }
    /// Elements per row: the product of the dimensions after the first.
    public var rowLength: Int { shape.dropFirst().reduce(1, *) }

    private var objectName: String { H5ObjectName.dataset(path) }

    private func error(_ message: String) -> H5Error {
        H5Error(file: file.path, object: objectName, message: message)
    }

    /// The open identifier, checking that neither dataset nor file was closed. Lock held.
    private func openID() throws -> hid_t {
        guard id >= 0 else { throw error("dataset handle is closed") }
        guard file.id >= 0 else { throw error("file is closed") }
        return id
    }

    /// Releases the handle (the file stays open). Closing twice is harmless.
    public func close() {
        H5Library.locked {
            // A strong file close already released the dataset.
            if id >= 0, file.id >= 0 { H5Dclose(id) }
            id = -1
        }
    }

    deinit { close() }

    // MARK: - Writing

    /// Writes whole rows starting at `startRow`; `buffer.count` must be a
    /// multiple of `rowLength` and the rows must lie inside the dataset.
    public func writeRows(_ buffer: UnsafeBufferPointer<Element>, startRow: Int) throws {
        try H5Library.locked {
            let dataset = try openID()
            guard file.isWritable else { throw error("file is open read-only") }
            let rows = try rowsIn(count: buffer.count)
            try checkRange(startRow: startRow, rows: rows)
            guard rows > 0 else { return }
            try withSelection(startRow: startRow, rows: rows) { memorySpace, fileSpace in
                guard H5Dwrite(dataset, Element.h5Kind.nativeType, memorySpace, fileSpace,
                               caps_H5P_DEFAULT(), buffer.baseAddress) >= 0 else {
                    throw H5Error.library(file: file.path, object: objectName,
                                          "cannot write rows \(startRow)..<\(startRow + rows)")
                }
            }
        }
    }

    /// Writes whole rows from an array starting at `startRow`.
    public func writeRows(_ values: [Element], startRow: Int) throws {
        try values.withUnsafeBufferPointer { try writeRows($0, startRow: startRow) }
    }

    /// Grows a resizable dataset by the rows in `buffer` and writes them at
    /// the end, for writers that do not know the row count up front.
    public func appendRows(_ buffer: UnsafeBufferPointer<Element>) throws {
        try H5Library.locked {
            let dataset = try openID()
            guard isResizable else { throw error("cannot append: the dataset was not created resizable") }
            let rows = try rowsIn(count: buffer.count)
            guard rows > 0 else { return }
            var newDims = shape.map { hsize_t($0) }
            newDims[0] += hsize_t(rows)
            guard H5Dset_extent(dataset, newDims) >= 0 else {
                throw H5Error.library(file: file.path, object: objectName, "cannot grow to \(newDims[0]) rows")
            }
            let start = shape[0]
            shape[0] += rows
            try writeRows(buffer, startRow: start)
        }
    }

    /// Appends whole rows from an array.
    public func appendRows(_ values: [Element]) throws {
        try values.withUnsafeBufferPointer { try appendRows($0) }
    }

    // MARK: - Reading

    /// Reads `count` rows starting at `startRow` into `buffer`, which must
    /// hold exactly `count * rowLength` elements. Only the chunks covering
    /// those rows are read from disk.
    public func readRows(startRow: Int, count: Int, into buffer: UnsafeMutableBufferPointer<Element>) throws {
        try H5Library.locked {
            let dataset = try openID()
            guard count >= 0 else { throw error("cannot read a negative number of rows (\(count))") }
            guard buffer.count == count * rowLength else {
                throw error("buffer holds \(buffer.count) elements, \(count) rows need \(count * rowLength)")
            }
            try checkRange(startRow: startRow, rows: count)
            guard count > 0 else { return }
            try withSelection(startRow: startRow, rows: count) { memorySpace, fileSpace in
                try readNumbers(dataset: dataset, stored: storedType, memorySpace: memorySpace,
                                fileSpace: fileSpace, into: buffer, file: file.path, object: objectName)
            }
        }
    }

    /// Reads `count` rows starting at `startRow` into a new array.
    public func readRows(startRow: Int, count: Int) throws -> [Element] {
        guard count >= 0 else { throw error("cannot read a negative number of rows (\(count))") }
        try H5Library.locked { try checkRange(startRow: startRow, rows: count) }  // before allocating for them
        guard case (let total, false) = count.multipliedReportingOverflow(by: rowLength),
              UInt64(total) * UInt64(MemoryLayout<Element>.stride) <= ProcessInfo.processInfo.physicalMemory else {
            throw error("\(count) rows of \(rowLength) values are larger than this machine's memory")
        }
        var values = [Element](repeating: 0, count: total)
        try values.withUnsafeMutableBufferPointer { try readRows(startRow: startRow, count: count, into: $0) }
        return values
    }

    // MARK: - Internals (lock held)

    private func rowsIn(count: Int) throws -> Int {
        let length = rowLength
        guard length > 0, count % length == 0 else {
            throw error("\(count) elements is not a whole number of rows of \(length)")
        }
        return count / length
    }

    private func checkRange(startRow: Int, rows: Int) throws {
        guard startRow >= 0, startRow + rows <= shape[0] else {
            throw error("rows \(startRow)..<\(startRow + rows) are outside the dataset's \(shape[0]) rows")
        }
    }

    /// Selects rows `startRow..<startRow+rows` in the file (a hyperslab over
    /// the first axis) and a matching contiguous memory space.
    private func withSelection(startRow: Int, rows: Int, _ body: (hid_t, hid_t) throws -> Void) throws {
        let dataset = try openID()
        let fileSpace = H5Dget_space(dataset)
        guard fileSpace >= 0 else { throw H5Error.library(file: file.path, object: objectName, "cannot get dataspace") }
        defer { H5Sclose(fileSpace) }
        var start = [hsize_t](repeating: 0, count: shape.count)
        start[0] = hsize_t(startRow)
        var count = shape.map { hsize_t($0) }
        count[0] = hsize_t(rows)
        guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, count, nil) >= 0 else {
            throw H5Error.library(file: file.path, object: objectName, "cannot select rows \(startRow)..<\(startRow + rows)")
        }
        let memorySpace = H5Screate_simple(Int32(count.count), count, nil)
        guard memorySpace >= 0 else { throw H5Error.library(file: file.path, object: objectName, "cannot make memory space") }
        defer { H5Sclose(memorySpace) }
        try body(memorySpace, fileSpace)
    }
}

extension H5File {
    /// Creates a dataset to be written row block by row block with
    /// `writeRows` (or grown with `appendRows` when `resizable`, in which case
    /// `shape[0]` is the initial row count, usually 0). Existing datasets at
    /// `path` are replaced; missing groups are created.
    ///
    /// - Parameters:
    ///   - chunkRows: rows per chunk; nil picks about 1 MiB per chunk when
    ///     chunking is needed (deflate or resizable), else contiguous storage.
    ///   - deflateLevel: zlib level 1…9, nil or 0 for none.
    public func createDataset<T: H5Scalar>(_ type: T.Type, at path: String, shape: [Int],
                                           chunkRows: Int? = nil, deflateLevel: Int? = nil,
                                           resizable: Bool = false) throws -> H5Dataset<T> {
        let path = normalizedPath(path)
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }) else {
            throw H5Error(file: self.path, object: H5ObjectName.dataset(path),
                          message: "a row-wise dataset needs rank ≥ 1 and non-negative dimensions, not \(describeShape(shape))")
        }
        return try H5Library.locked {
            let id = try createDatasetID(T.h5Kind, at: path, shape: shape, resizable: resizable,
                                         chunkRows: chunkRows, deflateLevel: deflateLevel)
            let stored = H5ElementType(typeID: T.h5Kind.nativeType)
            return H5Dataset(file: self, path: path, id: id, storedType: stored, shape: shape, resizable: resizable)
        }
    }

    /// Opens an existing numeric dataset of rank ≥ 1 for row-wise reading (and
    /// writing, if the file is writable), converting reads to `T`.
    public func dataset<T: H5Scalar>(at path: String, as type: T.Type) throws -> H5Dataset<T> {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let id = try openDatasetID(path)
            do {
                let (stored, shape) = try describeDataset(id, path: path)
                guard stored.isNumeric else {
                    throw H5Error(file: self.path, object: H5ObjectName.dataset(path),
                                  message: "expected \(T.h5Kind.rawValue) data, found \(stored)")
                }
                guard !shape.isEmpty else {
                    throw H5Error(file: self.path, object: H5ObjectName.dataset(path),
                                  message: "is a scalar; row-wise access needs rank ≥ 1")
                }
                let space = H5Dget_space(id)
                defer { H5Sclose(space) }
                var maxDims = [hsize_t](repeating: 0, count: shape.count)
                H5Sget_simple_extent_dims(space, nil, &maxDims)
                return H5Dataset(file: self, path: path, id: id, storedType: stored, shape: shape,
                                 resizable: maxDims[0] == caps_H5S_UNLIMITED())
            } catch {
                H5Dclose(id)
                throw error
            }
        }
    }
}
