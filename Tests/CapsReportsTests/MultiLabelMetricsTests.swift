import CapsKitTestSupport
import CapsTestSupport
import CapsReports
import Foundation
import XCTest

/// A multi-label example worked out on paper: classes A=0, B=1, C=2 with
/// thresholds A 0.5, B 0.3, C 0.7 (a class is predicted when its length ≥ its
/// threshold).
///
///     doc  true       lengths [A, B, C]    predicted   wrong decisions
///      0   {A, B}     0.90  0.40  0.20     {A, B}      —  (B 0.40 passes 0.3, would fail 0.5)
///      1   {C}        0.45  0.25  0.60     {}          C missed  (C 0.60 fails 0.7, would pass 0.5)
///      2   {A, −1}    0.60  0.35  0.80     {A, B, C}   B, C false alarms; −1 dropped → true {A}
///      3   {}         0.10  0.50  0.30     {B}         B false alarm
///      4   {B, C}     0.20  0.10  0.75     {C}         B missed
///
/// Per class (TP, FP, FN → precision, recall, F1 = 2TP/(2TP+FP+FN)), support 2 each:
///     A  2 0 0   1    1    1
///     B  1 2 1   1/3  1/2  2/5
///     C  1 1 1   1/2  1/2  1/2
/// Micro: TP 4, FP 3, FN 2 → precision 4/7, recall 2/3, F1 8/13.
/// Macro (mean over the 3 classes): precision 11/18, recall 2/3, F1 19/30.
/// Exact match: only document 0 → 1/5. Hamming loss: 5 wrong of 15 → 1/3.
/// True labels: 2+1+1+0+2 = 6, 1.2 per document, 1 unseen.
///
/// P@k/R@k (fastText `test -k`): document 3 has no known label and is
/// skipped; the other 4 hold 6 true labels. Rankings, longest first:
///     0: A B C (true A, B)   1: C A B (true C)   2: C A B (true A)   4: C A B (true B, C)
///     k=1: hits 1+1+0+1 = 3 of 4 predictions  → P@1 3/4, R@1 3/6
///     k=2: hits 2+1+1+1 = 5 of 8 predictions  → P@2 5/8, R@2 5/6
///     k=5: min(5, 3) = 3 predictions each, all 6 true labels hit → P@5 6/12, R@5 1
/// (Not 3/(5·1) or 6/(5·5): fastText divides by the predictions it made.)
enum MultiLabelExample {
    static let names = ["A", "B", "C"]
    static let thresholds = ClassThresholds(values: [0.5, 0.3, 0.7])
    static let gold: [[Int32]] = [[0, 1], [2], [0, -1], [], [1, 2]]
    static let values: [Float] = [
        0.90, 0.40, 0.20,
        0.45, 0.25, 0.60,
        0.60, 0.35, 0.80,
        0.10, 0.50, 0.30,
        0.20, 0.10, 0.75,
    ]

    static func lengths() throws -> CapsuleLengths { try CapsuleLengths(values: values, classCount: 3) }

    static func metrics(gold: [[Int32]] = gold, ks: [Int] = [1, 2, 5]) throws -> MultiLabelMetrics {
        try MultiLabelMetrics(lengths: lengths(), gold: gold, thresholds: thresholds, classNames: names, ks: ks)
    }
}

final class MultiLabelMetricsTests: XCTestCase {
    typealias Decision = ClassThresholds.ClassDecision

    func testEachClassIsDecidedAtItsOwnThreshold() throws {
        let m = try MultiLabelExample.metrics()
        XCTAssertEqual(m.perClass, [Decision(truePositives: 2, falsePositives: 0, falseNegatives: 0),
                                    Decision(truePositives: 1, falsePositives: 2, falseNegatives: 1),
                                    Decision(truePositives: 1, falsePositives: 1, falseNegatives: 1)])
        XCTAssertEqual(m.support, [2, 2, 2])
        XCTAssertEqual(m.predicted, [2, 3, 2])
        XCTAssertEqual(m.perClass[1].precision, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.perClass[1].f1, 2.0 / 5, accuracy: 1e-15)
        // One threshold of 0.5 for all: B loses document 0 and 2 (0.40, 0.35), C gains document 1 (0.60).
        let uniform = try MultiLabelMetrics(lengths: MultiLabelExample.lengths(), gold: MultiLabelExample.gold,
                                            thresholds: ClassThresholds(values: [0.5, 0.5, 0.5]),
                                            classNames: MultiLabelExample.names)
        XCTAssertEqual(uniform.perClass[1], Decision(truePositives: 0, falsePositives: 1, falseNegatives: 2))
        XCTAssertEqual(uniform.perClass[2], Decision(truePositives: 2, falsePositives: 1, falseNegatives: 0))
    }

    func testMicroSumsCountsWhileMacroAveragesClasses() throws {
        let m = try MultiLabelExample.metrics()
        XCTAssertEqual(m.micro, Decision(truePositives: 4, falsePositives: 3, falseNegatives: 2))
        XCTAssertEqual(m.microPrecision, 4.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(m.microRecall, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.microF1, 8.0 / 13, accuracy: 1e-15)
        XCTAssertEqual(m.macroPrecision, 11.0 / 18, accuracy: 1e-15)
        XCTAssertEqual(m.macroRecall, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.macroF1, 19.0 / 30, accuracy: 1e-15)
    }

    /// A class that is neither a true label nor predicted scores 0 and still
    /// counts in the macro mean (scikit-learn, zero_division=0).
    func testMacroMeanIsOverAllClasses() throws {
        // Two documents, three classes; class 2 never true, never predicted.
        let lengths = try CapsuleLengths(values: [0.9, 0.1, 0.1, 0.2, 0.8, 0.1], classCount: 3)
        let m = try MultiLabelMetrics(lengths: lengths, gold: [[0], [1]], thresholds: ClassThresholds(values: [0.5, 0.5, 0.5]),
                                      classNames: ["x", "y", "z"], ks: [1])
        XCTAssertEqual(m.perClass[2], Decision())
        XCTAssertEqual(m.macroF1, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.macroPrecision, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.microF1, 1)
    }

    func testExactMatchAndHammingLoss() throws {
        let m = try MultiLabelExample.metrics()
        XCTAssertEqual(m.documentCount, 5)
        XCTAssertEqual(m.exactMatchCount, 1)
        XCTAssertEqual(m.exactMatch, 0.2, accuracy: 1e-15)
        XCTAssertEqual(m.hammingLoss, 1.0 / 3, accuracy: 1e-15)
        // Document 1 has no class at its threshold: it is one missed label, not a crash or a forced top-1.
        let noPrediction = try MultiLabelMetrics(lengths: CapsuleLengths(values: [0.45, 0.25, 0.60], classCount: 3),
                                                 gold: [[2]], thresholds: MultiLabelExample.thresholds,
                                                 classNames: MultiLabelExample.names, ks: [])
        XCTAssertEqual(noPrediction.predicted, [0, 0, 0])
        XCTAssertEqual(noPrediction.micro, Decision(truePositives: 0, falsePositives: 0, falseNegatives: 1))
        XCTAssertEqual(noPrediction.hammingLoss, 1.0 / 3, accuracy: 1e-15)
        // A document with no true and no predicted class is an exact match.
        let emptyBoth = try MultiLabelMetrics(lengths: CapsuleLengths(values: [0.1, 0.1, 0.1], classCount: 3),
                                              gold: [[]], thresholds: MultiLabelExample.thresholds,
                                              classNames: MultiLabelExample.names)
        XCTAssertEqual(emptyBoth.exactMatch, 1)
        XCTAssertEqual(emptyBoth.hammingLoss, 0)
    }

    func testUnseenLabelIsIgnoredAndItsDocumentKept() throws {
        let m = try MultiLabelExample.metrics()
        XCTAssertEqual(m.unseenLabelCount, 1)
        XCTAssertEqual(m.goldLabelCount, 6)
        XCTAssertEqual(m.labelsPerDocument, 1.2, accuracy: 1e-15)
        // Same numbers as with the −1 removed by hand, except the unseen count.
        let withoutUnseen = try MultiLabelExample.metrics(gold: [[0, 1], [2], [0], [], [1, 2]])
        XCTAssertEqual(withoutUnseen.unseenLabelCount, 0)
        XCTAssertEqual(withoutUnseen.perClass, m.perClass)
        XCTAssertEqual(withoutUnseen.exactMatch, m.exactMatch)
        XCTAssertEqual(withoutUnseen.hammingLoss, m.hammingLoss)
        XCTAssertEqual(withoutUnseen.precisionAtK.map(\.precision), m.precisionAtK.map(\.precision))
        // A document whose only label is unseen stays, with no true class: 5 documents, not 4.
        let onlyUnseen = try MultiLabelExample.metrics(gold: [[0, 1], [-1], [0], [], [1, 2]])
        XCTAssertEqual(onlyUnseen.documentCount, 5)
        XCTAssertEqual(onlyUnseen.perClass[2], Decision(truePositives: 1, falsePositives: 1, falseNegatives: 0))
        XCTAssertEqual(onlyUnseen.atKDocumentCount, 3)
        // A repeated label counts once.
        let repeated = try MultiLabelExample.metrics(gold: [[0, 1, 1], [2], [0, -1], [], [1, 2]])
        XCTAssertEqual(repeated.perClass, m.perClass)
        XCTAssertEqual(repeated.goldLabelCount, 6)
    }

    func testPrecisionAndRecallAtKFollowFastTextTest() throws {
        let m = try MultiLabelExample.metrics(ks: [1, 2, 5])
        XCTAssertEqual(m.atKDocumentCount, 4)
        XCTAssertEqual(m.precisionAtK.map(\.k), [1, 2, 5])
        let expected: [(Double, Double)] = [(3.0 / 4, 3.0 / 6), (5.0 / 8, 5.0 / 6), (6.0 / 12, 1)]
        for ((k, precision, recall), (p, r)) in zip(m.precisionAtK, expected) {
            XCTAssertEqual(precision, p, accuracy: 1e-15, "P@\(k)")
            XCTAssertEqual(recall, r, accuracy: 1e-15, "R@\(k)")
        }
        // P@k ranks capsules and ignores the thresholds.
        let other = try MultiLabelMetrics(lengths: MultiLabelExample.lengths(), gold: MultiLabelExample.gold,
                                          thresholds: ClassThresholds(values: [0.99, 0.99, 0.99]),
                                          classNames: MultiLabelExample.names, ks: [1, 2, 5])
        XCTAssertEqual(other.precisionAtK.map(\.precision), m.precisionAtK.map(\.precision))
        XCTAssertEqual(other.precisionAtK.map(\.recall), m.precisionAtK.map(\.recall))
    }

    func testNoDocumentsGiveZerosNotNaN() throws {
        let m = try MultiLabelMetrics(lengths: CapsuleLengths(values: [], classCount: 3), gold: [],
                                      thresholds: MultiLabelExample.thresholds, classNames: MultiLabelExample.names)
        XCTAssertEqual(m.documentCount, 0)
        let all = [m.microF1, m.macroF1, m.exactMatch, m.hammingLoss, m.labelsPerDocument]
            + m.precisionAtK.flatMap { [$0.precision, $0.recall] }
        XCTAssertEqual(all, [Double](repeating: 0, count: all.count))
    }

    func testInvalidInputsAreRejected() throws {
        let lengths = try MultiLabelExample.lengths()
        let t = MultiLabelExample.thresholds, names = MultiLabelExample.names, gold = MultiLabelExample.gold
        func error(_ make: () throws -> MultiLabelMetrics) -> EvaluationError? {
            do { _ = try make(); return nil } catch { return error as? EvaluationError }
        }
        XCTAssertEqual(error { try MultiLabelMetrics(lengths: lengths, gold: Array(gold.prefix(4)), thresholds: t, classNames: names) },
                       .labelCount(labels: 4, documents: 5))
        XCTAssertEqual(error { try MultiLabelMetrics(lengths: lengths, gold: [[0], [3], [], [], []], thresholds: t, classNames: names) },
                       .labelOutOfRange(document: 1, label: 3, classCount: 3))
        XCTAssertEqual(error { try MultiLabelMetrics(lengths: lengths, gold: [[0], [], [-2], [], []], thresholds: t, classNames: names) },
                       .labelOutOfRange(document: 2, label: -2, classCount: 3))
        XCTAssertEqual(error { try MultiLabelMetrics(lengths: lengths, gold: gold, thresholds: ClassThresholds(values: [0.5, 0.5]),
                                                     classNames: names) },
                       .thresholdCount(thresholds: 2, classCount: 3))
        XCTAssertEqual(error { try MultiLabelMetrics(lengths: lengths, gold: gold, thresholds: ClassThresholds(values: [0.5, .nan, 0.5]),
                                                     classNames: names) }?.description,
                       EvaluationError.invalidThreshold(.nan).description)
        XCTAssertEqual(error { try MultiLabelMetrics(lengths: lengths, gold: gold, thresholds: t, classNames: ["A", "B"]) },
                       .classNameCount(names: 2, classCount: 3))
        XCTAssertEqual(error { try MultiLabelMetrics(lengths: lengths, gold: gold, thresholds: t, classNames: names, ks: [1, 0]) },
                       .invalidTopK(0))
    }

    func testJSONHasTheDocumentedKeysAndNumbers() throws {
        let text = try MultiLabelExample.metrics(ks: [1, 2]).json.serialized()
        XCTAssertEqual(text, try MultiLabelExample.metrics(ks: [1, 2]).json.serialized())
        let keys = ["documents", "labels_per_document", "unseen_labels", "micro_precision", "micro_recall", "micro_f1",
                    "macro_precision", "macro_recall", "macro_f1", "exact_match", "hamming_loss", "thresholds",
                    "classes", "at_k_documents", "at_k"]
        let positions = keys.map { text.range(of: "\"\($0)\"")!.lowerBound }
        XCTAssertEqual(positions, positions.sorted())
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(Set(root.keys), Set(keys))
        XCTAssertEqual(root["documents"] as? Int, 5)
        XCTAssertEqual(try XCTUnwrap(root["micro_f1"] as? Double), 8.0 / 13, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(root["macro_f1"] as? Double), 19.0 / 30, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(root["hamming_loss"] as? Double), 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(root["thresholds"] as? [Double], [0.5, 0.3, 0.7])  // Floats written as their shortest decimals
        let classes = try XCTUnwrap(root["classes"] as? [[String: Any]])
        XCTAssertEqual(classes.map { $0["name"] as? String }, ["A", "B", "C"])
        XCTAssertEqual(classes.map { $0["support"] as? Int }, [2, 2, 2])
        XCTAssertEqual(classes.map { $0["predicted"] as? Int }, [2, 3, 2])
        XCTAssertEqual(classes.map { $0["threshold"] as? Double }, [0.5, 0.3, 0.7])
        XCTAssertEqual(try XCTUnwrap(classes[1]["f1"] as? Double), 0.4, accuracy: 1e-15)
        let atK = try XCTUnwrap(root["at_k"] as? [[String: Any]])
        XCTAssertEqual(atK.map { $0["k"] as? Int }, [1, 2])
        XCTAssertEqual(try XCTUnwrap(atK[1]["precision"] as? Double), 5.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(atK[1]["recall"] as? Double), 5.0 / 6, accuracy: 1e-15)
    }

    func testTextReportHasSummaryTableAndAtKLines() throws {
        let report = try MultiLabelExample.metrics(ks: [1, 2]).textReport()
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(5)), [
            "5 documents, 6 true labels (1.2000 per document), 1 unseen label ignored",
            "exact match 0.2000 (1 of 5 documents), hamming loss 0.3333 (5 of 15 decisions wrong)",
            "micro  precision 0.5714  recall 0.6667  f1 0.6154",
            "macro  precision 0.6111  recall 0.6667  f1 0.6333  (mean over all 3 classes)",
            "",
        ])
        XCTAssertEqual(Array(lines.dropFirst(5).prefix(4)), [
            "class  threshold  support  precision  recall  f1-score",
            "A         0.5000        2     1.0000  1.0000    1.0000",
            "B         0.3000        2     0.3333  0.5000    0.4000",
            "C         0.7000        2     0.5000  0.5000    0.5000",
        ])
        XCTAssertEqual(Array(lines.dropFirst(9)), [
            "",
            "P@1 0.7500  R@1 0.5000",
            "P@2 0.6250  R@2 0.8333",
            "(P@k/R@k as fastText test -k, over the 4 documents with a known label)",
            "",
        ])
    }

    /// scikit-learn, on the multi-hot matrices of the same example, gives the
    /// same micro/macro scores, Hamming loss and exact match (accuracy_score).
    func testScikitLearnAgrees() throws {
        let python: Python
        do { python = try Python.with(modules: ["sklearn", "numpy"]) } catch {
            throw XCTSkip("scikit-learn is not importable by python3 (or $CAPSKIT_PYTHON): skipping the scikit-learn cross-check")
        }
        let m = try MultiLabelExample.metrics()
        let input = try Fixtures.temporaryDirectory(for: self).appendingPathComponent("example.json")
        let example: [String: Any] = [
            "classes": 3,
            "lengths": MultiLabelExample.values.map(Double.init),
            "thresholds": MultiLabelExample.thresholds.values.map(Double.init),
            "gold": MultiLabelExample.gold.map { $0.map(Int.init) },
        ]
        try JSONSerialization.data(withJSONObject: example).write(to: input)
        let script = """
        import json, sys
        import numpy as np
        from sklearn.metrics import accuracy_score, f1_score, hamming_loss, precision_score, recall_score
        ex = json.load(open(sys.argv[1]))
        C = ex["classes"]
        lengths = np.array(ex["lengths"], dtype=np.float32).reshape(-1, C)
        thresholds = np.array(ex["thresholds"], dtype=np.float32)
        y_pred = (lengths >= thresholds).astype(int)
        y_true = np.zeros_like(y_pred)
        for n, labels in enumerate(ex["gold"]):
            for c in labels:
                if c >= 0:
                    y_true[n, c] = 1
        for average in ("micro", "macro"):
            for score in (precision_score, recall_score, f1_score):
                print(repr(float(score(y_true, y_pred, average=average, zero_division=0))))
        print(repr(float(hamming_loss(y_true, y_pred))))
        print(repr(float(accuracy_score(y_true, y_pred))))
        """
        let run = try python.run(["-c", script, input.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let numbers = run.stdout.split(separator: "\n").compactMap { Double(String($0)) }
        let ours = [m.microPrecision, m.microRecall, m.microF1, m.macroPrecision, m.macroRecall, m.macroF1,
                    m.hammingLoss, m.exactMatch]
        let names = ["micro precision", "micro recall", "micro f1", "macro precision", "macro recall", "macro f1",
                     "hamming loss", "exact match"]
        XCTAssertEqual(numbers.count, ours.count, run.stdout)
        for (name, (theirs, mine)) in zip(names, zip(numbers, ours)) {
            XCTAssertEqual(mine, theirs, accuracy: 1e-12, name)
        }
    }
}
