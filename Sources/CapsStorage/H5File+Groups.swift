import _CHDF5

/// What an object path names.
public enum H5ObjectKind: Equatable, Sendable {
    case group, dataset
    /// A named datatype or another kind of object CapsKit does not use.
    case other
}

extension H5File {
    /// Whether an object (group or dataset) exists at `path`. Missing
    /// intermediate groups simply give `false`.
    public func contains(_ path: String) -> Bool {
        (try? kind(of: path)) != nil
    }

    /// The kind of object at `path`, or nil when there is none.
    public func kind(of path: String) throws -> H5ObjectKind? {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let file = try openID()
            guard Self.exists(path, in: file) else { return nil }
            let object = H5Oopen(file, path, caps_H5P_DEFAULT())
            guard object >= 0 else { throw H5Error.library(file: self.path, object: H5ObjectName.object(path), "cannot open") }
            defer { H5Oclose(object) }
            switch H5Iget_type(object) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// Creates the group at `path` and any missing groups above it. An
    /// existing group is fine; an existing dataset of that name is an error.
    public func createGroup(_ path: String) throws {
        let path = normalizedPath(path)
        try H5Library.locked {
            let file = try writableID(for: H5ObjectName.group(path))
            if let existing = try kind(of: path) {
                guard existing == .group else {
                    throw H5Error(file: self.path, object: H5ObjectName.group(path),
                                  message: "cannot create: a dataset of that name exists")
                }
                return
            }
            let lcpl = try Self.intermediateGroupsLinkList(file: self.path)
            defer { H5Pclose(lcpl) }
            let group = H5Gcreate2(file, path, lcpl, caps_H5P_DEFAULT(), caps_H5P_DEFAULT())
            guard group >= 0 else { throw H5Error.library(file: self.path, object: H5ObjectName.group(path), "cannot create") }
            H5Gclose(group)
        }
    }

    /// The names (not paths) of the objects directly inside the group at
    /// `path`, in alphabetical order.
    public func children(of path: String = "/") throws -> [String] {
        let path = normalizedPath(path)
        return try H5Library.locked {
            let file = try openID()
            guard try kind(of: path) == .group else {
                throw H5Error(file: self.path, object: H5ObjectName.group(path), message: "not found")
            }
            final class Names { var list: [String] = [] }
            let names = Names()
            let status = withExtendedLifetime(names) {
                H5Literate_by_name(file, path, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, data in
                    let names = Unmanaged<Names>.fromOpaque(data!).takeUnretainedValue()
                    names.list.append(String(cString: name!))
                    return 0
                }, Unmanaged.passUnretained(names).toOpaque(), caps_H5P_DEFAULT())
            }
            guard status >= 0 else { throw H5Error.library(file: self.path, object: H5ObjectName.group(path), "cannot list") }
            return names.list
        }
    }

    /// Whether `path` resolves to an object. `H5Lexists` fails (rather than
    /// answering false) when an intermediate group is missing, so each prefix
    /// is checked in turn. Lock held.
    static func exists(_ path: String, in file: hid_t) -> Bool {
        if path == "/" { return true }
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            guard H5Lexists(file, prefix, caps_H5P_DEFAULT()) > 0 else { return false }
        }
        return H5Oexists_by_name(file, path, caps_H5P_DEFAULT()) > 0
    }

    /// Link-creation properties that create missing parent groups. Lock held.
    static func intermediateGroupsLinkList(file: String) throws -> hid_t {
        let lcpl = H5Pcreate(caps_H5P_LINK_CREATE())
        guard lcpl >= 0, H5Pset_create_intermediate_group(lcpl, 1) >= 0 else {
            throw H5Error.library(file: file, "cannot set up link creation")
        }
        return lcpl
    }
}
