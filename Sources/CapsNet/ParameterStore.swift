import CapsCore

/// All parameters of a model in ONE contiguous Float32 buffer, with a
/// parallel gradient buffer of the same length, so that optimisers run one
/// fused loop over everything and checkpoints copy two blocks.
///
/// Tensors are views (`ParameterTensor`) into the buffers, addressed by
/// their PyTorch names. Gradients are accumulated (`+=`) by the layers'
/// backward passes; `zeroGradients()` starts a fresh step.
public final class ParameterStore {
    /// The tensors, in declaration (and buffer) order.
    public let tensors: [ParameterTensor]
    /// Total number of parameters.
    public let count: Int
    /// The parameter values [count].
    public let values: UnsafeMutablePointer<Float>
    /// The gradients [count], parallel to `values`.
    public let gradients: UnsafeMutablePointer<Float>
    private let index: [String: Int]

    /// Allocates zeroed values and gradients for `layout`.
    public init(layout: ParameterLayout) {
        tensors = layout.tensors
        count = layout.count
        values = .allocate(capacity: max(count, 1))
        values.initialize(repeating: 0, count: max(count, 1))
        gradients = .allocate(capacity: max(count, 1))
        gradients.initialize(repeating: 0, count: max(count, 1))
        index = Dictionary(uniqueKeysWithValues: layout.tensors.enumerated().map { ($1.name, $0) })
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// The names of all tensors, in buffer order.
    public var names: [String] { tensors.map(\.name) }

    /// The tensor called `name`.
    public func tensor(named name: String) throws -> ParameterTensor {
        guard let i = index[name] else { throw CapsNetError.unknownParameter(name: name, known: names) }
        return tensors[i]
    }

    /// Pointer to the first value of `tensor`.
    @inline(__always)
    public func value(_ tensor: ParameterTensor) -> UnsafeMutablePointer<Float> { values + tensor.offset }

    /// Pointer to the first gradient element of `tensor`.
    @inline(__always)
    public func gradient(_ tensor: ParameterTensor) -> UnsafeMutablePointer<Float> { gradients + tensor.offset }

    /// A copy of the values of the tensor called `name` (row-major, PyTorch layout).
    public func get(_ name: String) throws -> [Float] {
        let t = try tensor(named: name)
        return Array(UnsafeBufferPointer(start: value(t), count: t.count))
    }

    /// A copy of the gradient of the tensor called `name`.
    public func gradient(named name: String) throws -> [Float] {
        let t = try tensor(named: name)
        return Array(UnsafeBufferPointer(start: gradient(t), count: t.count))
    }

    /// Overwrites the tensor called `name` with `newValues` (row-major, PyTorch layout).
    public func set(_ name: String, _ newValues: [Float]) throws {
        let t = try tensor(named: name)
        guard newValues.count == t.count else {
            throw CapsNetError.parameterSizeMismatch(name: name, expected: t.count, got: newValues.count)
        }
        newValues.withUnsafeBufferPointer { value(t).update(from: $0.baseAddress!, count: t.count) }
    }

    /// A copy of the whole value buffer [count], in buffer order.
    public func allValues() -> [Float] {
        Array(UnsafeBufferPointer(start: values, count: count))
    }

    /// Overwrites the whole value buffer from `newValues` [count] (as `allValues()` returned it).
    public func set(contentsOf newValues: [Float]) throws {
        guard newValues.count == count else {
            throw CapsNetError.parameterSizeMismatch(name: "all parameters", expected: count, got: newValues.count)
        }
        newValues.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: count) }
    }

    /// Sets every gradient to zero (start of a training step).
    public func zeroGradients() {
        gradients.update(repeating: 0, count: count)
    }

    /// Fills `tensor` with draws of U(−1/√fanIn, 1/√fanIn), in element order:
    /// PyTorch's default initialisation of convolution and linear weights
    /// (kaiming-uniform with a = √5 gives exactly this bound) and biases.
    func fillUniform(_ tensor: ParameterTensor, fanIn: Int, using generator: inout SeededGenerator) {
        let bound = 1 / Float(fanIn).squareRoot()
        let p = value(tensor)
        for i in 0..<tensor.count { p[i] = generator.uniform(-bound, bound) }
    }

    /// Copies all values from `other`, which must have the same layout.
    public func copyValues(from other: ParameterStore) {
        precondition(other.tensors == tensors, "copying between stores of different layouts")
        values.update(from: other.values, count: count)
    }
}
