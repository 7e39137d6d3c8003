

/// Every label of every document, for multi-label input, in compressed
/// sparse row (CSR) form: document i's label indices are
/// `indices[offsets[i] ..< offsets[i + 1]]`, in source order.
///
/// Stored as `/label_offsets` int64 [N + 1] (starting at 0, non-decreasing)
/// and `/label_indices` int32 [offsets[N]] (−1 for a label unseen in training).
public struct LabelLists: Equatable, Sendable {
    /// Start of each document's labels in `indices`, [N + 1].
    public var offsets: [Int64]
    /// The label indices of all documents, one after the other.
    public var indices: [Int32]

    /// Packs one list of label indices per document.
    public init(_ lists: [[Int32]]) {
        var offsets: [Int64] = [0]
        offsets.reserveCapacity(lists.count + 1)
        var indices: [Int32] = []
        for list in lists {
            indices += list
            offsets.append(Int64(indices.count))
        }
        self.offsets = offsets
        self.indices = indices
    }

    /// Arrays already in CSR form (as `InternedCorpus` encodes them).
    public init(offsets: [Int64], indices: [Int32]) {
        precondition(offsets.first == 0 && offsets.last == Int64(indices.count),
                     "CSR offsets must run from 0 to the number of indices")
        self.offsets = offsets
        self.indices = indices
    }

    /// Stored arrays, after checking that they form a valid CSR layout.
    init(offsets: [Int64], indices: [Int32], documents: Int, labels: Int, file: String) throws {
        func fail(_ message: String) -> ArtifactError {
            ArtifactError(file: file, object: "dataset /label_offsets", message: message)
        }
        guard offsets.count == documents + 1 else {
            throw fail("has \(offsets.count) entries; expected \(documents + 1) (documents + 1)")
        }
        guard offsets.first == 0, offsets.last == Int64(indices.count) else {
            throw fail("runs from \(offsets.first ?? -1) to \(offsets.last ?? -1); expected 0 to \(indices.count) (the length of /label_indices)")
        }
        if let i = offsets.indices.dropLast().first(where: { offsets[$0] > offsets[$0 + 1] }) {
            throw fail("decreases at document \(i); expected non-decreasing offsets")
        }
        if let bad = indices.first(where: { $0 < -1 || $0 >= Int32(labels) }) {
            throw ArtifactError(file: file, object: "dataset /label_indices",
                                message: "holds \(bad); expected −1 or a label index below \(labels)")
        }
        self.offsets = offsets
        self.indices = indices
    }

    /// The number of documents.
    public var count: Int { offsets.count - 1 }

    /// The label indices of document `i`.
    public subscript(i: Int) -> ArraySlice<Int32> {
        indices[Int(offsets[i]) ..< Int(offsets[i + 1])]
    }
}
