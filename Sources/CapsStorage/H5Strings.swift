import Foundation
import _CHDF5

/// Conversion between Swift strings and HDF5 string data, shared by datasets
/// and attributes. CapsKit writes variable-length UTF-8 (what h5py writes for
/// `str`); it reads both variable-length and fixed-length strings (as written
/// by numpy `S`/`U`-to-bytes arrays and older tools). All functions: lock held.
enum H5Strings {
    /// A new variable-length UTF-8 string type; the caller closes it.
    static func variableUTF8Type() -> hid_t {
        let type = H5Tcopy(caps_H5T_C_S1())
        H5Tset_size(type, caps_H5T_VARIABLE())
        H5Tset_cset(type, H5T_CSET_UTF8)
        return type
    }

    /// Checks that every string can be stored: C strings end at the first NUL.
    static func validate(_ strings: [String], file: String, object: String) throws {
        if let index = strings.firstIndex(where: { $0.utf8.contains(0) }) {
            throw H5Error(file: file, object: object, message: "string \(index) contains a NUL character, which HDF5 strings cannot hold")
        }
    }

    /// Calls `body` with a pointer to `strings.count` C-string pointers, the
    /// memory layout HDF5 expects for variable-length strings.
    static func withCStringArray<R>(_ strings: [String], _ body: (UnsafeRawPointer?) throws -> R) rethrows -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return try pointers.withUnsafeBytes { try body($0.baseAddress) }
    }

    /// Reads `count` strings whose stored type is `storedType`.
    ///
    /// - `read(memoryType, buffer)` performs the H5Dread/H5Aread;
    /// - `space` is the dataspace read, used to free variable-length data.
    static func read(count: Int, storedType: hid_t, space: hid_t, file: String, object: String,
                     read: (hid_t, UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
        guard H5Tget_class(storedType) == H5T_STRING else {
            throw H5Error(file: file, object: object, message: "expected strings, found \(H5ElementType(typeID: storedType))")
        }
        guard count > 0 else { return [] }
        let memoryType = H5Tcopy(caps_H5T_C_S1())
        defer { H5Tclose(memoryType) }
        // Same character set as stored, so HDF5 never has to convert encodings.
        H5Tset_cset(memoryType, H5Tget_cset(storedType))

        if H5Tis_variable_str(storedType) > 0 {
            H5Tset_size(memoryType, caps_H5T_VARIABLE())
            _ = try checkedValueCount([count], elementSize: MemoryLayout<UnsafeMutablePointer<CChar>?>.stride,
                                      file: file, object: object)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes { read(memoryType, $0.baseAddress!) }
            guard status >= 0 else { throw H5Error.library(file: file, object: object, "cannot read strings") }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            // HDF5 allocated each string; hand them back to it.
            _ = pointers.withUnsafeMutableBytes {
                H5Dvlen_reclaim(memoryType, space, caps_H5P_DEFAULT(), $0.baseAddress)
            }
            return strings
        }

        let width = H5Tget_size(storedType)
        H5Tset_size(memoryType, width)
        let padding = H5Tget_strpad(storedType)
        H5Tset_strpad(memoryType, padding)
        var bytes = [UInt8](repeating: 0, count: try checkedValueCount([count, width], elementSize: 1,
                                                                       file: file, object: object))
        let status = bytes.withUnsafeMutableBytes { read(memoryType, $0.baseAddress!) }
        guard status >= 0 else { throw H5Error.library(file: file, object: object, "cannot read strings") }
        return (0..<count).map { i in
            var field = bytes[(i * width)..<((i + 1) * width)]
            if padding == H5T_STR_SPACEPAD {
                while field.last == UInt8(ascii: " ") { field.removeLast() }
            } else if let end = field.firstIndex(of: 0) {
                // Null-terminated or null-padded: the value ends at the first NUL.
                field = field[..<end]
            }
            return String(decoding: field, as: UTF8.self)
        }
    }
}
