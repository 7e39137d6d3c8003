import Foundation

/// Token ↔ id mapping with training counts.
///
/// Id 0 is `<pad>` (fills encoded rows past a document's end) and id 1 is
/// `<unk>` (any token not in the vocabulary). Training tokens follow from
/// id 2, by descending count, ties broken by the tokens' UTF-8 bytes, so the
/// same corpus always gives the same ids. Tokens added by `extend(with:)`
/// come after all training tokens with count 0.
public struct Vocabulary: Equatable, Sendable {
    public static let padToken = "<pad>"
    public static let unknownToken = "<unk>"
    public static let padID: Int32 = 0
    public static let unknownID: Int32 = 1

    /// Tokens by id.
    public private(set) var tokens: [String]
    /// Training counts by id (0 for the two special tokens and for extensions).
    public private(set) var counts: [Int64]
    private var ids: [String: Int32]

    /// Rebuilds a vocabulary from stored `tokens` and `counts` (as saved from
    /// an earlier one), checking that they describe a valid vocabulary.
    public init(tokens: [String], counts: [Int64]) throws {
        guard tokens.count == counts.count else {
            throw VocabularyError.countMismatch(tokens: tokens.count, counts: counts.count)
        }
        guard tokens.count >= 2, tokens[0] == Self.padToken, tokens[1] == Self.unknownToken else {
            throw VocabularyError.missingSpecialTokens(found: Array(tokens.prefix(2)))
        }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            if let first = ids.updateValue(Int32(id), forKey: token) {
                throw VocabularyError.duplicateToken(token, firstID: Int(first), secondID: id)
            }
        }
        self.tokens = tokens
        self.counts = counts
        self.ids = ids
    }

    /// The vocabulary of tokens counted in `counter`: those seen at least
    /// `minCount` times, the most frequent first, at most `maxSize` entries in
    /// all (including `<pad>` and `<unk>`, so `maxSize` is the number of rows
    /// of an embedding table; nil means no limit).
    public init(counter: TokenCounter, minCount: Int64 = 1, maxSize: Int? = nil) {
        self.init(tokenCounts: counter.counts.lazy.map { ($0.key, $0.value) }, minCount: minCount, maxSize: maxSize)
    }

    /// The same vocabulary from distinct tokens with their counts, in any
    /// order (the sort is total); `<pad>` and `<unk>` among them are ignored,
    /// as their ids are fixed. How a corpus counted without a `TokenCounter`
    /// (`InternedCorpus`) gets the vocabulary a counter would give.
    public init(tokenCounts: some Sequence<(String, Int64)>, minCount: Int64 = 1, maxSize: Int? = nil) {
        precondition(maxSize.map { $0 >= 2 } ?? true, "a vocabulary holds at least <pad> and <unk>")
        var entries = tokenCounts.filter { token, count in
            count >= minCount && token != Self.padToken && token != Self.unknownToken
        }
        entries.sort { a, b in
            a.1 != b.1 ? a.1 > b.1 : a.0.utf8.lexicographicallyPrecedes(b.0.utf8)
        }
        if let maxSize, entries.count > maxSize - 2 { entries.removeLast(entries.count - (maxSize - 2)) }
        // The special tokens were filtered out and the rest are distinct, so this cannot throw.
        try! self.init(tokens: [Self.padToken, Self.unknownToken] + entries.map(\.0),
                       counts: [0, 0] + entries.map(\.1))
    }

    /// Counts the tokens of `documents` and builds the vocabulary from them.
    public init(documents: some Sequence<TokenizedDocument>, minCount: Int64 = 1, maxSize: Int? = nil) {
        var counter = TokenCounter()
        for document in documents { counter.add(document.tokens) }
        self.init(counter: counter, minCount: minCount, maxSize: maxSize)
    }

    /// The number of entries, the two special tokens included.
    public var count: Int { tokens.count }

    /// The id of `token`, or `unknownID`.
    public func id(for token: String) -> Int32 {
        ids[token] ?? Self.unknownID
    }

    /// Whether `token` has an id of its own.
    public func contains(_ token: String) -> Bool {
        ids[token] != nil
    }

    /// The token of a valid id.
    public func token(for id: Int32) -> String {
        tokens[Int(id)]
    }

    /// Appends the tokens of `newTokens` that are not yet in the vocabulary,
    /// with count 0, in UTF-8 byte order (so the result does not depend on the
    /// order they are given in). Existing ids do not change.
    /// - Returns: the number of tokens added.
    @discardableResult
    public mutating func extend(with newTokens: some Sequence<String>) -> Int {
        let unseen = Set(newTokens.filter { ids[$0] == nil })
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for token in unseen {
            ids[token] = Int32(tokens.count)
            tokens.append(token)
            counts.append(0)
        }
        return unseen.count
    }
}

/// Token counts accumulated document by document, so a large corpus can be
/// counted while it streams.
public struct TokenCounter: Sendable {
    public private(set) var counts: [String: Int64] = [:]
    /// The number of tokens added (including ignored special tokens).
    public private(set) var total: Int64 = 0

    public init() {}

    /// Counts `tokens`; `<pad>` and `<unk>` are ignored, as their ids are fixed.
    public mutating func add(_ tokens: [String]) {
        total += Int64(tokens.count)
        for token in tokens where token != Vocabulary.padToken && token != Vocabulary.unknownToken {
            counts[token, default: 0] += 1
        }
    }
}

/// A stored vocabulary that cannot be used as one.
public enum VocabularyError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case countMismatch(tokens: Int, counts: Int)
    case missingSpecialTokens(found: [String])
    case duplicateToken(String, firstID: Int, secondID: Int)

    public var description: String {
        switch self {
        case .countMismatch(let tokens, let counts):
            return "vocabulary has \(tokens) tokens but \(counts) counts; expected one count per token"
        case .missingSpecialTokens(let found):
            return "vocabulary starts with \(found); expected [\"<pad>\", \"<unk>\"] at ids 0 and 1"
        case .duplicateToken(let token, let first, let second):
            return "vocabulary token \"\(token)\" appears at ids \(first) and \(second); expected each token once"
        }
    }

    public var errorDescription: String? { description }
}
