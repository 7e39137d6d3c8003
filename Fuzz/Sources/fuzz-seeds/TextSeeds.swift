/// Text inputs in the shapes the DocumentReader tests use: BOM, CRLF and
/// lone CR, blank lines, CJK and emoji, quoted CSV with line ends inside.
enum TextSeeds {
    static let tsv = bytes([
        "pos\tgood movie\nneg\tbad\tfilm\n\n  pos  \t\n",
        "\u{FEFF}label\ttext\r\nneg\t猫が好き 🐱\r\npos\tfine\rneg\tlast line without end",
        "a\tb\tc\td\n\t\nx\ty\n",
    ])
    static let csv = bytes([
        "pos,good movie\nneg,\"bad, \"\"really\"\" bad\"\n\n",
        "label,title,text\npos,Title,\"two\nlines\"\r\nneg,,only text\n",
        "x;y;z\n1;\"q;uoted\";3\n\"open\n",
    ])
    static let fastText = bytes([
        "__label__pos good movie\n__label__neg __label__odd bad film\n\n",
        "  __label__a\ttext with __label__inside\n__label__b\n",
        "no label here\n__label__ __label__x y\n",
    ])
    static let plain = bytes([
        "one line\n\ntwo 🐱 猫\r\n   \n",
        "\u{FEFF}first\rsecond\r\nthird",
    ])

    static func bytes(_ texts: [String]) -> [[UInt8]] { texts.map { Array($0.utf8) } }
}
