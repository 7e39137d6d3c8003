import CapsCore

extension ScoringInput {
    /// The stored labels [N] of an artifact (embedded or tokens file), checked
    /// against the model: the file's label names must be the model's (so an
    /// index means the same class), and −1 (a label the training set lacked,
    /// `tokenize --unseen-labels unknown`) is an error unless `skipUnseenLabels`.
    /// nil for an unlabelled file.
    static func modelLabels(_ labels: [Int32]?, names: [String], input path: String, model: ScoringModel,
                            skipUnseenLabels: Bool) throws -> [Int32]? {
        guard let labels else { return nil }
        guard names == model.labelNames else {
            throw ScoringError.labelSetMismatch(model: model.path, modelLabels: model.labelNames,
                                                input: path, inputLabels: names)
        }
        let classes = model.config.classes
        for (row, label) in labels.enumerated() where label < 0 || Int(label) >= classes {
            if label == -1 {
                if skipUnseenLabels { continue }
                throw ScoringError.unseenLabel(input: path, row: row)
            }
            throw TrainingError.labelOutOfRange(path: path, row: row, label: label, classes: classes)
        }
        return labels
    }
}
