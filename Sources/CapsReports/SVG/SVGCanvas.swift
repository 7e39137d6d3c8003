import Foundation

/// A minimal SVG 1.1 writer: collects shapes and text in user units (pixels)
/// and renders a standalone UTF-8 document that opens in any browser.
/// All text and attribute values pass through `escape`, so class names such
/// as `R&D <b>` cannot break the markup.
struct SVGCanvas {
    let width: Double
    let height: Double
    private var defs: [String] = []
    private var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double,
                       fill: String, stroke: String? = nil, extra: String = "") {
        let strokeAttr = stroke.map { " stroke=\"\(Self.escape($0))\"" } ?? ""
        body.append("<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"\(Self.escape(fill))\"\(strokeAttr)\(extra)/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
                       stroke: String, width: Double = 1, dash: String? = nil) {
        let dashAttr = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body.append("<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.n(width))\"\(dashAttr)/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.n(width))\" stroke-linejoin=\"round\"/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String) {
        body.append("<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(Self.escape(fill))\"/>")
    }

    enum Anchor: String { case start, middle, end }

    /// Text at (x, y) (y is the baseline unless `middle` centres it vertically);
    /// `rotate` turns it by that many degrees about (x, y).
    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start,
                       size: Double = 12, fill: String = "#222", bold: Bool = false,
                       rotate: Double? = nil, middle: Bool = false) {
        var attrs = "x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" fill=\"\(Self.escape(fill))\""
        if anchor != .start { attrs += " text-anchor=\"\(anchor.rawValue)\"" }
        if middle { attrs += " dominant-baseline=\"central\"" }
        if bold { attrs += " font-weight=\"bold\"" }
        if let rotate { attrs += " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" }
        body.append("<text \(attrs)>\(Self.escape(content))</text>")
    }

    /// A vertical linear gradient with `stops` (offset 0…1, colour), top to bottom.
    mutating func verticalGradient(id: String, stops: [(Double, String)]) {
        var g = "<linearGradient id=\"\(Self.escape(id))\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
        for (offset, colour) in stops {
            g += "<stop offset=\"\(Self.n(offset))\" stop-color=\"\(Self.escape(colour))\"/>"
        }
        defs.append(g + "</linearGradient>")
    }

    /// The standalone document, with `title` as its accessible title.
    func render(title: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        out += "<title>\(Self.escape(title))</title>\n"
        if !defs.isEmpty { out += "<defs>\n" + defs.joined(separator: "\n") + "\n</defs>\n" }
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += body.joined(separator: "\n")
        out += "\n</svg>\n"
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    static func n(_ x: Double) -> String {
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// Text safe inside XML elements and double-quoted attributes. Characters
    /// XML 1.0 forbids (most C0 controls, lone surrogates cannot occur in a
    /// Swift String) become U+FFFD so the document stays well-formed.
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Approximate rendered width of `text` at `size` px: half an em per
    /// terminal column (so CJK, two columns, gets a full em).
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(TerminalWidth.of(text)) * size * 0.6
    }
}
