import CapsCore
import CapsMPI
import CapsNet
import Foundation

/// `mpirun -np K capsbench --allreduce`: the time of the one allreduce a
/// data-parallel step adds — each training row's dense gradient buffer
/// summed over the K ranks, as `DataParallelSteps` sums it — measured, not
/// modelled, on whatever links the job runs over (loopback on one machine).
enum AllreduceBench {
    struct Line {
        let row: String
        let floats: Int
        let medianSeconds: Double
    }

    static func run(rows: [BenchRow], warmup: Int, steps: Int, seed: UInt64) throws -> String? {
        let group = try ProcessGroup.world()
        guard group.size > 1 else {
            throw BenchError("--allreduce times the gradient allreduce between MPI ranks: run it as mpirun -np 2 capsbench --allreduce")
        }
        var lines: [Line] = []
        for row in rows where row.kind == .train {
            let network = try CapsuleNetwork(config: try row.configuration(), maxBatch: 1, seed: seed)
            let count = network.parameters.denseRanges.reduce(0) { $0 + $1.count }
            var buffer = [Float](repeating: 1, count: count)
            var times: [Double] = []
            for step in 0..<(warmup + steps) {
                group.barrier()
                let start = ProgressReporter.monotonicSeconds()
                buffer.withUnsafeMutableBufferPointer { group.sum($0.baseAddress!, count: count) }
                let seconds = ProgressReporter.monotonicSeconds() - start
                if step >= warmup { times.append(seconds) }
            }
            // The slowest rank's time is the step's: take the maximum over ranks of each median.
            times.sort()
            let worst = group.range(of: Int64(times[times.count / 2] * 1e9)).max
            lines.append(Line(row: row.name, floats: count, medianSeconds: Double(worst) / 1e9))
        }
        group.finish()
        guard group.rank == 0 else { return nil }
        let K = Double(group.size)
        var text = "allreduce of the dense gradient buffer, \(group.size) ranks, median of \(steps) (slowest rank)\n"
        text += "row                  parameters      MiB  allreduce ms  bus GB/s\n"
        for line in lines {
            let bytes = Double(line.floats * 4)
            // Bus bandwidth as NCCL's tests define it: 2(K−1)/K · bytes / time.
            let bus = 2 * (K - 1) / K * bytes / line.medianSeconds / 1e9
            text += line.row.padding(toLength: 19, withPad: " ", startingAt: 0)
                + String(format: "  %10d  %7.1f  %12.2f  %8.2f\n", line.floats, bytes / 1_048_576, line.medianSeconds * 1000, bus)
        }
        return text
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
