import Foundation
import _CHDF5

/// The single gate through which every libhdf5 call passes.
///
/// The Debian/Ubuntu libhdf5 is built without `--enable-threadsafe`: two
/// threads inside the library at once corrupt its global state (identifier
/// tables, free lists, the error stack). CapsKit still wants concurrency, e.g.
/// a prefetch thread reading the next batch while the trainer writes a
/// checkpoint, so every function in this module that touches libhdf5 (opening,
/// reading, writing and closing, including the closes done by `deinit`) runs
/// inside `H5Library.locked`. The lock is process-wide and recursive, so
/// helpers that call each other while holding it are fine.
///
/// Consequence: HDF5 work is serialised, never parallel. Overlap comes from
/// doing non-HDF5 work (math, parsing) while another thread holds the lock.
enum H5Library {
    private static let lock = NSRecursiveLock()

    /// Opens the library and turns off its automatic error printing once: the
    /// Swift layer reports failures as `H5Error`s naming the file and object,
    /// so HDF5's multi-line stderr traces would only be noise.
    ///
    /// `H5dont_atexit` first: libhdf5 would otherwise close every file still
    /// open when the process exits, and a file whose write failed (a full
    /// disk) is one that libhdf5 1.10 cannot close twice — its exit handler
    /// dereferences the freed file and the tool dies with signal 11 after
    /// printing its error. Every file here is closed explicitly (`H5File.close`,
    /// or its deinit), and a half-written output is a temporary file that
    /// `AtomicOutput` removes, so the exit handler has nothing left to save.
    private static let initialised: Bool = {
        _ = H5dont_atexit()
        _ = H5open()
        caps_H5_silence_errors()
        return true
    }()

    /// Runs `body` while holding the process-wide HDF5 lock.
    @inline(__always)
    static func locked<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        _ = initialised
        return try body()
    }

    /// The innermost message on HDF5's error stack (e.g. "file signature not
    /// found"), for the tail of an `H5Error`; empty when the stack is empty.
    /// Call with the lock held, right after the failing call.
    static func lastErrorMessage() -> String {
        final class Box { var message = "" }
        let box = Box()
        let pointer = Unmanaged.passUnretained(box).toOpaque()
        withExtendedLifetime(box) {
        _ = H5Ewalk2(caps_H5E_DEFAULT(), H5E_WALK_UPWARD, { _, entry, data in
            // Upward walks start at the innermost frame: keep only that one.
            let box = Unmanaged<Box>.fromOpaque(data!).takeUnretainedValue()
            if box.message.isEmpty, let desc = entry?.pointee.desc {
                box.message = String(cString: desc)
            }
            return 0
        }, pointer)
        }
        _ = H5Eclear2(caps_H5E_DEFAULT())
        return box.message
    }

    /// The operating system's reason inside an HDF5 message, lower-cased as
    /// a clause: libhdf5's file driver reports a failed read(2)/write(2) as
    /// one long multi-line text ("file write failed: time = …, filename = …,
    /// errno = 28, error message = 'No space left on device', buf = …"), of
    /// which only the strerror text is for people. Nil when there is none.
    static func systemReason(in message: String) -> String? {
        guard let start = message.range(of: "error message = '") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.firstIndex(of: "'"), end > rest.startIndex else { return nil }
        let reason = String(rest[..<end])
        return reason.prefix(1).lowercased() + reason.dropFirst()
    }
}
