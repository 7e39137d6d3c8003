import Foundation

/// A linear axis with "nice" round tick values (1, 2 or 5 × 10ᵏ apart)
/// covering a data range, mapping data values onto a pixel interval.
struct AxisScale {
    let lower: Double
    let upper: Double
    let step: Double
    /// Tick values from `lower` to `upper` inclusive.
    var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// - Parameters:
    ///   - minimum, maximum: data range (finite; may be equal).
    ///   - targetTicks: roughly how many intervals to aim for.
    ///   - integer: ticks only at whole numbers (epochs).
    init(minimum: Double, maximum: Double, targetTicks: Int = 5, integer: Bool = false) {
        var lo = minimum, hi = maximum
        if hi - lo < 1e-12 {
            // A flat series still needs a visible range around its value.
            let pad = integer ? 1 : max(abs(lo) * 0.1, 0.05)
            lo -= pad
            hi += pad
        }
        var step = Self.niceStep((hi - lo) / Double(max(targetTicks, 1)))
        if integer { step = max(1, step.rounded()) }
        self.step = step
        self.lower = (lo / step).rounded(.down) * step
        self.upper = (hi / step).rounded(.up) * step
    }

    /// The nearest of 1, 2, 5 × 10ᵏ at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// `value`'s position in the pixel interval `from…to` (`from` ↔ `lower`).
    func position(_ value: Double, from: Double, to: Double) -> Double {
        from + (value - lower) / (upper - lower) * (to - from)
    }

    /// A tick label with just enough decimals for the step.
    func label(_ value: Double) -> String {
        let decimals = max(0, Int(-log10(step).rounded(.down)))
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}
