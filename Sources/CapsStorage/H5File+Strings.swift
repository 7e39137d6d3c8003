import _CHDF5

extension H5File {
    /// Writes a one-dimensional dataset of variable-length UTF-8 strings
    /// (vocabularies, label names), replacing any dataset already at `path`.
    public func write(strings: [String], to path: String) throws {
        let path = normalizedPath(path)
        let object = H5ObjectName.dataset(path)
        try H5Strings.validate(strings, file: self.path, object: object)
        try H5Library.locked {
            let file = try writableID(for: object)
            try unlinkDatasetForReplacement(at: path, file: file)
            let type = H5Strings.variableUTF8Type()
            defer { H5Tclose(type) }
            var dims = [hsize_t(strings.count)]
            let space = H5Screate_simple(1, &dims, nil)
            defer { H5Sclose(space) }
            let lcpl = try Self.intermediateGroupsLinkList(file: self.path)
            defer { H5Pclose(lcpl) }
            let dataset = H5Dcreate2(file, path, type, space, lcpl, caps_H5P_DEFAULT(), caps_H5P_DEFAULT())
            guard dataset >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot create") }
            defer { H5Dclose(dataset) }
            guard !strings.isEmpty else { return }
            let status = H5Strings.withCStringArray(strings) {
                H5Dwrite(dataset, type, caps_H5S_ALL(), caps_H5S_ALL(), caps_H5P_DEFAULT(), $0)
            }
            guard status >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot write") }
        }
    }

    /// Reads a string dataset of any rank (flattened in row-major order),
    /// variable- or fixed-length. Fixed-length values lose their padding.
    public func readStrings(from path: String) throws -> [String] {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let dataset = try openDatasetID(path)
            defer { H5Dclose(dataset) }
            let type = H5Dget_type(dataset)
            let space = H5Dget_space(dataset)
            defer { H5Tclose(type); H5Sclose(space) }
            let count = Int(H5Sget_simple_extent_npoints(space))
            return try H5Strings.read(count: count, storedType: type, space: space, file: self.path,
                                      object: H5ObjectName.dataset(path)) { memoryType, buffer in
                H5Dread(dataset, memoryType, caps_H5S_ALL(), caps_H5S_ALL(), caps_H5P_DEFAULT(), buffer)
            }
        }
    }
}
