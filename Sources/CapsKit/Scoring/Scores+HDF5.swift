import CapsStorage

extension Scores {
    /// The layout identity of `scores.h5`.
    public static let format = "capskit.scores"
    public static let formatVersion: Int64 = 1

    /// Writes `scores.h5` atomically:
    /// - `/lengths` float32 [N, C], `/predictions` int32 [N], `/label_names` string [C];
    /// - with labels: `/labels` int32 [N] (−1 = unseen) and `/confusion` int32 [C, C]
    ///   (rows = true class) over the labelled documents;
    /// - root attributes `format`, `format_version`, `documents`; with labels
    ///   `labelled_documents`, `accuracy`, `macro_f1`, `weighted_f1`, `margin_loss`;
    ///   provenance `tool`, `tool_version`, `command`, `model`, `model_sha256`,
    ///   `input`, `input_sha256`, `input_kind`.
    public func write(to path: String, command: String) throws {
        let output = try AtomicOutput(destination: path)
        do {
            let file = try H5File.create(at: output.temporaryPath)
            let c = lengths.classCount
            try file.write(lengths.values, shape: [documentCount, c], to: "/lengths")
            try file.write(predictions.map(Int32.init), shape: [documentCount], to: "/predictions")
            try file.write(strings: labelNames, to: "/label_names")
            if let labels { try file.write(labels, shape: [documentCount], to: "/labels") }
            var attributes: [(String, H5AttributeValue)] = [
                ("format", .string(Self.format)), ("format_version", .int(Self.formatVersion)),
                ("documents", .int(Int64(documentCount))),
            ]
            if let metrics {
                try file.write(metrics.confusion.counts.map(Int32.init), shape: [c, c], to: "/confusion")
                attributes += [
                    ("labelled_documents", .int(Int64(metrics.documentCount))),
                    ("accuracy", .double(metrics.accuracy)),
                    ("macro_f1", .double(metrics.macroAverage.f1)),
                    ("weighted_f1", .double(metrics.weightedAverage.f1)),
                    ("margin_loss", .double(metrics.marginLoss)),
                ]
            }
            attributes += [
                ("tool", .string("capseval")), ("tool_version", .string(Toolkit.version)),
                ("command", .string(command)),
                ("model", .string(modelPath)), ("model_sha256", .string(modelSHA256)),
                ("input", .string(inputPath)), ("input_sha256", .string(inputSHA256)),
                ("input_kind", .string(inputKind.rawValue)),
            ]
            for (name, value) in attributes { try file.setAttribute(name, value) }
            try file.close()
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }
}
