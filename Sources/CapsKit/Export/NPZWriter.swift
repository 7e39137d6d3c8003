import CapsStorage
import Foundation
import ZIPFoundation

/// Writes tensors as a NumPy `.npz` archive: a ZIP of one `<name>.npy` per
/// tensor (stored, uncompressed, as `numpy.savez` writes it), so
/// `numpy.load("model.npz")["name"]` returns each array with its shape and
/// dtype, no h5py needed.
///
/// The ZIP container comes from ZIPFoundation, which switches to ZIP64
/// records by itself for members or archives past 4 GiB. Every member is
/// dated 1980-01-01 00:00 (the DOS epoch) with mode 0644, so identical
/// inputs give identical bytes.
public enum NPZWriter {
    /// The date every member carries: 1980-01-01 00:00:00 UTC, the earliest a
    /// ZIP (DOS) timestamp can say, and what the archive bytes depend on
    /// instead of the clock.
    static let memberDate = Date(timeIntervalSince1970: 315_532_800)
    /// Permissions of every member (rw-r--r--).
    static let memberPermissions: UInt16 = 0o644
    /// Bytes handed to the archive per write.
    static let chunkSize = 1 << 20

    /// The archive bytes, built in memory; deterministic for identical inputs
    /// and byte-for-byte what `write(_:to:)` puts in the file.
    public static func data(_ tensors: [ExportTensor]) throws -> Data {
        try ExportTensor.checkUnique(tensors)
        do {
            let archive = try Archive(accessMode: .create)
            try add(tensors, to: archive)
            guard let bytes = archive.data else { throw Archive.ArchiveError.unwritableArchive }
            return bytes
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError.writeFailed(path: "<in-memory npz>", reason: reason(error))
        }
    }

    /// Writes the archive to `url` atomically: members are streamed into a
    /// temporary file beside it (`AtomicOutput`), which is checked to read
    /// back as a complete archive and only then renamed into place, so an
    /// interrupted or failed export never leaves a truncated archive.
    public static func write(_ tensors: [ExportTensor], to url: URL) throws {
        try ExportTensor.checkUnique(tensors)
        let output: AtomicOutput
        do {
            output = try AtomicOutput(destination: url.path)
        } catch {
            throw ExportError.writeFailed(path: url.path, reason: reason(error))
        }
        do {
            let temporary = URL(fileURLWithPath: output.temporaryPath)
            // ZIPFoundation creates its file itself (refusing to overwrite one),
            // so give up the placeholder AtomicOutput reserved under our pid.
            unlink(output.temporaryPath)
            try writeArchive(tensors, at: temporary)
            // The archive file is closed by now; reading its end records back
            // catches a final flush that failed unseen (e.g. a full disk).
            guard try memberCount(at: temporary) == tensors.count else {
                throw Archive.ArchiveError.unreadableArchive
            }
            try output.commit()
        } catch {
            // ZIPFoundation reports a failed fwrite(3) as `Data.DataError.unwritableFile`
            // alone; errno, read first thing, still says why (full disk, size limit).
            let code = errno
            output.discard()
            if case Data.DataError.unwritableFile = error, code != 0 {
                throw ExportError.writeFailed(path: url.path, reason: AtomicOutput.systemReason(errno: code))
            }
            throw ExportError.writeFailed(path: url.path, reason: reason(error))
        }
    }

    /// Creates the archive at `url` and adds every tensor; returns once the
    /// archive is released, i.e. its file closed.
    private static func writeArchive(_ tensors: [ExportTensor], at url: URL) throws {
        let archive = try Archive(url: url, accessMode: .create)
        try add(tensors, to: archive)
    }

    /// The number of members the archive at `url` lists (it is closed again on return).
    private static func memberCount(at url: URL) throws -> Int {
        try Archive(url: url, accessMode: .read).reduce(0) { count, _ in count + 1 }
    }

    /// Appends one stored `<name>.npy` member per tensor, in order.
    private static func add(_ tensors: [ExportTensor], to archive: Archive) throws {
        for tensor in tensors {
            let npy = NPYEncoder.encode(tensor)
            try archive.addEntry(with: tensor.name + ".npy", type: .file, uncompressedSize: Int64(npy.count),
                                 modificationDate: memberDate, permissions: memberPermissions,
                                 compressionMethod: .none, bufferSize: chunkSize) { position, size in
                let start = npy.startIndex + Int(position)
                return npy.subdata(in: start..<(start + size))
            }
        }
    }

    /// One line saying why writing failed, without repeating the path.
    private static func reason(_ error: Error) -> String {
        switch error {
        case let error as AtomicOutputError: return error.reason
        case let error as Archive.ArchiveError: return "ZIP archive error: \(error)"
        default:
            return AtomicOutput.systemReason(of: error) ?? "\(error)"
        }
    }
}
