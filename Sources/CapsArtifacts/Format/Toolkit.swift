import Foundation

/// The toolkit's identity, recorded in every artifact it writes.
public enum Toolkit {
    /// Semantic version of the tools and of the artifact layouts they write.
    public static let version = "0.1.0"
}

/// Quotes command-line arguments so the recorded command can be pasted back
/// into a POSIX shell: `capsfit --note 'two words' in.h5 -o out.h5`.
public func shellQuoted(_ arguments: [String]) -> String {
    arguments.map { argument -> String in
        let safe = !argument.isEmpty && argument.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ",", ":", "=", "+", "@", "%": return true
            default: return false
            }
        }
        return safe ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
}
