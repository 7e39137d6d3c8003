import CapsStorage

/// `scores.h5`, written by `capseval -o`: the capsule lengths of every
/// document, the predictions and, for labelled input, the confusion matrix
/// and the headline metrics.
///
/// Layout (N documents, C classes):
/// - `/lengths` float32 [N, C], `/predictions` int32 [N], `/label_names` string [C];
/// - with labels: `/labels` int32 [N] (−1 = unseen) and `/confusion` int32 [C, C]
///   (rows = true class) over the labelled documents;
/// - root attributes: the header (`format` = "capskit.scores",
///   `format_version`, `tool` = "capseval", `tool_version`, `command`);
///   `documents`; with labels `labelled_documents`, `accuracy`, `macro_f1`,
///   `weighted_f1`, `margin_loss`; and `model`, `model_sha256`, `input`,
///   `input_sha256`, `input_kind`.
public struct ScoresFile {
    /// The layout this type writes.
    public static let format = ArtifactFormat(name: "capskit.scores", version: 1)

    /// Headline metrics over the labelled documents.
    public struct Summary: Equatable, Sendable {
        public var labelledDocuments: Int
        public var accuracy: Double, macroF1: Double, weightedF1: Double, marginLoss: Double
        /// [C, C] counts, rows = true class.
        public var confusion: [Int]

        public init(labelledDocuments: Int, accuracy: Double, macroF1: Double, weightedF1: Double,
                    marginLoss: Double, confusion: [Int]) {
            self.labelledDocuments = labelledDocuments; self.accuracy = accuracy; self.macroF1 = macroF1
            self.weightedF1 = weightedF1; self.marginLoss = marginLoss; self.confusion = confusion
        }
    }

    /// [N, C] row-major.
    public var lengths: [Float]
    public var classCount: Int
    /// [N].
    public var predictions: [Int32]
    /// [C].
    public var labelNames: [String]
    /// [N], −1 = a label the model never saw; nil for unlabelled input.
    public var labels: [Int32]?
    public var summary: Summary?
    public var provenance: Provenance
    public var model: (path: String, sha256: String)
    public var input: (path: String, sha256: String, kind: String)

    public init(lengths: [Float], classCount: Int, predictions: [Int32], labelNames: [String], labels: [Int32]?,
                summary: Summary?, provenance: Provenance, model: (path: String, sha256: String),
                input: (path: String, sha256: String, kind: String)) {
        self.lengths = lengths; self.classCount = classCount; self.predictions = predictions
        self.labelNames = labelNames; self.labels = labels; self.summary = summary
        self.provenance = provenance; self.model = model; self.input = input
    }

    /// N.
    public var documentCount: Int { predictions.count }

    /// Writes the file all-or-nothing (see `ArtifactWriter`).
    public func write(to path: String) throws {
        try ArtifactWriter.write(Self.format, provenance: provenance, to: path) { file in
            let n = documentCount, c = classCount
            try file.write(lengths, shape: [n, c], to: "/lengths")
            try file.write(predictions, shape: [n], to: "/predictions")
            try file.write(strings: labelNames, to: "/label_names")
            if let labels { try file.write(labels, shape: [n], to: "/labels") }
            var attributes: [(String, H5AttributeValue)] = [("documents", .int(Int64(n)))]
            if let summary {
                try file.write(summary.confusion.map(Int32.init), shape: [c, c], to: "/confusion")
                attributes += [
                    ("labelled_documents", .int(Int64(summary.labelledDocuments))),
                    ("accuracy", .double(summary.accuracy)),
                    ("macro_f1", .double(summary.macroF1)),
                    ("weighted_f1", .double(summary.weightedF1)),
                    ("margin_loss", .double(summary.marginLoss)),
                ]
            }
            attributes += [
                ("model", .string(model.path)), ("model_sha256", .string(model.sha256)),
                ("input", .string(input.path)), ("input_sha256", .string(input.sha256)),
                ("input_kind", .string(input.kind)),
            ]
            try file.setRootAttributes(attributes)
        }
    }
}
