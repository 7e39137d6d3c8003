import CapsCore

/// All parameters of a model in ONE contiguous Float32 buffer, with a
/// parallel gradient buffer of the same length, so that optimisers run one
/// fused loop over everything and checkpoints copy two blocks.
///
/// Tensors are views (`ParameterTensor`) into the buffers, addressed by
/// their PyTorch names. Gradients are accumulated (`+=`) by the layers'
/// backward passes; `zeroGradients()` starts a fresh step.
///
/// Row-sparse tensors (lookup tables such as the lexical buckets) keep the
/// same dense layout, but a step's gradient lives only in the rows its
/// backward pass `touch`ed: `zeroGradients` clears those rows rather than
/// the whole table, and `Adam` updates those rows only. Invariant: outside
/// the touched rows, a row-sparse tensor's gradient is zero.
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
    /// The buffer ranges of the dense tensors, merged where adjacent.
    public let denseRanges: [Range<Int>]
    /// Rows touched since the last `zeroGradients`, per row-sparse tensor index.
    private var touched: [Int: TouchedRows] = [:]
    /// False for a replica's store, whose `values` are another store's.
    private let ownsValues: Bool

    /// A set of row indices in first-touch order, with O(1) membership.
    private struct TouchedRows {
        var rows: [Int] = []
        var isTouched: [Bool]
        init(rowCount: Int) { isTouched = [Bool](repeating: false, count: rowCount) }
    }

    /// Allocates zeroed values and gradients for `layout`.
    public convenience init(layout: ParameterLayout) {
        let values = UnsafeMutablePointer<Float>.allocate(capacity: max(layout.count, 1))
        values.initialize(repeating: 0, count: max(layout.count, 1))
        self.init(layout: layout, values: values, ownsValues: true)
    }

    /// A store with gradients of its own over the VALUES of `other` (the
    /// same memory, not a copy), for a data-parallel replica: what one
    /// writes, the other reads. `other` must outlive it.
    public convenience init(sharingValuesOf other: ParameterStore) {
        var layout = ParameterLayout()
        for tensor in other.tensors { _ = layout.add(tensor.name, shape: tensor.shape, rowSparse: tensor.isRowSparse) }
        precondition(layout.tensors == other.tensors)
        self.init(layout: layout, values: other.values, ownsValues: false)
    }

    private init(layout: ParameterLayout, values: UnsafeMutablePointer<Float>, ownsValues: Bool) {
        tensors = layout.tensors
        count = layout.count
        self.values = values
        self.ownsValues = ownsValues
        gradients = .allocate(capacity: max(count, 1))
        gradients.initialize(repeating: 0, count: max(count, 1))
        index = Dictionary(uniqueKeysWithValues: layout.tensors.enumerated().map { ($1.name, $0) })
        var ranges: [Range<Int>] = []
        for tensor in layout.tensors where !tensor.isRowSparse && tensor.count > 0 {
            let range = tensor.offset..<(tensor.offset + tensor.count)
            if let last = ranges.last, last.upperBound == range.lowerBound {
                ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
            } else {
                ranges.append(range)
            }
        }
        denseRanges = ranges
        for (i, tensor) in layout.tensors.enumerated() where tensor.isRowSparse {
            touched[i] = TouchedRows(rowCount: tensor.shape[0])
        }
    }

    deinit {
        if ownsValues { values.deallocate() }
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

    /// Sets every gradient to zero (start of a training step): the dense
    /// tensors' whole ranges and the row-sparse tensors' touched rows, which
    /// are then forgotten.
    public func zeroGradients() {
        for range in denseRanges { (gradients + range.lowerBound).update(repeating: 0, count: range.count) }
        for i in touched.keys {
            let tensor = tensors[i], width = tensor.rowWidth
            for row in touched[i]!.rows {
                (gradients + tensor.offset + row * width).update(repeating: 0, count: width)
                touched[i]!.isTouched[row] = false
            }
            touched[i]!.rows.removeAll(keepingCapacity: true)
        }
    }

    /// Records that this step's backward pass wrote gradient into `row` of
    /// the row-sparse `tensor` (so it is updated, then cleared).
    @inline(__always)
    public func touch(row: Int, of tensor: ParameterTensor) {
        let i = index[tensor.name]!
        if touched[i]!.isTouched[row] { return }
        touched[i]!.isTouched[row] = true
        touched[i]!.rows.append(row)
    }

    /// The rows of the row-sparse `tensor` touched since the last
    /// `zeroGradients`, ascending (a fixed order, whatever order the batch
    /// touched them in).
    public func touchedRows(of tensor: ParameterTensor) -> [Int] {
        (touched[index[tensor.name]!]?.rows ?? []).sorted()
    }

    /// The row-sparse tensors, in buffer order.
    public var rowSparseTensors: [ParameterTensor] { tensors.filter(\.isRowSparse) }

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
