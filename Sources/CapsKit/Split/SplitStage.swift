import CapsArtifacts
import CapsReports
import CapsStorage
import CapsText
import Foundation

/// What `capssplit` does around `DatasetSplitter`: reads and concatenates
/// the inputs, splits them, and writes `train.tsv`, `test.tsv` (and
/// `dev.tsv`) into a folder, all files or none.
public struct SplitStage {
    public var splitter: DatasetSplitter.Options
    public var input = InputOptions()

    public init(splitter: DatasetSplitter.Options = DatasetSplitter.Options(), input: InputOptions = InputOptions()) {
        self.splitter = splitter
        self.input = input
    }

    /// Splits the documents of `inputs` into files in `folder`, which is
    /// created if missing (but only once the inputs have been read and split).
    public func run(inputs: [String], folder: String) throws -> DatasetSplitter.Report {
        guard !inputs.isEmpty else { throw OptionError("no input files; expected at least one labelled text file") }
        var options = splitter
        options.read = try input.readOptions()
        let splitter = DatasetSplitter(options: options)
        try splitter.validate()

        var report = DatasetSplitter.Report()
        var records: [(label: String, text: String)] = []
        for path in inputs {
            var reader = try DocumentReader(path: path, options: options.read)
            records += try splitter.records(from: reader.readAll(), source: reader.source, report: &report)
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
                throw FileWriteError(path: output.destination, reason: error.localizedDescription)
            }
            outputs.append(output)
        }
        for output in outputs { try output.commit() }
        return report
    }
}
