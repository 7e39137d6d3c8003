/// What `capsexport` does: read a model file and write its weights and
/// configuration in one export format (`ModelExporter`).
public struct ExportStage: PipelineStage {
    public struct Options: Sendable {
        /// The model file (capsfit's output).
        public var model = "model.h5"
        public var format = ModelExporter.Format.h5
        /// The file to write; `-` for standard output (text formats only).
        public var output = "-"
        /// The command line recorded as provenance.
        public var command = ""

        public init() {}
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    public func run() throws {
        try ModelExporter(path: options.model).export(options.format, to: options.output, command: options.command)
    }
}
