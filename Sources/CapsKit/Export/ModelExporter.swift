import CapsArtifacts
import CapsNet
import CapsReports
import CapsStorage
import Foundation

/// A trained model's weights and configuration in the export formats of
/// `capsexport`: a weights-only HDF5 file, a NumPy `.npz`, JSON, or a text
/// summary. Tensors keep their PyTorch state-dict names and layouts, so
/// `CapsuleNet.load_state_dict` of the reference takes them unchanged.
public struct ModelExporter {
    /// The export formats.
    public enum Format: String, CaseIterable, Sendable {
        /// Weights-only HDF5: one dataset per tensor at the root, configuration as root attributes.
        case h5
        /// NumPy archive: one `<name>.npy` per tensor.
        case npz
        /// One JSON document: configuration and every tensor (`ModelJSONExport`).
        case json
        /// Keras-like text summary (`ModelSummary`).
        case summary
        /// The model file without its optimiser state: what capseval needs
        /// (weights, configuration, vocabulary, tables, history) and no
        /// `/checkpoint` (Adam's moments and the resume state, most of the
        /// bytes), so it scores like the original and cannot be resumed.
        case model

        /// Whether the format is text that can go to standard output (`-`).
        public var isText: Bool { self == .json || self == .summary }
    }

    public let model: ModelFile

    public init(model: ModelFile) { self.model = model }

    /// Reads the model file at `path`.
    public init(path: String) throws { self.init(model: try ModelFile.read(from: path)) }

    /// The network's tensors in buffer order, then `embedding.weight` [V, D]
    /// when the embeddings were fine-tuned (it is the model's input layer then):
    /// (PyTorch name, shape, values in C order). An ensemble lists every
    /// member's in turn, each name prefixed `members/<k>/` (k = 1…K, as the
    /// model file's groups): `members/2/conv1.weight` is member 2's conv1.
    public var weights: [(name: String, shape: [Int], values: [Float])] {
        model.members.enumerated().flatMap { index, member in
            let prefix = model.isEnsemble ? "members/\(index + 1)/" : ""
            var list = model.tensors.map { tensor in
                (prefix + tensor.name, tensor.shape, Array(member.weights[tensor.offset..<(tensor.offset + tensor.count)]))
            }
            if let tuned = member.tunedEmbedding {
                let d = model.config.dimension
                list.append((prefix + "embedding.weight", [tuned.count / d, d], tuned))
            }
            return list
        }
    }

    /// `weights` as export tensors (float32).
    public func tensors() throws -> [ExportTensor] {
        try weights.map { try ExportTensor(name: $0.name, shape: $0.shape, floats: $0.values) }
    }

    /// The configuration under the model file's attribute names, one entry
    /// per `CapsNetConfig.settings` field (`classes`, `max_len`, `dim`, …,
    /// `dropout`), each spelled as on capsfit's command line: real values
    /// that are float32 in the network as the shortest decimal of that float
    /// (0.392, not 0.3919999897…), `decoder_hidden` as "512,1024"; then, for
    /// an ensemble, `ensemble` = K.
    public var configuration: [ConfigurationEntry] {
        let network = CapsNetConfig.settings.map { setting in
            let value = setting.value(in: model.config)
            let converted: ConfigurationEntry.Value
            switch value {
            case let .int(i): converted = .int(i)
            case let .float(f): converted = .double(Double(f.description) ?? Double(f))
            case let .double(d): converted = .double(d)
            case .string, .ints: converted = .string(value.description)
            }
            return ConfigurationEntry(setting.name, converted)
        }
        // An ensemble also says how many networks the tensors are for.
        return network + (model.isEnsemble ? [ConfigurationEntry("ensemble", .int(model.ensembleSize))] : [])
    }

    /// Writes the model in `format` to `path` (`-` = standard output, text formats only).
    /// `command` is recorded as provenance in the formats that carry it (h5).
    public func export(_ format: Format, to path: String, command: String = "") throws {
        if path == "-" && !format.isText {
            throw ExportError.writeFailed(path: "-", reason: "\(format.rawValue) is binary; write it to a file with -o FILE")
        }
        switch format {
        case .h5: try writeHDF5(to: path, command: command)
        case .npz: try NPZWriter.write(try tensors(), to: URL(fileURLWithPath: path))
        case .json: try TextOutput.write(try ModelJSONExport.text(configuration: configuration, tensors: try tensors()), to: path)
        case .summary: try TextOutput.write(try summary().text(), to: path)
        case .model: try writeScoringModel(to: path, command: command)
        }
    }
}

extension ModelExporter {
    /// Root attribute of a model written by `--format model`: the capsexport
    /// command that dropped the checkpoint (the rest of the header still says
    /// how capsfit trained it).
    public static let scoringModelAttribute = "exported_without_checkpoint"

    /// Writes `model` (read without its checkpoint) as a model file again:
    /// same layout and attributes, no `/checkpoint` groups.
    func writeScoringModel(to path: String, command: String) throws {
        var slim = model
        for index in slim.members.indices { slim.members[index].checkpoint = nil }
        slim.attributes.removeAll { $0.0 == Self.scoringModelAttribute }
        slim.attributes.append((Self.scoringModelAttribute, .string(command.isEmpty ? "capsexport --format model" : command)))
        try slim.write(to: path)
    }
}
