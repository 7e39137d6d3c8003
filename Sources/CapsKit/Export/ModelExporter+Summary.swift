import CapsNet
import CapsReports

extension ModelExporter {
    /// A Keras-like summary: one row per layer as the network describes
    /// itself (`CapsuleNetwork.layerDescriptions`: name, output shape per
    /// document, parameter count; the total is the network's parameter count,
    /// a fine-tuned embedding table is listed in the configuration, not
    /// counted), the configuration, and the best epoch of the history; for an
    /// ensemble, every member's seed, parameter count and best epoch.
    public func summary(title: String? = nil) throws -> ModelSummary {
        let config = model.config
        let layers = try CapsuleNetwork.layerDescriptions(for: config).map {
            LayerSummary(name: $0.name, outputShape: $0.outputShape, parameters: $0.parameters)
        }
        var entries = configuration
        if let tuned = model.tunedEmbedding {
            let d = config.dimension
            let (member, each) = model.isEnsemble ? (" per member", " each") : ("", "")
            entries.append(ConfigurationEntry("embedding", .string("fine-tuned \(tuned.count / d)×\(d)\(member) (\(tuned.count) values\(each), not in the total)")))
        } else {
            entries.append(ConfigurationEntry("embedding", .string("static \(model.vocabulary.count)×\(config.dimension)")))
        }
        entries.append(ConfigurationEntry("labels", .string(model.labelNames.joined(separator: ", "))))
        let parameters = layers.reduce(0) { $0 + $1.parameters }
        let members = model.isEnsemble ? model.members.map { member in
            MemberSummary(seed: member.attribute("seed")?.intValue.map { UInt64(bitPattern: $0) }, parameters: parameters,
                          history: member.history)
        } : []
        let what = model.isEnsemble ? "CapsuleNetwork ensemble of \(model.ensembleSize)" : "CapsuleNetwork"
        return ModelSummary(title: title ?? "\(what): \(config.classes) classes, input \(config.maxLength)×\(config.dimension)",
                            layers: layers, configuration: entries, history: model.history,
                            ensembleSize: model.ensembleSize, members: members,
                            ensembleValidationAccuracy: model.attribute("ensemble_val_acc")?.doubleValue)
    }
}
