extension CapsuleNetwork {
    /// Each branch (conv1 → ReLU → dropout in training → primary conv → pool
    /// → squash, into its share of u) → lexical capsules from tokens [B, L_t] →
    /// class capsules → lengths, for x [B, L, D]. Dropout masks are drawn
    /// branch by branch from `dropoutGenerator`, then the lexical bags'. `tokens` is required (checked
    /// by the callers) exactly when the model has lexical capsules.
    func forwardToLengths(x: UnsafePointer<Float>, tokens: UnsafePointer<Int32>?, batch: Int, training: Bool) {
        for branch in branches {
            branch.forward(x: x, batch: batch, training: training, parameters: parameters,
                           generator: &dropoutGenerator, u: primaryCaps.pointer)
        }
        if let lexical, let tokens {
            lexical.forward(tokens: tokens, batch: batch, training: training, parameters: parameters,
                            generator: &dropoutGenerator, u: primaryCaps.pointer)
        }
        classCapsules.forward(u: primaryCaps.pointer, batch: batch, parameters: parameters, out: classCaps.pointer)
        CapsuleLength.forward(classCaps.pointer, lengths: lengths.pointer,
                              capsules: batch * config.classes, dimension: config.classDimension)
    }

    /// The decoder on the class capsules masked by `selected` [B]; returns the
    /// reconstruction [B, L·D] (inside `decoderOut`). Requires a decoder.
    @discardableResult
    func forwardDecoder(batch: Int) -> UnsafeMutablePointer<Float> {
        guard let first = decoderInput else { preconditionFailure("the model has no decoder") }
        first.forward(v: classCaps.pointer, selected: selected, batch: batch, parameters: parameters,
                      out: decoderOut[0].pointer)
        for (i, layer) in decoderLayers.enumerated() {
            Activation.reluForward(decoderOut[i].pointer, count: batch * layer.inFeatures)
            layer.forward(x: decoderOut[i].pointer, batch: batch, parameters: parameters,
                          out: decoderOut[i + 1].pointer)
        }
        let recon = decoderOut[decoderOut.count - 1].pointer
        if config.decoderActivation == .sigmoid {
            Activation.sigmoidForward(recon, count: batch * sampleSize)
        }
        return recon
    }

    /// selected[b] = argmax_c lengths[b, c] (first maximum on ties); returns
    /// how many equal `labels` when labels are given — with multi-label
    /// `targets` [B, C], how many longest capsules are one of the sample's classes.
    @discardableResult
    func selectLongest(batch: Int, labels: UnsafePointer<Int32>?, targets: UnsafePointer<Float>? = nil) -> Int {
        let C = config.classes
        var correct = 0
        for b in 0..<batch {
            let l = lengths.pointer + b * C
            var best = 0
            for c in 1..<C where l[c] > l[best] { best = c }
            selected[b] = Int32(best)
            if let targets {
                if targets[b * C + best] > 0 { correct += 1 }
            } else if let labels, labels[b] == Int32(best) { correct += 1 }
        }
        return correct
    }

    /// Loss parts for the current forward state (reconstruction target
    /// [B, L, D], normally the input x); with `withGradients`, also writes
    /// dlengths [B, C] and the reconstruction gradient [B, L·D] (already
    /// scaled by the reconstruction weight; both overwritten) into the
    /// gradient block.
    func computeLoss(target: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                     withGradients: Bool, targets: UnsafePointer<Float>? = nil) -> (margin: Float, reconstruction: Float) {
        let margin = marginLoss.forward(lengths: lengths.pointer, labels: labels, batch: batch,
                                        classes: config.classes,
                                        dlengths: withGradients ? lengthsGrad.pointer : nil, targets: targets)
        guard config.hasDecoder else { return (margin, 0) }
        selected.update(from: labels, count: batch)
        let recon = forwardDecoder(batch: batch)
        let mse = ReconstructionLoss.forward(recon: recon, target: target, count: batch * sampleSize,
                                             drecon: withGradients ? decoderGrad[decoderGrad.count - 1].pointer : nil,
                                             scale: config.reconstructionWeight)
        return (margin, mse)
    }
}
