import ArgumentParser
import ToolSupport
import CapsArtifacts
import CapsKit
import Foundation

@main
struct CapsExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capsexport",
        abstract: "Export a trained model's weights (HDF5, NumPy .npz, JSON) or print its summary.",
        discussion: """
        Tensors keep their PyTorch state-dict names and layouts (conv1.weight [F, 1, ngram, D], \
        conv1.bias, primarycaps.conv2d.weight/bias, digitcaps.weight [C, N, 16, 8], \
        decoder.0/2/4.weight/bias; embedding.weight [V, D] when the embeddings were fine-tuned), \
        so the reference CapsuleNet's load_state_dict accepts them.

        Formats:
          h5       weights only: one float32 dataset per tensor at the root, the configuration
                   as root attributes (classes, max_len, dim, ngram, … as in the model file)
          npz      one <name>.npy per tensor, readable by numpy.load without h5py
          json     the configuration and every tensor (shape, flat C-order values)
          summary  layers with output shapes and parameter counts, configuration, best epoch
          model    a model file for capseval without the optimiser state (/checkpoint): a
                   third or less of the size, scores identically, cannot be resumed

        -o - writes json and summary to standard output. Files are written atomically.

        EXAMPLES:
          capsexport --format npz model.h5 -o weights.npz
          capsexport --format summary model.h5 -o -
          capsexport --format model model.h5 -o model-slim.h5
        """)

    @Argument(help: "The model file (capsfit's output).")
    var model: String

    @Option(help: "h5, npz, json, summary or model.")
    var format: ModelExporter.Format

    @Option(name: .shortAndLong, help: "The file to write (- = standard output, for json and summary).")
    var output: String

    static func main() { mainWithOneLineErrors() }

    func run() throws {
        var options = ExportStage.Options()
        options.model = model
        options.format = format
        options.output = output
        options.command = currentCommandLine
        try ExportStage(options: options).run()
    }
}

extension ModelExporter.Format: ExpressibleByArgument {}
