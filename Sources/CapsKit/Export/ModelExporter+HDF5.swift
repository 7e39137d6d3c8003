import CapsArtifacts
import CapsStorage

extension ModelExporter {
    /// The layout identity of the weights-only HDF5 export.
    public static let weightsFormat = ArtifactFormat(name: "capskit.weights", version: 1)

    /// Writes a weights-only HDF5 file all-or-nothing (see `ArtifactWriter`):
    /// one float32 dataset per tensor at the root, named as in PyTorch
    /// (`/conv1.weight`, …, `/embedding.weight` when fine-tuned); root
    /// attributes hold the header (`format` = "capskit.weights",
    /// `format_version`, `tool` = "capsexport", `tool_version`, `command`),
    /// the configuration under the names of the model file and
    /// `../shared/golden` (plus `decode` 0/1 as the golden files have it),
    /// and the model's `label_names`. An ensemble's members are groups
    /// `/members/<k>` holding the same datasets (`/members/1/conv1.weight`, …),
    /// with root attribute `ensemble` = K.
    public func writeHDF5(to path: String, command: String) throws {
        let provenance = Provenance(tool: "capsexport", command: command)
        try ArtifactWriter.write(Self.weightsFormat, provenance: provenance, to: path) { file in
            try file.setRootAttributes(model.config.attributes)
            try file.setAttribute("decode", .int(model.config.hasDecoder ? 1 : 0))
            try file.setAttribute("label_names", .strings(model.labelNames))
            if model.isEnsemble { try file.setAttribute("ensemble", .int(Int64(model.ensembleSize))) }
            for (name, shape, values) in weights { try file.write(values, shape: shape, to: "/" + name) }
        }
    }
}
