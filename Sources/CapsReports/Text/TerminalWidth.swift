

/// How many terminal columns text occupies, so tables with CJK or accented
/// class names still line up.
///
/// Follows the usual `wcwidth` conventions: East Asian Wide and Fullwidth
/// characters (CJK ideographs, kana, Hangul, fullwidth forms) and emoji take
/// two columns; combining marks, format characters and zero-width joiners
/// take none; everything else takes one. Width is measured per grapheme
/// cluster so "e" + U+0301 counts as one column.
public enum TerminalWidth {
    /// Display width of `text` in terminal columns.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        text.reduce(0) { $0 + of(character: $1) }
    }

    /// Display width of one grapheme cluster: the widest of its scalars,
    /// since marks and joiners attach to the base character.
    public static func of(character: Character) -> Int {
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }  // emoji presentation selector
        return character.unicodeScalars.map(of(scalar:)).max() ?? 0
    }

    /// Display width of a single scalar (0, 1 or 2).
    public static func of(scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// `text` cut to at most `width` columns, ending in "…" when cut, and
    /// never splitting a grapheme cluster or a double-width character.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var kept = ""
        var used = 0
        for ch in text {
            let w = of(character: ch)
            if used + w > width - 1 { break }   // keep one column for the ellipsis
            kept.append(ch)
            used += w
        }
        return kept + "…"
    }

    /// `text` padded with spaces to `width` columns, on the left (`right: true`) or right.
    public static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(text)))
        return right ? fill + text : text + fill
    }

    // East Asian Width W and F blocks (Unicode 15), merged into ranges.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E,
        0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
