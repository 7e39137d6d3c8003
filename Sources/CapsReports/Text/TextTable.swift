

/// A plain-text table whose columns are aligned by terminal display width
/// (see `TerminalWidth`): the first column is left-aligned (names), the
/// others right-aligned (numbers), columns separated by two spaces.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Row indices before which an empty line is printed (section breaks).
    var breaks: Set<Int> = []

    init(header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    mutating func addBreak() { breaks.insert(rows.count) }

    /// The table as lines without trailing spaces.
    func lines() -> [String] {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        let widths = (0..<columns).map { col in
            all.map { col < $0.count ? TerminalWidth.of($0[col]) : 0 }.max() ?? 0
        }
        func render(_ cells: [String]) -> String {
            var line = ""
            for (col, cell) in cells.enumerated() {
                if col > 0 { line += "  " }
                line += TerminalWidth.pad(cell, to: widths[col], right: col > 0)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
        var out = [render(header)]
        for (i, row) in rows.enumerated() {
            if breaks.contains(i) { out.append("") }
            out.append(render(row))
        }
        return out
    }
}
