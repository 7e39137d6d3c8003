/// A set of words keyed by their exact UTF-8 bytes, looked up straight from a
/// byte view, so scanning a vector file never builds a Swift `String` per row.
///
/// Matching is byte-exact: unlike `String ==`, canonically equivalent but
/// differently encoded spellings (e.g. precomposed vs decomposed "é") are
/// different words, as they are in the vector files themselves.
struct WordIndex {
    /// The words, in insertion order; a word's position is its key.
    private(set) var words: [[UInt8]] = []
    /// Hash → first key with that hash; `nextWithSameHash` chains the rest.
    private var firstByHash: [UInt64: Int] = [:]
    private var nextWithSameHash: [Int] = []

    var count: Int { words.count }

    /// The key of `word`, inserting it if new.
    mutating func insert(_ word: [UInt8]) -> Int {
        let found = word.withUnsafeBufferPointer { find($0) }
        if let found { return found }
        let key = words.count
        let hash = word.withUnsafeBufferPointer(Self.hash)
        nextWithSameHash.append(firstByHash[hash] ?? -1)
        firstByHash[hash] = key
        words.append(word)
        return key
    }

    /// The key of the word spelled by `bytes`, if present.
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard var key = firstByHash[Self.hash(bytes)] else { return nil }
        while key >= 0 {
            if words[key].elementsEqual(bytes) { return key }
            key = nextWithSameHash[key]
        }
        return nil
    }

    /// 64-bit FNV-1a: cheap, and good enough for a few hundred thousand words.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
