

/// One configuration setting recorded with a model (e.g. `routing_iterations = 3`),
/// kept in the caller's order for summaries and JSON export.
public struct ConfigurationEntry: Sendable, Equatable {
    /// A typed setting value, so JSON export keeps numbers as numbers.
    public enum Value: Sendable, Equatable, CustomStringConvertible,
                       ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
                       ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)

        public init(stringLiteral value: String) { self = .string(value) }
        public init(integerLiteral value: Int) { self = .int(value) }
        public init(floatLiteral value: Double) { self = .double(value) }
        public init(booleanLiteral value: Bool) { self = .bool(value) }

        /// As shown in text summaries: numbers in their shortest form.
        public var description: String {
            switch self {
            case let .string(s): return s
            case let .int(i): return String(i)
            case let .double(d): return d.description
            case let .bool(b): return b ? "true" : "false"
            }
        }

        public var json: JSONValue {
            switch self {
            case let .string(s): return .string(s)
            case let .int(i): return .int(i)
            case let .double(d): return .double(d)
            case let .bool(b): return .bool(b)
            }
        }
    }

    public var key: String
    public var value: Value

    public init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }
}
