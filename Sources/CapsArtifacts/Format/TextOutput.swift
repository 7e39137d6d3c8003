import CapsStorage
import Foundation

/// Text outputs (CSV logs, reports, TSV predictions, JSON, SVG): written
/// whole through `AtomicOutput`, like every artifact, or to stdout for "-".
public enum TextOutput {
    public static func write(_ text: String, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try AtomicOutput.write(to: path) { temporaryPath in
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporaryPath))
        }
    }
}
