import Foundation
import _CHDF5

/// An open HDF5 file: the container of every CapsKit artifact (token ids,
/// embedded matrices, models, checkpoints, predictions).
///
/// Objects are addressed by absolute paths such as `/weights/conv1.weight`
/// (a missing leading slash is added). The file closes on `close()` or when the
/// last reference goes away. Closing is "strong": any `H5Dataset` handles
/// still open on the file are closed with it and refuse further use, so once
/// `close()` returns, everything is on disk (safe to `AtomicOutput.commit()`).
///
/// Thread safety: every operation takes the process-wide HDF5 lock (see
/// `H5Library`), so one thread may read a file while another writes another
/// (or the same) file; the calls are serialised, not parallel.
public final class H5File: @unchecked Sendable {
    /// The path as given to `create(at:)` / `open(at:writable:)`; used in errors.
    public let path: String
    /// Whether the file was opened for writing.
    public let isWritable: Bool
    /// The HDF5 file identifier, or -1 once closed. Guarded by the HDF5 lock.
    private(set) var id: hid_t

    private init(path: String, id: hid_t, writable: Bool) {
        self.path = path
        self.id = id
        self.isWritable = writable
    }

    /// Creates (or truncates) the file at `path` and opens it for writing.
    public static func create(at path: String) throws -> H5File {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw H5Error(file: path, message: "cannot create: folder \(folder) does not exist")
        }
        return try H5Library.locked {
            let fapl = try makeAccessList(path: path)
            defer { H5Pclose(fapl) }
            let id = H5Fcreate(path, caps_H5F_ACC_TRUNC(), caps_H5P_DEFAULT(), fapl)
            guard id >= 0 else { throw H5Error.library(file: path, "cannot create HDF5 file") }
            return H5File(path: path, id: id, writable: true)
        }
    }

    /// Opens an existing HDF5 file, read-only unless `writable`. HDF5 shares
    /// one open file per path within a process, so a file already open
    /// read-only here cannot also be opened writable until it is closed.
    public static func open(at path: String, writable: Bool = false) throws -> H5File {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw H5Error(file: path, message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw H5Error(file: path, message: "is a folder, not an HDF5 file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw H5Error(file: path, message: "cannot open: permission denied")
        }
        return try H5Library.locked {
            let signature = H5Fis_hdf5(path)
            if signature == 0 {
                _ = H5Library.lastErrorMessage()  // clear the stack
                throw H5Error(file: path, message: "not an HDF5 file (no HDF5 signature found)")
            }
            guard signature > 0 else { throw H5Error.library(file: path, "cannot read file") }
            let fapl = try makeAccessList(path: path)
            defer { H5Pclose(fapl) }
            let id = H5Fopen(path, writable ? caps_H5F_ACC_RDWR() : caps_H5F_ACC_RDONLY(), fapl)
            guard id >= 0 else {
                throw H5Error.library(file: path, writable ? "cannot open for writing" : "cannot open")
            }
            return H5File(path: path, id: id, writable: writable)
        }
    }

    /// File-access properties: strong close, so closing the file really
    /// flushes and releases it even if dataset handles are still alive.
    private static func makeAccessList(path: String) throws -> hid_t {
        let fapl = H5Pcreate(caps_H5P_FILE_ACCESS())
        guard fapl >= 0, H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0 else {
            throw H5Error.library(file: path, "cannot set up file access")
        }
        return fapl
    }

    /// Whether the file is still open.
    public var isOpen: Bool { H5Library.locked { id >= 0 } }

    /// Flushes and closes the file; later calls on it (or its datasets) throw.
    /// Closing twice is harmless.
    public func close() throws {
        try H5Library.locked {
            guard id >= 0 else { return }
            let status = H5Fclose(id)
            id = -1
            if status < 0 { throw H5Error.library(file: path, "cannot close (data may not be on disk)") }
        }
    }

    /// Writes buffered data to disk without closing.
    public func flush() throws {
        try H5Library.locked {
            let id = try openID()
            if H5Fflush(id, H5F_SCOPE_LOCAL) < 0 { throw H5Error.library(file: path, "cannot flush") }
        }
    }

    deinit {
        H5Library.locked {
            if id >= 0 { _ = H5Fclose(id) }
        }
    }

    /// The file identifier, or an error if the file was closed. Lock held.
    func openID() throws -> hid_t {
        guard id >= 0 else { throw H5Error(file: path, message: "file is closed") }
        return id
    }

    /// The identifier of a file opened for writing. Lock held.
    func writableID(for object: String) throws -> hid_t {
        let id = try openID()
        guard isWritable else { throw H5Error(file: path, object: object, message: "file is open read-only") }
        return id
    }
}

/// Object paths are absolute, without a trailing slash ("/" is the root).
func normalizedPath(_ path: String) -> String {
    var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    parts.removeAll { $0 == "." }
    return "/" + parts.joined(separator: "/")
}
