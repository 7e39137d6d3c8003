import Foundation

/// Why an export was rejected. Each message is one line naming the tensor,
/// archive member or file and what was expected.
public enum ExportError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The shape's element count differs from the number of values.
    case shapeMismatch(tensor: String, shape: [Int], count: Int)
    /// A negative dimension.
    case negativeDimension(tensor: String, shape: [Int])
    /// A tensor name that is empty or not usable as an archive member name.
    case invalidName(String)
    /// Two tensors with the same name in one export.
    case duplicateName(String)
    /// A NaN or infinite value where the format cannot represent it.
    case nonFiniteValue(tensor: String, index: Int, value: Float)
    /// Writing the output file failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(tensor, shape, count):
            return "tensor \(tensor): shape \(shape) holds \(shape.reduce(1, *)) values, got \(count)"
        case let .negativeDimension(tensor, shape):
            return "tensor \(tensor): shape \(shape) has a negative dimension, expected sizes ≥ 0"
        case let .invalidName(name):
            return "tensor name \"\(name)\": expected a non-empty name without NUL, leading '/', or '..' parts"
        case let .duplicateName(name):
            return "tensor \(name): appears twice, expected unique names"
        case let .nonFiniteValue(tensor, index, value):
            return "tensor \(tensor): value \(index) is \(value), expected a finite number (JSON has no NaN/Infinity)"
        case let .writeFailed(path, reason):
            return "\(path): cannot write (\(reason))"
        }
    }

    public var errorDescription: String? { description }
}
