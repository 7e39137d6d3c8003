import CapsNet
import CapsStorage

/// The model's configuration as HDF5 root attributes, under the names the
/// PyTorch reference and `../shared/golden` use (`classes`, `max_len`, `dim`,
/// `ngram`, `filters`, `primary_channels`, `primary_dim`, `primary_kernel`,
/// `primary_stride`, `class_dim`, `routings`, `decoder_hidden`,
/// `decoder_activation`, `lam_recon`, `m_plus`, `m_minus`, `lambda`) plus `dropout`.
extension CapsNetConfig {
    public var attributes: [(String, H5AttributeValue)] {
        [
            ("classes", .int(Int64(classes))),
            ("max_len", .int(Int64(maxLength))),
            ("dim", .int(Int64(dimension))),
            ("ngram", .int(Int64(ngram))),
            ("filters", .int(Int64(filters))),
            ("primary_channels", .int(Int64(primaryChannels))),
            ("primary_dim", .int(Int64(primaryDimension))),
            ("primary_kernel", .int(Int64(resolvedPrimaryKernel))),
            ("primary_stride", .int(Int64(primaryStride))),
            ("class_dim", .int(Int64(classDimension))),
            ("routings", .int(Int64(routings))),
            ("decoder_hidden", .ints(decoderHidden.map(Int64.init))),
            ("decoder_activation", .string(decoderActivation.rawValue)),
            ("lam_recon", .double(Double(reconstructionWeight))),
            ("m_plus", .double(Double(marginPositive))),
            ("m_minus", .double(Double(marginNegative))),
            ("lambda", .double(Double(marginLambda))),
            ("dropout", .double(Double(dropout))),
        ]
    }

    /// Reads the configuration from the root attributes of `file`.
    public init(attributesOf file: H5File) throws {
        self.init(classes: try file.requireInt("classes"))
        maxLength = try file.requireInt("max_len")
        dimension = try file.requireInt("dim")
        ngram = try file.requireInt("ngram")
        filters = try file.requireInt("filters")
        primaryChannels = try file.requireInt("primary_channels")
        primaryDimension = try file.requireInt("primary_dim")
        primaryKernel = try file.requireInt("primary_kernel")
        primaryStride = try file.requireInt("primary_stride")
        classDimension = try file.requireInt("class_dim")
        routings = try file.requireInt("routings")
        decoderHidden = try file.requireInts("decoder_hidden")
        let activation = try file.requireString("decoder_activation")
        guard let parsed = DecoderActivation(rawValue: activation) else {
            throw TrainingError.mismatch("\(file.path): decoder_activation '\(activation)' is not one of \(DecoderActivation.allCases.map(\.rawValue))")
        }
        decoderActivation = parsed
        reconstructionWeight = Float(try file.requireDouble("lam_recon"))
        marginPositive = Float(try file.requireDouble("m_plus"))
        marginNegative = Float(try file.requireDouble("m_minus"))
        marginLambda = Float(try file.requireDouble("lambda"))
        dropout = Float(try file.attribute("dropout")?.doubleValue ?? 0)
        try validate()
    }
}
