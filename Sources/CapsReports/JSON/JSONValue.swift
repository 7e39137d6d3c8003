

/// A JSON value whose objects keep their keys in insertion order, so the
/// same inputs always serialise to byte-identical text (Foundation's
/// `JSONSerialization` does not promise a key order).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// Printed as the shortest decimal that reads back as the same Double.
    case double(Double)
    /// Printed as the shortest decimal that reads back as the same Float.
    case float(Float)
    case string(String)
    case array([JSONValue])
    /// Keys in the order given; duplicate keys are the caller's mistake.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.float(x), .float(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}
