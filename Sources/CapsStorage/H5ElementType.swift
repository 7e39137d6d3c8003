import _CHDF5

/// The element type a dataset or attribute has in the file, as far as CapsKit
/// cares: its class, size and signedness. Printed as `float32`, `int64`,
/// `uint8`, `string` (variable length) or `string(12)` (fixed length).
public struct H5ElementType: Equatable, Sendable, CustomStringConvertible {
    public enum TypeClass: Equatable, Sendable {
        case integer(signed: Bool)
        case float
        case string(variableLength: Bool)
        /// Compound, enum, reference, ...: named by HDF5's class number.
        case other(Int)
    }

    public var typeClass: TypeClass
    /// Size of one element in bytes (for variable-length strings, the size of a pointer).
    public var size: Int

    public var isNumeric: Bool {
        switch typeClass {
        case .integer, .float: return true
        default: return false
        }
    }

    public var isString: Bool {
        if case .string = typeClass { return true }
        return false
    }

    public var description: String {
        switch typeClass {
        case .integer(let signed): return (signed ? "int" : "uint") + "\(size * 8)"
        case .float: return "float\(size * 8)"
        case .string(true): return "string"
        case .string(false): return "string(\(size))"
        case .other(let code): return "HDF5 type class \(code)"
        }
    }

    /// Whether every value of this stored type fits `kind` exactly, so HDF5's
    /// own conversion can be used without a range check.
    func fitsWithoutCheck(in kind: H5ScalarKind) -> Bool {
        switch (typeClass, kind) {
        case (.float, .float32), (.float, .float64):
            // Narrowing float64 → float32 rounds, which is the point of reading as Float.
            return true
        case (.integer, .float32), (.integer, .float64):
            return true
        case (.integer(let signed), .int64):
            return signed ? size <= 8 : size < 8
        case (.integer(let signed), .int32):
            return signed ? size <= 4 : size < 4
        default:
            return false
        }
    }

    /// Describes an open HDF5 datatype. Call with the library lock held.
    init(typeID: hid_t) {
        size = H5Tget_size(typeID)
        switch H5Tget_class(typeID) {
        case H5T_INTEGER:
            typeClass = .integer(signed: H5Tget_sign(typeID) != H5T_SGN_NONE)
        case H5T_FLOAT:
            typeClass = .float
        case H5T_STRING:
            typeClass = .string(variableLength: H5Tis_variable_str(typeID) > 0)
        case let other:
            typeClass = .other(Int(other.rawValue))
        }
    }
}
