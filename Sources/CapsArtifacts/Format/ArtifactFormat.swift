import CapsStorage

/// The identity of an artifact layout: the root attributes `format` (a name
/// such as "capskit.tokens") and `format_version` (an integer raised whenever
/// a reader of the old layout would misread the new one).
public struct ArtifactFormat: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var version: Int

    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name) version \(version)" }

    /// The root attributes of the artifact header (`ArtifactWriter`): format and provenance.
    public static let headerAttributeNames = ["format", "format_version", "tool", "tool_version", "command"]

    /// The attributes that mark a file as this format.
    var attributes: [(String, H5AttributeValue)] {
        [("format", .string(name)), ("format_version", .int(Int64(version)))]
    }
}

extension H5File {
    /// Checks the root attributes `format` and `format_version` against
    /// `expected`, so a reader never misreads another kind of file.
    public func requireFormat(_ expected: ArtifactFormat) throws {
        let formatObject = "attribute 'format' on /"
        guard let value = try attribute("format") else {
            throw ArtifactError(file: path, object: formatObject,
                                message: "missing; expected \"\(expected.name)\" (not a CapsKit \(expected.name) file)")
        }
        guard let name = value.stringValue, name == expected.name else {
            throw ArtifactError(file: path, object: formatObject,
                                message: "found \(value); expected \"\(expected.name)\"")
        }
        let versionObject = "attribute 'format_version' on /"
        guard let version = try attribute("format_version")?.intValue else {
            throw ArtifactError(file: path, object: versionObject, message: "missing; expected the integer \(expected.version)")
        }
        guard version == expected.version else {
            throw ArtifactError(file: path, object: versionObject,
                                message: "found \(version); this toolkit (\(Toolkit.version)) reads \(expected.name) version \(expected.version); remake the file with this toolkit's tools")
        }
    }

    /// Writes `attributes` on the root group, prefixing each name with `prefix`.
    public func setRootAttributes(_ attributes: [(String, H5AttributeValue)], prefix: String = "") throws {
        for (name, value) in attributes { try setAttribute(prefix + name, value) }
    }

    /// A required 0/1 integer attribute read as a Bool.
    public func requireFlag(_ name: String) throws -> Bool {
        let value = try requireInt(name)
        guard value == 0 || value == 1 else {
            throw ArtifactError(file: path, object: "attribute '\(name)' on /", message: "found \(value); expected 0 or 1")
        }
        return value == 1
    }
}
