import CapsStorage
import CapsText
import Foundation

/// What `capssplit` does around `DatasetSplitter`: reads and concatenates
/// the inputs, splits them, and writes `train.tsv`, `test.tsv` (and
/// `dev.tsv`) into a folder, all files or none.
public struct SplitStage: PipelineStage {
    public struct Options {
        /// The labelled text files to split (concatenated in order).
        public var inputs: [String] = []
        /// The folder that receives `train.tsv`, `test.tsv` (and `dev.tsv`).
        public var folder = "."
        public var splitter = DatasetSplitter.Options()
        /// How the inputs are read.
        public var reading = InputOptions()

        public init() {}
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// Splits the documents of the inputs into files in the folder, which is
    /// created if missing (but only once the inputs have been read and split).
    public func run() throws -> DatasetSplitter.Report {
        let inputs = options.inputs, folder = options.folder
        guard !inputs.isEmpty else { throw OptionError("no input files; expected at least one labelled text file") }
        var options = self.options.splitter
        options.read = try self.options.reading.readOptions()
        let splitter = DatasetSplitter(options: options)
        try splitter.validate()

        var report = DatasetSplitter.Report()
        var records: [(label: String, text: String)] = []
        for path in inputs {
            var reader = try DocumentReader.openText(path, options: options.read)
            let documents = try reader.readAll()
            guard !documents.isEmpty else { throw EmptyInputError(input: reader.source) }
            records += try splitter.records(from: documents, source: reader.source, report: &report)
        }
        records = splitter.deduplicated(records, report: &report)
        let parts = try splitter.split(records, report: &report)

        var files = [("train.tsv", parts.train), ("test.tsv", parts.test)]
        if options.devFraction > 0 { files.insert(("dev.tsv", parts.dev), at: 1) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Write every file under its temporary name first, then rename them all.
        var outputs: [AtomicOutput] = []
        for (name, rows) in files {
            let output = try AtomicOutput(destination: (folder as NSString).appendingPathComponent(name))
            do {
                try Data(DatasetSplitter.tsv(records, rows: rows).utf8).write(to: URL(fileURLWithPath: output.temporaryPath))
            } catch {
                throw FileWriteError(path: output.destination,
                                     reason: AtomicOutput.systemReason(of: error) ?? error.localizedDescription)
            }
            outputs.append(output)
        }
        for output in outputs { try output.commit() }
        return report
    }
}
