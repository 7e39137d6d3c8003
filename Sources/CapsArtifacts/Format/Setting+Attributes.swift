import CapsCore
import CapsStorage

/// Settings lists (`CapsNetConfig.settings`, `TrainingOptions.settings`) as
/// HDF5 root attributes: the one mapping between a declared field and the
/// attribute that stores it.
extension SettingValue {
    /// The attribute that stores this value (a float as its exact double).
    public var attribute: H5AttributeValue {
        switch self {
        case let .int(i): return .int(Int64(i))
        case let .float(f): return .double(Double(f))
        case let .double(d): return .double(d)
        case let .string(s): return .string(s)
        case let .ints(list): return .ints(list.map(Int64.init))
        }
    }

    /// The value an attribute holds, when its type is one a setting can take.
    public init?(attribute: H5AttributeValue) {
        switch attribute {
        case let .int(i): self = .int(Int(i))
        case let .double(d): self = .double(d)
        case let .string(s): self = .string(s)
        case let .ints(list): self = .ints(list.map { Int($0) })
        case .doubles, .strings: return nil
        }
    }
}

extension Array {
    /// One attribute per setting, named as declared, in declaration order.
    public func attributes<Root>(of root: Root) -> [(String, H5AttributeValue)] where Element == Setting<Root> {
        map { ($0.name, $0.value(in: root).attribute) }
    }

    /// The names of these settings' attributes.
    public func attributeNames<Root>() -> [String] where Element == Setting<Root> { map(\.name) }

    /// Sets every setting of `root` from `attribute(name)`; a setting absent
    /// from the file takes its legacy value, or is an error naming it.
    /// - Parameter file: the path named in errors.
    public func read<Root>(into root: inout Root, file: String,
                           attribute: (String) throws -> H5AttributeValue?) throws where Element == Setting<Root> {
        for setting in self {
            let object = "attribute '\(setting.name)' on /"
            guard let stored = try attribute(setting.name) else {
                guard let legacy = setting.legacyValue else {
                    throw ArtifactError(file: file, object: object, message: "missing; expected \(setting.expected)")
                }
                try setting.set(legacy, in: &root)
                continue
            }
            guard let value = SettingValue(attribute: stored) else {
                throw ArtifactError(file: file, object: object, message: "found \(stored); expected \(setting.expected)")
            }
            do {
                try setting.set(value, in: &root)
            } catch {
                throw ArtifactError(file: file, object: object, message: "found \(stored); expected \(setting.expected)")
            }
        }
    }
}
