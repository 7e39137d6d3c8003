import Foundation

/// Encodes a tensor in NumPy's `.npy` format, version 1.0:
///
///     "\x93NUMPY" 0x01 0x00  <UInt16 LE header length>
///     "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"  space padding  "\n"
///     raw little-endian values in C order
///
/// The header is padded so the data starts at a multiple of 64 bytes, as
/// NumPy itself writes it (aligned for memory mapping).
enum NPYEncoder {
    static func encode(_ tensor: ExportTensor) -> Data {
        var dict = "{'descr': '\(descr(tensor.values))', 'fortran_order': False, 'shape': \(shapeTuple(tensor.shape)), }"
        let preamble = 6 + 2 + 2   // magic, version, header length
        let unpadded = preamble + dict.utf8.count + 1   // + "\n"
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"

        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = UInt16(dict.utf8.count)
        data.append(contentsOf: [UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)])
        data.append(contentsOf: Array(dict.utf8))
        switch tensor.values {
        case let .float32(v): appendLittleEndian(v.map(\.bitPattern), to: &data)
        case let .int32(v): appendLittleEndian(v, to: &data)
        case let .int64(v): appendLittleEndian(v, to: &data)
        }
        return data
    }

    /// NumPy's dtype string: explicit little-endian so big-endian readers convert.
    static func descr(_ values: ExportTensor.Values) -> String {
        switch values {
        case .float32: return "<f4"
        case .int32: return "<i4"
        case .int64: return "<i8"
        }
    }

    /// A Python tuple literal: `()`, `(3,)`, `(2, 3)`.
    static func shapeTuple(_ shape: [Int]) -> String {
        switch shape.count {
        case 0: return "()"
        case 1: return "(\(shape[0]),)"
        default: return "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ values: [T], to data: inout Data) {
        values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
    }
}
