import Foundation

/// Writes an output file all-or-nothing: the file is written under a
/// temporary name in the destination's folder (`.model.h5.tmp-<pid>`) and
/// renamed onto the destination only by `commit()`. A tool that fails or
/// exits early therefore never leaves a truncated artifact where a good one
/// (or none) was; the temporary file is removed by `discard()` or deinit.
///
///     try AtomicOutput.write(to: "model.h5") { temporaryPath in
///         let file = try H5File.create(at: temporaryPath)
///         … write …
///         try file.close()    // everything on disk before the rename
///     }
///
/// Same folder, so the final `rename(2)` is atomic (one filesystem).
public final class AtomicOutput: @unchecked Sendable {
    /// Where the file ends up.
    public let destination: String
    /// Where to write meanwhile.
    public let temporaryPath: String
    private var finished = false
    private let lock = NSLock()

    /// Names the temporary file. The destination's folder must exist.
    public init(destination: String) throws {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AtomicOutputError(path: destination, reason: "folder \(folder) does not exist")
        }
        let name = url.lastPathComponent
        guard !name.isEmpty, name != "/", !destination.hasSuffix("/") else {
            throw AtomicOutputError(path: destination, reason: "is a folder, not a file name")
        }
        self.destination = destination
        self.temporaryPath = try Self.reserveTemporary(folder: folder, name: name, destination: destination)
    }

    /// Claims a fresh temporary name with O_EXCL, so two outputs (threads,
    /// or a stale file from a crashed process with the same pid) never share one.
    private static func reserveTemporary(folder: String, name: String, destination: String) throws -> String {
        let pid = ProcessInfo.processInfo.processIdentifier
        for attempt in 0..<1000 {
            let suffix = attempt == 0 ? "\(pid)" : "\(pid)-\(attempt)"
            let candidate = (folder as NSString).appendingPathComponent(".\(name).tmp-\(suffix)")
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                close(fd)
                return candidate
            }
            guard errno == EEXIST else {
                throw AtomicOutputError(path: destination, reason: "cannot create temporary file \(candidate): \(String(cString: strerror(errno)))")
            }
        }
        throw AtomicOutputError(path: destination, reason: "no free temporary file name in \(folder)")
    }

    /// Whether `commit()` or `discard()` has run.
    public var isFinished: Bool { lock.withLock { finished } }

    /// Moves the finished temporary file onto the destination (replacing any
    /// file there) after forcing it to disk. Close the file you wrote first.
    public func commit() throws {
        try lock.withLock {
            guard !finished else { throw AtomicOutputError(path: destination, reason: "output already committed or discarded") }
            guard FileManager.default.fileExists(atPath: temporaryPath) else {
                finished = true
                throw AtomicOutputError(path: destination, reason: "temporary file \(temporaryPath) vanished before commit")
            }
            // A full disk can surface only here (delayed allocation, NFS): a
            // file whose data did not reach the disk is not renamed into place.
            if let failure = Self.sync(temporaryPath) {
                finished = true
                unlink(temporaryPath)
                throw AtomicOutputError(path: destination, reason: "cannot write: \(failure)")
            }
            guard rename(temporaryPath, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                throw AtomicOutputError(path: destination, reason: "cannot rename \(temporaryPath) into place: \(reason)")
            }
            finished = true
            // Persist the rename itself: sync the directory entry.
            Self.sync(URL(fileURLWithPath: destination).deletingLastPathComponent().path)
        }
    }

    /// Removes the temporary file without touching the destination. Harmless
    /// after `commit()` or a previous `discard()`.
    public func discard() {
        lock.withLock {
            guard !finished else { return }
            finished = true
            unlink(temporaryPath)
        }
    }

    deinit { discard() }

    /// The one way the toolkit writes a file: `body` writes it at the
    /// temporary path it is given; when `body` returns, the file is committed
    /// onto `destination`; when `body` (or the commit) throws, the temporary
    /// file is removed and the destination is left as it was. Errors name
    /// the destination, not the temporary file the user never asked for, and
    /// a failed Foundation write (e.g. `Data.write`) becomes one line with the
    /// system's reason ("out.tsv: cannot write: no space left on device").
    @discardableResult
    public static func write<Result>(to destination: String, _ body: (_ temporaryPath: String) throws -> Result) throws -> Result {
        let output = try AtomicOutput(destination: destination)
        do {
            let result = try body(output.temporaryPath)
            try output.commit()
            return result
        } catch {
            output.discard()
            throw output.naming(error)
        }
    }

    /// `error` phrased about the destination.
    func naming(_ error: Error) -> Error {
        switch error {
        case let error as H5Error:
            return error.renamingFile(temporaryPath, to: destination)
        case is AtomicOutputError:
            return error
        default:
            guard let reason = Self.systemReason(of: error) else { return error }
            return AtomicOutputError(path: destination, reason: "cannot write: \(reason)")
        }
    }

    /// The operating system's reason for a failed Foundation file operation,
    /// as a lower-case clause ("no space left on device", "file too large"):
    /// Foundation wraps errno in a CocoaError whose own text ("There isn't
    /// enough space.", "error 512") hides which limit was hit. Nil when the
    /// error carries no errno.
    public static func systemReason(of error: Error) -> String? {
        if let posix = error as? POSIXError { return systemReason(errno: posix.code.rawValue) }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain { return systemReason(errno: Int32(bridged.code)) }
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? Error { return systemReason(of: underlying) }
        return nil
    }

    /// strerror(3) of `code` as a lower-case clause.
    public static func systemReason(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// fsync(2) a file or folder; the system's reason when it fails, which
    /// callers ignore for folders (some filesystems refuse to sync those).
    @discardableResult
    private static func sync(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // EINVAL, EROFS: a file that cannot be synced, not a failed write.
        guard fsync(fd) != 0, errno != EINVAL, errno != EROFS else { return nil }
        return systemReason(errno: errno)
    }
}

/// A failure preparing or committing an `AtomicOutput`.
public struct AtomicOutputError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The destination path.
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
    public var errorDescription: String? { description }
}
