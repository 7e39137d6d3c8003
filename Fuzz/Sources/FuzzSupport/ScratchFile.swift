import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The fuzz input as a real file, for readers that only open paths (vector
/// files through zlib, artifacts through libhdf5). One file per process and
/// name, rewritten for every input, in /dev/shm when there is one so that
/// millions of inputs never touch a disk.
public enum ScratchFile {
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = (base as NSString).appendingPathComponent("capsfuzz-\(getpid())")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: ScratchFile.folder) }
        return folder
    }()

    /// Writes `bytes` to `<folder>/<name>` (replacing it) and returns the path.
    public static func write(_ bytes: [UInt8], name: String) -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot create \(path): \(String(cString: strerror(errno)))")
        defer { Glibc.close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            precondition(n > 0, "cannot write \(path): \(String(cString: strerror(errno)))")
            written += n
        }
        return path
    }
}
