import CapsArtifacts
@testable import CapsKit
import CapsKitTestSupport
import CapsReports
import CapsStorage
import CapsTestSupport
import Foundation
import XCTest

/// Exported weights loaded into the PyTorch reference (`../shared/reference/
/// capsnet_ref.py`) with `load_state_dict` give the lengths capseval computes.
/// Skips unless a Python importing torch, numpy and h5py is found
/// (`CAPSKIT_PYTHON`, else `python3`).
final class PyTorchParityTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory(for: self) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Loads the exported weights (h5 or npz) into the reference CapsuleNet,
    /// builds inputs from the embedded file (`/x`, or `embedding.weight[/ids]`
    /// when the export has a tuned table) and writes the lengths [N, C] as float32.
    static let script = """
    import sys, importlib.util, h5py, numpy as np, torch
    ref_path, weights_path, data_path, out_path = sys.argv[1:5]
    spec = importlib.util.spec_from_file_location("capsnet_ref", ref_path)
    ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)
    if weights_path.endswith(".npz"):
        archive = np.load(weights_path)
        state = {name: archive[name] for name in archive.files}
        config = {k: v for k, v in (a.split("=") for a in sys.argv[5:])}
    else:
        with h5py.File(weights_path, "r") as f:
            state = {name: f[name][()] for name in f.keys()}
            config = dict(f.attrs)
    state = {k: torch.from_numpy(np.asarray(v, dtype=np.float32)).double() for k, v in state.items()}
    table = state.pop("embedding.weight", None)
    hidden = config["decoder_hidden"]
    hidden = [int(h) for h in (hidden.split(",") if isinstance(hidden, str) else hidden)]
    net = ref.CapsuleNet(int(config["classes"]), max_len=int(config["max_len"]), dim=int(config["dim"]),
                         ngram=int(config["ngram"]), filters=int(config["filters"]),
                         primary_channels=int(config["primary_channels"]), primary_dim=int(config["primary_dim"]),
                         primary_kernel=int(config["primary_kernel"]), primary_stride=int(config["primary_stride"]),
                         class_dim=int(config["class_dim"]), routings=int(config["routings"]),
                         decoder_hidden=hidden, decoder_activation=str(config["decoder_activation"])).double()
    missing, unexpected = net.load_state_dict(state, strict=False)
    assert not unexpected, unexpected
    assert all(name.startswith("decoder.") for name in missing), missing
    with h5py.File(data_path, "r") as f:
        x = torch.from_numpy(f["x"][()]).double() if table is None else table[torch.from_numpy(f["ids"][()]).long()]
    with torch.no_grad():
        lengths, _ = net(x, decode=False)
    lengths.numpy().astype("<f4").tofile(out_path)
    """

    func parity(fineTune: Bool, format: ModelExporter.Format) throws {
        let python = try Python.with(modules: ["torch", "numpy", "h5py"])
        let reference = try Fixtures.shared("reference/capsnet_ref.py")
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), fineTune: fineTune,
                                 decoder: !fineTune, epochs: 3)
        let weights = path("weights.\(format.rawValue)")
        let exporter = try ModelExporter(path: path("model.h5"))
        try exporter.export(format, to: weights)
        let configuration = exporter.configuration.map { "\($0.key)=\($0.value)" }

        var options = ScoringOptions()
        options.threads = 1
        let scores = try EvalStage(model: path("model.h5"), input: path("data.h5"), scoring: options).run()

        let run = try python.run(["-c", Self.script, reference, weights, path("data.h5"), path("lengths.f32")]
                                 + configuration)
        XCTAssertEqual(run.status, 0, run.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("lengths.f32")))
        let torchLengths = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(torchLengths.count, scores.lengths.values.count)
        let worst = zip(torchLengths, scores.lengths.values).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-4, "largest |torch − capseval| = \(worst)")
    }

    func testStaticModelThroughHDF5Export() throws { try parity(fineTune: false, format: .h5) }

    func testFineTunedModelThroughNPZExport() throws { try parity(fineTune: true, format: .npz) }
}
