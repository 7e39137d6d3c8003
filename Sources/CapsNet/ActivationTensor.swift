/// One named activation tensor: a view of `count` elements at `offset` in
/// one of the two blocks of an `ActivationStore`. It is the activation-side
/// twin of `ParameterTensor`; shapes are for the workspace's `maxBatch`
/// samples (a smaller batch uses a prefix).
public struct ActivationTensor: Hashable, Sendable, CustomStringConvertible {
    /// The two blocks of a workspace.
    public enum Block: String, Hashable, Sendable {
        /// Forward values and forward scratch, written by forward passes.
        case activations
        /// Everything a backward pass writes (activation gradients and backward
        /// scratch): zeroed as a whole at the start of every training step.
        case gradients
    }

    /// Name for traces and tests, e.g. `digitcaps.votes`.
    public let name: String
    /// Shape, outermost first.
    public let shape: [Int]
    /// Index of the first element in its block.
    public let offset: Int
    /// The block the tensor lives in.
    public let block: Block

    /// Number of elements (product of `shape`).
    public var count: Int { shape.reduce(1, *) }

    public var description: String { "\(name) \(shape) (\(block.rawValue))" }
}

/// The list of activation tensors a model declares before its workspace is
/// allocated, beside `ParameterLayout` for the parameters (llm.c's
/// ActivationTensors): layers and the network declare every activation,
/// gradient and scratch buffer they need, each gets the next offset of its
/// block, and the workspace then holds everything in ONE allocation for the
/// activations and ONE for the gradients. Sizes follow from the
/// configuration and `maxBatch` alone.
public struct ActivationLayout: Equatable, Sendable {
    /// Every tensor starts on a multiple of this many floats (64 bytes), so
    /// that each one is as aligned as a separate allocation would be.
    public static let alignment = 16

    /// The largest batch the tensors are sized for.
    public let maxBatch: Int
    /// Tensors of the activation block, in declaration (and buffer) order.
    public private(set) var activations: [ActivationTensor] = []
    /// Tensors of the gradient block, in declaration (and buffer) order.
    public private(set) var gradients: [ActivationTensor] = []
    /// Floats in the activation block (with alignment padding).
    public private(set) var activationCount = 0
    /// Floats in the gradient block (with alignment padding).
    public private(set) var gradientCount = 0

    public init(maxBatch: Int) { self.maxBatch = maxBatch }

    /// Declares a tensor of the activation block and returns its view.
    public mutating func activation(_ name: String, shape: [Int]) -> ActivationTensor {
        let tensor = Self.make(name, shape, at: activationCount, in: .activations, declared: activations)
        activations.append(tensor)
        activationCount = Self.aligned(tensor.offset + tensor.count)
        return tensor
    }

    /// Declares a tensor of the gradient block and returns its view.
    public mutating func gradient(_ name: String, shape: [Int]) -> ActivationTensor {
        let tensor = Self.make(name, shape, at: gradientCount, in: .gradients, declared: gradients)
        gradients.append(tensor)
        gradientCount = Self.aligned(tensor.offset + tensor.count)
        return tensor
    }

    private static func make(_ name: String, _ shape: [Int], at offset: Int, in block: ActivationTensor.Block,
                             declared: [ActivationTensor]) -> ActivationTensor {
        precondition(shape.allSatisfy { $0 >= 0 }, "activation \(name) has a negative size in \(shape)")
        precondition(!declared.contains { $0.name == name }, "activation \(name) declared twice in the \(block) block")
        return ActivationTensor(name: name, shape: shape, offset: offset, block: block)
    }

    private static func aligned(_ count: Int) -> Int {
        (count + alignment - 1) / alignment * alignment
    }
}
