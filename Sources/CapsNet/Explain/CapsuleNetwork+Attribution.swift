import CapsCore

extension CapsuleNetwork {
    /// Runs ONE document x [1, L, D] (tokens [1, L] with lexical capsules)
    /// through the network (no dropout) and attributes the capsule length of
    /// each of `classes` to the token positions by `method`. Leaves the
    /// forward state of the document in the workspace (the lengths:
    /// `lastLengths(batch: 1)`), and the parameter gradients dirty.
    public func attribute(x: UnsafePointer<Float>, tokens: UnsafePointer<Int32>?, classes: [Int],
                          method: AttributionMethod) throws -> [TokenAttribution] {
        try checkTokens(tokens)
        for c in classes where c < 0 || c >= config.classes {
            throw CapsNetError.labelOutOfRange(sample: 0, label: Int32(clamping: c), classes: config.classes)
        }
        forwardToLengths(x: x, tokens: tokens, batch: 1, training: false)
        return classes.map { c in
            switch method {
            case .route: return routeAttribution(x: x, tokens: tokens, classIndex: c)
            case .gradient: return gradientAttribution(x: x, tokens: tokens, classIndex: c)
            }
        }
    }

    /// `attribute` on arrays: x holds L·D values, tokens L_t (with lexical capsules; `CapsNetConfig.tokenRowLength`).
    public func attribute(x: [Float], tokens: [Int32]? = nil, classes: [Int],
                          method: AttributionMethod) throws -> [TokenAttribution] {
        guard x.count == sampleSize else {
            throw CapsNetError.bufferTooSmall(argument: "x", expected: sampleSize, got: x.count)
        }
        if let tokens, tokens.count != config.tokenRowLength {
            throw CapsNetError.bufferTooSmall(argument: "tokens", expected: config.tokenRowLength, got: tokens.count)
        }
        return try x.withUnsafeBufferPointer { xs in
            if let tokens {
                return try tokens.withUnsafeBufferPointer {
                    try attribute(x: xs.baseAddress!, tokens: $0.baseAddress!, classes: classes, method: method)
                }
            }
            return try attribute(x: xs.baseAddress!, tokens: nil, classes: classes, method: method)
        }
    }

    /// k·c[n, class] for the document of the last forward (batch 1) [N].
    private func scaledCoupling(classIndex c: Int) -> [Float] {
        let C = config.classes, N = config.primaryCapsules
        let coupling = classCapsules.workspace.pointer(classCapsules.coupling)
        return (0..<N).map { classCapsules.couplingScale * coupling[$0 * C + c] }
    }

    /// See `AttributionMethod.route`. For sample 0 of the last forward.
    func routeAttribution(x: UnsafePointer<Float>, tokens: UnsafePointer<Int32>?, classIndex c: Int) -> TokenAttribution {
        let N = config.primaryCapsules, I = config.primaryDimension, O = config.classDimension
        let L = config.tokenRowLength   // shares [L_t]: past L only the lexical capsules read a token
        let length = lengths.pointer[c]
        let coupling = scaledCoupling(classIndex: c)
        // ŝ_c and the factor ‖v_c‖/‖s_c‖ that turns shares of ‖s_c‖ into shares of the length.
        let s = classCapsules.workspace.pointer(classCapsules.preSquash) + c * O
        let norm = VectorMath.dot(s, s, O).squareRoot()
        guard norm > 0 else {
            return TokenAttribution(classIndex: c, length: length, tokens: [Float](repeating: 0, count: L), bias: 0,
                                    capsules: [Float](repeating: 0, count: N), coupling: coupling)
        }
        let scale = length / norm
        // r_n = scale · k·c[n,c] · g(s_n) · W[c,n]ᵀ ŝ_c [I], written as the gradient of each
        // capsule's squash input, so that ⟨r_n, s_n⟩ = scale · k·c · ⟨û[n,c], ŝ_c⟩ is capsule n's share.
        let w = parameters.value(classCapsules.weight)
        var relevance = [Float](repeating: 0, count: N * I)      // [N, I]
        var capsuleShares = [Float](repeating: 0, count: N)
        for (n, sn) in primarySquashInputs().enumerated() {
            let q = VectorMath.dot(sn, sn, I)
            let g = q / (1 + q) / ((q + Squash.normEpsilon).squareRoot() + Squash.denominatorEpsilon)
            let factor = scale * coupling[n] * g / norm
            let wcn = w + (c * N + n) * O * I     // W[c, n] [O, I]
            for o in 0..<O {
                let so = factor * s[o]
                for i in 0..<I { relevance[n * I + i] += so * wcn[o * I + i] }
            }
            for i in 0..<I { capsuleShares[n] += relevance[n * I + i] * sn[i] }
        }
        var shares = [Float](repeating: 0, count: L), bias: Float = 0
        zeroGradients()
        relevance.withUnsafeBufferPointer { r in
            for branch in branches {
                bias += branch.addWindowShares(relevance: r.baseAddress!, parameters: parameters, into: &shares)
            }
            if let lexical, let tokens {
                lexical.addMemberShares(direction: r.baseAddress! + lexical.capsuleOffset * I, tokens: tokens,
                                        parameters: parameters, into: &shares)
            }
        }
        return TokenAttribution(classIndex: c, length: length, tokens: shares, bias: bias,
                                capsules: capsuleShares, coupling: coupling)
    }

    /// Each primary capsule's squash input s_n [I] for sample 0, in capsule order.
    private func primarySquashInputs() -> [UnsafePointer<Float>] {
        var inputs: [UnsafePointer<Float>] = []
        inputs.reserveCapacity(config.primaryCapsules)
        for branch in branches {
            let s = branch.squashInputPointer
            for n in 0..<branch.capsules { inputs.append(UnsafePointer(s + n * branch.capsuleDimension)) }
        }
        if let lexical {
            let s = lexical.meanPointer
            for n in 0..<lexical.capsules { inputs.append(UnsafePointer(s + n * lexical.capsuleDimension)) }
        }
        return inputs
    }

    /// See `AttributionMethod.gradient`. For sample 0 of the last forward.
    func gradientAttribution(x: UnsafePointer<Float>, tokens: UnsafePointer<Int32>?, classIndex c: Int) -> TokenAttribution {
        let C = config.classes, L = config.maxLength, D = config.dimension
        zeroGradients()
        lengthsGrad.pointer[c] = 1
        CapsuleLength.backward(classCaps.pointer, lengths: lengths.pointer, dlengths: lengthsGrad.pointer,
                               dv: classCapsGrad.pointer, capsules: C, dimension: config.classDimension)
        classCapsules.backward(dv: classCapsGrad.pointer, u: primaryCaps.pointer, batch: 1,
                               parameters: parameters, du: primaryCapsGrad.pointer)
        var dx = [Float](repeating: 0, count: L * D)
        dx.withUnsafeMutableBufferPointer { dx in
            for branch in branches {
                branch.backward(x: x, du: primaryCapsGrad.pointer, batch: 1, parameters: parameters,
                                dx: dx.baseAddress!, throughDropout: false)
            }
        }
        var shares = dx.withUnsafeBufferPointer { dx in (0..<L).map { VectorMath.dot(x + $0 * D, dx.baseAddress! + $0 * D, D) } }
        // [L_t]: tokens past L reach the lengths through the lexical capsules alone.
        shares += [Float](repeating: 0, count: config.tokenRowLength - L)
        if let lexical, let tokens {
            let ds = lexical.squashGradient(du: primaryCapsGrad.pointer)
            ds.withUnsafeBufferPointer { ds in
                lexical.addMemberShares(direction: ds.baseAddress!, tokens: tokens, parameters: parameters,
                                        into: &shares)
            }
        }
        return TokenAttribution(classIndex: c, length: lengths.pointer[c], tokens: shares, bias: 0, capsules: nil,
                                coupling: scaledCoupling(classIndex: c))
    }
}
