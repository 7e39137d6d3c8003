import CapsNet

/// One line of the benchmark table: a workload of the reference model at a
/// given class count, with the target set for it (issue targets, measured at
/// 2 threads against PyTorch 2.13 on the same machine).
struct BenchRow: Sendable {
    enum Kind: String, Sendable {
        /// forward + loss + backward + Adam step
        case train
        /// forward to the class-capsule lengths (no decoder, no gradients)
        case infer
    }

    /// Name on the command line (`--rows`, `--row`) and in the table.
    let name: String
    let kind: Kind
    let classes: Int
    /// Samples per step; the latency row uses 1.
    let batch: Int
    /// Weight of the reconstruction loss; 0 removes the decoder.
    let reconstructionWeight: Float
    /// What the row is judged by.
    let target: Target
    /// capsfit model flags on top of the reference design (`--ngram 3,4,5`),
    /// applied through `CapsNetConfig.settings`; rows with any have no
    /// PyTorch peer (the reference implements the reference design only).
    var model: [(flag: String, value: String)] = []

    /// Whether the PyTorch reference can run this row.
    var hasTorchPeer: Bool { model.isEmpty }

    /// The reference configuration for this row's classes with its flags applied.
    func configuration() throws -> CapsNetConfig {
        var config = CapsNetConfig(classes: classes)
        config.reconstructionWeight = reconstructionWeight
        for (flag, value) in model {
            guard let setting = CapsNetConfig.settings.first(where: { $0.flag == flag }) else {
                throw CapsNetError.invalidConfiguration(field: "--\(flag)", reason: "is not a model flag")
            }
            try setting.parse(value, into: &config)
        }
        try config.validate()
        return config
    }

    enum Target: Sendable {
        /// At least this many samples per second.
        case throughput(Double)
        /// At most this many milliseconds per step.
        case latency(Double)
        /// Throughput target plus a ceiling on peak resident memory in MiB.
        case throughputAndMemory(Double, Double)
    }

    /// Whether a measurement meets the target.
    func meets(_ m: Measurement) -> Bool {
        switch target {
        case .throughput(let t): return m.samplesPerSecond >= t
        case .latency(let t): return m.medianSeconds * 1000 <= t
        case .throughputAndMemory(let t, let mib): return m.samplesPerSecond >= t && m.peakResidentMiB <= mib
        }
    }

    var targetDescription: String {
        switch target {
        case .throughput(let t): return "≥ \(Int(t))/s"
        case .latency(let t): return "≤ \(t) ms"
        case .throughputAndMemory(let t, let mib): return "≥ \(Int(t))/s, ≤ \(Int(mib)) MiB"
        }
    }

    /// The rows of the issue, in its order. `batch` is the batch of every row
    /// but the latency one.
    static func all(batch: Int) -> [BenchRow] {
        [
            BenchRow(name: "train-2", kind: .train, classes: 2, batch: batch, reconstructionWeight: 0.392,
                     target: .throughput(1340)),
            BenchRow(name: "train-2-nodecoder", kind: .train, classes: 2, batch: batch, reconstructionWeight: 0,
                     target: .throughput(2400)),
            BenchRow(name: "train-203", kind: .train, classes: 203, batch: batch, reconstructionWeight: 0.392,
                     target: .throughputAndMemory(1000, 400)),
            BenchRow(name: "infer-2", kind: .infer, classes: 2, batch: batch, reconstructionWeight: 0.392,
                     target: .throughput(6000)),
            BenchRow(name: "infer-203", kind: .infer, classes: 203, batch: batch, reconstructionWeight: 0.392,
                     target: .throughput(2000)),
            BenchRow(name: "latency-2", kind: .infer, classes: 2, batch: 1, reconstructionWeight: 0.392,
                     target: .latency(0.4)),
        ] + variants(batch: batch)
    }

    /// The model variants of capsfit, each at the reference input size
    /// (40×200, 2 classes, no decoder, as the presets train them) but the
    /// long-input row; judged against half the reference no-decoder row's target.
    static func variants(batch: Int) -> [BenchRow] {
        func row(_ name: String, classes: Int = 2, _ model: [(String, String)]) -> BenchRow {
            BenchRow(name: name, kind: .train, classes: classes, batch: batch, reconstructionWeight: 0,
                     target: .throughput(1200), model: model.map { (flag: $0.0, value: $0.1) })
        }
        return [
            row("train-2-leaky", [("routing", "leaky")]),
            row("train-2-static", [("routing", "static")]),
            row("train-77-k=C", classes: 77, [("coupling-scale", "classes")]),
            row("train-2-ngram345", [("ngram", "3,4,5")]),
            row("train-2-pool4", [("primary-kernel", "3"), ("position-pool", "4")]),
            row("train-2-len256-pool4", [("max-len", "256"), ("primary-kernel", "3"), ("position-pool", "4")]),
            row("train-2-lexical", [("buckets", "131072")]),
            row("train-2-lexical-view512", [("buckets", "131072"), ("lexical-len", "512")]),
        ]
    }
}
