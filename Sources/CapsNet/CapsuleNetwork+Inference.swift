extension CapsuleNetwork {
    /// Inference on x [B, L, D] (no dropout): fills `lengths` [B, C] with the
    /// class-capsule lengths (the class scores) and, if given and the model has
    /// a decoder, `reconstructions` [B, L, D] decoded from the longest capsule.
    /// `tokens` [B, L] are the token ids, needed with lexical capsules.
    public func infer(x: UnsafePointer<Float>, batch: Int, tokens: UnsafePointer<Int32>? = nil,
                      lengths out: UnsafeMutablePointer<Float>,
                      reconstructions: UnsafeMutablePointer<Float>? = nil) throws {
        try checkBatch(batch)
        try checkTokens(tokens)
        forwardToLengths(x: x, tokens: tokens, batch: batch, training: false)
        out.update(from: lengths.pointer, count: batch * config.classes)
        guard let reconstructions, config.hasDecoder else { return }
        selectLongest(batch: batch, labels: nil)
        let recon = forwardDecoder(batch: batch)
        reconstructions.update(from: recon, count: batch * sampleSize)
    }
}

extension CapsuleNetwork {
    /// `trainStep` on arrays: x holds B·L·D values, labels B, tokens B·L (with lexical capsules).
    public func trainStep(x: [Float], labels: [Int32], tokens: [Int32]? = nil,
                          inputGradient: UnsafeMutablePointer<Float>? = nil) throws -> BatchResult {
        try checkSizes(x: x, tokens: tokens, batch: labels.count)
        return try x.withUnsafeBufferPointer { xs in
            try labels.withUnsafeBufferPointer { ls in
                try withOptionalPointer(tokens) { ts in
                    try trainStep(x: xs.baseAddress!, labels: ls.baseAddress!, batch: labels.count, tokens: ts,
                                  inputGradient: inputGradient)
                }
            }
        }
    }

    /// `evaluate` on arrays: x holds B·L·D values, labels B, tokens B·L (with lexical capsules).
    public func evaluate(x: [Float], labels: [Int32], tokens: [Int32]? = nil) throws -> BatchResult {
        try checkSizes(x: x, tokens: tokens, batch: labels.count)
        return try x.withUnsafeBufferPointer { xs in
            try labels.withUnsafeBufferPointer { ls in
                try withOptionalPointer(tokens) { ts in
                    try evaluate(x: xs.baseAddress!, labels: ls.baseAddress!, batch: labels.count, tokens: ts)
                }
            }
        }
    }

    /// `infer` on an array of B·L·D values (and B·L tokens with lexical capsules); returns lengths [B, C].
    public func infer(x: [Float], tokens: [Int32]? = nil) throws -> [Float] {
        let batch = x.count / sampleSize
        try checkSizes(x: x, tokens: tokens, batch: batch)
        var out = [Float](repeating: 0, count: batch * config.classes)
        try x.withUnsafeBufferPointer { xs in
            try withOptionalPointer(tokens) { ts in
                try out.withUnsafeMutableBufferPointer {
                    try infer(x: xs.baseAddress!, batch: batch, tokens: ts, lengths: $0.baseAddress!)
                }
            }
        }
        return out
    }

    private func checkSizes(x: [Float], tokens: [Int32]?, batch: Int) throws {
        try checkBatch(batch)
        guard x.count == batch * sampleSize else {
            throw CapsNetError.bufferTooSmall(argument: "x", expected: batch * sampleSize, got: x.count)
        }
        if let tokens, tokens.count != batch * config.tokenRowLength {
            throw CapsNetError.bufferTooSmall(argument: "tokens", expected: batch * config.tokenRowLength, got: tokens.count)
        }
    }

    private func withOptionalPointer<T>(_ array: [Int32]?, _ body: (UnsafePointer<Int32>?) throws -> T) rethrows -> T {
        guard let array else { return try body(nil) }
        return try array.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

extension CapsuleNetwork {
    /// The capsule lengths [batch, C] of the last forward pass (training,
    /// evaluation or inference), copied out.
    public func lastLengths(batch: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: lengths.pointer, count: batch * config.classes))
    }
}
