import CapsArtifacts
import CapsCore
import CapsNet
import CapsStorage

extension Trainer {
    /// The options as model-file attributes (also what `--resume` restores):
    /// one per `TrainingOptions.settings` entry, then the validation choice.
    static func optionAttributes(_ options: TrainingOptions) -> [(String, H5AttributeValue)] {
        TrainingOptions.settings.attributes(of: options) + validationAttributes(options.validation)
    }

    /// `validation` = none | split | file, with `val_split` or `val_file`.
    static func validationAttributes(_ validation: TrainingOptions.Validation) -> [(String, H5AttributeValue)] {
        switch validation {
        case .none: return [("validation", .string("none"))]
        case .split(let fraction): return [("validation", .string("split")), ("val_split", .double(fraction))]
        case .file(let path): return [("validation", .string("file")), ("val_file", .string(path))]
        }
    }

    /// The options a model was trained with, so a resumed run replays the same
    /// streams; only `TrainingOptions.resumeOverrides` and the log path come
    /// from the command line.
    static func storedOptions(of model: ModelFile, path: String, overriding requested: TrainingOptions) throws -> TrainingOptions {
        var options = requested
        let stored = TrainingOptions.settings.filter { !TrainingOptions.resumeOverrides.contains($0.name) }
        try stored.read(into: &options, file: path) { model.attribute($0) }
        switch model.attribute("validation")?.stringValue {
        case "split":
            guard let fraction = model.attribute("val_split")?.doubleValue else {
                throw ArtifactError(file: path, object: "attribute 'val_split' on /", message: "missing; cannot resume")
            }
            options.validation = .split(fraction)
        case "file": options.validation = .file(model.attribute("val_file")?.stringValue ?? "")
        default: options.validation = .none
        }
        return options
    }

    static func validate(_ options: TrainingOptions) throws {
        do {
            try TrainingOptions.settings.validate(options)
        } catch let error as SettingError {
            throw TrainingError.invalidOption(error.description)
        }
        func fail(_ message: String) throws -> Never { throw TrainingError.invalidOption(message) }
        if !(options.learningRate * options.weightDecay < 1) {
            try fail("--weight-decay must keep lr × decay below 1 (got \(options.weightDecay))")
        }
        if case .split(let fraction) = options.validation, !(fraction > 0 && fraction < 1) {
            try fail("--val-split must lie in (0, 1) (got \(fraction)); use --val-split 0 … or --no-validation")
        }
        if case .none = options.validation, options.patience > 0 {
            try fail("--patience needs validation (--val-split or --val) to tell when the model stops improving")
        }
        if case .none = options.validation, options.keep == .best {
            try fail("--keep best needs validation (--val-split or --val); use --keep last")
        }
    }

    /// The labels of a file to train or validate on: present, and each a known class.
    static func checkedLabels(of input: EmbeddedFile) throws -> [Int32] {
        let labels = try input.requireLabels()
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= input.labelNames.count }) {
            throw TrainingError.labelOutOfRange(path: input.path, row: bad, label: labels[bad], classes: input.labelNames.count)
        }
        return labels
    }

    /// Sizes the model needs that the data must have.
    static func check(config: CapsNetConfig, against input: EmbeddedFile, modelPath: String?,
                      role: String = "training file") throws {
        let owner = modelPath.map { "the model in \($0)" } ?? "the model"
        if input.maxLength != config.maxLength || input.dim != config.dimension {
            throw TrainingError.mismatch("\(input.path) (\(role)): rows are \(input.maxLength)×\(input.dim), but \(owner) expects \(config.maxLength)×\(config.dimension)")
        }
        if config.lexicalLength > 0 && input.lexicalLength != config.lexicalLength {
            let has = input.lexicalLength > 0 ? "a lexical view of \(input.lexicalLength) tokens" : "no lexical view"
            throw TrainingError.mismatch("\(input.path) (\(role)): \(has), but \(owner) reads \(config.lexicalLength) tokens per document for its lexical capsules (tokenize --lexical-len \(config.lexicalLength))")
        }
        if input.labelNames.count != config.classes {
            throw TrainingError.mismatch("\(input.path) (\(role)): \(input.labelNames.count) classes, but \(owner) has \(config.classes)")
        }
    }
}
