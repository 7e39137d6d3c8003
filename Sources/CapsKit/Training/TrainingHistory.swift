import Foundation

/// One line of the training history: what an epoch did.
public struct EpochRecord: Equatable, Sendable {
    public var epoch: Int
    public var loss: Double
    public var marginLoss: Double
    public var reconstructionLoss: Double
    public var trainAccuracy: Double
    /// NaN when there is no validation.
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var learningRate: Double
    public var seconds: Double
    public var samplesPerSecond: Double

    public init(epoch: Int, loss: Double, marginLoss: Double, reconstructionLoss: Double, trainAccuracy: Double,
                validationLoss: Double, validationAccuracy: Double, learningRate: Double, seconds: Double,
                samplesPerSecond: Double) {
        self.epoch = epoch; self.loss = loss; self.marginLoss = marginLoss
        self.reconstructionLoss = reconstructionLoss; self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss; self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate; self.seconds = seconds; self.samplesPerSecond = samplesPerSecond
    }

    /// Column names, in the order of `values` (also the CSV header and the
    /// dataset names under `/history` in the model file).
    public static let columns = ["epoch", "loss", "margin_loss", "recon_loss", "train_acc", "val_loss",
                                 "val_acc", "lr", "seconds", "samples_per_s"]

    public var values: [Double] {
        [Double(epoch), loss, marginLoss, reconstructionLoss, trainAccuracy, validationLoss,
         validationAccuracy, learningRate, seconds, samplesPerSecond]
    }

    public init(values v: [Double]) {
        self.init(epoch: Int(v[0]), loss: v[1], marginLoss: v[2], reconstructionLoss: v[3], trainAccuracy: v[4],
                  validationLoss: v[5], validationAccuracy: v[6], learningRate: v[7], seconds: v[8],
                  samplesPerSecond: v[9])
    }

    /// The per-epoch log line.
    public func logLine(totalEpochs: Int) -> String {
        var line = "epoch \(epoch)/\(totalEpochs)  loss \(fixed(loss, 4)) (margin \(fixed(marginLoss, 4))"
        line += reconstructionLoss.isNaN ? ")" : " recon \(fixed(reconstructionLoss, 4)))"
        line += "  train acc \(fixed(100 * trainAccuracy, 2))%"
        if !validationAccuracy.isNaN {
            line += "  val loss \(fixed(validationLoss, 4))  val acc \(fixed(100 * validationAccuracy, 2))%"
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
        var text = EpochRecord.columns.joined(separator: ",") + "\n"
        for record in records {
            text += record.values.enumerated().map { index, value in
                index == 0 ? String(Int(value)) : (value.isNaN ? "" : "\(value)")
            }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The record with the best validation accuracy (first on ties), or nil without validation.
    public var best: EpochRecord? {
        records.filter { !$0.validationAccuracy.isNaN }
            .reduce(nil as EpochRecord?) { best, record in
                guard let best else { return record }
                return record.validationAccuracy > best.validationAccuracy ? record : best
            }
    }
}

/// `value` with `digits` decimals, without Foundation's locale-dependent formatting.
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    var fraction = String(Int(scaled - Double(whole) * scale))
    while fraction.count < digits { fraction = "0" + fraction }
    return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + fraction : "")
}
