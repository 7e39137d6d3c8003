extension CapsuleNetwork {
    /// The class capsules [B, C, O] of the last forward pass, copied out.
    public func lastClassCapsules(batch: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: classCaps.pointer, count: batch * config.classes * config.classDimension))
    }

    /// The decoder's reconstruction [L·D] from capsule `v` [O] as class k's,
    /// every other class capsule masked to zero (as inference masks all but
    /// the longest): for reading what a class capsule encodes, e.g. with one
    /// of its dimensions perturbed (Sabour et al. 2017, §5.1). Overwrites
    /// the workspace's sample 0.
    public func decode(capsule v: [Float], classIndex k: Int) throws -> [Float] {
        guard config.hasDecoder else {
            throw CapsNetError.invalidConfiguration(field: "--lam-recon",
                                                    reason: "is 0, so the model has no decoder to reconstruct with")
        }
        let O = config.classDimension
        guard v.count == O else { throw CapsNetError.bufferTooSmall(argument: "capsule", expected: O, got: v.count) }
        guard k >= 0 && k < config.classes else {
            throw CapsNetError.labelOutOfRange(sample: 0, label: Int32(clamping: k), classes: config.classes)
        }
        classCaps.pointer.update(repeating: 0, count: config.classes * O)
        (classCaps.pointer + k * O).update(from: v, count: O)
        selected[0] = Int32(k)
        return Array(UnsafeBufferPointer(start: forwardDecoder(batch: 1), count: sampleSize))
    }
}
