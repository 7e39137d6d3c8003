import Foundation

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

    /// A file of `label<TAB>weight` lines (blank lines and `#` comments
    /// skipped; a space separates too); every label must be a class of the
    /// data, once, and every weight a finite number > 0.
    static func read(file path: String, names: [String]) throws -> [Float] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw TrainingError.invalidOption(exists
                ? "--class-weights \(path): cannot read it as UTF-8 text"
                : "--class-weights \(path): no such file (expected none, balanced or a file of 'label<TAB>weight' lines)")
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var weights = [Float](repeating: 1, count: names.count), seen = Set<Int>()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ reason: String) -> TrainingError {
                .invalidOption("--class-weights \(path):\(number + 1): \(reason)")
            }
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count == 2 else { throw fail("expected 'label<TAB>weight', found '\(line)'") }
            let label = String(fields[0])
            guard let c = index[label] else {
                throw fail("label '\(label)' is not a class of the data (\(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))")
            }
            guard let weight = Float(fields[1]), weight.isFinite, weight > 0 else {
                throw fail("weight '\(fields[1])' of '\(label)' must be a finite number > 0")
            }
            guard seen.insert(c).inserted else { throw fail("label '\(label)' is listed twice") }
            weights[c] = weight
        }
        return weights
    }
}
