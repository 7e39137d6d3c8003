import Foundation

/// The CapsKit checkout this tool belongs to: the current directory if it
/// holds Package.swift, else the nearest ancestor of the executable that does
/// (the binary lives in .build/<triple>/release/).
enum PackageRoot {
    static func locate() -> String? {
        let files = FileManager.default
        let current = files.currentDirectoryPath
        if files.fileExists(atPath: "\(current)/Package.swift") { return current }
        var directory = URL(fileURLWithPath: ChildProcess.ownExecutable).deletingLastPathComponent()
        while directory.path != "/" {
            if files.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory.path }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
