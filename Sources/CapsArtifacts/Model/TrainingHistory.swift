import Foundation

/// One row of a training history: what an epoch did. The one epoch record of
/// the toolkit: the trainer appends it, the model file stores it under
/// `/history`, `--log` writes it as CSV, and the plots and summaries read it.
///
/// A value that was not measured is nil: validation without a validation
/// set, reconstruction without a decoder. In files a missing value is NaN
/// (`/history`) or an empty CSV field. Measured values may themselves be NaN
/// when training diverged (plots leave a gap; "best" never picks them).
public struct EpochRecord: Equatable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Training loss: margin + reconstruction weight × reconstruction.
    public var loss: Double
    /// Margin part of the training loss.
    public var marginLoss: Double
    /// The decoder's mean squared reconstruction error (unweighted); nil without a decoder.
    public var reconstructionLoss: Double?
    /// Training accuracy in [0, 1].
    public var trainAccuracy: Double
    public var validationLoss: Double?
    /// Validation accuracy in [0, 1].
    public var validationAccuracy: Double?
    public var learningRate: Double
    /// Wall-clock seconds the epoch took.
    public var seconds: Double
    /// Training throughput.
    public var samplesPerSecond: Double

    public init(epoch: Int, loss: Double, marginLoss: Double, reconstructionLoss: Double?, trainAccuracy: Double,
                validationLoss: Double? = nil, validationAccuracy: Double? = nil, learningRate: Double,
                seconds: Double, samplesPerSecond: Double) {
        self.epoch = epoch; self.loss = loss; self.marginLoss = marginLoss
        self.reconstructionLoss = reconstructionLoss; self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss; self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate; self.seconds = seconds; self.samplesPerSecond = samplesPerSecond
    }

    /// Column names, in the order of `values` (also the CSV header and the
    /// dataset names under `/history` in the model file).
    public static let columns = ["epoch", "loss", "margin_loss", "recon_loss", "train_acc", "val_loss",
                                 "val_acc", "lr", "seconds", "samples_per_s"]

    /// The record as one number per column, NaN for a missing value.
    public var values: [Double] {
        [Double(epoch), loss, marginLoss, reconstructionLoss ?? .nan, trainAccuracy, validationLoss ?? .nan,
         validationAccuracy ?? .nan, learningRate, seconds, samplesPerSecond]
    }

    /// The record from `values` (one number per column), NaN read as missing
    /// where a column may be missing.
    public init(values v: [Double]) {
        func optional(_ x: Double) -> Double? { x.isNaN ? nil : x }
        self.init(epoch: Int(v[0]), loss: v[1], marginLoss: v[2], reconstructionLoss: optional(v[3]),
                  trainAccuracy: v[4], validationLoss: optional(v[5]), validationAccuracy: optional(v[6]),
                  learningRate: v[7], seconds: v[8], samplesPerSecond: v[9])
    }

    /// The per-epoch log line.
    public func logLine(totalEpochs: Int) -> String {
        var line = "epoch \(epoch)/\(totalEpochs)  loss \(fixed(loss, 4)) (margin \(fixed(marginLoss, 4))"
        line += reconstructionLoss.map { " recon \(fixed($0, 4)))" } ?? ")"
        line += "  train acc \(fixed(100 * trainAccuracy, 2))%"
        if let validationAccuracy {
            line += "  val loss \(fixed(validationLoss ?? .nan, 4))  val acc \(fixed(100 * validationAccuracy, 2))%"
        }
        line += "  lr \(String(format: "%.3e", learningRate))  \(fixed(seconds, 1)) s  \(Int(samplesPerSecond.rounded())) samples/s"
        return line
    }
}

/// All epochs so far, with the CSV form written by `--log`.
public struct TrainingHistory: Equatable, Sendable {
    public var records: [EpochRecord] = []
    public init(records: [EpochRecord] = []) { self.records = records }

    public var csv: String {
        EpochRecord.columns.joined(separator: ",") + "\n" + records.map { Self.csvLine($0) + "\n" }.joined()
    }

    /// The histories of an ensemble's members as one CSV: a `member` column
    /// (1…K) before `EpochRecord.columns`, the members one after another.
    public static func csv(members: [TrainingHistory]) -> String {
        var text = (["member"] + EpochRecord.columns).joined(separator: ",") + "\n"
        for (index, history) in members.enumerated() {
            for record in history.records { text += "\(index + 1)," + csvLine(record) + "\n" }
        }
        return text
    }

    private static func csvLine(_ record: EpochRecord) -> String {
        record.values.enumerated().map { index, value in
            index == 0 ? String(Int(value)) : (value.isNaN ? "" : "\(value)")
        }.joined(separator: ",")
    }

    /// The best epoch: highest validation accuracy when any epoch has one,
    /// otherwise lowest training loss; ties go to the earliest epoch, and NaN
    /// values never win. Nil for an empty history.
    public var best: EpochRecord? {
        let byValidation = records.contains { ($0.validationAccuracy ?? .nan).isFinite }
        // Higher is better; nil or NaN means "cannot compete".
        func score(_ record: EpochRecord) -> Double? {
            let s = byValidation ? record.validationAccuracy : -record.loss
            return s.flatMap { $0.isNaN ? nil : $0 }
        }
        var best: (record: EpochRecord, score: Double)?
        for record in records {
            guard let s = score(record) else { continue }
            if best == nil || s > best!.score { best = (record, s) }
        }
        return best?.record
    }
}

/// `value` with `digits` decimals, without Foundation's locale-dependent formatting.
public func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    var fraction = String(Int(scaled - Double(whole) * scale))
    while fraction.count < digits { fraction = "0" + fraction }
    return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + fraction : "")
}
