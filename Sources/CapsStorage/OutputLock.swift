import Foundation

/// One writer per output: an advisory lock on a file next to the output
/// (`.model.h5.lock` beside `model.h5`), held for as long as a run may write
/// there. A long run (capsfit writes its model after every epoch) takes it at
/// the start, so a second run with the same `-o` refuses at once instead of
/// the two replacing each other's checkpoints epoch after epoch.
///
/// flock(2), not the lock file's existence, is the lock: the kernel drops it
/// when the holder exits however it exits (`kill -9` included), so a crashed
/// run never leaves a stale lock behind. The file records the holder's pid for
/// the message. `release()` (or deinit) unlinks the file while still holding
/// the lock; a run that opened the file just before the unlink would then hold
/// a lock on a file no longer at that path, so `acquire` checks after locking
/// that the path still names the inode it locked, and retries if not.
public final class OutputLock {
    /// The output this lock guards, and the lock file beside it.
    public let output: String, lockPath: String
    private var descriptor: Int32

    private init(output: String, lockPath: String, descriptor: Int32) {
        self.output = output
        self.lockPath = lockPath
        self.descriptor = descriptor
    }

    /// The lock file of `output`: a hidden name in the same folder.
    public static func lockPath(for output: String) -> String {
        let url = URL(fileURLWithPath: output)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock").path
    }

    /// Takes the lock of `output` without waiting, or throws an error naming
    /// the process that holds it. The output's folder must exist.
    public static func acquire(for output: String) throws -> OutputLock {
        let path = lockPath(for: output)
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputLockError(output: output, reason: "folder \(folder) does not exist")
        }
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw OutputLockError(output: output, reason: "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let busy = errno == EWOULDBLOCK
                let reason = String(cString: strerror(errno))
                let holder = busy ? Self.holder(fd) : nil
                close(fd)
                guard busy else { throw OutputLockError(output: output, reason: "cannot lock \(path): \(reason)") }
                throw OutputLockError(output: output, reason: "is being written by another run\(holder.map { " (pid \($0))" } ?? "") that holds \(path); wait for it to finish or choose another output")
            }
            var locked = stat(), current = stat()
            if fstat(fd, &locked) == 0, stat(path, &current) == 0,
               locked.st_dev == current.st_dev, locked.st_ino == current.st_ino {
                let pid = "\(ProcessInfo.processInfo.processIdentifier)\n"
                _ = ftruncate(fd, 0)
                _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
                return OutputLock(output: output, lockPath: path, descriptor: fd)
            }
            close(fd)  // the holder released (and unlinked) it between our open and flock: try the new file
        }
        throw OutputLockError(output: output, reason: "cannot take the lock \(path): it keeps changing")
    }

    /// The pid written by the holder of the lock on `fd`, if readable.
    private static func holder(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count - 1, 0)
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Removes the lock file and drops the lock. Harmless twice.
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(lockPath)
        close(descriptor)  // closing drops the flock
        descriptor = -1
    }

    deinit { release() }
}

/// The output is locked by another run, or its lock cannot be taken.
public struct OutputLockError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public var output: String, reason: String
    public var description: String { "\(output): \(reason)" }
    public var errorDescription: String? { description }
}
