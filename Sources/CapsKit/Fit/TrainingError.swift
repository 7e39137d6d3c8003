import Foundation

/// Why training cannot start or go on; every message is one line.
public enum TrainingError: Error, CustomStringConvertible, LocalizedError {
    case labelOutOfRange(path: String, row: Int, label: Int32, classes: Int)
    case noTrainingRows(path: String)
    case mismatch(String)
    /// `member`: "member 2/3 " in an ensemble, nil for a single model.
    case nonFiniteLoss(epoch: Int, batch: Int, kept: String, member: String? = nil)
    case interrupted(signal: String, epoch: Int, batch: Int, batches: Int, resume: String, member: String? = nil)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .labelOutOfRange(let path, let row, let label, let classes):
            return "\(path): /labels[\(row)] = \(label) is outside 0..<\(classes) (a label the training set never saw?)"
        case .noTrainingRows(let path):
            return "\(path): no training rows (every row is held out for validation, or the file holds none)"
        case .mismatch(let message): return message
        case .nonFiniteLoss(let epoch, let batch, let kept, let member):
            return "non-finite loss at \(member.map { $0 + "epoch" } ?? "epoch") \(epoch), batch \(batch); stopped (\(kept)); try a lower --lr"
        case .interrupted(let signal, let epoch, let batch, let batches, let resume, let member):
            return "interrupted by \(signal) in \(member.map { $0 + "epoch" } ?? "epoch") \(epoch) after batch \(batch)/\(batches); checkpoint written; resume with: \(resume)"
        case .invalidOption(let message): return message
        }
    }
    public var errorDescription: String? { description }
}
