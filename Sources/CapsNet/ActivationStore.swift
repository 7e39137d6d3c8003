/// A model's activation workspace: every activation, activation gradient
/// and scratch buffer of the layers in ONE allocation for the activation
/// block and ONE for the gradient block, addressed by `ActivationTensor`s.
///
/// Two phases, as in llm.c: while the model is built, layers and the network
/// declare their tensors (`activation(_:shape:)`, `gradient(_:shape:)`,
/// recorded in `layout`); `allocate()` then creates both blocks, zeroed, and
/// views are valid from then on. A store that is never allocated costs
/// nothing, which is how layouts are computed without a model.
///
/// Backward passes only ever accumulate into (or overwrite) the gradient
/// block, which `zeroGradients()` clears as a whole at the start of a
/// training step, so no layer has its own zeroing line to forget.
public final class ActivationStore {
    /// The tensors declared so far (all of them once allocated).
    public private(set) var layout: ActivationLayout
    private var activationBlock: UnsafeMutablePointer<Float>?
    private var gradientBlock: UnsafeMutablePointer<Float>?

    /// An empty store for tensors sized for `maxBatch` samples, to declare into.
    public init(maxBatch: Int) {
        layout = ActivationLayout(maxBatch: maxBatch)
    }

    deinit {
        activationBlock?.deallocate()
        gradientBlock?.deallocate()
    }

    /// The largest batch the tensors are sized for.
    public var maxBatch: Int { layout.maxBatch }

    /// Whether `allocate()` has run.
    public var isAllocated: Bool { activationBlock != nil }

    /// Declares a tensor of the activation block (before `allocate()`).
    public func activation(_ name: String, shape: [Int]) -> ActivationTensor {
        precondition(!isAllocated, "activation \(name) declared after the workspace was allocated")
        return layout.activation(name, shape: shape)
    }

    /// Declares a tensor of the gradient block (before `allocate()`).
    public func gradient(_ name: String, shape: [Int]) -> ActivationTensor {
        precondition(!isAllocated, "gradient \(name) declared after the workspace was allocated")
        return layout.gradient(name, shape: shape)
    }

    /// Allocates both blocks, zeroed, each on a 64-byte boundary. Call once,
    /// after every tensor is declared.
    public func allocate() {
        precondition(!isAllocated, "the workspace is already allocated")
        activationBlock = Self.allocateBlock(layout.activationCount)
        gradientBlock = Self.allocateBlock(layout.gradientCount)
    }

    private static func allocateBlock(_ count: Int) -> UnsafeMutablePointer<Float> {
        let capacity = max(count, ActivationLayout.alignment)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Float>.stride,
                                                   alignment: ActivationLayout.alignment * MemoryLayout<Float>.stride)
        let block = raw.bindMemory(to: Float.self, capacity: capacity)
        block.initialize(repeating: 0, count: capacity)
        return block
    }

    /// Pointer to the first element of `tensor` (the store must be allocated).
    @inline(__always)
    public func pointer(_ tensor: ActivationTensor) -> UnsafeMutablePointer<Float> {
        let block = tensor.block == .activations ? activationBlock : gradientBlock
        precondition(block != nil, "workspace used before it was allocated")
        return block.unsafelyUnwrapped + tensor.offset
    }

    /// `tensor` with its pointer, for holding on to (the network's own tensors).
    func view(_ tensor: ActivationTensor) -> ActivationView {
        ActivationView(tensor: tensor, pointer: pointer(tensor))
    }

    /// Sets the whole gradient block to zero (start of a training step).
    public func zeroGradients() {
        guard let gradientBlock else { return }
        gradientBlock.update(repeating: 0, count: layout.gradientCount)
    }
}

/// An allocated `ActivationTensor`: its first element and length.
struct ActivationView {
    let tensor: ActivationTensor
    let pointer: UnsafeMutablePointer<Float>

    var count: Int { tensor.count }

    /// A copy of the first `n` elements (default all), for tests and traces.
    func array(_ n: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: n ?? count))
    }
}
