import Foundation
import _CHDF5

/// Storage layout choices for a new dataset.
public struct H5WriteOptions: Equatable, Sendable {
    /// Rows (entries along the first axis) per chunk; nil with no deflate
    /// means contiguous storage. Chunked storage is what makes reading a row
    /// range cheap in files larger than memory.
    public var chunkRows: Int?
    /// zlib compression level 1…9 (requires chunking; a chunk size of about
    /// 1 MiB is chosen when `chunkRows` is nil); nil or 0 for none.
    public var deflateLevel: Int?

    public init(chunkRows: Int? = nil, deflateLevel: Int? = nil) {
        self.chunkRows = chunkRows
        self.deflateLevel = deflateLevel
    }

    /// Contiguous, uncompressed.
    public static let contiguous = H5WriteOptions()
}

extension H5File {
    /// Writes a whole dataset of `shape` (row-major; `[]` for a scalar)
    /// holding `values`, creating missing parent groups. A dataset already at
    /// `path` is replaced (HDF5 does not reclaim its space; write fresh files
    /// rather than rewriting large datasets in place).
    public func write<T: H5Scalar>(_ values: [T], shape: [Int], to path: String,
                                   options: H5WriteOptions = .contiguous) throws {
        let path = normalizedPath(path)
        let object = H5ObjectName.dataset(path)
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw H5Error(file: self.path, object: object,
                          message: "cannot write \(values.count) values as shape \(describeShape(shape))")
        }
        try H5Library.locked {
            let dataset = try createDatasetID(T.h5Kind, at: path, shape: shape, resizable: false,
                                              chunkRows: options.chunkRows, deflateLevel: options.deflateLevel)
            defer { H5Dclose(dataset) }
            guard !values.isEmpty else { return }
            let status = values.withUnsafeBytes {
                H5Dwrite(dataset, T.h5Kind.nativeType, caps_H5S_ALL(), caps_H5S_ALL(), caps_H5P_DEFAULT(), $0.baseAddress)
            }
            guard status >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot write") }
        }
    }

    /// Writes `array` (values and shape) as a whole dataset.
    public func write<T: H5Scalar>(_ array: H5Array<T>, to path: String,
                                   options: H5WriteOptions = .contiguous) throws {
        try write(array.values, shape: array.shape, to: path, options: options)
    }

    /// Writes a rank-0 (scalar) dataset.
    public func write<T: H5Scalar>(scalar: T, to path: String) throws {
        try write([scalar], shape: [], to: path)
    }

    /// Reads a whole numeric dataset as `T`, converting from the stored type
    /// (see `H5Scalar` for the rules).
    public func read<T: H5Scalar>(_ type: T.Type, from path: String) throws -> H5Array<T> {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let dataset = try openDatasetID(path)
            defer { H5Dclose(dataset) }
            let (stored, shape) = try describeDataset(dataset, path: path)
            let count = try checkedValueCount(shape, elementSize: MemoryLayout<T>.stride,
                                              file: self.path, object: H5ObjectName.dataset(path))
            try checkStoredSize(dataset, values: count, object: H5ObjectName.dataset(path))
            var values = [T](repeating: 0, count: count)
            try values.withUnsafeMutableBufferPointer {
                try readNumbers(dataset: dataset, stored: stored, memorySpace: caps_H5S_ALL(),
                                fileSpace: caps_H5S_ALL(), into: $0, file: self.path,
                                object: H5ObjectName.dataset(path))
            }
            return H5Array(shape: shape, values: values)
        }
    }

    /// Reads a rank-0 dataset (or one holding exactly one value).
    public func readScalar<T: H5Scalar>(_ type: T.Type, from path: String) throws -> T {
        let array = try read(type, from: path)
        guard let value = array.scalar else {
            throw H5Error(file: self.path, object: H5ObjectName.dataset(normalizedPath(path)),
                          message: "expected a single \(T.h5Kind.rawValue) value, found shape \(describeShape(array.shape))")
        }
        return value
    }

    /// The shape of the dataset at `path` (`[]` for a scalar).
    public func shape(of path: String) throws -> [Int] {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let dataset = try openDatasetID(path)
            defer { H5Dclose(dataset) }
            return try describeDataset(dataset, path: path).shape
        }
    }

    /// The element type stored in the dataset at `path`.
    public func elementType(of path: String) throws -> H5ElementType {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let dataset = try openDatasetID(path)
            defer { H5Dclose(dataset) }
            return try describeDataset(dataset, path: path).type
        }
    }

    // MARK: - Internals (lock held)

    /// Opens the dataset at a normalised `path`, with "not found" and "is a
    /// group" spelled out.
    func openDatasetID(_ path: String) throws -> hid_t {
        let file = try openID()
        let object = H5ObjectName.dataset(path)
        switch try kind(of: path) {
        case nil: throw H5Error(file: self.path, object: object, message: "not found")
        case .group?: throw H5Error(file: self.path, object: object, message: "is a group, not a dataset")
        case .other?: throw H5Error(file: self.path, object: object, message: "is not a dataset")
        case .dataset?: break
        }
        let dataset = H5Dopen2(file, path, H5File.datasetAccess)
        guard dataset >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot open") }
        return dataset
    }

    /// Dataset access with a 32 MiB chunk cache (filled only as chunks are
    /// read). libhdf5's default 1 MiB holds no chunk of `/x` at D = 200
    /// (64 rows × 40 × 200 floats = 2 MiB), and a chunk that does not fit is
    /// decompressed anew for every row read from it — which is how an MPI
    /// rank reads its share of a window, row run by row run.
    static let datasetAccess: hid_t = {
        let list = H5Pcreate(caps_H5P_DATASET_ACCESS())
        H5Pset_chunk_cache(list, 1031, 32 << 20, 0.75)
        return list
    }()

    /// The stored element type and current shape of an open dataset.
    func describeDataset(_ dataset: hid_t, path: String) throws -> (type: H5ElementType, shape: [Int]) {
        let typeID = H5Dget_type(dataset)
        let space = H5Dget_space(dataset)
        defer {
            if typeID >= 0 { H5Tclose(typeID) }
            if space >= 0 { H5Sclose(space) }
        }
        guard typeID >= 0, space >= 0 else {
            throw H5Error.library(file: self.path, object: H5ObjectName.dataset(path), "cannot inspect")
        }
        return (H5ElementType(typeID: typeID), extent(ofSpace: space))
    }

    /// Creates a numeric dataset (replacing any dataset already at `path`)
    /// and returns its open identifier.
    ///
    /// Layout: contiguous unless chunking, deflate or resizing is asked for.
    /// Chunks span `chunkRows` rows and whole rows otherwise (shape
    /// `[chunkRows, shape[1...]]`), so row-range reads touch only the chunks
    /// they need. A resizable dataset has an unlimited first axis.
    func createDatasetID(_ kind: H5ScalarKind, at path: String, shape: [Int], resizable: Bool,
                         chunkRows: Int?, deflateLevel: Int?) throws -> hid_t {
        let object = H5ObjectName.dataset(path)
        let file = try writableID(for: object)
        func fail(_ message: String) -> H5Error { H5Error(file: self.path, object: object, message: message) }

        if let level = deflateLevel, !(0...9).contains(level) { throw fail("deflate level must be 0…9, not \(level)") }
        if let rows = chunkRows, rows < 1 { throw fail("chunk rows must be at least 1, not \(rows)") }
        if resizable && shape.isEmpty { throw fail("a scalar dataset cannot be resizable") }

        try unlinkDatasetForReplacement(at: path, file: file)

        let dims = shape.map { hsize_t($0) }
        var maxDims = dims
        if resizable { maxDims[0] = caps_H5S_UNLIMITED() }
        let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), dims, maxDims)
        guard space >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot make dataspace \(describeShape(shape))") }
        defer { H5Sclose(space) }

        let dcpl = H5Pcreate(caps_H5P_DATASET_CREATE())
        guard dcpl >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot set up dataset creation") }
        defer { H5Pclose(dcpl) }
        let deflate = deflateLevel ?? 0
        let wantsChunks = resizable || chunkRows != nil || deflate > 0
        let rowElements = shape.dropFirst().reduce(1, *)
        // A chunk must be non-empty, and for fixed-size data may not exceed the
        // dataset, so empty and scalar datasets stay contiguous.
        let canChunk = !shape.isEmpty && rowElements > 0 && (resizable || shape[0] > 0)
        if wantsChunks {
            guard canChunk else {
                if resizable { throw fail("cannot make a resizable dataset with empty rows \(describeShape(shape))") }
                return try finishCreate(file: file, path: path, kind: kind, space: space, dcpl: dcpl)
            }
            let rowBytes = rowElements * kind.byteSize
            // Default: ~1 MiB chunks. HDF5 caps a chunk at 4 GiB.
            var rows = chunkRows ?? max(1, (1 << 20) / rowBytes)
            rows = min(rows, max(1, Int(UInt32.max) / rowBytes))
            if !resizable { rows = min(rows, shape[0]) }
            var chunk = dims
            chunk[0] = hsize_t(rows)
            guard H5Pset_chunk(dcpl, Int32(chunk.count), chunk) >= 0 else {
                throw H5Error.library(file: self.path, object: object, "cannot set chunk shape \(describeShape(chunk.map { Int($0) }))")
            }
            if deflate > 0, H5Pset_deflate(dcpl, UInt32(deflate)) < 0 {
                throw H5Error.library(file: self.path, object: object, "cannot enable deflate")
            }
        }
        return try finishCreate(file: file, path: path, kind: kind, space: space, dcpl: dcpl)
    }

    /// Removes the dataset at `path` so a new one can take its name; refuses
    /// to remove a group (that would silently drop everything under it).
    func unlinkDatasetForReplacement(at path: String, file: hid_t) throws {
        let object = H5ObjectName.dataset(path)
        switch try kind(of: path) {
        case .dataset?:
            guard H5Ldelete(file, path, caps_H5P_DEFAULT()) >= 0 else {
                throw H5Error.library(file: self.path, object: object, "cannot replace existing dataset")
            }
        case .group?, .other?:
            throw H5Error(file: self.path, object: object, message: "cannot create: a group or other object of that name exists")
        case nil:
            break
        }
    }

    private func finishCreate(file: hid_t, path: String, kind: H5ScalarKind, space: hid_t, dcpl: hid_t) throws -> hid_t {
        let lcpl = try Self.intermediateGroupsLinkList(file: self.path)
        defer { H5Pclose(lcpl) }
        let dataset = H5Dcreate2(file, path, kind.nativeType, space, lcpl, dcpl, caps_H5P_DEFAULT())
        guard dataset >= 0 else { throw H5Error.library(file: self.path, object: H5ObjectName.dataset(path), "cannot create") }
        return dataset
    }
}

/// The number of values in an extent of `dims`, refused when the product
/// overflows or that many `elementSize`-byte values exceed this machine's
/// memory: a corrupt file's dataspace can declare any extent, and allocating
/// a buffer for it aborted the process instead of throwing (found by fuzzing,
/// fuzz-tokens). A read this refuses could never have succeeded.
func checkedValueCount(_ dims: [Int], elementSize: Int, file: String, object: String) throws -> Int {
    var count = 1
    var fits = dims.allSatisfy { $0 >= 0 }
    for d in dims where fits {
        let (product, overflow) = count.multipliedReportingOverflow(by: d)
        fits = !overflow
        count = product
    }
    if fits {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: max(elementSize, 1))
        fits = !overflow && UInt64(bytes) <= ProcessInfo.processInfo.physicalMemory
    }
    guard fits else {
        throw H5Error(file: file, object: object,
                      message: "extent \(describeShape(dims)) of \(elementSize)-byte values is larger than this machine's memory")
    }
    return count
}

extension H5File {
    /// A corrupt dataspace can declare billions of values that the file does
    /// not hold; every value takes at least one stored byte divided by
    /// deflate's largest ratio (1032:1), so more values than that are refused
    /// before memory is allocated for them. Lock held.
    /// values ≤ 1032 · storedBytes + 64 Ki, saturating: a corrupt storage size
    /// can be near 2^64 itself (found by fuzz-model), and then memory alone bounds the count.
    static func storedBytesCanHold(values count: Int, storedBytes stored: UInt64) -> Bool {
        let (scaled, overflow) = stored.multipliedReportingOverflow(by: 1032)
        let (bound, overflowed) = scaled.addingReportingOverflow(65_536)
        return overflow || overflowed || UInt64(max(count, 0)) <= bound
    }

    func checkStoredSize(_ dataset: hid_t, values count: Int, object: String) throws {
        let stored = UInt64(H5Dget_storage_size(dataset))
        guard Self.storedBytesCanHold(values: count, storedBytes: stored) else {
            throw H5Error(file: path, object: object,
                          message: "declares \(count) values but stores only \(stored) bytes (a corrupt file)")
        }
    }
}

/// The extent of a dataspace: `[]` for a scalar, `[0]` for a null space. Lock held.
func extent(ofSpace space: hid_t) -> [Int] {
    if H5Sget_simple_extent_type(space) == H5S_NULL { return [0] }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    guard rank > 0 else { return [] }
    var dims = [hsize_t](repeating: 0, count: rank)
    H5Sget_simple_extent_dims(space, &dims, nil)
    return dims.map { Int($0) }
}

extension H5ScalarKind {
    /// Bytes per element.
    var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }
}
