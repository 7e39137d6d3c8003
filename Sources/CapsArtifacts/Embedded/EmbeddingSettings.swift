import CapsStorage
import CapsVectors

/// Where an embedded file's vectors came from: the pretrained file (if
/// any), its checksum and layout, and the rule and seed for rows without one.
///
/// Stored as root attributes `vectors` (path as given, "" for none),
/// `vectors_sha256` ("" for none), `vectors_format` ("glove", "word2vec",
/// "word2vec-binary", or "" for none), `oov` ("uniform" or "zero"),
/// `oov_bound` (0 for "zero") and `seed` (int64; a seed above 2^63 − 1 is
/// stored as its two's-complement bit pattern).
public struct EmbeddingSettings: Equatable, Sendable {
    public var vectorsPath: String?
    public var vectorsSHA256: String?
    public var vectorsFormat: VectorFormat?
    public var oov: OOVPolicy
    public var seed: UInt64

    public init(vectorsPath: String? = nil, vectorsSHA256: String? = nil, vectorsFormat: VectorFormat? = nil,
                oov: OOVPolicy = .kim2014, seed: UInt64 = 1) {
        self.vectorsPath = vectorsPath
        self.vectorsSHA256 = vectorsSHA256
        self.vectorsFormat = vectorsFormat
        self.oov = oov
        self.seed = seed
    }

    var attributes: [(String, H5AttributeValue)] {
        let (name, bound): (String, Double)
        switch oov {
        case .uniform(let b): (name, bound) = ("uniform", Double(b))
        case .zeros: (name, bound) = ("zero", 0)
        // The stage stores the resolved bound; an unresolved rule records no number.
        case .matched: (name, bound) = ("matched", .nan)
        }
        return [("vectors", .string(vectorsPath ?? "")), ("vectors_sha256", .string(vectorsSHA256 ?? "")),
                ("vectors_format", .string(vectorsFormat?.rawValue ?? "")),
                ("oov", .string(name)), ("oov_bound", .double(bound)),
                ("seed", .int(Int64(bitPattern: seed)))]
    }

    init(file: H5File) throws {
        let path = try file.requireString("vectors"), sha = try file.requireString("vectors_sha256")
        let formatName = try file.requireString("vectors_format")
        var format: VectorFormat?
        if !formatName.isEmpty {
            guard let known = VectorFormat(rawValue: formatName) else {
                throw ArtifactError(file: file.path, object: "attribute 'vectors_format' on /",
                                    message: "found \"\(formatName)\"; expected one of \(VectorFormat.allCases.map(\.rawValue))")
            }
            format = known
        }
        let oov: OOVPolicy
        switch try file.requireString("oov") {
        case "uniform": oov = .uniform(bound: Float(try file.requireDouble("oov_bound")))
        case "zero": oov = .zeros
        case let other:
            throw ArtifactError(file: file.path, object: "attribute 'oov' on /",
                                message: "found \"\(other)\"; expected \"uniform\" or \"zero\"")
        }
        guard let seed = try file.requireAttribute("seed").intValue else {
            throw ArtifactError(file: file.path, object: "attribute 'seed' on /", message: "expected an integer")
        }
        self.init(vectorsPath: path.isEmpty ? nil : path, vectorsSHA256: sha.isEmpty ? nil : sha,
                  vectorsFormat: format, oov: oov, seed: UInt64(bitPattern: seed))
    }
}

extension EmbeddingReport {
    /// Coverage as root attributes: `coverage_types` (word types, ids ≥ 2),
    /// `coverage_types_found`, `coverage_types_exact`,
    /// `coverage_types_lowercased`, `coverage_type_rate`, and by corpus
    /// tokens `coverage_tokens`, `coverage_tokens_found`, `coverage_token_rate`.
    var coverageAttributes: [(String, H5AttributeValue)] {
        var list: [(String, H5AttributeValue)] = [
            ("coverage_types", .int(Int64(types))), ("coverage_types_found", .int(Int64(typesFound))),
            ("coverage_types_exact", .int(Int64(typesExact))),
            ("coverage_types_lowercased", .int(Int64(typesLowercased))),
            ("coverage_type_rate", .double(typeCoverage)),
        ]
        if let tokens, let tokensExact, let tokensLowercased, let tokenCoverage {
            list += [("coverage_tokens", .int(tokens)), ("coverage_tokens_found", .int(tokensExact + tokensLowercased)),
                     ("coverage_token_rate", .double(tokenCoverage))]
        }
        return list
    }
}
