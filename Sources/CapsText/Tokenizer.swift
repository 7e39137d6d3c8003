import Foundation

/// Options of `Tokenizer`.
public struct TokenizerOptions: Equatable, Sendable {
    /// Apply Unicode NFKC first (full-width forms → ASCII, ligatures split,
    /// compatibility characters folded).
    public var normalize: Bool
    /// Lower-case after normalising.
    public var lowercase: Bool
    /// Make every non-space grapheme cluster its own token (character-level
    /// pipelines); words, numbers and punctuation runs are then not kept together.
    public var characterLevel: Bool

    public init(normalize: Bool = true, lowercase: Bool = true, characterLevel: Bool = false) {
        self.normalize = normalize
        self.lowercase = lowercase
        self.characterLevel = characterLevel
    }
}

/// Splits text into tokens, working on grapheme clusters so a combining mark
/// stays on its base and an emoji sequence stays whole.
///
/// Rules, in order, after NFKC and lower-casing (both optional):
/// - whitespace, control and format characters (e.g. a zero-width space)
///   separate tokens and are dropped;
/// - every CJK character (Han ideographs, Hiragana, Katakana, Bopomofo,
///   Hangul syllables and jamo) is one token, so `iphone手机` → `iphone 手 机`;
/// - every emoji (with its skin-tone modifier, ZWJ sequence, keycap or flag
///   pair) is one token;
/// - letters, digits and marks form words. Inside a word a hyphen joins
///   (`coming-of-age`), an apostrophe joins before a letter (`don't`, `n't`,
///   `it's`), a period joins (`3.14`, `u.s`, `answers.com`) and a comma
///   joins digits (`1,000`). A word of single letters joined by periods takes
///   its final period too (`u.s.`, `e.g.`, `p.m.`). Curly apostrophes become `'`.
/// - an apostrophe that starts a word takes an English clitic after it
///   (`'s 'd 'm 't 'll 're 've 'em`), so pre-tokenised text such as TREC's
///   `celebrities 's` or MR's `do n't` keeps its tokens; otherwise it is
///   punctuation (`'quoted'` → `' quoted '`).
/// - any other character (punctuation, symbols) is a token, and a run of the
///   same character is one token (`...`, `--`, `` `` ``, `''`, `!!!`).
///
/// Contractions are not split (`don't` stays one token), matching the MR
/// data's own tokenisation; text already split (`do n't`) stays split.
/// Scripts written without spaces other than CJK (Thai, Lao, Khmer, ...)
/// are not segmented: a run of their letters is one word.
public struct Tokenizer: Sendable {
    public var options: TokenizerOptions

    public init(options: TokenizerOptions = TokenizerOptions()) {
        self.options = options
    }

    /// The tokens of `text`.
    public func tokenize(_ text: String) -> [String] {
        var normalized = options.normalize ? text.precomposedStringWithCompatibilityMapping : text
        if options.lowercase { normalized = normalized.lowercased() }
        let characters = Array(normalized)
        let classes = characters.map(TokenClass.init)
        if options.characterLevel {
            return zip(characters, classes).compactMap { $1 == .separator ? nil : String($0) }
        }

        var tokens: [String] = []
        var i = 0
        while i < characters.count {
            switch classes[i] {
            case .separator:
                i += 1
            case .cjk, .emoji:
                tokens.append(String(characters[i]))
                i += 1
            case .word:
                let end = Self.wordEnd(characters, classes, from: i)
                tokens.append(Self.spelling(characters[i..<end]))
                i = end
            case .other:
                if let end = Self.cliticEnd(characters, classes, at: i) {
                    tokens.append(Self.spelling(characters[i..<end]))
                    i = end
                } else {
                    var end = i + 1
                    while end < characters.count, characters[end] == characters[i] { end += 1 }
                    tokens.append(String(characters[i..<end]))
                    i = end
                }
            }
        }
        return tokens
    }

    /// Tokenises a document's text, keeping its labels and line.
    public func tokenize(_ document: LabeledDocument) -> TokenizedDocument {
        TokenizedDocument(labels: document.labels, tokens: tokenize(document.text), line: document.line)
    }

    // MARK: - Word rules

    static let apostrophes: Set<Character> = ["'", "\u{2019}", "\u{02BC}"]
    static let hyphens: Set<Character> = ["-", "\u{2010}"]
    static let clitics: Set<String> = ["s", "d", "m", "t", "ll", "re", "ve", "em"]

    /// The end of the word starting at `start` (a `.word` character).
    static func wordEnd(_ chars: [Character], _ classes: [TokenClass], from start: Int) -> Int {
        var j = start + 1
        while j < chars.count {
            if classes[j] == .word {
                j += 1
                continue
            }
            // A joiner counts only between two word characters.
            guard j + 1 < chars.count, classes[j + 1] == .word else { break }
            let joiner = chars[j], previous = chars[j - 1], next = chars[j + 1]
            let joins = hyphens.contains(joiner)
                || joiner == "."
                || (apostrophes.contains(joiner) && next.isLetter)
                || (joiner == "," && previous.isNumber && next.isNumber)
            guard joins else { break }
            j += 2
        }
        // Initialisms (`u.s.`, `e.g.`) keep their final period.
        if j < chars.count, chars[j] == ".", isInitialism(chars[start..<j]) { j += 1 }
        return j
    }

    /// True for single letters separated by periods: `u.s`, `e.g`, `d.c`.
    static func isInitialism(_ word: ArraySlice<Character>) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count > 1 && parts.allSatisfy { $0.count == 1 && $0.first!.isLetter }
    }

    /// The end of an apostrophe-led clitic (`'s`, `'ll`) at `i`, if there is one.
    static func cliticEnd(_ chars: [Character], _ classes: [TokenClass], at i: Int) -> Int? {
        guard apostrophes.contains(chars[i]) else { return nil }
        if i > 0, classes[i - 1] == .word { return nil }
        var end = i + 1
        while end < chars.count, classes[end] == .word, chars[end].isLetter { end += 1 }
        guard end > i + 1, end == chars.count || classes[end] != .word else { return nil }
        return clitics.contains(String(chars[(i + 1)..<end]).lowercased()) ? end : nil
    }

    /// A token's text with curly apostrophes and Unicode hyphens made ASCII.
    static func spelling(_ characters: ArraySlice<Character>) -> String {
        String(characters.map { c -> Character in
            if apostrophes.contains(c) { return "'" }
            if hyphens.contains(c) { return "-" }
            return c
        })
    }
}
