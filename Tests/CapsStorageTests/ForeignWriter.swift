import _CHDF5

/// Writes HDF5 objects the way other tools (h5py with numpy `S` arrays,
/// MATLAB, older C code) do but CapsStorage never does: fixed-length strings.
/// Talks to libhdf5 directly so the reader is tested against data it did not write.
enum ForeignWriter {
    /// Adds a fixed-length (`width` bytes, NUL- or space-padded) string
    /// dataset and a scalar fixed-length root attribute `<dataset>_note` to the
    /// closed file at `path`.
    static func addFixedLengthStrings(to path: String, dataset: String, values: [String], width: Int,
                                      spacePadded: Bool, note: String) -> Bool {
        let pad = spacePadded ? H5T_STR_SPACEPAD : H5T_STR_NULLPAD
        let file = H5Fopen(path, caps_H5F_ACC_RDWR(), caps_H5P_DEFAULT())
        guard file >= 0 else { return false }
        defer { H5Fclose(file) }
        let type = H5Tcopy(caps_H5T_C_S1())
        defer { H5Tclose(type) }
        H5Tset_size(type, width)
        H5Tset_strpad(type, pad)
        let padByte: UInt8 = pad == H5T_STR_SPACEPAD ? 0x20 : 0
        func packed(_ strings: [String]) -> [UInt8] {
            strings.flatMap { Array($0.utf8) + Array(repeating: padByte, count: width - $0.utf8.count) }
        }

        var dims = [hsize_t(values.count)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let set = H5Dcreate2(file, dataset, type, space, caps_H5P_DEFAULT(), caps_H5P_DEFAULT(), caps_H5P_DEFAULT())
        guard set >= 0 else { return false }
        defer { H5Dclose(set) }
        let bytes = packed(values)
        guard bytes.withUnsafeBytes({ H5Dwrite(set, type, caps_H5S_ALL(), caps_H5S_ALL(), caps_H5P_DEFAULT(), $0.baseAddress) }) >= 0 else { return false }

        let scalar = H5Screate(H5S_SCALAR)
        defer { H5Sclose(scalar) }
        let attribute = H5Acreate2(file, dataset + "_note", type, scalar, caps_H5P_DEFAULT(), caps_H5P_DEFAULT())
        guard attribute >= 0 else { return false }
        defer { H5Aclose(attribute) }
        return packed([note]).withUnsafeBytes { H5Awrite(attribute, type, $0.baseAddress) } >= 0
    }

    /// Adds an attribute of HDF5 type `uint16[count]` holding `values`.
    static func addUInt16Attribute(to path: String, name: String, values: [UInt16]) -> Bool {
        let file = H5Fopen(path, caps_H5F_ACC_RDWR(), caps_H5P_DEFAULT())
        guard file >= 0 else { return false }
        defer { H5Fclose(file) }
        var dims = [hsize_t(values.count)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(file, name, H5T_STD_U16LE_g, space, caps_H5P_DEFAULT(), caps_H5P_DEFAULT())
        guard attribute >= 0 else { return false }
        defer { H5Aclose(attribute) }
        return values.withUnsafeBytes { H5Awrite(attribute, H5T_NATIVE_USHORT_g, $0.baseAddress) } >= 0
    }

    /// Adds chunked datasets whose dataspace declares 2^50 values, with no
    /// data written (chunks are allocated on write): `/ints` (int32),
    /// `/names` (variable-length strings), `/codes` (16-byte fixed strings).
    /// Any file can declare such an extent, as a corrupt one did in fuzzing.
    static func addHugeDatasets(to path: String) -> Bool {
        let file = H5Fopen(path, caps_H5F_ACC_RDWR(), caps_H5P_DEFAULT())
        guard file >= 0 else { return false }
        defer { H5Fclose(file) }
        var dims = [hsize_t(1) << 50], chunk = [hsize_t(1024)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let dcpl = H5Pcreate(caps_H5P_DATASET_CREATE())
        defer { H5Pclose(dcpl) }
        guard H5Pset_chunk(dcpl, 1, &chunk) >= 0 else { return false }
        let names = H5Tcopy(caps_H5T_C_S1()), codes = H5Tcopy(caps_H5T_C_S1())
        defer { H5Tclose(names); H5Tclose(codes) }
        H5Tset_size(names, caps_H5T_VARIABLE())
        H5Tset_size(codes, 16)
        for (name, type) in [("/ints", caps_H5T_STD_I32LE()), ("/names", names), ("/codes", codes)] {
            let set = H5Dcreate2(file, name, type, space, caps_H5P_DEFAULT(), dcpl, caps_H5P_DEFAULT())
            guard set >= 0 else { return false }
            H5Dclose(set)
        }
        return true
    }

    /// Adds `/sparse`: 2^24 int32 declared in chunks of 1024, none written, so
    /// the file stores no byte of them (what a corrupt dataspace looks like).
    static func addUnwrittenDataset(to path: String) -> Bool {
        let file = H5Fopen(path, caps_H5F_ACC_RDWR(), caps_H5P_DEFAULT())
        guard file >= 0 else { return false }
        defer { H5Fclose(file) }
        var dims = [hsize_t(1) << 24], chunk = [hsize_t(1024)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let dcpl = H5Pcreate(caps_H5P_DATASET_CREATE())
        defer { H5Pclose(dcpl) }
        guard H5Pset_chunk(dcpl, 1, &chunk) >= 0 else { return false }
        let set = H5Dcreate2(file, "/sparse", caps_H5T_STD_I32LE(), space, caps_H5P_DEFAULT(), dcpl, caps_H5P_DEFAULT())
        guard set >= 0 else { return false }
        H5Dclose(set)
        return true
    }
}
