import CapsArtifacts
import Foundation

/// One layer in a `ModelSummary`, as the caller describes it.
public struct LayerSummary: Sendable, Equatable {
    /// Layer name, e.g. `primary_caps (PrimaryCapsules)`.
    public var name: String
    /// Output shape per example, without the batch dimension (shown as `N`).
    public var outputShape: [Int]
    /// Trainable parameters.
    public var parameters: Int

    public init(name: String, outputShape: [Int], parameters: Int) {
        self.name = name
        self.outputShape = outputShape
        self.parameters = parameters
    }
}

/// One member of an ensemble in a `ModelSummary`.
public struct MemberSummary: Sendable, Equatable {
    /// The member's seed, when the file records it.
    public var seed: UInt64?
    /// Trainable parameters of the member's network.
    public var parameters: Int
    public var history: TrainingHistory

    public init(seed: UInt64?, parameters: Int, history: TrainingHistory) {
        self.seed = seed
        self.parameters = parameters
        self.history = history
    }
}

/// A text summary of a trained model in the spirit of Keras'
/// `model.summary()`: a table of layers with output shape and parameter
/// count, the total, the configuration, and the best epoch of training.
/// An ensemble (`ensembleSize` > 1) lists the layers of one member, then a
/// table of every member (seed, parameters, epochs, best epoch and its
/// validation accuracy) instead of the single best epoch.
public struct ModelSummary: Sendable {
    public var title: String
    public var layers: [LayerSummary]
    public var configuration: [ConfigurationEntry]
    public var history: TrainingHistory
    /// K: 1 for a single model.
    public var ensembleSize: Int
    /// The members present (an ensemble only).
    public var members: [MemberSummary]
    /// Validation accuracy of the members' mean capsule lengths, when measured.
    public var ensembleValidationAccuracy: Double?

    public init(title: String = "Model", layers: [LayerSummary],
                configuration: [ConfigurationEntry], history: TrainingHistory,
                ensembleSize: Int = 1, members: [MemberSummary] = [], ensembleValidationAccuracy: Double? = nil) {
        self.title = title
        self.layers = layers
        self.configuration = configuration
        self.history = history
        self.ensembleSize = ensembleSize
        self.members = members
        self.ensembleValidationAccuracy = ensembleValidationAccuracy
    }

    /// Sum of the layers' parameters.
    public var totalParameters: Int { layers.reduce(0) { $0 + $1.parameters } }

    /// The summary as lines of text ending in "\n". Parameter counts use
    /// "," thousands separators; the best epoch is chosen by
    /// `TrainingHistory.best` and omitted when there is no history.
    public func text() -> String {
        var table = TextTable(header: ["Layer", "Output shape", "Param #"])
        for layer in layers {
            table.add([layer.name, "[" + (["N"] + layer.outputShape.map(String.init)).joined(separator: ", ") + "]",
                       Self.grouped(layer.parameters)])
        }
        let body = table.lines()
        let rule = String(repeating: "─", count: body.map { TerminalWidth.of($0) }.max() ?? 0)

        var lines = ["\(title)", rule, body[0], rule] + body.dropFirst() + [rule]
        if ensembleSize > 1 {
            let all = members.reduce(0) { $0 + $1.parameters }
            lines.append("Total params: \(Self.grouped(totalParameters)) per member, \(Self.grouped(all)) in \(members.count) members")
        } else {
            lines.append("Total params: \(Self.grouped(totalParameters))")
        }
        lines.append(rule)

        if !configuration.isEmpty {
            lines.append("Configuration")
            let width = configuration.map { TerminalWidth.of($0.key) }.max() ?? 0
            lines += configuration.map { "  " + TerminalWidth.pad($0.key, to: width) + "  " + $0.value.description }
            lines.append(rule)
        }
        if ensembleSize > 1 {
            lines += ensembleLines()
        } else if let best = history.best {
            let criterion = best.validationAccuracy?.isFinite == true ? "validation accuracy" : "training loss"
            lines.append("Best epoch \(best.epoch) of \(history.records.count) (by \(criterion))")
            var metrics: [(String, String)] = [
                ("loss", Self.fixed(best.loss)),
                ("margin loss", Self.fixed(best.marginLoss)),
            ]
            if let r = best.reconstructionLoss { metrics.append(("reconstruction loss", Self.fixed(r))) }
            metrics.append(("train accuracy", Self.fixed(best.trainAccuracy)))
            if let v = best.validationLoss { metrics.append(("validation loss", Self.fixed(v))) }
            if let v = best.validationAccuracy { metrics.append(("validation accuracy", Self.fixed(v))) }
            metrics.append(("learning rate", best.learningRate.description))
            metrics.append(("seconds", String(format: "%.1f", best.seconds)))
            metrics.append(("samples/s", String(format: "%.0f", best.samplesPerSecond)))
            let width = metrics.map { TerminalWidth.of($0.0) }.max() ?? 0
            lines += metrics.map { "  " + TerminalWidth.pad($0.0, to: width) + "  " + $0.1 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The members table and the ensemble's validation accuracy.
    private func ensembleLines() -> [String] {
        let present = members.count == ensembleSize ? "" : " (\(members.count) present: training unfinished)"
        var lines = ["Ensemble of \(ensembleSize) members\(present), scored by the mean of their capsule lengths"]
        var table = TextTable(header: ["Member", "Seed", "Param #", "Epochs", "Best epoch", "Val acc", "Train acc"])
        for (index, member) in members.enumerated() {
            let best = member.history.best
            table.add(["member \(index + 1)", member.seed.map { String($0) } ?? "?", Self.grouped(member.parameters),
                       String(member.history.records.count), best.map { String($0.epoch) } ?? "-",
                       best?.validationAccuracy.map(Self.fixed) ?? "-", best.map { Self.fixed($0.trainAccuracy) } ?? "-"])
        }
        lines += table.lines().map { "  " + $0 }
        if let accuracy = ensembleValidationAccuracy {
            lines.append("  ensemble validation accuracy  \(Self.fixed(accuracy))")
        }
        return lines
    }

    private static func fixed(_ x: Double) -> String { String(format: "%.4f", x) }

    /// 1234567 → "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}
