/// One decision threshold per class on the capsule lengths: class c is
/// assigned to a document when its length ‖v_c‖ ≥ t_c. Lengths are
/// independent scores, not a softmax, so each class can be decided on its
/// own (one-vs-rest) — several classes or none per document — and a class
/// whose capsule runs long or short gets a threshold of its own.
public struct ClassThresholds: Sendable, Equatable {
    /// t [C].
    public var values: [Float]

    public init(values: [Float]) { self.values = values }

    /// One-vs-rest counts of one class at its threshold.
    public struct ClassDecision: Sendable, Equatable {
        public var truePositives = 0, falsePositives = 0, falseNegatives = 0
        public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
            self.truePositives = truePositives; self.falsePositives = falsePositives; self.falseNegatives = falseNegatives
        }
        public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
        /// 2PR / (P + R), 0 when the class is neither predicted nor present.
        public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }
        private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
    }

    /// Per-class decisions on `lengths` [N, C] against `labels` [N]
    /// (documents labelled < 0 are left out), and their micro sum.
    public func decisions(lengths: CapsuleLengths, labels: [Int32]) -> (perClass: [ClassDecision], micro: ClassDecision) {
        var perClass = [ClassDecision](repeating: ClassDecision(), count: lengths.classCount)
        for n in 0..<lengths.documentCount where labels[n] >= 0 {
            for (c, length) in lengths.row(n).enumerated() {
                let predicted = length >= values[c], present = Int(labels[n]) == c
                if predicted && present { perClass[c].truePositives += 1 }
                else if predicted { perClass[c].falsePositives += 1 }
                else if present { perClass[c].falseNegatives += 1 }
            }
        }
        var micro = ClassDecision()
        for d in perClass {
            micro.truePositives += d.truePositives
            micro.falsePositives += d.falsePositives
            micro.falseNegatives += d.falseNegatives
        }
        return (perClass, micro)
    }

    /// For each class, the threshold with the best one-vs-rest F1 on
    /// `lengths` and `labels` — to be chosen on a validation split, never on
    /// the test data it will be judged on. Candidates are the midpoints
    /// between consecutive distinct lengths of the class (so a threshold
    /// never sits on a document's own length); a tie goes to the higher
    /// threshold (fewer false alarms). A class without labelled documents
    /// keeps `fallback`.
    public static func bestF1(lengths: CapsuleLengths, labels: [Int32], fallback: Float = 0.5) -> ClassThresholds {
        bestF1(lengths: lengths, gold: labels.map { [$0] }, fallback: fallback)
    }

    /// `bestF1` for multi-label data: `gold[n]` every class of document n
    /// (−1 entries ignored; a document whose labels are all unseen is left out).
    public static func bestF1(lengths: CapsuleLengths, gold: [[Int32]], fallback: Float = 0.5) -> ClassThresholds {
        let C = lengths.classCount
        var chosen = [Float](repeating: fallback, count: C)
        let counted = (0..<lengths.documentCount).filter { n in gold[n].isEmpty || gold[n].contains { $0 >= 0 } }
        for c in 0..<C {
            var scored: [(length: Float, present: Bool)] = []
            for n in counted {
                scored.append((lengths.values[n * C + c], gold[n].contains(Int32(c))))
            }
            let positives = scored.filter(\.present).count
            guard positives > 0 else { continue }
            scored.sort { $0.length > $1.length }
            // Sweep from the longest length down: after i documents, those i are predicted.
            var bestF1 = -1.0, truePositives = 0
            var i = 0
            while i < scored.count {
                let length = scored[i].length
                while i < scored.count && scored[i].length == length {
                    if scored[i].present { truePositives += 1 }
                    i += 1
                }
                let next = i < scored.count ? scored[i].length : 0
                let f1 = 2 * Double(truePositives) / Double(i + positives)
                if f1 > bestF1 {
                    bestF1 = f1
                    chosen[c] = (length + next) / 2
                }
            }
        }
        return ClassThresholds(values: chosen)
    }
}
