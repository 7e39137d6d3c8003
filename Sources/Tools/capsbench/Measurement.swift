import Foundation

/// The timing of one row in one process: every timed step, and the process's
/// peak resident memory. Children print it as one line of JSON (the PyTorch
/// script prints the same keys), so the parent reads both sides alike.
struct Measurement: Codable, Sendable {
    let row: String
    /// Wall-clock seconds of each timed step (warm-ups excluded).
    let stepSeconds: [Double]
    let medianSeconds: Double
    let samplesPerSecond: Double
    /// VmHWM of the measuring process, MiB.
    let peakResidentMiB: Double
    /// Training rows: seconds sgemm alone takes for one step's products at
    /// their shapes (`GEMMCeiling`); ceiling / median step is the share of
    /// the sgemm ceiling the step reaches. Nil for PyTorch and inference.
    var gemmCeilingSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case row
        case stepSeconds = "step_seconds"
        case medianSeconds = "median_seconds"
        case samplesPerSecond = "samples_per_second"
        case peakResidentMiB = "peak_rss_mib"
        case gemmCeilingSeconds = "gemm_ceiling_seconds"
    }

    init(row: String, stepSeconds: [Double], batch: Int) {
        self.row = row
        self.stepSeconds = stepSeconds
        medianSeconds = Measurement.median(stepSeconds)
        samplesPerSecond = Double(batch) / medianSeconds
        peakResidentMiB = Measurement.peakResidentMiB()
    }

    /// The median of the medians of repeated runs of one row (for `--rounds`).
    init(combining runs: [Measurement], batch: Int) {
        row = runs[0].row
        stepSeconds = runs.flatMap(\.stepSeconds)
        medianSeconds = Measurement.median(runs.map(\.medianSeconds))
        samplesPerSecond = Double(batch) / medianSeconds
        peakResidentMiB = runs.map(\.peakResidentMiB).max() ?? .nan
        let ceilings = runs.compactMap(\.gemmCeilingSeconds)
        gemmCeilingSeconds = ceilings.isEmpty ? nil : Measurement.median(ceilings)
    }

    /// The step's speed as a share of the sgemm ceiling at its own shapes.
    var shareOfGEMMCeiling: Double? { gemmCeilingSeconds.map { $0 / medianSeconds } }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted(), mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Peak resident set size of this process (VmHWM in /proc/self/status), MiB.
    static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Double(fields[1]) { return kib / 1024 }
        }
        return .nan
    }
}
