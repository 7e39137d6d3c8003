import CapsCore
import Foundation

/// A problem with a word-vector file, located by line (text formats) or by
/// record (word2vec binary), so the message points at the offending bytes.
public struct VectorFileError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// Where in the file the problem is.
    public enum Location: Equatable, Sendable {
        /// The file as a whole (it cannot be opened or read, or is empty).
        case file
        /// A 1-based line number of a text file (the header is line 1).
        case line(Int)
        /// A 1-based record number of a word2vec binary file (the header is
        /// not a record).
        case record(Int)
    }

    /// What is wrong.
    public enum Kind: Equatable, Sendable {
        case cannotOpen(reason: String)
        case readFailed(reason: String)
        case empty
        /// The first line looks like a `count dim` header but is not a valid one.
        case invalidHeader(String)
        /// A text row holds `found` values where the dimension is `expected`.
        case wrongValueCount(expected: Int, found: Int)
        /// Value number `field` (1-based) of a row is not a number.
        case nonNumericValue(String, field: Int)
        /// Value number `field` (1-based) parses but is infinite or NaN.
        case nonFiniteValue(String, field: Int)
        /// A row has no word before its values.
        case emptyWord
        /// A binary record stops early: it needs `expected` bytes (word, space
        /// and vector; a lower bound when the word itself is cut), `found` are left.
        case truncatedRecord(expected: Int, found: Int)
        /// A binary word runs on for more than `limit` bytes without its space.
        case wordTooLong(limit: Int)
        /// The file ends after `found` rows but its header declares `declared`.
        case tooFewRows(declared: Int, found: Int)
        /// A row follows the `declared` rows of the header.
        case tooManyRows(declared: Int)
        /// The file's vectors have `file` components, the caller asked for `requested`.
        case dimensionMismatch(file: Int, requested: Int)
        /// The header declares vectors of `found` components, more than any
        /// real file has (`limit`); the reader would allocate for it.
        case dimensionTooLarge(found: Int, limit: Int)
    }

    /// The vector file's path as given.
    public var path: String
    public var location: Location
    public var kind: Kind

    public init(path: String, location: Location, kind: Kind) {
        self.path = path
        self.location = location
        self.kind = kind
    }

    public var description: String {
        let place: String
        switch location {
        case .file: place = path
        case .line(let n): place = "\(path):\(n)"
        case .record(let n): place = "\(path): record \(n)"
        }
        return "\(place): \(problem)"
    }

    public var errorDescription: String? { description }

    private var problem: String {
        switch kind {
        case .cannotOpen(let reason):
            return "cannot open word-vector file (\(reason))"
        case .readFailed(let reason):
            return "read failed (\(reason))"
        case .empty:
            return "empty file; expected word vectors"
        case .invalidHeader(let text):
            return "invalid header '\(escapedForMessage(text))'; expected 'count dim' with count ≥ 0 and dim ≥ 1"
        case .wrongValueCount(let expected, let found):
            return "expected \(expected) values after the word, found \(found)"
        case .nonNumericValue(let text, let field):
            return "value \(field) '\(escapedForMessage(text))' is not a number"
        case .nonFiniteValue(let text, let field):
            return "value \(field) '\(escapedForMessage(text))' is not finite"
        case .emptyWord:
            return "row has no word before its values"
        case .truncatedRecord(let expected, let found):
            return "truncated record: needs \(expected) bytes, the file ends after \(found)"
        case .wordTooLong(let limit):
            return "word longer than \(limit) bytes without the space that ends it; not word2vec binary?"
        case .tooFewRows(let declared, let found):
            return "header declares \(declared) rows but the file ends after \(found)"
        case .tooManyRows(let declared):
            return "row beyond the \(declared) rows the header declares"
        case .dimensionTooLarge(let found, let limit):
            return "header declares \(found) components per vector; expected at most \(limit)"
        case .dimensionMismatch(let file, let requested):
            return "vectors have \(file) components but dimension \(requested) was requested"
        }
    }
}
