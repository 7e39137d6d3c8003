/// Loss parts and accuracy of one batch.
public struct BatchResult: Equatable, Sendable {
    /// margin + reconstructionWeight · reconstruction.
    public var loss: Float
    /// The margin loss (batch mean).
    public var marginLoss: Float
    /// Mean squared reconstruction error (0 without a decoder).
    public var reconstructionLoss: Float
    /// Samples whose longest class capsule is the label.
    public var correct: Int
}

extension CapsuleNetwork {
    /// One training step on x [B, L, D] with labels [B] (0..<classes): zeroes
    /// all gradients (parameters and workspace, the step's only zeroing), runs
    /// forward (with dropout), the loss (decoder masked by the labels) and
    /// backward, leaving d loss / d parameter in
    /// `parameters.gradients`. If `inputGradient` is given it is OVERWRITTEN
    /// with d loss / d x [B, L, D] through the network (the reconstruction
    /// target x counts as a constant), for fine-tuned embeddings. `tokens`
    /// [B, L] are the batch's token ids, needed with lexical capsules.
    /// The optimiser step is separate (`Adam.update`). Multi-label:
    /// `targets` [B, C] (1 for each class a sample has) for the margin loss
    /// (`MarginLoss.forward`); a model with a decoder takes one class per
    /// sample, so it is refused with targets.
    public func trainStep(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                          tokens: UnsafePointer<Int32>? = nil,
                          inputGradient: UnsafeMutablePointer<Float>? = nil,
                          targets: UnsafePointer<Float>? = nil) throws -> BatchResult {
        try checkBatch(batch)
        try checkLabels(labels, batch: batch)
        try checkTokens(tokens)
        try checkTargets(targets)
        zeroGradients()
        inputGradient?.update(repeating: 0, count: batch * sampleSize)   // the caller's buffer, overwritten
        forwardToLengths(x: x, tokens: tokens, batch: batch, training: true)
        let correct = selectLongest(batch: batch, labels: labels, targets: targets)
        let (margin, mse) = computeLoss(target: x, labels: labels, batch: batch, withGradients: true, targets: targets)
        backward(x: x, batch: batch, inputGradient: inputGradient)
        return BatchResult(loss: margin + config.reconstructionWeight * mse, marginLoss: margin,
                           reconstructionLoss: mse, correct: correct)
    }

    /// The loss of x [B, L, D] with labels [B] without dropout or gradients
    /// (decoder masked by the labels, as in training): for validation.
    public func evaluate(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                         tokens: UnsafePointer<Int32>? = nil, targets: UnsafePointer<Float>? = nil) throws -> BatchResult {
        try evaluate(x: x, target: x, labels: labels, batch: batch, tokens: tokens, targets: targets)
    }

    /// `evaluate` with a reconstruction target other than the input (for
    /// checking d loss / d x, where the target is a constant).
    func evaluate(x: UnsafePointer<Float>, target: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                  batch: Int, tokens: UnsafePointer<Int32>? = nil, targets: UnsafePointer<Float>? = nil) throws -> BatchResult {
        try checkBatch(batch)
        try checkLabels(labels, batch: batch)
        try checkTokens(tokens)
        try checkTargets(targets)
        forwardToLengths(x: x, tokens: tokens, batch: batch, training: false)
        let correct = selectLongest(batch: batch, labels: labels, targets: targets)
        let (margin, mse) = computeLoss(target: target, labels: labels, batch: batch, withGradients: false, targets: targets)
        return BatchResult(loss: margin + config.reconstructionWeight * mse, marginLoss: margin,
                           reconstructionLoss: mse, correct: correct)
    }

    /// Backward through the whole network from the loss gradients `computeLoss`
    /// left in `lengthsGrad` and the decoder's output gradient, after a
    /// training forward pass (so with dropout exactly when the configuration
    /// has it). Every gradient buffer was cleared by `zeroGradients` at the
    /// start of the step and is written only by this pass, so accumulating
    /// (+=) into it gives exactly what clearing it just before its first use
    /// would (dv receives two terms, the lengths' and then the decoder's).
    /// inputGradient [B, L, D], if given, must be zero.
    func backward(x: UnsafePointer<Float>, batch: Int, inputGradient: UnsafeMutablePointer<Float>?) {
        let C = config.classes, O = config.classDimension
        // lengths [B, C] → v [B, C, O]
        CapsuleLength.backward(classCaps.pointer, lengths: lengths.pointer, dlengths: lengthsGrad.pointer,
                               dv: classCapsGrad.pointer, capsules: batch * C, dimension: O)
        if let first = decoderInput {
            // reconstruction [B, L·D] → ... → [B, H1] → v [B, C, O] (dv's second term, after the lengths')
            let last = decoderOut.count - 1
            if config.decoderActivation == .sigmoid {
                Activation.sigmoidBackward(output: decoderOut[last].pointer, gradient: decoderGrad[last].pointer,
                                           count: batch * sampleSize)
            }
            for i in stride(from: decoderLayers.count - 1, through: 0, by: -1) {
                let layer = decoderLayers[i]
                layer.backward(x: decoderOut[i].pointer, dout: decoderGrad[i + 1].pointer, batch: batch,
                               parameters: parameters, dx: decoderGrad[i].pointer)
                Activation.reluBackward(output: decoderOut[i].pointer, gradient: decoderGrad[i].pointer,
                                        count: batch * layer.inFeatures)
            }
            first.backward(v: classCaps.pointer, selected: selected, dout: decoderGrad[0].pointer,
                           batch: batch, parameters: parameters, dv: classCapsGrad.pointer)
        }
        // v [B, C, O] → u [B, N, I] → each branch → x [B, L, D]
        classCapsules.backward(dv: classCapsGrad.pointer, u: primaryCaps.pointer, batch: batch,
                               parameters: parameters, du: primaryCapsGrad.pointer)
        for branch in branches {
            branch.backward(x: x, du: primaryCapsGrad.pointer, batch: batch, parameters: parameters,
                            dx: inputGradient)
        }
        lexical?.backward(du: primaryCapsGrad.pointer, batch: batch, parameters: parameters)
    }
}
