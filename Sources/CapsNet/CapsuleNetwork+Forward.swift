extension CapsuleNetwork {
    /// conv1 → ReLU → (dropout, when `appliesDropout(training:)`) → primary
    /// capsules → class capsules → lengths, for x [B, L, D].
    func forwardToLengths(x: UnsafePointer<Float>, batch: Int, training: Bool) {
        let convCount = batch * config.maxLength * config.filters
        conv1.forward(x: x, batch: batch, parameters: parameters, out: conv1Out.pointer)
        Activation.reluForward(conv1Out.pointer, count: convCount)
        var h = conv1Out.pointer                      // [B, L, F] the primary conv reads
        if appliesDropout(training: training), let mask = dropoutMask, let dropped {
            Dropout.makeMask(mask.pointer, count: convCount, probability: config.dropout,
                             generator: &dropoutGenerator)
            Dropout.forward(x: conv1Out.pointer, mask: mask.pointer, out: dropped.pointer, count: convCount)
            h = dropped.pointer
        }
        primaryCapsules.forward(input: h, batch: batch, parameters: parameters, out: primaryOut.pointer)
        Squash.forward(primaryOut.pointer, primaryCaps.pointer,
                       capsules: batch * config.primaryCapsules, dimension: config.primaryDimension)
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
    /// how many equal `labels` when labels are given.
    @discardableResult
    func selectLongest(batch: Int, labels: UnsafePointer<Int32>?) -> Int {
        let C = config.classes
        var correct = 0
        for b in 0..<batch {
            let l = lengths.pointer + b * C
            var best = 0
            for c in 1..<C where l[c] > l[best] { best = c }
            selected[b] = Int32(best)
            if let labels, labels[b] == Int32(best) { correct += 1 }
        }
        return correct
    }

    /// Loss parts for the current forward state (reconstruction target
    /// [B, L, D], normally the input x); with `withGradients`, also writes
    /// dlengths [B, C] and the reconstruction gradient [B, L·D] (already
    /// scaled by the reconstruction weight; both overwritten) into the
    /// gradient block.
    func computeLoss(target: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                     withGradients: Bool) -> (margin: Float, reconstruction: Float) {
        let margin = marginLoss.forward(lengths: lengths.pointer, labels: labels, batch: batch,
                                        classes: config.classes,
                                        dlengths: withGradients ? lengthsGrad.pointer : nil)
        guard config.hasDecoder else { return (margin, 0) }
        selected.update(from: labels, count: batch)
        let recon = forwardDecoder(batch: batch)
        let mse = ReconstructionLoss.forward(recon: recon, target: target, count: batch * sampleSize,
                                             drecon: withGradients ? decoderGrad[decoderGrad.count - 1].pointer : nil,
                                             scale: config.reconstructionWeight)
        return (margin, mse)
    }
}
