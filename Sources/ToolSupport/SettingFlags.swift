import ArgumentParser

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
