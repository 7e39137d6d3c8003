import CapsArtifacts
import CapsNet
import CapsReports

extension ModelExporter {
    /// A Keras-like summary: one row per layer with its output shape per
    /// document and its parameter count taken from the model's tensors (so
    /// the total is the network's parameter count; a fine-tuned embedding
    /// table is listed in the configuration, not counted), the
    /// configuration, and the best epoch of the history.
    ///
    /// Rows: conv1 [F, h1]; primary capsules [N, primary_dim]; class
    /// capsules [C, class_dim]; lengths [C]; each decoder layer [width], the
    /// last one [L, D].
    public func summary(title: String? = nil) -> ModelSummary {
        let config = model.config
        var layers: [LayerSummary] = []
        // Tensors grouped by layer (name without `.weight`/`.bias`), in buffer order.
        var groups: [(layer: String, count: Int)] = []
        for tensor in model.tensors {
            let layer = tensor.name.split(separator: ".").dropLast().joined(separator: ".")
            if let last = groups.last, last.layer == layer {
                groups[groups.count - 1].count += tensor.count
            } else {
                groups.append((layer, tensor.count))
            }
        }
        let decoderLayers = groups.filter { $0.layer.hasPrefix("decoder.") }.map(\.layer)
        for (layer, count) in groups {
            switch layer {
            case "conv1":
                layers.append(LayerSummary(name: "conv1 (Conv2d \(config.ngram)×\(config.dimension), ReLU)",
                                           outputShape: [config.filters, config.convPositions], parameters: count))
            case "primarycaps.conv2d":
                layers.append(LayerSummary(name: "primary_caps (Conv2d \(config.resolvedPrimaryKernel)×1 /\(config.primaryStride), squash)",
                                           outputShape: [config.primaryCapsules, config.primaryDimension], parameters: count))
            case "digitcaps":
                layers.append(LayerSummary(name: "class_caps (routing ×\(config.routings))",
                                           outputShape: [config.classes, config.classDimension], parameters: count))
                layers.append(LayerSummary(name: "lengths (‖v‖)", outputShape: [config.classes], parameters: 0))
            default:
                if let index = decoderLayers.firstIndex(of: layer) {
                    let isLast = index == decoderLayers.count - 1
                    let activation = isLast ? config.decoderActivation.rawValue : "ReLU"
                    let role = index == 0 ? "Linear, masked" : "Linear"
                    layers.append(LayerSummary(name: "\(layer) (\(role), \(activation))",
                                               outputShape: isLast ? [config.maxLength, config.dimension]
                                                                   : [config.decoderHidden[index]],
                                               parameters: count))
                } else {
                    layers.append(LayerSummary(name: layer, outputShape: [], parameters: count))
                }
            }
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
