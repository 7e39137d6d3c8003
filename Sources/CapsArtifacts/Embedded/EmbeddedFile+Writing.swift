import CapsCore
import CapsStorage
import CapsVectors

extension EmbeddedFile {
    /// Documents gathered and written per block: eight chunks of `/x`, so
    /// each write fills whole chunks (≈ 5 MiB of floats at L = 40, D = 50).
    static let blockRows = 8 * chunkRows

    /// Writes the embedded file of `tokens` with `table` at `path`,
    /// all-or-nothing (see `AtomicOutput`). `/x` is gathered from the table
    /// and written a block of documents at a time, never as one array.
    ///
    /// - Precondition: the table has one row per vocabulary entry.
    public static func write(tokens: TokensFile, table: EmbeddingTable, settings: EmbeddingSettings,
                             provenance: Provenance, to path: String,
                             progress: ProgressReporter? = nil) throws {
        precondition(table.vocabularySize == tokens.vocabulary.count,
                     "embedding table has \(table.vocabularySize) rows for \(tokens.vocabulary.count) vocabulary entries")
        try ArtifactWriter.write(format, provenance: provenance, to: path) { file in
            let n = tokens.count, l = tokens.maxLength, d = table.dim
            let x = try file.createDataset(Float.self, at: "/x", shape: [n, l, d],
                                           chunkRows: chunkRows, deflateLevel: deflateLevel)
            var block = [Float](repeating: 0, count: min(blockRows, max(n, 1)) * l * d)
            var start = 0
            while start < n {
                let rows = min(blockRows, n - start)
                let filled = rows * l * d
                gather(ids: tokens.ids[(start * l) ..< ((start + rows) * l)], table: table, into: &block)
                try block.withUnsafeBufferPointer {
                    try x.writeRows(UnsafeBufferPointer(rebasing: $0[..<filled]), startRow: start)
                }
                start += rows
                progress?.advance(by: rows)
            }
            x.close()

            try file.write(table.values, shape: [table.vocabularySize, d], to: "/embedding")
            try file.write(tokens.ids, shape: [n, l], to: "/ids",
                           options: H5WriteOptions(chunkRows: TokensFile.idChunkRows, deflateLevel: TokensFile.deflateLevel))
            try file.write(tokens.lengths, shape: [n], to: "/lengths")
            if let lexical = tokens.lexicalIds {
                try file.write(lexical, shape: [n, tokens.settings.lexicalLength], to: "/lexical_ids",
                               options: H5WriteOptions(chunkRows: TokensFile.idChunkRows, deflateLevel: TokensFile.deflateLevel))
            }
            if let labels = tokens.labels { try file.write(labels, shape: [n], to: "/labels") }
            try file.write(strings: tokens.labelNames, to: "/label_names")
            try file.write(strings: tokens.vocabulary.tokens, to: "/vocab")
            try file.write(tokens.vocabulary.counts, shape: [tokens.vocabulary.count], to: "/vocab_counts")
            if let all = tokens.allLabels {
                try file.write(all.offsets, shape: [all.offsets.count], to: "/label_offsets")
                try file.write(all.indices, shape: [all.indices.count], to: "/label_indices")
            }

            try file.setRootAttributes([("dim", .int(Int64(d))), ("max_len", .int(Int64(l))),
                                        ("train_vocab_size", .int(Int64(tokens.trainVocabularySize)))])
            try file.setRootAttributes(settings.attributes)
            try file.setRootAttributes(table.report.coverageAttributes)
            try file.setRootAttributes(tokens.rootAttributes, prefix: "tokens_")
        }
    }

    /// Copies the table row of each id into `block` ([ids.count, D] row-major);
    /// padding (id 0) copies the zero row, so no special case is needed.
    static func gather(ids: ArraySlice<Int32>, table: EmbeddingTable, into block: inout [Float]) {
        let d = table.dim
        table.values.withUnsafeBufferPointer { source in
            block.withUnsafeMutableBufferPointer { target in
                for (k, id) in ids.enumerated() {
                    let from = source.baseAddress! + Int(id) * d
                    (target.baseAddress! + k * d).update(from: from, count: d)
                }
            }
        }
    }
}
