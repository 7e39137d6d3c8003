/// Adaptive max pooling over positions, channel by channel: the h positions of
/// each of P channels are cut into Q segments, segment q covering positions
/// ⌊q·h/Q⌋ ..< ⌈(q+1)·h/Q⌉ (PyTorch's `adaptive_max_pool1d` segments), and
/// each segment keeps its largest value: [B, P, h] → [B, P, Q].
///
/// Why: the primary capsules are read from the pooled output, so their count
/// P/I·Q — and with it the class-capsule weight [C, N, O, I] — no longer grows
/// with the text length; Q = 1 is the max-over-time pooling of Kim's (2014)
/// text CNN. The kept position is found again in backward from the forward
/// input (first maximum on ties), so the layer stores nothing of its own.
public struct PositionPool: Sendable {
    public let channels: Int, inputPositions: Int, outputPositions: Int

    public init(channels: Int, inputPositions: Int, outputPositions: Int) {
        precondition(outputPositions >= 1 && outputPositions <= inputPositions)
        self.channels = channels; self.inputPositions = inputPositions; self.outputPositions = outputPositions
    }

    /// Positions start ..< end of segment q.
    @inline(__always)
    func segment(_ q: Int) -> Range<Int> {
        let h = inputPositions, Q = outputPositions
        return (q * h / Q)..<(((q + 1) * h + Q - 1) / Q)
    }

    /// The position of the first maximum of `row` [h] within segment q.
    @inline(__always)
    func argmax(_ row: UnsafePointer<Float>, _ q: Int) -> Int {
        let range = segment(q)
        var best = range.lowerBound
        for j in range.dropFirst() where row[j] > row[best] { best = j }
        return best
    }

    /// input [B, P, h] → out [B, P, Q].
    public func forward(input: UnsafePointer<Float>, batch: Int, out: UnsafeMutablePointer<Float>) {
        let h = inputPositions, Q = outputPositions
        for r in 0..<(batch * channels) {
            let row = input + r * h
            for q in 0..<Q { out[r * Q + q] = row[argmax(row, q)] }
        }
    }

    /// dinput [B, P, h] += dout [B, P, Q] at each segment's kept position
    /// (input is the forward input).
    public func backward(input: UnsafePointer<Float>, dout: UnsafePointer<Float>, batch: Int,
                         dinput: UnsafeMutablePointer<Float>) {
        let h = inputPositions, Q = outputPositions
        for r in 0..<(batch * channels) {
            let row = input + r * h
            for q in 0..<Q { dinput[r * h + argmax(row, q)] += dout[r * Q + q] }
        }
    }
}
