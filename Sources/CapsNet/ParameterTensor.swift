/// One named parameter tensor: a view of `count` elements at `offset` in a
/// `ParameterStore`'s single contiguous buffer (and the same range of its
/// parallel gradient buffer). Shapes are PyTorch's, so names and layouts
/// export unchanged (`conv1.weight` is [F, 1, n, D], row-major; the symbols
/// are listed in CapsuleNetwork.swift).
public struct ParameterTensor: Hashable, Sendable, CustomStringConvertible {
    /// PyTorch state-dict name, e.g. `primarycaps.conv2d.weight`.
    public let name: String
    /// PyTorch shape, outermost first.
    public let shape: [Int]
    /// Index of the first element in the store's buffers.
    public let offset: Int
    /// Whether a step's gradient lives in a few rows (the outermost axis) of
    /// this tensor — a lookup table — so that gradients are cleared and Adam
    /// updates only the rows a step touched (`ParameterStore.touch(row:of:)`).
    public var isRowSparse = false

    /// Number of elements (product of `shape`).
    public var count: Int { shape.reduce(1, *) }
    /// Elements per row (the outermost axis), for row-sparse tensors.
    public var rowWidth: Int { shape.dropFirst().reduce(1, *) }

    public var description: String { "\(name) \(shape)" }
}

/// The list of parameter tensors a model declares before the store is
/// allocated: layers append their tensors in order, and each gets the next
/// offset, so the whole model lives in one buffer.
public struct ParameterLayout: Equatable, Sendable {
    public private(set) var tensors: [ParameterTensor] = []
    /// Total number of Float32 elements declared so far.
    public private(set) var count = 0

    public init() {}

    /// Declares a tensor and returns its view; `rowSparse` marks a lookup
    /// table whose gradient lives in the rows a step touches.
    public mutating func add(_ name: String, shape: [Int], rowSparse: Bool = false) -> ParameterTensor {
        precondition(!tensors.contains { $0.name == name }, "parameter \(name) declared twice")
        let tensor = ParameterTensor(name: name, shape: shape, offset: count, isRowSparse: rowSparse)
        tensors.append(tensor)
        count += tensor.count
        return tensor
    }
}
