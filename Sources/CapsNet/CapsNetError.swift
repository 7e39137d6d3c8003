import Foundation

/// Errors raised by the capsule network: bad configurations, unknown or
/// mis-shaped parameters, and batches the model was not sized for. Each
/// message is one line naming what was wrong and what was expected.
public enum CapsNetError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// A configuration field is out of range; `field` names it.
    case invalidConfiguration(field: String, reason: String)
    /// No parameter tensor has this name.
    case unknownParameter(name: String, known: [String])
    /// A tensor set by name had the wrong number of elements.
    case parameterSizeMismatch(name: String, expected: Int, got: Int)
    /// A batch larger than the workspaces were allocated for, or empty.
    case invalidBatchSize(batch: Int, maxBatch: Int)
    /// A label outside `0..<classes`.
    case labelOutOfRange(sample: Int, label: Int32, classes: Int)
    /// A buffer passed by the caller is shorter than the batch needs.
    case bufferTooSmall(argument: String, expected: Int, got: Int)
    /// A model with lexical capsules was given no token ids.
    case missingTokens

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, reason):
            return "invalid capsule network configuration: \(field) \(reason)"
        case let .unknownParameter(name, known):
            return "no parameter tensor named '\(name)' (known: \(known.joined(separator: ", ")))"
        case let .parameterSizeMismatch(name, expected, got):
            return "parameter '\(name)' has \(expected) elements, got \(got)"
        case let .invalidBatchSize(batch, maxBatch):
            return "batch of \(batch) samples; expected 1...\(maxBatch) (the model's maxBatch)"
        case let .labelOutOfRange(sample, label, classes):
            return "label \(label) of sample \(sample) is outside 0..<\(classes)"
        case let .bufferTooSmall(argument, expected, got):
            return "\(argument) holds \(got) values; the batch needs \(expected)"
        case .missingTokens:
            return "the model has lexical capsules (--buckets), which need the batch's token ids"
        }
    }

    public var errorDescription: String? { description }
}
