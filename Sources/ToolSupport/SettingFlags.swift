import ArgumentParser
import CapsCore

/// Reads the flags of an arguments struct whose options stand for declared
/// settings (`Setting`): every `@Option var camelCase: String?`, by the
/// kebab-case flag ArgumentParser gives it.
public enum SettingFlags {
    /// (flag, text) for every such option the user gave, in declaration order.
    public static func given<Arguments: ParsableArguments>(in arguments: Arguments) -> [(flag: String, text: String)] {
        Mirror(reflecting: arguments).children.compactMap { child in
            guard let label = child.label, let option = child.value as? Option<String?>,
                  let text = option.wrappedValue else { return nil }
            return (flag(forProperty: String(label.drop { $0 == "_" })), text)
        }
    }

    /// Applies every given flag of `arguments` to `root` through its setting.
    public static func apply<Arguments: ParsableArguments, Root>(_ arguments: Arguments, to root: inout Root,
                                                                 settings: [Setting<Root>]) throws {
        for (flag, text) in given(in: arguments) {
            guard let setting = settings.first(where: { $0.isFlag && $0.flag == flag }) else {
                preconditionFailure("\(Arguments.self): option --\(flag) has no setting")
            }
            do {
                try setting.parse(text, into: &root)
            } catch let error as SettingError {
                throw ValidationError(error.description)
            }
        }
    }

    /// The help of the setting called `name`, with its default in `defaults`.
    public static func help<Root>(_ name: String, in settings: [Setting<Root>], defaults: Root) -> ArgumentHelp {
        guard let setting = settings.first(where: { $0.name == name }) else {
            preconditionFailure("no setting \(name) in \(Root.self).settings")
        }
        return ArgumentHelp(setting.helpText(defaults: defaults), valueName: setting.flag)
    }

    /// Every flag such options declare, given or not.
    public static func declared<Arguments: ParsableArguments>(in arguments: Arguments) -> [String] {
        Mirror(reflecting: arguments).children.compactMap { child in
            guard let label = child.label, child.value is Option<String?> else { return nil }
            return flag(forProperty: String(label.drop { $0 == "_" }))
        }
    }

    /// `primaryKernel` → `primary-kernel`, `mPlus` → `m-plus` (ArgumentParser's convention).
    static func flag(forProperty name: String) -> String {
        var flag = ""
        for character in name {
            if character.isUppercase {
                flag += "-" + character.lowercased()
            } else {
                flag.append(character)
            }
        }
        return flag
    }
}
