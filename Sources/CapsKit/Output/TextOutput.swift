import CapsStorage
import Foundation

/// Text outputs (CSV logs, reports, TSV predictions, JSON): written whole to a
/// temporary name and renamed, like every artifact, or to stdout for "-".
public enum TextOutput {
    public static func write(_ text: String, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let output = try AtomicOutput(destination: path)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output.temporaryPath))
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }
}
