import CapsCore
/// The value of an HDF5 attribute, as CapsKit reads and writes them: run
/// configuration, format versions, checksums and provenance notes.
///
/// Written as: `string`/`strings` → variable-length UTF-8; `int`/`ints` →
/// int64; `double`/`doubles` → float64 (the types h5py writes for Python
/// `str`, `int` and `float`). Any integer width reads back as `int`/`ints`,
/// any float width as `double`/`doubles`, fixed-length strings as `string`.
/// A scalar dataspace gives the singular case, a one-dimensional one the plural.
public enum H5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case strings([String])
    case int(Int64)
    case ints([Int64])
    case double(Double)
    case doubles([Double])

    /// The integer, from `int` or a one-element `ints`.
    public var intValue: Int64? {
        switch self {
        case .int(let v): return v
        case .ints(let v) where v.count == 1: return v[0]
        default: return nil
        }
    }

    /// The number as a Double, from `double`, `int` or a one-element array
    /// (configurations written by hand often store `1` for `1.0`).
    public var doubleValue: Double? {
        switch self {
        case .double(let v): return v
        case .doubles(let v) where v.count == 1: return v[0]
        default: return intValue.map(Double.init)
        }
    }

    /// The text, from `string` or a one-element `strings`.
    public var stringValue: String? {
        switch self {
        case .string(let v): return v
        case .strings(let v) where v.count == 1: return v[0]
        default: return nil
        }
    }

    /// The integers, from `ints` or a lone `int`.
    public var intsValue: [Int64]? {
        switch self {
        case .ints(let v): return v
        case .int(let v): return [v]
        default: return nil
        }
    }

    /// The numbers as Doubles, from any numeric case.
    public var doublesValue: [Double]? {
        switch self {
        case .doubles(let v): return v
        case .double(let v): return [v]
        default: return intsValue.map { $0.map(Double.init) }
        }
    }

    /// The texts, from `strings` or a lone `string`.
    public var stringsValue: [String]? {
        switch self {
        case .strings(let v): return v
        case .string(let v): return [v]
        default: return nil
        }
    }

    /// A short human description of the kind of value, for error messages.
    public var kindDescription: String {
        switch self {
        case .string: return "a string"
        case .strings(let v): return "\(v.count) strings"
        case .int: return "an integer"
        case .ints(let v): return "\(v.count) integers"
        case .double: return "a float"
        case .doubles(let v): return "\(v.count) floats"
        }
    }

    /// Strings are quoted, their control characters escaped: the value comes
    /// from a file and ends up in one-line error messages.
    public var description: String {
        switch self {
        case .string(let v): return "\"\(escapedForMessage(v))\""
        case .strings(let v): return "[" + v.map { "\"\(escapedForMessage($0))\"" }.joined(separator: ", ") + "]"
        case .int(let v): return String(v)
        case .ints(let v): return "[" + v.map(String.init).joined(separator: ", ") + "]"
        case .double(let v): return String(v)
        case .doubles(let v): return "[" + v.map { String($0) }.joined(separator: ", ") + "]"
        }
    }
}

extension H5AttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
}
