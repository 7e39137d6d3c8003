import CapsStorage

/// Which tool wrote an artifact, at which version, from which command line.
///
/// Stored as root attributes `tool`, `tool_version` and `command` (the
/// arguments shell-quoted, so the command can be pasted back into a shell).
public struct Provenance: Equatable, Sendable {
    /// The tool's name, e.g. "tokenize".
    public var tool: String
    /// `Toolkit.version` of the tool that wrote the file.
    public var toolVersion: String
    /// The full command line, shell-quoted.
    public var command: String

    public init(tool: String, toolVersion: String = Toolkit.version, command: String) {
        self.tool = tool
        self.toolVersion = toolVersion
        self.command = command
    }

    /// The provenance of the running process: `tool` with this process's arguments.
    public static func current(tool: String) -> Provenance {
        Provenance(tool: tool, command: shellQuoted(CommandLine.arguments))
    }

    /// The attributes that record this provenance.
    var attributes: [(String, H5AttributeValue)] {
        [("tool", .string(tool)), ("tool_version", .string(toolVersion)), ("command", .string(command))]
    }

    /// Reads the provenance attributes from the root of `file`; `prefix` selects
    /// a copied set (e.g. "tokens_" in an embedded file).
    init(file: H5File, prefix: String = "") throws {
        self.init(tool: try file.requireString(prefix + "tool"),
                  toolVersion: try file.requireString(prefix + "tool_version"),
                  command: try file.requireString(prefix + "command"))
    }
}
