import CapsArtifacts
import CapsKitTestSupport
@testable import CapsReports

/// A 3-class example worked out on paper (classes A=0, B=1, C=2). B has no
/// documents (zero support) but is predicted; C has documents but is never
/// predicted; document 3 is a tie between A and B, which goes to A.
///
///     doc  label  lengths [A, B, C]     prediction
///      0    A     0.80  0.30  0.10      A   ✓
///      1    A     0.20  0.70  0.10      B
///      2    C     0.60  0.10  0.40      A
///      3    C     0.50  0.50  0.20      A   (tie A/B → lower index)
///      4    A     0.95  0.05  0.30      A   ✓
///      5    C     0.30  0.60  0.55      B
///
/// Confusion (rows true, columns predicted): A [2 1 0], B [0 0 0], C [2 1 0].
/// Predicted totals: A 4, B 2, C 0. Support: A 3, B 0, C 3. Accuracy 2/6.
///
///     class  precision   recall   F1                         support
///     A      2/4 = 1/2   2/3      2·(1/2)(2/3)/(7/6) = 4/7   3
///     B      0/2 = 0     0/0 → 0  0                          0
///     C      0/0 → 0     0/3 = 0  0                          3
///
/// Macro: precision 1/6, recall 2/9, F1 4/21.
/// Weighted by support (3, 0, 3 of 6): precision 1/4, recall 1/3, F1 2/7.
///
/// Margin loss (m⁺ 0.9, m⁻ 0.1, λ 0.5), per document:
///     0: 0.1² + ½·0.2²               = 0.03
///     1: 0.7² + ½·0.6²               = 0.67
///     2: 0.5² + ½·0.5²               = 0.375
///     3: 0.7² + ½·0.4² + ½·0.4²      = 0.65
///     4: 0 + 0 + ½·0.2²              = 0.02
///     5: 0.35² + ½·0.2² + ½·0.5²     = 0.2675
/// mean = 2.0125 / 6 = 0.335416…
enum ThreeClassExample {
    static let names = ["A", "B", "C"]
    static let labels: [Int32] = [0, 0, 2, 2, 0, 2]
    static let values: [Float] = [
        0.80, 0.30, 0.10,
        0.20, 0.70, 0.10,
        0.60, 0.10, 0.40,
        0.50, 0.50, 0.20,
        0.95, 0.05, 0.30,
        0.30, 0.60, 0.55,
    ]

    static func lengths() throws -> CapsuleLengths { try CapsuleLengths(values: values, classCount: 3) }

    static func metrics() throws -> ClassificationMetrics {
        try ClassificationMetrics(lengths: lengths(), labels: labels, classNames: names)
    }
}
