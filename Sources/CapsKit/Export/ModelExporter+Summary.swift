import CapsNet
import CapsReports

extension ModelExporter {
    /// A Keras-like summary: one row per layer as the network describes
    /// itself (`CapsuleNetwork.layerDescriptions`: name, output shape per
    /// document, parameter count; the total is the network's parameter count,
    /// a fine-tuned embedding table is listed in the configuration, not
    /// counted), the configuration, and the best epoch of the history.
    public func summary(title: String? = nil) throws -> ModelSummary {
        let config = model.config
        let layers = try CapsuleNetwork.layerDescriptions(for: config).map {
            LayerSummary(name: $0.name, outputShape: $0.outputShape, parameters: $0.parameters)
        }
        var entries = configuration
        if let tuned = model.tunedEmbedding {
            let d = config.dimension
            entries.append(ConfigurationEntry("embedding", .string("fine-tuned \(tuned.count / d)×\(d) (\(tuned.count) values, not in the total)")))
        } else {
            entries.append(ConfigurationEntry("embedding", .string("static \(model.vocabulary.count)×\(config.dimension)")))
        }
        entries.append(ConfigurationEntry("labels", .string(model.labelNames.joined(separator: ", "))))
        return ModelSummary(title: title ?? "CapsuleNetwork: \(config.classes) classes, input \(config.maxLength)×\(config.dimension)",
                            layers: layers, configuration: entries, history: model.history)
    }
}
