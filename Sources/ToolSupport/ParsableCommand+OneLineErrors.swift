import ArgumentParser
import CapsMPI
import Foundation

extension ParsableCommand {
    /// Runs the command the way every CapsKit tool does: `--help` to stdout;
    /// any failure (bad option, bad input, interruption) as exactly one line
    /// `TOOL: reason` on standard error and a non-zero exit status.
    /// ArgumentParser's own `main()` would add usage lines to option errors.
    public static func mainWithOneLineErrors() {
        // Past a file-size limit (ulimit -f) write(2) then fails with EFBIG and
        // the tool reports it like a full disk, instead of SIGXFSZ killing it
        // with a core dump and a temporary file left behind.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let quiet as QuietExit {
            Foundation.exit(quiet.code)  // another rank of the MPI job reports the failure
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))  // --help, --version
                return
            }
            var line = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            if line.hasPrefix("Error: ") { line.removeFirst("Error: ".count) }
            FileHandle.standardError.write(Data("\(toolName): \(line)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }

    /// The name errors start with: the one `--help`'s usage line shows
    /// (`configuration.commandName`, else ArgumentParser's kebab-case of the
    /// type name), so a tool without a `commandName` still prints `TOOL: …`
    /// and never a generic prefix.
    static var toolName: String { _commandName }
}
