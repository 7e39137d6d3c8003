import CapsArtifacts
import CapsCore
@testable import CapsKit
import CapsKitTestSupport
import CapsNet
import CapsReports
import CapsStorage
import CapsTestSupport
import Foundation
import XCTest

/// Every export format read back by an independent reader and compared with
/// the model file's weights.
final class ModelExporterTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory(for: self) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A small trained model, fine-tuned so `embedding.weight` is exported too.
    func trainedModel(fineTune: Bool = true) throws -> ModelFile {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), fineTune: fineTune)
        return try ModelFile.read(from: path("model.h5"))
    }

    /// (name, shape, values) expected in every export: the network's tensors, then the tuned table.
    func expectedTensors(_ model: ModelFile) -> [(String, [Int], [Float])] {
        model.tensors.map { ($0.name, $0.shape, model.weight($0.name)!) }
            + (model.tunedEmbedding.map { [("embedding.weight", [20, 6], $0)] } ?? [])
    }

    func testHDF5ExportHoldsEveryTensorAtTheRootAndTheConfiguration() throws {
        let model = try trainedModel()
        try ModelExporter(model: model).export(.h5, to: path("weights.h5"))
        let file = try H5File.open(at: path("weights.h5"))
        let expected = expectedTensors(model)
        XCTAssertEqual(try file.children(of: "/"), expected.map(\.0).sorted())
        for (name, shape, values) in expected {
            XCTAssertEqual(try file.shape(of: "/" + name), shape, name)
            XCTAssertEqual(try file.read(Float.self, from: "/" + name).values, values, name)
        }
        // The configuration reads back into the same CapsNetConfig through the model file's reader.
        XCTAssertEqual(try CapsNetConfig(attributesOf: file), model.config)
        XCTAssertEqual(try file.attribute("decode")?.intValue, 1)
        XCTAssertEqual(try file.attribute("label_names")?.stringsValue, model.labelNames)
    }

    func testNPZExportReadsBackWithAnIndependentZipAndNpyParser() throws {
        let model = try trainedModel()
        try ModelExporter(model: model).export(.npz, to: path("weights.npz"))
        let archive = try ZipReader(Data(contentsOf: URL(fileURLWithPath: path("weights.npz"))))
        let expected = expectedTensors(model)
        XCTAssertEqual(archive.members.map(\.name), expected.map { $0.0 + ".npy" })
        for ((name, shape, values), member) in zip(expected, archive.members) {
            let bytes = [UInt8](member.bytes)
            XCTAssertEqual(Array(bytes[0..<8]), [0x93] + Array("NUMPY".utf8) + [1, 0], name)
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
            let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
            XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }"), header)
            let data = bytes[(10 + headerLength)...]
            XCTAssertEqual(data.count, values.count * 4, name)
            let decoded = stride(from: data.startIndex, to: data.endIndex, by: 4).map { i -> Float in
                var bits = UInt32(data[i])
                bits |= UInt32(data[i + 1]) << 8
                bits |= UInt32(data[i + 2]) << 16
                bits |= UInt32(data[i + 3]) << 24
                return Float(bitPattern: bits)
            }
            XCTAssertEqual(decoded, values, name)
        }
    }

    func testNPZExportLoadsInNumPy() throws {
        let python = try Python.with(modules: ["numpy"])
        let model = try trainedModel()
        try ModelExporter(model: model).export(.npz, to: path("weights.npz"))
        // numpy prints name, shape and the SHA-256 of the little-endian float32 bytes of each array.
        let script = """
        import hashlib, sys, numpy as np
        archive = np.load(sys.argv[1])
        for name in archive.files:
            a = archive[name]
            assert a.dtype == np.float32, a.dtype
            print(name, ",".join(map(str, a.shape)), hashlib.sha256(a.astype("<f4").tobytes()).hexdigest())
        """
        let run = try python.run(["-c", script, path("weights.npz")])
        XCTAssertEqual(run.status, 0, run.stderr)
        let expected = expectedTensors(model).map { name, shape, values in
            let bytes = values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
            return "\(name) \(shape.map(String.init).joined(separator: ",")) \(SHA256.hexDigest(of: bytes))"
        }
        XCTAssertEqual(run.stdout.split(separator: "\n").map(String.init), expected)
    }

    func testJSONExportParsesBackToTheSameBits() throws {
        let model = try trainedModel()
        try ModelExporter(model: model).export(.json, to: path("model.json"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("model.json")))) as! [String: Any]
        let configuration = object["configuration"] as! [String: Any]
        XCTAssertEqual(configuration["classes"] as? Int, 3)
        XCTAssertEqual(configuration["max_len"] as? Int, 8)
        XCTAssertEqual(configuration["decoder_hidden"] as? String, "16,24")
        let tensors = object["tensors"] as! [[String: Any]]
        let expected = expectedTensors(model)
        XCTAssertEqual(tensors.map { $0["name"] as! String }, expected.map(\.0))
        for (tensor, (name, shape, values)) in zip(tensors, expected) {
            XCTAssertEqual(tensor["shape"] as? [Int], shape, name)
            let parsed = (tensor["values"] as! [NSNumber]).map { Float($0.doubleValue) }
            XCTAssertEqual(parsed, values, name)
        }
    }

    func testSummaryCountsTheNetworksParameters() throws {
        let model = try trainedModel(fineTune: false)
        let network = try CapsuleNetwork(config: model.config, maxBatch: 1, seed: 0)
        let summary = try ModelExporter(model: model).summary()
        XCTAssertEqual(summary.totalParameters, network.parameters.count)
        // conv1 12·(2·6) + 12 weights and biases, by hand.
        XCTAssertEqual(summary.layers.first?.parameters, 12 * 2 * 6 + 12)
        XCTAssertEqual(summary.layers.first?.outputShape, [12, 7])
        // primary capsules: 16 channels / 8 × h2 = (7 − 3) / 2 + 1 = 3 positions → 6 capsules of 8.
        XCTAssertEqual(summary.layers[1].outputShape, [6, 8])
        XCTAssertEqual(summary.layers.map(\.outputShape).last, [8, 6])
        let text = summary.text()
        XCTAssertTrue(text.contains("Total params: \(ModelSummary.grouped(network.parameters.count))"), text)
        let best = try XCTUnwrap(model.attribute("best_epoch")?.intValue)
        XCTAssertTrue(text.contains("Best epoch \(best) of 4"), text)
    }
}

/// An ensemble's exports and summary show every member.
final class EnsembleExportTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory(for: self) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A fine-tuned ensemble of 2 and the tensors expected of it: every member's, prefixed `members/<k>/`.
    func ensemble() throws -> (ModelFile, [(String, [Int], [Float])]) {
        try ScoringFixture.embeddedFile(at: path("data.h5"))
        try ScoringFixture.train(input: path("data.h5"), output: path("model.h5"), fineTune: true, ensemble: 2)
        let model = try ModelFile.read(from: path("model.h5"))
        XCTAssertEqual(model.members.count, 2)
        let expected = (0..<2).flatMap { k in
            model.tensors.map { ("members/\(k + 1)/\($0.name)", $0.shape, model.weight($0.name, member: k)!) }
                + [("members/\(k + 1)/embedding.weight", [20, 6], model.members[k].tunedEmbedding!)]
        }
        XCTAssertNotEqual(expected[0].2, expected[expected.count / 2].2, "the members' conv1 differ")
        return (model, expected)
    }

    func testHDF5ExportHoldsAGroupPerMember() throws {
        let (model, expected) = try ensemble()
        try ModelExporter(model: model).export(.h5, to: path("weights.h5"))
        let file = try H5File.open(at: path("weights.h5"))
        XCTAssertEqual(try file.children(of: "/"), ["members"])
        XCTAssertEqual(try file.children(of: "/members"), ["1", "2"])
        XCTAssertEqual(try file.children(of: "/members/2").count, model.tensors.count + 1)
        for (name, shape, values) in expected {
            XCTAssertEqual(try file.shape(of: "/" + name), shape, name)
            XCTAssertEqual(try file.read(Float.self, from: "/" + name).values, values, name)
        }
        XCTAssertEqual(try file.attribute("ensemble")?.intValue, 2)
        XCTAssertEqual(try CapsNetConfig(attributesOf: file), model.config)
    }

    func testNPZAndJSONNameEveryMembersTensors() throws {
        let (model, expected) = try ensemble()
        try ModelExporter(model: model).export(.npz, to: path("weights.npz"))
        let archive = try ZipReader(Data(contentsOf: URL(fileURLWithPath: path("weights.npz"))))
        XCTAssertEqual(archive.members.map(\.name), expected.map { $0.0 + ".npy" })
        for ((name, _, values), member) in zip(expected, archive.members) {
            XCTAssertEqual(member.bytes.count % 4, 0)
            let data = [UInt8](member.bytes.suffix(values.count * 4))
            let decoded = stride(from: 0, to: data.count, by: 4).map {
                Float(bitPattern: UInt32(data[$0]) | UInt32(data[$0 + 1]) << 8 | UInt32(data[$0 + 2]) << 16 | UInt32(data[$0 + 3]) << 24)
            }
            XCTAssertEqual(decoded, values, name)
        }
        try ModelExporter(model: model).export(.json, to: path("model.json"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("model.json")))) as! [String: Any]
        XCTAssertEqual((object["configuration"] as! [String: Any])["ensemble"] as? Int, 2)
        XCTAssertEqual((object["tensors"] as! [[String: Any]]).map { $0["name"] as! String }, expected.map(\.0))
    }

    func testSummaryListsEveryMembersSeedParametersAndBestEpoch() throws {
        let (model, _) = try ensemble()
        let count = try CapsuleNetwork(config: model.config, maxBatch: 1, seed: 0).parameters.count
        let text = try ModelExporter(model: model).summary().text()
        XCTAssertTrue(text.hasPrefix("CapsuleNetwork ensemble of 2: 3 classes, input 8×6\n"), text)
        XCTAssertTrue(text.contains("Total params: \(ModelSummary.grouped(count)) per member, \(ModelSummary.grouped(2 * count)) in 2 members"), text)
        XCTAssertTrue(text.contains("Ensemble of 2 members, scored by the mean of their capsule lengths"), text)
        XCTAssertTrue(text.contains("fine-tuned 20×6 per member"), text)
        for (k, member) in model.members.enumerated() {
            let best = try XCTUnwrap(member.history.best)
            let seed = UInt64(bitPattern: try XCTUnwrap(member.attribute("seed")?.intValue))
            let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("  member \(k + 1) ") }, text)
            let cells = row.split(separator: " ").map(String.init)
            XCTAssertEqual(cells, ["member", "\(k + 1)", "\(seed)", ModelSummary.grouped(count), "4", "\(best.epoch)",
                                   String(format: "%.4f", best.validationAccuracy!), String(format: "%.4f", best.trainAccuracy)])
        }
        let accuracy = try XCTUnwrap(model.attribute("ensemble_val_acc")?.doubleValue)
        XCTAssertTrue(text.contains("ensemble validation accuracy  \(String(format: "%.4f", accuracy))"), text)
        XCTAssertFalse(text.contains("(by validation accuracy)"), "the members table replaces the single best epoch")
    }
}
