import Crypto
import Foundation

/// Streaming SHA-256, used to fingerprint artifacts (vocabularies, vector
/// files, models) so a later stage can tell whether its input changed.
///
/// A thin wrapper over swift-crypto's `Crypto.SHA256` (BoringSSL on Linux,
/// CryptoKit on Apple platforms, both with the CPU's SHA instructions where
/// there are any), keeping CapsKit's spelling: byte arrays and lower-case
/// hex, plus file hashing in bounded memory.
///
/// Feed bytes with `update` in pieces of any size; `finalize()` works on a
/// copy of the state, so it can be called more than once and the hasher
/// stays usable.
///
///     var hasher = SHA256()
///     hasher.update(Array("abc".utf8))
///     hasher.hexDigest()   // "ba7816bf…"
///
/// `@unchecked Sendable`: `Crypto.SHA256` keeps its state in a copy-on-write
/// box, so copies on other threads never share mutable state.
public struct SHA256: @unchecked Sendable {
    private var hasher = Crypto.SHA256()

    /// The digest length in bytes.
    public static let digestLength = Crypto.SHA256.byteCount

    public init() {}

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        hasher.update(bufferPointer: bytes)
    }

    /// Appends a collection of bytes (an array, `Data`, a string's `utf8` view).
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// The 32-byte digest of everything fed so far. Does not change `self`.
    public func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// The digest as 64 lower-case hexadecimal characters (as `sha256sum` prints it).
    public func hexDigest() -> String {
        Self.hex(finalize())
    }

    /// Lower-case hexadecimal spelling of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var chars: [UInt8] = []
        chars.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            chars.append(digits[Int(byte >> 4)])
            chars.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// The digest of a whole in-memory message.
    public static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The hexadecimal digest of a whole in-memory message.
    public static func hexDigest<Bytes: Collection>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hex(hash(bytes))
    }
}

// MARK: - Files

extension SHA256 {
    /// A file could not be opened or read while hashing it.
    public struct FileError: Error, CustomStringConvertible {
        /// The file being hashed.
        public var path: String
        /// What failed, e.g. "cannot open: No such file or directory".
        public var reason: String

        public var description: String { "\(path): \(reason)" }
    }

    /// The size of each read in `hexDigest(ofFileAt:)`: large enough that
    /// system calls are negligible, small enough for any machine.
    public static let fileBlockSize = 1 << 20

    /// The digest of the file at `path`, read in 1 MiB blocks so files of any
    /// size hash in constant memory.
    public static func hash(ofFileAt path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw FileError(path: path, reason: "cannot open for hashing: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: fileBlockSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, reason: "read failed while hashing: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hasher.finalize()
    }

    /// The lower-case hexadecimal digest of the file at `path` (what
    /// `sha256sum` prints), read in 1 MiB blocks.
    public static func hexDigest(ofFileAt path: String) throws -> String {
        hex(try hash(ofFileAt: path))
    }
}

extension SHA256.FileError: LocalizedError {
    public var errorDescription: String? { description }
}
