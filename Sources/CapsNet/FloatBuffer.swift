/// Owned, zero-initialised Float32 storage that never moves or reallocates,
/// for workspaces allocated once at the model's maximum batch size (an Array
/// would risk copy-on-write and exclusivity checks on every training step).
final class FloatBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// Sets the first `n` elements (default all) to zero.
    func zero(_ n: Int? = nil) {
        pointer.update(repeating: 0, count: n ?? count)
    }

    /// A copy of the first `n` elements (for tests and traces, not hot paths).
    func array(_ n: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: n ?? count))
    }
}
