/// What role a grapheme cluster plays in tokenisation (see `Tokenizer`).
/// A cluster is classified by its first scalar, except that emoji sequences
/// are recognised from the whole cluster.
enum TokenClass: Equatable {
    /// Whitespace, controls and invisible format characters: dropped.
    case separator
    /// A CJK character: always a token of its own.
    case cjk
    /// An emoji (sequence): always a token of its own.
    case emoji
    /// A letter, digit or mark: part of a word.
    case word
    /// Punctuation or a symbol.
    case other

    init(_ character: Character) {
        let first = character.unicodeScalars.first!
        if character.isWhitespace {
            self = .separator
            return
        }
        if Self.isEmoji(character) {
            self = .emoji
            return
        }
        if Self.isCJK(first) {
            self = .cjk
            return
        }
        switch first.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            self = .separator
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber,
             .nonspacingMark, .spacingMark, .enclosingMark:
            self = .word
        default:
            self = .other
        }
    }

    /// Emoji clusters: a scalar shown as emoji by default, a regional-indicator
    /// flag, or an emoji-capable scalar turned into emoji by VS16, a skin-tone
    /// modifier, a ZWJ sequence or a keycap mark. (Digits, `#` and `*` are
    /// emoji-capable, so a plain `1` is not an emoji, but `1️⃣` is.)
    static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        let first = scalars.first!
        if first.properties.isEmojiPresentation || (0x1F1E6...0x1F1FF).contains(first.value) { return true }
        guard first.properties.isEmoji, scalars.count > 1 else { return false }
        return scalars.dropFirst().contains {
            $0 == "\u{FE0F}" || $0 == "\u{200D}" || $0 == "\u{20E3}" || $0.properties.isEmojiModifier
        }
    }

    /// Han (with radicals and ideographic marks), kana, Bopomofo and Hangul.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x2FDF,    // CJK and Kangxi radicals
             0x3005, 0x3007,     // 々 iteration mark, 〇 ideographic zero
             0x3021...0x3029, 0x3038...0x303B, // Hangzhou numerals, more iteration marks
             0x3040...0x30FF,    // Hiragana, Katakana (incl. ー)
             0x3100...0x312F, 0x31A0...0x31BF, // Bopomofo
             0x3130...0x318F,    // Hangul compatibility jamo
             0x31F0...0x31FF,    // Katakana phonetic extensions
             0x3400...0x4DBF,    // Han extension A
             0x4E00...0x9FFF,    // Han unified ideographs
             0xA960...0xA97F, 0xD7B0...0xD7FF, 0x1100...0x11FF, // Hangul jamo
             0xAC00...0xD7AF,    // Hangul syllables
             0xF900...0xFAFF,    // Han compatibility ideographs
             0x1B000...0x1B16F,  // kana supplement and extensions
             0x20000...0x2FA1F,  // Han extensions B–F, compatibility supplement
             0x30000...0x323AF:  // Han extensions G, H
            return true
        default:
            return false
        }
    }
}
