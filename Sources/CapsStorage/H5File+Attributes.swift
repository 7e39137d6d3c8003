import _CHDF5

extension H5File {
    /// Sets attribute `name` on the group or dataset at `path` (the root by
    /// default), replacing any attribute of that name whatever its type.
    public func setAttribute(_ name: String, _ value: H5AttributeValue, on path: String = "/") throws {
        let path = normalizedPath(path)
        let object = H5ObjectName.attribute(name, on: path)
        if case .strings(let list) = value { try H5Strings.validate(list, file: self.path, object: object) }
        if case .string(let text) = value { try H5Strings.validate([text], file: self.path, object: object) }
        try H5Library.locked {
            let file = try writableID(for: object)
            guard contains(path) else {
                throw H5Error(file: self.path, object: H5ObjectName.object(path), message: "not found (cannot set attribute '\(name)')")
            }
            if H5Aexists_by_name(file, path, name, caps_H5P_DEFAULT()) > 0,
               H5Adelete_by_name(file, path, name, caps_H5P_DEFAULT()) < 0 {
                throw H5Error.library(file: self.path, object: object, "cannot replace")
            }

            let count: Int?
            let fileType: hid_t, memoryType: hid_t
            var ownsTypes = false
            switch value {
            case .int, .ints:
                (fileType, memoryType) = (caps_H5T_STD_I64LE(), caps_H5T_NATIVE_INT64())
            case .double, .doubles:
                (fileType, memoryType) = (caps_H5T_IEEE_F64LE(), caps_H5T_NATIVE_DOUBLE())
            case .string, .strings:
                let type = H5Strings.variableUTF8Type()
                (fileType, memoryType) = (type, type)
                ownsTypes = true
            }
            defer { if ownsTypes { H5Tclose(fileType) } }
            switch value {
            case .int, .double, .string: count = nil
            case .ints(let v): count = v.count
            case .doubles(let v): count = v.count
            case .strings(let v): count = v.count
            }

            let space: hid_t
            if let count {
                var dims = [hsize_t(count)]
                space = H5Screate_simple(1, &dims, nil)
            } else {
                space = H5Screate(H5S_SCALAR)
            }
            guard space >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot make dataspace") }
            defer { H5Sclose(space) }

            let attribute = H5Acreate_by_name(file, path, name, fileType, space,
                                              caps_H5P_DEFAULT(), caps_H5P_DEFAULT(), caps_H5P_DEFAULT())
            guard attribute >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot create") }
            defer { H5Aclose(attribute) }

            let status: herr_t
            switch value {
            case .int(let v): status = withUnsafeBytes(of: v) { H5Awrite(attribute, memoryType, $0.baseAddress) }
            case .double(let v): status = withUnsafeBytes(of: v) { H5Awrite(attribute, memoryType, $0.baseAddress) }
            case .ints(let v): status = v.isEmpty ? 0 : v.withUnsafeBytes { H5Awrite(attribute, memoryType, $0.baseAddress) }
            case .doubles(let v): status = v.isEmpty ? 0 : v.withUnsafeBytes { H5Awrite(attribute, memoryType, $0.baseAddress) }
            case .string(let v): status = H5Strings.withCStringArray([v]) { H5Awrite(attribute, memoryType, $0) }
            case .strings(let v): status = v.isEmpty ? 0 : H5Strings.withCStringArray(v) { H5Awrite(attribute, memoryType, $0) }
            }
            guard status >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot write") }
        }
    }

    /// The attribute `name` on the object at `path`, or nil when the object
    /// has no such attribute. Throws when the object itself is missing or the
    /// attribute has a type CapsKit does not use (compound, enum, ...).
    public func attribute(_ name: String, on path: String = "/") throws -> H5AttributeValue? {
        let path = normalizedPath(path)
        let object = H5ObjectName.attribute(name, on: path)
        return try H5Library.locked {
            let file = try openID()
            guard contains(path) else {
                throw H5Error(file: self.path, object: H5ObjectName.object(path), message: "not found (looking for attribute '\(name)')")
            }
            guard H5Aexists_by_name(file, path, name, caps_H5P_DEFAULT()) > 0 else { return nil }
            let attribute = H5Aopen_by_name(file, path, name, caps_H5P_DEFAULT(), caps_H5P_DEFAULT())
            guard attribute >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot open") }
            defer { H5Aclose(attribute) }
            let type = H5Aget_type(attribute)
            let space = H5Aget_space(attribute)
            defer { H5Tclose(type); H5Sclose(space) }

            let isScalar = H5Sget_simple_extent_type(space) == H5S_SCALAR
            let count = Int(H5Sget_simple_extent_npoints(space))
            // An attribute is stored uncompressed: a dataspace declaring more values than its bytes is corrupt.
            let storedBytes = Int(H5Aget_storage_size(attribute))
            guard count >= 0, count <= max(storedBytes, 1) else {
                throw H5Error(file: self.path, object: object,
                              message: "declares \(count) values but stores only \(storedBytes) bytes (a corrupt file)")
            }
            let stored = H5ElementType(typeID: type)

            func readNumbers<N: Numeric>(_: N.Type, _ memoryType: hid_t) throws -> [N] {
                var values = [N](repeating: 0, count: count)
                guard count > 0 else { return values }
                let status = values.withUnsafeMutableBytes { H5Aread(attribute, memoryType, $0.baseAddress) }
                guard status >= 0 else { throw H5Error.library(file: self.path, object: object, "cannot read") }
                return values
            }

            switch stored.typeClass {
            case .integer(signed: false) where stored.size >= 8:
                let wide = try readNumbers(UInt64.self, caps_H5T_NATIVE_UINT64())
                let values = try wide.map { value -> Int64 in
                    guard let exact = Int64(exactly: value) else {
                        throw H5Error(file: self.path, object: object, message: "value \(value) does not fit int64")
                    }
                    return exact
                }
                return isScalar ? .int(values[0]) : .ints(values)
            case .integer:
                let values = try readNumbers(Int64.self, caps_H5T_NATIVE_INT64())
                return isScalar ? .int(values[0]) : .ints(values)
            case .float:
                let values = try readNumbers(Double.self, caps_H5T_NATIVE_DOUBLE())
                return isScalar ? .double(values[0]) : .doubles(values)
            case .string:
                let values = try H5Strings.read(count: count, storedType: type, space: space,
                                                file: self.path, object: object) { memoryType, buffer in
                    H5Aread(attribute, memoryType, buffer)
                }
                return isScalar ? .string(values[0]) : .strings(values)
            case .other:
                throw H5Error(file: self.path, object: object, message: "has unsupported type \(stored)")
            }
        }
    }

    /// The names of the attributes on the object at `path`, alphabetically.
    public func attributeNames(on path: String = "/") throws -> [String] {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let file = try openID()
            guard contains(path) else {
                throw H5Error(file: self.path, object: H5ObjectName.object(path), message: "not found (listing attributes)")
            }
            final class Names { var list: [String] = [] }
            let names = Names()
            let status = withExtendedLifetime(names) {
                H5Aiterate_by_name(file, path, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, data in
                    let names = Unmanaged<Names>.fromOpaque(data!).takeUnretainedValue()
                    names.list.append(String(cString: name!))
                    return 0
                }, Unmanaged.passUnretained(names).toOpaque(), caps_H5P_DEFAULT())
            }
            guard status >= 0 else { throw H5Error.library(file: self.path, object: H5ObjectName.object(path), "cannot list attributes") }
            return names.list
        }
    }
}
