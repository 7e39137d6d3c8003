import Foundation

/// An input that holds no documents (an empty file, blank lines only, a
/// header alone, or an artifact of 0 rows). The stages stop at once on it,
/// naming the file, rather than letting an empty corpus fail stages later.
public struct EmptyInputError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file path, or `<stdin>`.
    public var input: String
    /// The flag that accepts such an input where one does (`--allow-empty`), else nil.
    public var allowedBy: String?

    public init(input: String, allowedBy: String? = nil) {
        self.input = input
        self.allowedBy = allowedBy
    }

    public var description: String {
        "\(input) holds no documents" + (allowedBy.map { "; pass \($0) to accept an empty input" } ?? "")
    }

    public var errorDescription: String? { description }
}
