import CapsStorage

/// An embedded file (`embed`'s output) opened for training or scoring: the
/// small arrays in memory, the big `/x` [N, L, D] as a row-streaming handle.
public final class TrainingInput {
    public let path: String
    public let file: H5File
    /// N, L, D.
    public let rowCount: Int, maxLength: Int, dimension: Int
    /// [N]: class index per row (−1 = a label training never saw).
    public let labels: [Int32]?
    public let labelNames: [String]
    public let vocabulary: [String]
    public let vocabularyCounts: [Int64]
    /// [V, D]: row = token id.
    public let embedding: [Float]
    /// [N, L] token ids.
    public let ids: [Int32]
    /// `/x` [N, L, D].
    public let x: H5Dataset<Float>

    public init(path: String) throws {
        self.path = path
        file = try H5File.open(at: path)
        let format = try file.attribute("format")?.stringValue
        guard format == "capskit.embedded" else {
            throw TrainingError.notEmbedded(path: path, found: format)
        }
        let shape = try file.requireShape("/x", rank: 3)
        (rowCount, maxLength, dimension) = (shape[0], shape[1], shape[2])
        labelNames = try file.readStrings(from: "/label_names")
        labels = file.contains("/labels") ? try file.read(Int32.self, from: "/labels", shape: [rowCount]).values : nil
        vocabulary = try file.readStrings(from: "/vocab")
        vocabularyCounts = try file.read(Int64.self, from: "/vocab_counts", shape: [vocabulary.count]).values
        embedding = try file.read(Float.self, from: "/embedding", shape: [vocabulary.count, dimension]).values
        ids = try file.read(Int32.self, from: "/ids", shape: [rowCount, maxLength]).values
        x = try file.dataset(at: "/x", as: Float.self)
    }

    /// A root attribute of the file (tokenizer options, provenance), or nil.
    public func attribute(_ name: String) throws -> H5AttributeValue? { try file.attribute(name) }

    /// Labels, required (training and scoring with metrics need them).
    public func requireLabels() throws -> [Int32] {
        guard let labels else { throw TrainingError.unlabeled(path: path) }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= labelNames.count }) {
            throw TrainingError.labelOutOfRange(path: path, row: bad, label: labels[bad], classes: labelNames.count)
        }
        return labels
    }
}
