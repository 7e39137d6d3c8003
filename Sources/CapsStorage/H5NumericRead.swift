import _CHDF5

/// Reads numbers from a dataset selection into `buffer`, converting from the
/// stored type under CapsKit's rules (see `H5Scalar`):
/// - float → float and integer → float: HDF5 converts (float64 → float32 rounds);
/// - integer → integer that always fits: HDF5 converts;
/// - integer → narrower integer (e.g. int64 labels read as Int32): read as
///   64-bit and checked value by value, because HDF5 would silently clip;
/// - float → integer, strings, anything else: an error naming both types.
///
/// `count` is the number of selected elements (`buffer.count`). Lock held.
func readNumbers<T: H5Scalar>(
    dataset: hid_t, stored: H5ElementType, memorySpace: hid_t, fileSpace: hid_t,
    into buffer: UnsafeMutableBufferPointer<T>, file: String, object: String
) throws {
    guard stored.isNumeric, !(T.h5Kind.isInteger && stored.typeClass == .float) else {
        throw H5Error(file: file, object: object, message: "expected \(T.h5Kind.rawValue) data, found \(stored)")
    }
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }

    if stored.fitsWithoutCheck(in: T.h5Kind) {
        guard H5Dread(dataset, T.h5Kind.nativeType, memorySpace, fileSpace, caps_H5P_DEFAULT(), base) >= 0 else {
            throw H5Error.library(file: file, object: object, "cannot read")
        }
        return
    }

    // Integer narrowing: go through the widest type of the stored signedness.
    func narrow<Wide: BinaryInteger>(_: Wide.Type, _ nativeType: hid_t) throws {
        var wide = [Wide](repeating: 0, count: buffer.count)
        let status = wide.withUnsafeMutableBytes {
            H5Dread(dataset, nativeType, memorySpace, fileSpace, caps_H5P_DEFAULT(), $0.baseAddress)
        }
        guard status >= 0 else { throw H5Error.library(file: file, object: object, "cannot read") }
        for (i, value) in wide.enumerated() {
            guard let exact = T(exactly: value) else {
                throw H5Error(file: file, object: object,
                              message: "value \(value) at element \(i) of the selection does not fit \(T.h5Kind.rawValue) (stored as \(stored))")
            }
            buffer[i] = exact
        }
    }
    if case .integer(signed: false) = stored.typeClass {
        try narrow(UInt64.self, caps_H5T_NATIVE_UINT64())
    } else {
        try narrow(Int64.self, caps_H5T_NATIVE_INT64())
    }
}
