import _CHDF5

/// The numeric element types CapsKit stores: each maps to one native HDF5 type.
public enum H5ScalarKind: String, Sendable, CaseIterable {
    case float32, float64, int32, int64

    /// Whether the type is an integer (reads into it are range-checked).
    public var isInteger: Bool { self == .int32 || self == .int64 }

    /// The in-memory HDF5 type for this kind (files store the same type, so a
    /// little-endian machine writes `H5T_IEEE_F32LE` etc.).
    var nativeType: hid_t {
        switch self {
        case .float32: return caps_H5T_NATIVE_FLOAT()
        case .float64: return caps_H5T_NATIVE_DOUBLE()
        case .int32: return caps_H5T_NATIVE_INT32()
        case .int64: return caps_H5T_NATIVE_INT64()
        }
    }
}

/// A Swift number type that datasets can hold: `Float`, `Double`, `Int32`, `Int64`.
///
/// Reads convert from whatever numeric type the file stores (float64 data read
/// as `Float`, int32 read as `Int64`, integers read as floats); integers read
/// into a narrower integer type are range-checked, and floating-point data is
/// never silently truncated into an integer type.
public protocol H5Scalar: Numeric, Sendable {
    /// The HDF5 type this Swift type is written as.
    static var h5Kind: H5ScalarKind { get }
}

extension Float: H5Scalar { public static var h5Kind: H5ScalarKind { .float32 } }
extension Double: H5Scalar { public static var h5Kind: H5ScalarKind { .float64 } }
extension Int32: H5Scalar { public static var h5Kind: H5ScalarKind { .int32 } }
extension Int64: H5Scalar { public static var h5Kind: H5ScalarKind { .int64 } }

/// Values of a whole dataset together with its shape (row-major, C order).
/// `values.count` is the product of `shape`; a scalar has `shape == []`.
public struct H5Array<Element: H5Scalar>: Equatable {
    public var shape: [Int]
    public var values: [Element]

    public init(shape: [Int], values: [Element]) {
        precondition(shape.reduce(1, *) == values.count,
                     "shape \(describeShape(shape)) holds \(shape.reduce(1, *)) values, not \(values.count)")
        self.shape = shape
        self.values = values
    }

    /// The only value of a scalar (or one-element) dataset.
    public var scalar: Element? { values.count == 1 ? values[0] : nil }
}
