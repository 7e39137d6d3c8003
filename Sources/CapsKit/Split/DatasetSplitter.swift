import CapsText
import Foundation

/// The split itself, free of files: turns labeled records into a
/// de-duplicated (optionally), stratified, seeded train/test(/dev) partition
/// and its TSV text. `SplitStage` reads the inputs and writes the files.
public struct DatasetSplitter {
    public struct Options {
        /// Share of each class written to the test file.
        public var testFraction = 0.1
        /// Optional share of each class written to dev.tsv (taken from what is left after test).
        public var devFraction = 0.0
        public var seed: UInt64 = 1
        /// Keep one copy of repeated texts; drop texts that occur under different labels.
        public var dedupe = false
        public var read = ReadOptions()
        public init() {}
    }

    /// Counts for the summary line.
    public struct Report: CustomStringConvertible {
        public var read = 0
        public var duplicatesRemoved = 0
        public var conflictingRemoved = 0
        public var emptyRemoved = 0
        public var train = 0
        public var dev = 0
        public var test = 0
        public var classes: [String] = []

        public var description: String {
            var parts = ["read \(read) documents"]
            if duplicatesRemoved > 0 || conflictingRemoved > 0 || emptyRemoved > 0 {
                parts.append("removed \(duplicatesRemoved) repeats, \(conflictingRemoved) under conflicting labels, \(emptyRemoved) empty")
            }
            parts.append("\(classes.count) classes")
            parts.append("train \(train)" + (dev > 0 ? ", dev \(dev)" : "") + ", test \(test)")
            return parts.joined(separator: "; ")
        }
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// Checks the fractions: test in (0, 1), dev in [0, 1), together below 1.
    public func validate() throws {
        let test = options.testFraction, dev = options.devFraction
        guard test > 0, test < 1, dev >= 0, dev < 1, test + dev < 1 else {
            throw DatasetSplitError.fractions(test: test, dev: dev)
        }
    }

    /// One (label, text) record per document of `source`, in input order.
    /// Multi-label input keeps the first label; tabs and line breaks in
    /// labels and texts become spaces, so each record stays one TSV line.
    public func records(from documents: [LabeledDocument], source: String,
                        report: inout Report) throws -> [(label: String, text: String)] {
        report.read += documents.count
        var records: [(label: String, text: String)] = []
        records.reserveCapacity(documents.count)
        for document in documents {
            guard let label = document.labels.first else {
                throw DatasetSplitError.unlabeled(source: source, line: document.line)
            }
            records.append((Self.oneLine(label), Self.oneLine(document.text)))
        }
        return records
    }

    /// With `dedupe`, each (label, text) once in first-seen order, without
    /// empty texts and without texts that occur under different labels;
    /// otherwise `records` unchanged.
    public func deduplicated(_ records: [(label: String, text: String)],
                             report: inout Report) -> [(label: String, text: String)] {
        guard options.dedupe else { return records }
        var labelsOfText: [String: Set<String>] = [:]
        for record in records { labelsOfText[record.text, default: []].insert(record.label) }
        var seen = Set<String>()
        var unique: [(label: String, text: String)] = []
        for record in records {
            if record.text.trimmingCharacters(in: .whitespaces).isEmpty { report.emptyRemoved += 1; continue }
            if labelsOfText[record.text]!.count > 1 { report.conflictingRemoved += 1; continue }
            if !seen.insert(record.text).inserted { report.duplicatesRemoved += 1; continue }
            unique.append(record)
        }
        return unique
    }

    /// `text` with tabs and line breaks replaced by spaces.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\t", with: " ")
            .replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }

    /// Splits `records` into (train, dev, test), each in input order.
    /// - Throws: `DatasetSplitError.fractions` for fractions `validate()` rejects.
    public func split(_ records: [(label: String, text: String)], report: inout Report) throws
        -> (train: [Int], dev: [Int], test: [Int]) {
        try validate()
        let labelSet = LabelSet(records.map(\.label))
        report.classes = labelSet.names
        let labels = records.map { labelSet.index(of: $0.label)! }
        let first = StratifiedSplit(labels: labels, fraction: options.testFraction, seed: options.seed)
        var train = first.kept, dev: [Int] = []
        if options.devFraction > 0 {
            let rest = train.map { labels[$0] }
            let second = StratifiedSplit(labels: rest, fraction: options.devFraction / (1 - options.testFraction),
                                         seed: options.seed &+ 1)
            dev = second.heldOut.map { train[$0] }
            train = second.kept.map { train[$0] }
        }
        report.train = train.count; report.dev = dev.count; report.test = first.heldOut.count
        return (train, dev, first.heldOut)
    }

    /// TSV text for the rows given: `label<TAB>text\n` per row.
    public static func tsv(_ records: [(label: String, text: String)], rows: [Int]) -> String {
        var out = ""
        for row in rows { out += records[row].label + "\t" + records[row].text + "\n" }
        return out
    }
}

public enum DatasetSplitError: Error, CustomStringConvertible, LocalizedError {
    case unlabeled(source: String, line: Int)
    case fractions(test: Double, dev: Double)

    public var description: String {
        switch self {
        case .unlabeled(let source, let line):
            return "\(source):\(line): a document without a label; capssplit needs labeled input"
        case .fractions(let test, let dev):
            return "--test-fraction \(test) and --dev-fraction \(dev) must each lie in [0, 1) with test > 0 and a sum below 1"
        }
    }
    public var errorDescription: String? { description }
}
