import Foundation
import FoundationXML
import XCTest

#if canImport(FoundationXML)
#endif

/// Parses SVG text with Foundation's XMLParser and records what a check
/// needs: whether it is well-formed, the root element, element counts and
/// the text content of every `<text>` element (entities already decoded).
public final class SVGInspector: NSObject, XMLParserDelegate {
    public private(set) var root: String?
    public private(set) var elementCounts: [String: Int] = [:]
    public private(set) var texts: [String] = []
    private var current: String?
    public private(set) var parseError: Error?

    public static func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> SVGInspector {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        let ok = parser.parse()
        XCTAssertTrue(ok, "SVG is not well-formed XML: \(String(describing: parser.parserError ?? inspector.parseError))",
                      file: file, line: line)
        return inspector
    }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = name }
        elementCounts[name, default: 0] += 1
        if name == "text" { current = "" }
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text = current { texts.append(text); current = nil }
    }

    public func parser(_ parser: XMLParser, parseErrorOccurred error: Error) { parseError = error }
}
