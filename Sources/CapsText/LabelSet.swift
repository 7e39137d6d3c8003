/// The class labels of a training set, name ↔ index.
///
/// Names are sorted by their UTF-8 bytes (for ASCII: plain alphabetical, all
/// capitals before lower case), so the same labels always get the same
/// indices whatever order the documents came in.
public struct LabelSet: Equatable, Sendable {
    /// Label names by index.
    public let names: [String]
    private let indices: [String: Int32]

    /// The distinct names of `names`, sorted.
    public init(_ names: some Sequence<String>) {
        let sorted = Set(names).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.names = sorted
        self.indices = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
    }

    /// Every label of every document (the class and any further labels).
    public init(documents: some Sequence<LabeledDocument>) {
        self.init(documents.lazy.flatMap(\.labels))
    }

    /// The number of labels.
    public var count: Int { names.count }

    /// The index of `name`, or nil if it is not in the set.
    public func index(of name: String) -> Int32? {
        indices[name]
    }

    /// The name at a valid index.
    public func name(at index: Int32) -> String {
        names[Int(index)]
    }
}

/// What encoding (`tokenize --unseen-labels`) does with a label the training
/// label set does not have. (Scoring has its own choice, `UnseenLabelScoring`.)
public enum UnseenLabelPolicy: String, Equatable, Sendable, CaseIterable {
    /// Stop with an error naming the label and its line.
    case fail
    /// Keep the document with label index -1 (it can be predicted but not
    /// scored) and report it in `CorpusStatistics.unseenLabels`.
    case markUnknown = "unknown"
}
