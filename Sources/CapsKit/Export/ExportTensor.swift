
/// A named tensor to export: a shape and its values in C (row-major) order.
public struct ExportTensor: Sendable, Equatable {
    /// Element type and values, flat in C order.
    public enum Values: Sendable, Equatable {
        case float32([Float])
        case int32([Int32])
        case int64([Int64])

        public var count: Int {
            switch self {
            case let .float32(v): return v.count
            case let .int32(v): return v.count
            case let .int64(v): return v.count
            }
        }
    }

    /// Name, e.g. `primary_caps/W`; used as the `.npz` member / JSON name.
    public let name: String
    /// Dimensions, outermost first; `[]` is a scalar (one value).
    public let shape: [Int]
    public let values: Values

    /// Checks that the name is usable and `shape` holds exactly `values.count` values.
    public init(name: String, shape: [Int], values: Values) throws {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\0"),
              !parts.contains(where: { $0 == ".." || $0.isEmpty }) else {
            throw ExportError.invalidName(name)
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw ExportError.negativeDimension(tensor: name, shape: shape) }
        guard shape.reduce(1, *) == values.count else {
            throw ExportError.shapeMismatch(tensor: name, shape: shape, count: values.count)
        }
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// A Float32 tensor.
    public init(name: String, shape: [Int], floats: [Float]) throws {
        try self.init(name: name, shape: shape, values: .float32(floats))
    }

    /// Rejects two tensors with the same name.
    static func checkUnique(_ tensors: [ExportTensor]) throws {
        var seen = Set<String>()
        for t in tensors where !seen.insert(t.name).inserted { throw ExportError.duplicateName(t.name) }
    }
}
