/// Multi-label classification metrics of capsule lengths against sets of
/// true classes.
///
/// Lengths are independent scores, so each class is decided on its own:
/// class c is predicted for a document when its length ≥ `thresholds.values[c]`
/// (see `ClassThresholds`) — several classes, or none, per document.
///
/// - Per class: one-vs-rest counts (`ClassThresholds.ClassDecision`); 0/0 is 0.
/// - Micro: precision, recall and F1 of the counts summed over classes.
/// - Macro: the unweighted mean of the per-class scores over **all** C
///   classes, including classes with no support and no predictions (they
///   score 0), as scikit-learn's `precision/recall/f1_score(average="macro",
///   zero_division=0)` on multi-hot matrices.
/// - Exact match: share of documents whose predicted set equals the true set
///   (scikit-learn's `accuracy_score` on multi-hot matrices).
/// - Hamming loss: wrong (document, class) decisions / (N · C).
/// - P@k / R@k: as fastText's `test -k` (see `precisionAtK`).
///
/// True labels of −1 (a label the model never saw) are dropped from their
/// document's set; the document itself stays (it may end up with no true
/// class). A label repeated within a document counts once. Ratios over no
/// documents are 0.
public struct MultiLabelMetrics: Sendable {
    /// One name per class, index = class id.
    public let classNames: [String]
    /// The per-class thresholds the decisions were made at.
    public let thresholds: ClassThresholds
    /// N.
    public let documentCount: Int
    /// Known true labels over all documents (−1s left out, repeats counted once).
    public let goldLabelCount: Int
    /// True labels of −1 that were dropped.
    public let unseenLabelCount: Int
    /// One-vs-rest counts per class at its threshold, `[C]`.
    public let perClass: [ClassThresholds.ClassDecision]
    /// The counts of `perClass` summed.
    public let micro: ClassThresholds.ClassDecision
    public let microPrecision, microRecall, microF1: Double
    /// Unweighted means over all C classes (see the type's documentation).
    public let macroPrecision, macroRecall, macroF1: Double
    /// Documents whose predicted set equals their true set.
    public let exactMatchCount: Int
    /// `exactMatchCount / N`.
    public let exactMatch: Double
    /// `(micro false positives + false negatives) / (N · C)`.
    public let hammingLoss: Double
    /// Documents with at least one known true label: the ones `precisionAtK` is over.
    public let atKDocumentCount: Int
    /// For each k of `ks`, in the order given — fastText's `test -k` (its
    /// `FastText::test` and `Meter::log`/`Meter::precision()`/`recall()`
    /// in src/fasttext.cc and src/meter.cc), which this matches:
    ///
    /// - documents without a known true label are skipped, as fastText's
    ///   `test` skips lines whose labels are all absent from its dictionary;
    /// - each remaining document predicts its k longest capsules whose length
    ///   is ≥ 0 (fastText's default `threshold` 0.0 — every capsule length
    ///   passes, so min(k, C) predictions);
    /// - precision = predictions that are true labels / predictions made
    ///   (N′ · min(k, C) over the N′ documents kept, not N · k);
    /// - recall = the same count / true labels of the kept documents.
    ///
    /// Where this differs from fastText: 0/0 is 0 here (fastText prints
    /// NaN); a label repeated in a document counts once (fastText counts it
    /// again in recall's denominator); tied lengths rank the lower class
    /// index first (`CapsuleLengths.ranked`; fastText's heap puts the higher
    /// label id first).
    public let precisionAtK: [(k: Int, precision: Double, recall: Double)]

    /// Documents each class is a true label of, `[C]`.
    public var support: [Int] { perClass.map { $0.truePositives + $0.falseNegatives } }
    /// Documents each class is predicted for, `[C]`.
    public var predicted: [Int] { perClass.map { $0.truePositives + $0.falsePositives } }
    /// Mean number of known true labels per document (0 for no documents).
    public var labelsPerDocument: Double { documentCount == 0 ? 0 : Double(goldLabelCount) / Double(documentCount) }

    /// - Parameters:
    ///   - lengths: capsule lengths `[N, C]`.
    ///   - gold: `[N]` sets of true classes, each index in `0..<C` or −1
    ///     (unseen label: ignored, the document kept); a set may be empty.
    ///   - thresholds: `[C]` finite thresholds.
    ///   - classNames: `[C]` display names.
    ///   - ks: the k of each P@k/R@k, each ≥ 1.
    public init(lengths: CapsuleLengths, gold: [[Int32]], thresholds: ClassThresholds, classNames: [String],
                ks: [Int] = [1, 3, 5]) throws {
        let N = lengths.documentCount, C = lengths.classCount
        guard classNames.count == C else { throw EvaluationError.classNameCount(names: classNames.count, classCount: C) }
        guard thresholds.values.count == C else {
            throw EvaluationError.thresholdCount(thresholds: thresholds.values.count, classCount: C)
        }
        if let bad = thresholds.values.first(where: { !$0.isFinite }) { throw EvaluationError.invalidThreshold(bad) }
        if let bad = ks.first(where: { $0 < 1 }) { throw EvaluationError.invalidTopK(bad) }
        guard gold.count == N else { throw EvaluationError.labelCount(labels: gold.count, documents: N) }

        // The true set of each document as a C-wide mask.
        var truth = [Bool](repeating: false, count: N * C)
        var goldLabelCount = 0, unseenLabelCount = 0
        for (n, labels) in gold.enumerated() {
            for label in labels {
                if label == -1 { unseenLabelCount += 1; continue }
                guard label >= 0 && Int(label) < C else {
                    throw EvaluationError.labelOutOfRange(document: n, label: label, classCount: C)
                }
                if !truth[n * C + Int(label)] { truth[n * C + Int(label)] = true; goldLabelCount += 1 }
            }
        }

        // Per-class counts through `ClassThresholds.decisions`, the one
        // counting of a threshold decision: class c alone, as a 2-class
        // problem whose label 0 = "c is a true label" and 1 = "it is not",
        // beside a dummy class that is never predicted (threshold +∞). Its
        // class-0 counts are exactly c's one-vs-rest counts.
        var perClass: [ClassThresholds.ClassDecision] = []
        var column = [Float](repeating: 0, count: 2 * N)
        var present = [Int32](repeating: 1, count: N)
        for c in 0..<C {
            for n in 0..<N {
                column[2 * n] = lengths.values[n * C + c]
                present[n] = truth[n * C + c] ? 0 : 1
            }
            let oneClass = ClassThresholds(values: [thresholds.values[c], .infinity])
            perClass.append(oneClass.decisions(lengths: try CapsuleLengths(values: column, classCount: 2),
                                               labels: present).perClass[0])
        }
        var micro = ClassThresholds.ClassDecision()
        for d in perClass {
            micro.truePositives += d.truePositives
            micro.falsePositives += d.falsePositives
            micro.falseNegatives += d.falseNegatives
        }

        // Exact match: no wrong decision in the document.
        var exactMatchCount = 0
        for n in 0..<N where lengths.row(n).enumerated().allSatisfy({ c, length in
            (length >= thresholds.values[c]) == truth[n * C + c]
        }) {
            exactMatchCount += 1
        }

        // P@k / R@k (fastText `test -k`, see `precisionAtK`).
        var hits = [Int](repeating: 0, count: ks.count), made = [Int](repeating: 0, count: ks.count)
        var atKDocuments = 0, atKGold = 0
        for n in 0..<N {
            let known = (0..<C).filter { truth[n * C + $0] }.count
            guard known > 0 else { continue }
            atKDocuments += 1
            atKGold += known
            let ranked = lengths.ranked(n).filter { $0.length >= 0 }
            for (i, k) in ks.enumerated() {
                let top = ranked.prefix(k)
                made[i] += top.count
                hits[i] += top.filter { truth[n * C + $0.classIndex] }.count
            }
        }

        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        func mean(_ score: KeyPath<ClassThresholds.ClassDecision, Double>) -> Double {
            perClass.map { $0[keyPath: score] }.reduce(0, +) / Double(C)
        }
        self.classNames = classNames
        self.thresholds = thresholds
        self.documentCount = N
        self.goldLabelCount = goldLabelCount
        self.unseenLabelCount = unseenLabelCount
        self.perClass = perClass
        self.micro = micro
        self.microPrecision = micro.precision
        self.microRecall = micro.recall
        self.microF1 = micro.f1
        self.macroPrecision = mean(\.precision)
        self.macroRecall = mean(\.recall)
        self.macroF1 = mean(\.f1)
        self.exactMatchCount = exactMatchCount
        self.exactMatch = ratio(exactMatchCount, N)
        self.hammingLoss = ratio(micro.falsePositives + micro.falseNegatives, N * C)
        self.atKDocumentCount = atKDocuments
        self.precisionAtK = ks.indices.map { (k: ks[$0], precision: ratio(hits[$0], made[$0]), recall: ratio(hits[$0], atKGold)) }
    }
}
