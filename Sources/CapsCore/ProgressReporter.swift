#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of long work on stderr: a live bar with throughput and ETA when
/// stderr is a terminal, and sparse plain lines when it is not (CI, make,
/// pipes), so logs stay readable.
///
///     let progress = ProgressReporter(label: "epoch 2/10", total: 9_000, unit: "samples")
///     progress.advance(by: 100, status: "loss 0.213")
///     progress.finish()
public final class ProgressReporter {
    public let label: String
    public let total: Int
    public let unit: String
    private let interactive: Bool
    private let sink: (String) -> Void
    private let clock: () -> Double
    private let started: Double
    private var done = 0
    private var lastDraw = -1.0
    private var nextPlainFraction = 0.25
    private var lastStatus = ""

    /// - Parameters:
    ///   - interactive: draw a live bar; defaults to whether stderr is a terminal.
    ///   - sink: where lines go (stderr by default; tests capture them).
    ///   - clock: seconds from any fixed origin (monotonic by default).
    public init(label: String, total: Int, unit: String = "samples",
                interactive: Bool? = nil,
                sink: ((String) -> Void)? = nil,
                clock: (() -> Double)? = nil) {
        self.label = label
        self.total = max(total, 0)
        self.unit = unit
        self.interactive = interactive ?? (isatty(STDERR_FILENO) == 1)
        self.sink = sink ?? { text in fputs(text, stderr) }
        self.clock = clock ?? ProgressReporter.monotonicSeconds
        self.started = self.clock()
    }

    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    public var elapsed: Double { clock() - started }
    public var rate: Double { let t = elapsed; return t > 0 ? Double(done) / t : 0 }

    /// Records `count` more units of work; `status` (e.g. a running loss) is shown beside the rate.
    public func advance(by count: Int, status: String = "") {
        done = min(done + count, total)
        lastStatus = status
        let now = clock()
        if interactive {
            // Redraw at most ten times a second: drawing is not free on a slow terminal.
            if now - lastDraw >= 0.1 || done == total {
                lastDraw = now
                sink("\r\u{1B}[K" + line(now: now, bar: true))
            }
        } else if total > 0 && Double(done) >= nextPlainFraction * Double(total) && done < total {
            // A quarter at a time: enough to see a long stage move, few enough for a log.
            while Double(done) >= nextPlainFraction * Double(total) { nextPlainFraction += 0.25 }
            sink(line(now: now, bar: false) + "\n")
        }
    }

    /// Clears the live bar (the caller prints its own summary line after this).
    public func finish() {
        if interactive { sink("\r\u{1B}[K") }
    }

    func line(now: Double, bar: Bool) -> String {
        let seconds = now - started
        let perSecond = seconds > 0 ? Double(done) / seconds : 0
        var parts = [label]
        if bar {
            let width = 24
            let filled = total > 0 ? Int(Double(width) * Double(done) / Double(total)) : width
            parts.append("[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "]")
        }
        parts.append("\(done)/\(total) \(unit)")
        parts.append(String(format1: perSecond) + " \(unit)/s")
        if !lastStatus.isEmpty { parts.append(lastStatus) }
        if perSecond > 0 && done < total {
            parts.append("ETA " + ProgressReporter.clockText(Double(total - done) / perSecond))
        }
        return parts.joined(separator: "  ")
    }

    /// 75 → "1:15", 3725 → "1:02:05".
    public static func clockText(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }
}

extension String {
    /// A rate with one decimal below 100 and none above: "12.5", "1834".
    init(format1 value: Double) {
        if value >= 100 || value == 0 { self = String(Int(value.rounded())) }
        else { self = String(Double(Int((value * 10).rounded())) / 10) }
    }
}
