/// `capsfit --class-weights`: one weight per class for the margin loss
/// (`MarginLoss.classWeights`), for unbalanced data. Resolved once from the
/// training rows; the resolved values are stored in the model
/// (`class_weight_values`), so a run says exactly what it optimised.
public enum ClassWeights {
    /// No weights (every class 1), the default.
    public static let none = "none"
    /// w_c = n / (C · n_c) over the training rows (scikit-learn's "balanced").
    public static let balanced = "balanced"
    /// The model attribute holding the resolved weights [C].
    public static let attribute = "class_weight_values"

    /// The weights [C] for `spec`, or nil for "none". `labels` are the
    /// training rows' classes (0..<names.count).
    public static func resolve(_ spec: String, labels: [Int32], names: [String]) throws -> [Float]? {
        switch spec {
        case none: return nil
        case balanced:
            var counts = [Int](repeating: 0, count: names.count)
            for label in labels { counts[Int(label)] += 1 }
            // A class without training rows never weighs a sample: 1 keeps the list finite.
            return counts.map { $0 == 0 ? 1 : Float(Double(labels.count) / (Double(names.count) * Double($0))) }
        default:
            return try read(file: spec, names: names)
        }
    }

    /// A file of `label<TAB>weight` lines (`PerClassValueFile`); labels not listed weigh 1.
    static func read(file path: String, names: [String]) throws -> [Float] {
        try PerClassValueFile.read(path, flag: "--class-weights", names: names, unlisted: 1) {
            $0 > 0 ? nil : "must be > 0"
        }
    }
}
