import CapsCore
import Foundation

/// The SHA-256 of a file, computed on a background thread from creation on.
/// If the caller stops waiting (an error elsewhere), the hash finishes unseen.
final class BackgroundFileHash: @unchecked Sendable {
    private let group = DispatchGroup()
    /// Written once by the background task, read only after `group.wait()`.
    private var result: Result<String, Error>?

    init(path: String) {
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            result = Result { try SHA256.hexDigest(ofFileAt: path) }
        }
    }

    /// Waits for the digest (lower-case hex) or the error hashing raised.
    func value() throws -> String {
        group.wait()
        return try result!.get()
    }
}
