import CapsStorage
import CapsTestSupport
import XCTest
@testable import CapsNet

/// A golden file made by the PyTorch reference (../shared/golden, see its
/// README): the configuration from the root attributes and float32 tensors.
struct GoldenFile {
    let file: H5File
    let config: CapsNetConfig
    let batch: Int
    let adam: (lr: Float, beta1: Float, beta2: Float, eps: Float)

    /// Opens `golden/<name>`, or throws XCTSkip when ../shared is absent.
    init(_ name: String) throws {
        let file = try H5File.open(at: try Fixtures.shared("golden/\(name)"))
        self.file = file
        // Attributes the file omits take the reference's defaults (seed_nodecoder.h5
        // stores only what differs from them), which are CapsNetConfig's defaults.
        func int(_ key: String) throws -> Int? {
            guard let value = try file.attribute(key) else { return nil }
            guard let v = value.intValue else { throw H5Error(file: file.path, object: key, message: "expected an integer attribute") }
            return Int(v)
        }
        func float(_ key: String) throws -> Float? {
            guard let value = try file.attribute(key) else { return nil }
            guard let v = value.doubleValue else { throw H5Error(file: file.path, object: key, message: "expected a number attribute") }
            return Float(v)
        }
        guard let classes = try int("classes") else { throw H5Error(file: file.path, object: "classes", message: "missing attribute") }
        var c = CapsNetConfig(classes: classes)
        c.maxLength = try int("max_len") ?? c.maxLength
        c.dimension = try int("dim") ?? c.dimension
        c.ngrams = try int("ngram").map { [$0] } ?? c.ngrams
        c.filters = try int("filters") ?? c.filters
        c.primaryChannels = try int("primary_channels") ?? c.primaryChannels
        c.primaryDimension = try int("primary_dim") ?? c.primaryDimension
        c.primaryKernel = try int("primary_kernel") ?? c.primaryKernel
        c.primaryStride = try int("primary_stride") ?? c.primaryStride
        c.classDimension = try int("class_dim") ?? c.classDimension
        c.routings = try int("routings") ?? c.routings
        c.decoderHidden = try file.attribute("decoder_hidden")?.intsValue.map { $0.map(Int.init) } ?? c.decoderHidden
        c.decoderActivation = DecoderActivation(rawValue: try file.attribute("decoder_activation")?.stringValue ?? "") ?? .sigmoid
        c.reconstructionWeight = try int("decode") == 0 ? 0 : try float("lam_recon") ?? c.reconstructionWeight
        c.marginPositive = try float("m_plus") ?? c.marginPositive
        c.marginNegative = try float("m_minus") ?? c.marginNegative
        c.marginLambda = try float("lambda") ?? c.marginLambda
        config = c
        batch = try file.shape(of: "/input/labels")[0]
        adam = (try float("adam_lr") ?? 1e-3, try float("adam_beta1") ?? 0.9,
                try float("adam_beta2") ?? 0.999, try float("adam_eps") ?? 1e-8)
    }

    func floats(_ path: String) throws -> [Float] { try file.read(Float.self, from: path).values }
    func shape(_ path: String) throws -> [Int] { try file.shape(of: path) }
    func labels() throws -> [Int32] { try file.read(Int32.self, from: "/input/labels").values }
    func names(in group: String) throws -> [String] { try file.children(of: group) }

    /// A model of the file's configuration holding its initial weights.
    func makeModel() throws -> CapsuleNetwork {
        let model = try CapsuleNetwork(config: config, maxBatch: batch, seed: 1)
        XCTAssertEqual(Set(model.parameters.names), Set(try names(in: "/weights")),
                       "the model's parameter names are the reference's state-dict keys")
        for tensor in model.parameters.tensors {
            XCTAssertEqual(tensor.shape, try shape("/weights/\(tensor.name)"), "\(tensor.name) shape")
            try model.parameters.set(tensor.name, try floats("/weights/\(tensor.name)"))
        }
        return model
    }
}
