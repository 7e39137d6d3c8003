#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let systemSignal = signal

/// SIGINT/SIGTERM as a flag that long work polls between steps, so Ctrl-C
/// finishes the current step, lets the caller write a resumable checkpoint
/// and exit with a message instead of dying mid-write.
///
/// A second signal while the first is being handled restores the default
/// action, so a user pressing Ctrl-C twice still gets out at once.
public enum InterruptFlag {
    // Written from the signal handler: only async-signal-safe work there.
    nonisolated(unsafe) private static var received: sig_atomic_t = 0

    /// Installs the handlers for SIGINT and SIGTERM.
    public static func install() {
        let handler: @convention(c) (Int32) -> Void = { number in
            InterruptFlag.received = sig_atomic_t(number)
            // Restore the default so a second Ctrl-C ends the process at once.
            _ = systemSignal(number, SIG_DFL)
        }
        _ = systemSignal(SIGINT, handler)
        _ = systemSignal(SIGTERM, handler)
    }

    /// The signal received since `install()` (SIGINT or SIGTERM), or nil.
    public static var signal: Int32? {
        received == 0 ? nil : Int32(received)
    }

    public static var isSet: Bool { received != 0 }

    /// The signal's name for messages: "SIGINT", "SIGTERM".
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }

    /// For tests: simulates a received signal / clears it.
    public static func simulate(_ signal: Int32) { received = sig_atomic_t(signal) }
    public static func reset() { received = 0 }
}
