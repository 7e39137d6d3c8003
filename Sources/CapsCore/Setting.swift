import Foundation

/// A setting's value as files, flags and exports see it, independent of any
/// file format: an HDF5 attribute, a command-line word, a JSON value.
public enum SettingValue: Equatable, Sendable, CustomStringConvertible {
    case int(Int)
    /// A value the network computes in float32 (stored as its exact double).
    case float(Float)
    case double(Double)
    case string(String)
    case ints([Int])

    /// As a user writes it on the command line and reads it in a summary:
    /// floats in their shortest float32 decimal (0.392, not 0.39199998…),
    /// lists comma-separated (the spelling of `--decoder-hidden 512,1024`).
    public var description: String {
        switch self {
        case let .int(i): return String(i)
        case let .float(f): return f.description
        case let .double(d): return d.description
        case let .string(s): return s
        case let .ints(list): return list.map(String.init).joined(separator: ",")
        }
    }
}

/// Why a setting's value was refused: one line naming the setting.
public struct SettingError: Error, Equatable, CustomStringConvertible {
    /// The setting's name in files (`primary_kernel`).
    public var name: String
    /// What was found and what was expected.
    public var reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public var description: String { "\(name) \(reason)" }
}

/// One field of a configuration type `Root`, declared once: its name in
/// files, its command-line flag, its help, how its value is converted, its
/// check, and its value in files written before it existed.
///
/// A list of these (`CapsNetConfig.settings`, `TrainingOptions.settings`) is
/// the single declaration that the model file's attributes (written and
/// read), capsfit's flags and their help, `--resume`, and capsexport's
/// configuration and summary all go through.
public struct Setting<Root>: @unchecked Sendable {
    /// The name in files and exports (`primary_kernel`).
    public let name: String
    /// The command-line flag without dashes (`primary-kernel`).
    public let flag: String
    /// Whether the user sets it with a flag (false: it comes from the data, e.g. the class count).
    public let isFlag: Bool
    /// One sentence for `--help`.
    public let help: String
    /// The value to assume when a file written before this setting existed lacks it.
    public let legacyValue: SettingValue?
    private let getter: (Root) -> SettingValue
    private let setter: (inout Root, SettingValue) -> Bool
    private let parser: (String) -> SettingValue?
    private let checker: (Root) -> String?
    /// The default as `--help` shows it, nil when the help says it in words.
    private let defaultText: ((Root) -> String?)?
    /// What the flag takes, for error messages ("a whole number").
    public let expected: String

    init(name: String, flag: String?, isFlag: Bool = true, help: String, expected: String, legacyValue: SettingValue?,
         get: @escaping (Root) -> SettingValue, set: @escaping (inout Root, SettingValue) -> Bool,
         parse: @escaping (String) -> SettingValue?, check: @escaping (Root) -> String?,
         defaultText: ((Root) -> String?)? = nil) {
        self.name = name
        self.flag = flag ?? name.replacingOccurrences(of: "_", with: "-")
        self.isFlag = isFlag
        self.help = help
        self.expected = expected
        self.legacyValue = legacyValue
        getter = get; setter = set; parser = parse; checker = check
        self.defaultText = defaultText
    }

    /// The value in `root`.
    public func value(in root: Root) -> SettingValue { getter(root) }

    /// Sets the value from a file or an export; throws when its type does not fit.
    public func set(_ value: SettingValue, in root: inout Root) throws {
        guard setter(&root, value) else {
            throw SettingError(name: name, reason: "is \(value); expected \(expected)")
        }
    }

    /// Sets the value from the command line.
    public func parse(_ text: String, into root: inout Root) throws {
        guard let value = parser(text.trimmingCharacters(in: .whitespaces)), setter(&root, value) else {
            throw SettingError(name: "--\(flag)", reason: "must be \(expected) (got '\(text)')")
        }
    }

    /// nil when the value in `root` is acceptable, else what it must be
    /// ("must be at least 1"), to be followed by the value found.
    public func check(_ root: Root) -> String? { checker(root) }

    /// How errors name the setting: its flag, or its name when it has none.
    public var displayName: String { isFlag ? "--\(flag)" : name }

    /// The help line with the default of `defaults` appended.
    public func helpText(defaults: Root) -> String {
        guard let shown = defaultText.map({ $0(defaults) }) ?? value(in: defaults).description else { return help }
        return "\(help) (default: \(shown))"
    }
}

// MARK: - Declaring settings by type

extension Setting {
    /// An integer field; `check` returns what a refused value must be
    /// ("must be at least 1"), or nil. `commandLine: false`: no generic flag
    /// (set from the data, or by a flag of its own shape).
    public static func int(_ name: String, _ keyPath: WritableKeyPath<Root, Int>, flag: String? = nil,
                           commandLine: Bool = true, help: String, legacy: Int? = nil,
                           check: @escaping (Int) -> String? = { _ in nil }) -> Setting {
        Setting(name: name, flag: flag, isFlag: commandLine, help: help, expected: "a whole number", legacyValue: legacy.map { .int($0) },
                get: { .int($0[keyPath: keyPath]) },
                set: { root, value in
                    guard case let .int(i) = value else { return false }
                    root[keyPath: keyPath] = i; return true
                },
                parse: { Int($0).map { .int($0) } },
                check: { check($0[keyPath: keyPath]) })
    }

    /// An optional integer whose absence means a value computed from the
    /// others (`resolved`); files store the resolved value. A stored or
    /// typed value equal to `absent` reads back as nil (for when no single
    /// value stands for the absence).
    public static func int(_ name: String, _ keyPath: WritableKeyPath<Root, Int?>, resolved: @escaping (Root) -> Int,
                           absent: Int? = nil, flag: String? = nil, help: String,
                           check: @escaping (Root) -> String? = { _ in nil }) -> Setting {
        Setting(name: name, flag: flag, help: help, expected: "a whole number", legacyValue: nil,
                get: { .int($0[keyPath: keyPath] ?? resolved($0)) },
                set: { root, value in
                    guard case let .int(i) = value else { return false }
                    root[keyPath: keyPath] = i == absent ? nil : i; return true
                },
                parse: { Int($0).map { .int($0) } },
                check: check,
                defaultText: { root in root[keyPath: keyPath].map(String.init) })
    }

    /// A float32 field (stored as its exact double).
    public static func float(_ name: String, _ keyPath: WritableKeyPath<Root, Float>, flag: String? = nil,
                             help: String, legacy: Float? = nil,
                             check: @escaping (Float) -> String? = { _ in nil }) -> Setting {
        Setting(name: name, flag: flag, help: help, expected: "a number", legacyValue: legacy.map { .float($0) },
                get: { .float($0[keyPath: keyPath]) },
                set: { root, value in
                    switch value {
                    case let .float(f): root[keyPath: keyPath] = f
                    case let .double(d): root[keyPath: keyPath] = Float(d)
                    default: return false
                    }
                    return true
                },
                parse: { Float($0).map { .float($0) } },
                check: { check($0[keyPath: keyPath]) })
    }

    /// A double-precision field.
    public static func double(_ name: String, _ keyPath: WritableKeyPath<Root, Double>, flag: String? = nil,
                              help: String, legacy: Double? = nil,
                              check: @escaping (Double) -> String? = { _ in nil }) -> Setting {
        Setting(name: name, flag: flag, help: help, expected: "a number", legacyValue: legacy.map { .double($0) },
                get: { .double($0[keyPath: keyPath]) },
                set: { root, value in
                    switch value {
                    case let .double(d): root[keyPath: keyPath] = d
                    case let .float(f): root[keyPath: keyPath] = Double(f)
                    default: return false
                    }
                    return true
                },
                parse: { Double($0).map { .double($0) } },
                check: { check($0[keyPath: keyPath]) })
    }

    /// A list of integers, written `512,1024` on the command line. With
    /// `scalarWhenSingle`, a one-element list is stored as a plain integer
    /// (a field that was once one integer, so older files and the PyTorch
    /// reference read as before), and a plain integer reads as that list.
    public static func ints(_ name: String, _ keyPath: WritableKeyPath<Root, [Int]>, flag: String? = nil,
                            scalarWhenSingle: Bool = false,
                            help: String, check: @escaping ([Int]) -> String? = { _ in nil }) -> Setting {
        Setting(name: name, flag: flag, help: help, expected: "comma-separated whole numbers", legacyValue: nil,
                get: { root in
                    let list = root[keyPath: keyPath]
                    return scalarWhenSingle && list.count == 1 ? .int(list[0]) : .ints(list)
                },
                set: { root, value in
                    switch value {
                    case let .ints(list): root[keyPath: keyPath] = list
                    case let .int(i) where scalarWhenSingle: root[keyPath: keyPath] = [i]
                    default: return false
                    }
                    return true
                },
                parse: { text in
                    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                        .map { Int($0.trimmingCharacters(in: .whitespaces)) }
                    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
                    return .ints(parts.map { $0! })
                },
                check: { check($0[keyPath: keyPath]) })
    }

    /// One of the cases of a string enumeration.
    public static func choice<Choice: RawRepresentable & CaseIterable>(
        _ name: String, _ keyPath: WritableKeyPath<Root, Choice>, flag: String? = nil, commandLine: Bool = true,
        help: String, legacy: Choice? = nil
    ) -> Setting where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        return Setting(name: name, flag: flag, isFlag: commandLine, help: help,
                       expected: "one of " + names.joined(separator: ", "),
                       legacyValue: legacy.map { .string($0.rawValue) },
                       get: { .string($0[keyPath: keyPath].rawValue) },
                       set: { root, value in
                           guard case let .string(s) = value, let choice = Choice(rawValue: s) else { return false }
                           root[keyPath: keyPath] = choice; return true
                       },
                       parse: { text in Choice(rawValue: text).map { .string($0.rawValue) } },
                       check: { _ in nil })
    }

    /// A free-form text field (a keyword or a path); `check` as for `int`.
    public static func text(_ name: String, _ keyPath: WritableKeyPath<Root, String>, flag: String? = nil,
                            help: String, expected: String, legacy: String? = nil,
                            check: @escaping (String) -> String? = { _ in nil }) -> Setting {
        Setting(name: name, flag: flag, help: help, expected: expected, legacyValue: legacy.map { .string($0) },
                get: { .string($0[keyPath: keyPath]) },
                set: { root, value in
                    guard case let .string(s) = value else { return false }
                    root[keyPath: keyPath] = s; return true
                },
                parse: { $0.isEmpty ? nil : .string($0) },
                check: { check($0[keyPath: keyPath]) })
    }

    /// A yes/no field, stored as 0 or 1.
    public static func bool(_ name: String, _ keyPath: WritableKeyPath<Root, Bool>, flag: String? = nil,
                            commandLine: Bool = true, help: String, legacy: Bool? = nil) -> Setting {
        Setting(name: name, flag: flag, isFlag: commandLine, help: help, expected: "0 or 1", legacyValue: legacy.map { .int($0 ? 1 : 0) },
                get: { .int($0[keyPath: keyPath] ? 1 : 0) },
                set: { root, value in
                    guard case let .int(i) = value, i == 0 || i == 1 else { return false }
                    root[keyPath: keyPath] = i == 1; return true
                },
                parse: { text in
                    switch text {
                    case "1", "true", "yes": return .int(1)
                    case "0", "false", "no": return .int(0)
                    default: return nil
                    }
                },
                check: { _ in nil })
    }

    /// A 64-bit seed, stored as the signed integer with the same bits.
    public static func seed(_ name: String, _ keyPath: WritableKeyPath<Root, UInt64>, flag: String? = nil,
                            help: String) -> Setting {
        Setting(name: name, flag: flag, help: help, expected: "a whole number 0…2^64−1", legacyValue: nil,
                get: { .int(Int(Int64(bitPattern: $0[keyPath: keyPath]))) },
                set: { root, value in
                    guard case let .int(i) = value else { return false }
                    root[keyPath: keyPath] = UInt64(bitPattern: Int64(i)); return true
                },
                parse: { UInt64($0).map { .int(Int(Int64(bitPattern: $0))) } },
                check: { _ in nil })
    }
}

extension Array {
    /// The setting called `name` (its file name) in a settings list.
    public func setting<Root>(named name: String) -> Setting<Root>? where Element == Setting<Root> {
        first { $0.name == name }
    }

    /// The first setting whose value in `root` is refused, as an error.
    public func validate<Root>(_ root: Root) throws where Element == Setting<Root> {
        for setting in self {
            if let requirement = setting.check(root) {
                throw SettingError(name: setting.displayName, reason: "\(requirement) (got \(setting.value(in: root)))")
            }
        }
    }
}
