import Foundation

/// `capseval --explain FILE.html`: one self-contained page (inline CSS and
/// SVG; no script, font or image is fetched) that a person reads: per
/// document, the explained classes with their capsule lengths and the text
/// shaded by each token's share of that class's length, the routing
/// coefficients as a heat map, and with `--reconstruct` what the decoder
/// makes of the longest capsule.
extension Explanations {
    public func html() -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>CapsKit explanations: \(HTML.escape(modelPath)) on \(HTML.escape(inputPath))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <header>
        <h1>Why the capsules answered as they did</h1>
        <p class="meta">Model <code>\(HTML.escape(modelPath))</code> on <code>\(HTML.escape(inputPath))</code>: \
        \(documents.count == inputDocuments ? "all \(inputDocuments) documents" : "the first \(documents.count) of \(inputDocuments) documents").</p>
        <p class="meta">Shares by \(HTML.escape(method.summary)).</p>
        <p class="legend">A token shaded <span class="tok" style="background:\(Self.shade(1).background);color:\(Self.shade(1).text)">red</span> \
        raises that class's capsule length, one shaded <span class="tok" style="background:\(Self.shade(-1).background);color:\(Self.shade(-1).text)">blue</span> \
        lowers it; the strength is relative to the largest share in its row. Hover a token for its share.</p>
        </header>
        <main>

        """
        for document in documents { page += section(document) }
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    private func section(_ document: DocumentExplanation) -> String {
        var html = "<section class=\"doc\" id=\"doc-\(document.number)\">\n<h2>Document \(document.number)"
        if !document.labels.isEmpty {
            html += " <span class=\"gold\">label\(document.labels.count > 1 ? "s" : ""): \(HTML.escape(document.labels.joined(separator: ", ")))</span>"
        }
        html += "</h2>\n"
        html += "<table class=\"classes\">\n<tr><th>class</th><th>capsule length</th><th>the text, shaded by each token's share of that length</th></tr>\n"
        for explained in document.classes {
            // Each row on its own scale: gradients at a long (saturated) capsule are small, and one
            // scale for the document would leave the predicted class's row blank.
            let largest = explained.tokenShares.map(abs).max() ?? 0
            let gold = document.labels.contains(explained.name)
            html += "<tr><td class=\"name\">\(HTML.escape(explained.name))\(gold ? " <span class=\"check\" title=\"a label of the document\">✓</span>" : "")</td>"
            html += "<td class=\"length\"><div class=\"bar\"><span style=\"width:\(Self.percent(explained.length))%\"></span></div>\(String(format: "%.3f", Double(explained.length)))</td>"
            html += "<td class=\"text\">"
            if document.tokens.isEmpty { html += "<span class=\"empty\">(no tokens)</span>" }
            for (token, share) in zip(document.tokens, explained.tokenShares) {
                let colour = Self.shade(largest > 0 ? Double(share / largest) : 0)
                html += "<span class=\"tok\" style=\"background:\(colour.background);color:\(colour.text)\" title=\"\(Self.signed(share))\">\(HTML.escape(token))</span> "
            }
            html += "<div class=\"rest\">padding \(Self.signed(explained.paddingShare)) · bias \(Self.signed(explained.biasShare)) · tokens \(Self.signed(explained.tokenShares.reduce(0, +)))</div></td></tr>\n"
        }
        html += "</table>\n"
        html += routingFigure(document)
        if let reconstruction = document.reconstruction { html += reconstructionTable(reconstruction) }
        html += "</section>\n"
        return html
    }

    /// The coupling k·c[n, class] of each explained class (rows) and primary capsule (columns), as an inline SVG.
    private func routingFigure(_ document: DocumentExplanation) -> String {
        let n = capsuleNames.count
        guard n > 0, !document.classes.isEmpty else { return "" }
        let cell = min(14, max(2, 640 / Double(n))), rowHeight = 16.0, labelWidth = 120.0
        let width = labelWidth + cell * Double(n) + 8, height = rowHeight * Double(document.classes.count) + 22
        // Min–max shading: coupling stays near uniform (1/C, or 1 with the class coupling scale), so the
        // differences between capsules are what the eye should see.
        let values = document.classes.flatMap(\.coupling)
        let lowest = values.min() ?? 0, largest = values.max() ?? 0, range = largest - lowest
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" role=\"img\" aria-label=\"routing coefficients\">\n"
        for (row, explained) in document.classes.enumerated() {
            let y = Double(row) * rowHeight
            svg += "<text x=\"\(Self.n(labelWidth - 6))\" y=\"\(Self.n(y + 12))\" text-anchor=\"end\" font-size=\"12\">\(HTML.escape(Self.clip(explained.name)))</text>\n"
            for (column, value) in explained.coupling.enumerated() {
                let t = range > 0 ? Double((value - lowest) / range) : 0.5
                svg += "<rect x=\"\(Self.n(labelWidth + cell * Double(column)))\" y=\"\(Self.n(y))\" width=\"\(Self.n(cell))\" height=\"\(Self.n(rowHeight - 2))\" fill=\"\(HeatColour.hex(t))\"><title>\(HTML.escape(capsuleNames[column])) → \(HTML.escape(explained.name)): \(String(format: "%.4f", Double(value)))</title></rect>\n"
            }
        }
        let axisY = rowHeight * Double(document.classes.count) + 14
        svg += "<text x=\"\(Self.n(labelWidth))\" y=\"\(Self.n(axisY))\" font-size=\"11\" fill=\"#555\">primary capsule 1</text>\n"
        svg += "<text x=\"\(Self.n(labelWidth + cell * Double(n)))\" y=\"\(Self.n(axisY))\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">\(n)</text>\n"
        svg += "</svg>"
        return "<figure><figcaption>Routing coefficients of the last iteration, from each primary capsule (columns) to each class (rows), shaded from \(String(format: "%.3f", Double(lowest))) (lightest) to \(String(format: "%.3f", Double(largest))) (darkest). Hover a cell for its capsule and value.</figcaption>\n\(svg)</figure>\n"
    }

    private func reconstructionTable(_ r: CapsuleReconstruction) -> String {
        var html = "<details class=\"recon\" open><summary>What the “\(HTML.escape(r.className))” capsule encodes</summary>\n"
        html += "<p>The decoder's output at each position as its nearest vocabulary word (cosine against the embedding table), from the capsule as computed and with one of its dimensions moved by δ. Words that change are in bold; · is unchanged.</p>\n"
        html += "<div class=\"scroll\"><table class=\"words\">\n<tr><th>capsule</th>"
        for t in r.words.indices { html += "<th>\(t + 1)</th>" }
        html += "</tr>\n<tr><td class=\"name\">as computed</td>"
        for (word, similarity) in zip(r.words, r.similarities) {
            html += "<td title=\"cosine \(String(format: "%.3f", Double(similarity)))\">\(HTML.escape(word))</td>"
        }
        html += "</tr>\n"
        var unchanged: [String] = []
        for p in r.perturbations {
            let label = "dim \(p.dimension + 1) \(p.delta >= 0 ? "+" : "−")\(String(format: "%.2f", Double(abs(p.delta))))"
            guard zip(p.words, r.words).contains(where: { $0 != $1 }) else { unchanged.append(label); continue }
            html += "<tr><td class=\"name\">\(label)</td>"
            for (word, original) in zip(p.words, r.words) {
                html += word == original ? "<td class=\"same\">·</td>" : "<td><b>\(HTML.escape(word))</b></td>"
            }
            html += "</tr>\n"
        }
        html += "</table></div>\n"
        if !unchanged.isEmpty {
            html += "<p class=\"meta\">No word changes for: \(unchanged.joined(separator: ", ")).</p>\n"
        }
        return html + "</details>\n"
    }

    /// Diverging shading of a share in [−1, 1] (relative to the document's
    /// largest): white to ColorBrewer RdBu's red (raises) or blue (lowers).
    static func shade(_ t: Double) -> (background: String, text: String) {
        let u = min(abs(t), 1), end = t >= 0 ? (178.0, 24.0, 43.0) : (33.0, 102.0, 172.0)
        func mix(_ b: Double) -> Int { Int((255 + (b - 255) * u).rounded()) }
        return (String(format: "#%02x%02x%02x", mix(end.0), mix(end.1), mix(end.2)), u > 0.55 ? "#ffffff" : "#222222")
    }

    static func signed(_ x: Float) -> String { String(format: "%+.4f", Double(x)) }
    static func percent(_ length: Float) -> String { String(format: "%.1f", Double(min(max(length, 0), 1)) * 100) }
    static func n(_ x: Double) -> String { String(format: "%.1f", x) }
    static func clip(_ s: String) -> String { s.count > 18 ? String(s.prefix(17)) + "…" : s }

    static let style = """
    body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:72em;margin:1.5em auto;padding:0 1em}
    h1{font-size:1.5em;margin:0 0 .3em}
    h2{font-size:1.1em;margin:0 0 .5em}
    .meta,.legend{color:#444;margin:.3em 0}
    code{font-size:.95em}
    section.doc{border-top:1px solid #ddd;padding:1em 0}
    .gold{font-weight:normal;color:#555;margin-left:.5em}
    table.classes{border-collapse:collapse;width:100%}
    table.classes th{text-align:left;font-weight:600;color:#555;font-size:.85em;padding:.2em .6em .2em 0}
    table.classes td{vertical-align:top;padding:.35em .6em .35em 0;border-top:1px solid #f0f0f0}
    td.name{white-space:nowrap;font-weight:600}
    td.length{white-space:nowrap;font-variant-numeric:tabular-nums;width:9em}
    .bar{display:inline-block;width:4.5em;height:.6em;background:#eee;margin-right:.4em;vertical-align:middle}
    .bar span{display:block;height:100%;background:#4a6fa5}
    .check{color:#2a7a2a}
    .tok{padding:.05em .2em;border-radius:3px;line-height:1.9}
    .rest{color:#777;font-size:.8em}
    .empty{color:#999}
    figure{margin:.6em 0}
    figcaption{color:#555;font-size:.85em;margin-bottom:.2em}
    details.recon{margin:.6em 0}
    details.recon summary{cursor:pointer;font-weight:600}
    .scroll{overflow-x:auto}
    table.words{border-collapse:collapse;font-size:.85em}
    table.words th,table.words td{border:1px solid #eee;padding:.15em .4em;white-space:nowrap}
    table.words td.same{color:#bbb;text-align:center}
    """
}

/// Text in HTML element content and attribute values.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
