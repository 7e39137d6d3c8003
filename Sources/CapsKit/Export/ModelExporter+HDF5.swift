import CapsArtifacts
import CapsReports
import CapsStorage

extension ModelExporter {
    /// The layout identity of the weights-only HDF5 export.
    public static let weightsFormat = "capskit.weights"

    /// Writes a weights-only HDF5 file atomically: one float32 dataset per
    /// tensor at the root, named as in PyTorch (`/conv1.weight`, …,
    /// `/embedding.weight` when fine-tuned); root attributes hold the
    /// configuration under the names of the model file and `../shared/golden`
    /// (plus `decode` 0/1 as the golden files have it), `format` =
    /// "capskit.weights", `format_version`, and the model's `label_names`.
    public func writeHDF5(to path: String) throws {
        let output = try AtomicOutput(destination: path)
        do {
            let file = try H5File.create(at: output.temporaryPath)
            try file.setAttribute("format", .string(Self.weightsFormat))
            try file.setAttribute("format_version", .int(1))
            for (name, value) in model.config.attributes { try file.setAttribute(name, value) }
            try file.setAttribute("decode", .int(model.config.hasDecoder ? 1 : 0))
            try file.setAttribute("label_names", .strings(model.labelNames))
            for (name, shape, values) in weights { try file.write(values, shape: shape, to: "/" + name) }
            try file.close()
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }
}
