import CapsArtifacts
import CapsNet
import CapsReports
import CapsStorage

extension Trainer {
    /// The options as model-file attributes (also what `--resume` restores).
    static func optionAttributes(_ options: TrainingOptions) -> [(String, H5AttributeValue)] {
        var attributes: [(String, H5AttributeValue)] = [
            ("epochs", .int(Int64(options.epochs))), ("batch", .int(Int64(options.batchSize))),
            ("lr", .double(Double(options.learningRate))), ("lr_decay", .double(Double(options.learningRateDecay))),
            ("adam_beta1", .double(Double(options.beta1))), ("adam_beta2", .double(Double(options.beta2))),
            ("adam_eps", .double(Double(options.epsilon))), ("seed", .int(Int64(bitPattern: options.seed))),
            ("threads", .int(Int64(options.threads))), ("keep", .string(options.keep.rawValue)),
            ("fine_tune_embeddings", .int(options.fineTuneEmbeddings ? 1 : 0)),
            ("embedding_update", .string(options.embeddingUpdate.rawValue)),
            ("shuffle_buffer", .int(Int64(options.shuffleBufferRows))),
            ("weight_decay", .double(Double(options.weightDecay))), ("word_dropout", .double(options.wordDropout)),
            ("input_dropout", .double(Double(options.inputDropout))),
            ("average_decay", .double(Double(options.averageDecay))),
        ]
        switch options.validation {
        case .none: attributes.append(("validation", .string("none")))
        case .split(let fraction):
            attributes.append(("validation", .string("split")))
            attributes.append(("val_split", .double(fraction)))
        case .file(let path):
            attributes.append(("validation", .string("file")))
            attributes.append(("val_file", .string(path)))
        }
        return attributes
    }

    /// The options a model was trained with, so a resumed run replays the same
    /// streams; only epochs, threads and the log path come from the command line.
    static func storedOptions(of model: ModelFile, overriding requested: TrainingOptions) throws -> TrainingOptions {
        func int(_ name: String) throws -> Int {
            guard let value = model.attribute(name)?.intValue else {
                throw TrainingError.mismatch("model file: attribute \(name) is missing; cannot resume")
            }
            return Int(value)
        }
        func double(_ name: String) throws -> Double {
            guard let value = model.attribute(name)?.doubleValue else {
                throw TrainingError.mismatch("model file: attribute \(name) is missing; cannot resume")
            }
            return value
        }
        var options = requested
        options.batchSize = try int("batch")
        options.learningRate = Float(try double("lr"))
        options.learningRateDecay = Float(try double("lr_decay"))
        options.beta1 = Float(try double("adam_beta1"))
        options.beta2 = Float(try double("adam_beta2"))
        options.epsilon = Float(try double("adam_eps"))
        options.seed = UInt64(bitPattern: Int64(try int("seed")))
        options.fineTuneEmbeddings = try int("fine_tune_embeddings") != 0
        options.embeddingUpdate = EmbeddingTuner.Update(rawValue: model.attribute("embedding_update")?.stringValue ?? "") ?? .dense
        options.shuffleBufferRows = try int("shuffle_buffer")
        // Absent from models written before these options existed: they were 0 then.
        options.weightDecay = Float(model.attribute("weight_decay")?.doubleValue ?? 0)
        options.wordDropout = model.attribute("word_dropout")?.doubleValue ?? 0
        options.inputDropout = Float(model.attribute("input_dropout")?.doubleValue ?? 0)
        options.averageDecay = Float(model.attribute("average_decay")?.doubleValue ?? 0)
        options.keep = TrainingOptions.Keep(rawValue: model.attribute("keep")?.stringValue ?? "") ?? .best
        switch model.attribute("validation")?.stringValue {
        case "split": options.validation = .split(try double("val_split"))
        case "file": options.validation = .file(model.attribute("val_file")?.stringValue ?? "")
        default: options.validation = .none
        }
        return options
    }

    static func validate(_ options: TrainingOptions) throws {
        func fail(_ message: String) throws -> Never { throw TrainingError.invalidOption(message) }
        if options.epochs < 1 { try fail("--epochs must be at least 1 (got \(options.epochs))") }
        if options.batchSize < 1 { try fail("--batch must be at least 1 (got \(options.batchSize))") }
        if !(options.learningRate > 0) { try fail("--lr must be positive (got \(options.learningRate))") }
        if !(options.learningRateDecay > 0 && options.learningRateDecay <= 1) {
            try fail("--lr-decay must lie in (0, 1] (got \(options.learningRateDecay))")
        }
        if !(options.weightDecay >= 0 && options.learningRate * options.weightDecay < 1) {
            try fail("--weight-decay must be ≥ 0 with lr × decay < 1 (got \(options.weightDecay))")
        }
        if !(options.wordDropout >= 0 && options.wordDropout < 1) {
            try fail("--word-dropout must lie in [0, 1) (got \(options.wordDropout))")
        }
        if !(options.inputDropout >= 0 && options.inputDropout < 1) {
            try fail("--input-dropout must lie in [0, 1) (got \(options.inputDropout))")
        }
        if !(options.averageDecay >= 0 && options.averageDecay < 1) {
            try fail("--average-decay must lie in [0, 1) (got \(options.averageDecay))")
        }
        if options.threads < 1 { try fail("--threads must be at least 1 (got \(options.threads))") }
        if options.shuffleBufferRows < 1 { try fail("--shuffle-buffer must be at least 1 row") }
        if case .split(let fraction) = options.validation, !(fraction > 0 && fraction < 1) {
            try fail("--val-split must lie in (0, 1) (got \(fraction)); use --val-split 0 … or --no-validation")
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
        if input.labelNames.count != config.classes {
            throw TrainingError.mismatch("\(input.path) (\(role)): \(input.labelNames.count) classes, but \(owner) has \(config.classes)")
        }
    }
}
