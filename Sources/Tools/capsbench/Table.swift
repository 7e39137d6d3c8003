import Foundation

/// Formats the results: one line per row with the Swift median, ms/step, peak
/// memory, the share of the sgemm ceiling (training rows: the seconds sgemm
/// alone needs for the step's products at their shapes, over the step's), the PyTorch figures when measured, the Swift/PyTorch speed ratio
/// and the issue's target.
struct Table {
    struct Line {
        let row: BenchRow
        let swift: Measurement
        let torch: Measurement?
    }

    var lines: [Line] = []

    func render(threads: Int, torchNote: String) -> String {
        var out = "capsbench: \(threads) thread\(threads == 1 ? "" : "s"), median of the timed steps; \(torchNote)\n"
        let header = ["row", "batch", "samples/s", "ms/step", "peak MiB", "% sgemm", "torch/s", "torch ms", "torch MiB",
                      "speed×", "target (2 threads)", "met"]
        var cells: [[String]] = [header]
        for line in lines {
            let s = line.swift
            var row = [line.row.name, "\(line.row.batch)", fixed(s.samplesPerSecond, 0),
                       fixed(s.medianSeconds * 1000, 3), fixed(s.peakResidentMiB, 0),
                       s.shareOfGEMMCeiling.map { fixed(100 * $0, 0) } ?? "-"]
            if let t = line.torch {
                row += [fixed(t.samplesPerSecond, 0), fixed(t.medianSeconds * 1000, 3), fixed(t.peakResidentMiB, 0),
                        fixed(t.medianSeconds / s.medianSeconds, 2)]
            } else {
                row += ["-", "-", "-", "-"]
            }
            row += [line.row.targetDescription, line.row.meets(s) ? "yes" : "no"]
            cells.append(row)
        }
        let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        for (i, row) in cells.enumerated() {
            let padded = row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 || column >= 10 ? cell + pad : pad + cell
            }
            out += padded.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            if i == 0 { out += String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n" }
        }
        return out
    }

    private func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "-"
    }
}
