import Foundation

/// Which classes to list per document in `DocumentPredictions`.
public enum ScoreSelection: Sendable, Equatable {
    /// The `k` longest capsules (`--top-k K`).
    case topK(Int)
    /// Every class whose capsule length is ≥ the threshold, possibly none:
    /// lengths are independent scores, so a document can match several
    /// classes or no class at all.
    case threshold(Float)
    /// Every class whose length reaches its own threshold (`--thresholds FILE`).
    case thresholds(ClassThresholds)
}

/// Per-document predictions as tab-separated lines, one per document after
/// a header line:
///
///     index  predicted  true  classes
///     0      sports     sports  sports:0.9312 world:0.1204
///
/// Columns:
/// 1. `index`: 0-based document index (row in the input file).
/// 2. `predicted`: class with the longest capsule (ties → lowest index),
///    even when no class reaches the threshold.
/// 3. `true`: the labelled class, or empty when there are no labels.
/// 4. `classes`: the selected classes, longest first, as `name:length`
///    separated by single spaces; empty when none is selected. Lengths are
///    printed with `decimals` digits.
///
/// Class names are escaped so every line splits unambiguously: `\` → `\\`,
/// tab → `\t`, newline → `\n`, carriage return → `\r`, space → `\s`. A name
/// may contain ':' (e.g. TREC's `DESC:manner`); split each pair at its last ':'.
public struct DocumentPredictions: Sendable {
    public let lengths: CapsuleLengths
    public let labels: [Int32]?
    public let classNames: [String]

    /// - Parameters:
    ///   - lengths: capsule lengths `[N, C]`.
    ///   - labels: `[N]` true classes, or nil for unlabelled data.
    ///   - classNames: `[C]` names.
    public init(lengths: CapsuleLengths, labels: [Int32]?, classNames: [String]) throws {
        guard classNames.count == lengths.classCount else {
            throw EvaluationError.classNameCount(names: classNames.count, classCount: lengths.classCount)
        }
        if let labels { try lengths.validate(labels: labels) }
        self.lengths = lengths
        self.labels = labels
        self.classNames = classNames
    }

    /// The header line and one line per document, each ending in "\n".
    public func tsv(selection: ScoreSelection, decimals: Int = 4) throws -> String {
        switch selection {
        case let .topK(k) where k < 1: throw EvaluationError.invalidTopK(k)
        case let .threshold(t) where !t.isFinite: throw EvaluationError.invalidThreshold(t)
        case let .thresholds(t) where t.values.count != lengths.classCount:
            throw EvaluationError.classNameCount(names: t.values.count, classCount: lengths.classCount)
        default: break
        }
        var out = "index\tpredicted\ttrue\tclasses\n"
        for n in 0..<lengths.documentCount {
            let chosen: [(classIndex: Int, length: Float)]
            switch selection {
            case let .topK(k): chosen = lengths.topK(n, k: k)
            case let .threshold(t): chosen = lengths.above(n, threshold: t)
            case let .thresholds(t): chosen = lengths.ranked(n).filter { $0.length >= t.values[$0.classIndex] }
            }
            let pairs = chosen.map { "\(Self.escape(classNames[$0.classIndex])):\(Self.format($0.length, decimals))" }
            let truth = labels.map { Self.escape(classNames[Int($0[n])]) } ?? ""
            out += "\(n)\t\(Self.escape(classNames[lengths.prediction(n)]))\t\(truth)\t\(pairs.joined(separator: " "))\n"
        }
        return out
    }

    /// A class name made safe for one TSV field and space-separated lists.
    public static func escape(_ name: String) -> String {
        var out = ""
        for ch in name.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case " ": out += "\\s"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The inverse of `escape`.
    public static func unescape(_ field: String) -> String {
        var out = ""
        var pendingBackslash = false
        for ch in field.unicodeScalars {
            if pendingBackslash {
                switch ch {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                case "s": out += " "
                default: out.unicodeScalars.append(ch)
                }
                pendingBackslash = false
            } else if ch == "\\" {
                pendingBackslash = true
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private static func format(_ x: Float, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", Double(x))
    }
}
