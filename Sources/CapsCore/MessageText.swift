/// Text taken from an input file and shown inside a one-line error message
/// (a header field, a label, a value that does not parse). Control and
/// line-separator characters are written as escapes — `\n`, `\r`, `\t`,
/// `\u{0C}` — so the message stays one line on the terminal (a tool prints
/// it as is) and shows what is really in the file.
public func escapedForMessage(_ text: some StringProtocol) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}
