/// Checks that readers of CapsKit artifacts use to reject malformed files
/// with one clear line instead of a crash or a silently wrong model.
extension H5File {
    /// The shape of the dataset at `path` after checking it against
    /// `expected`, where nil entries match any size:
    /// `requireShape("/input/x", [nil, 40, 50])`.
    @discardableResult
    public func requireShape(_ path: String, _ expected: [Int?]) throws -> [Int] {
        let shape = try self.shape(of: path)
        guard Self.shape(shape, matches: expected) else {
            throw H5Error(file: self.path, object: H5ObjectName.dataset(normalizedPath(path)),
                          message: "expected shape \(Self.describePattern(expected)), found \(describeShape(shape))")
        }
        return shape
    }

    /// The shape of the dataset at `path` after checking its rank.
    @discardableResult
    public func requireShape(_ path: String, rank: Int) throws -> [Int] {
        let shape = try self.shape(of: path)
        guard shape.count == rank else {
            throw H5Error(file: self.path, object: H5ObjectName.dataset(normalizedPath(path)),
                          message: "expected rank \(rank), found shape \(describeShape(shape))")
        }
        return shape
    }

    /// Reads a whole dataset as `T` after checking its shape against
    /// `expected` (nil entries match any size), e.g.
    /// `model.h5: dataset /weights/conv1.weight: expected float32 of shape [16,1,4,10], found [16,1,4,12]`.
    public func read<T: H5Scalar>(_ type: T.Type, from path: String, shape expected: [Int?]) throws -> H5Array<T> {
        let shape = try self.shape(of: path)
        guard Self.shape(shape, matches: expected) else {
            throw H5Error(file: self.path, object: H5ObjectName.dataset(normalizedPath(path)),
                          message: "expected \(T.h5Kind.rawValue) of shape \(Self.describePattern(expected)), found \(describeShape(shape))")
        }
        return try read(type, from: path)
    }

    /// A required attribute: an error names it when absent.
    public func requireAttribute(_ name: String, on path: String = "/") throws -> H5AttributeValue {
        guard let value = try attribute(name, on: path) else {
            throw H5Error(file: self.path, object: H5ObjectName.attribute(name, on: normalizedPath(path)), message: "missing")
        }
        return value
    }

    /// A required integer attribute (scalar or one-element array).
    public func requireInt(_ name: String, on path: String = "/") throws -> Int {
        try require(name, on: path, "an integer") { $0.intValue.flatMap { Int(exactly: $0) } }
    }

    /// A required number attribute (float or integer).
    public func requireDouble(_ name: String, on path: String = "/") throws -> Double {
        try require(name, on: path, "a number") { $0.doubleValue }
    }

    /// A required string attribute.
    public func requireString(_ name: String, on path: String = "/") throws -> String {
        try require(name, on: path, "a string") { $0.stringValue }
    }

    /// A required integer-array attribute (a lone integer counts as one).
    public func requireInts(_ name: String, on path: String = "/") throws -> [Int] {
        try require(name, on: path, "integers") { $0.intsValue.map { $0.map { Int($0) } } }
    }

    /// A required number-array attribute.
    public func requireDoubles(_ name: String, on path: String = "/") throws -> [Double] {
        try require(name, on: path, "numbers") { $0.doublesValue }
    }

    /// A required string-array attribute (a lone string counts as one).
    public func requireStrings(_ name: String, on path: String = "/") throws -> [String] {
        try require(name, on: path, "strings") { $0.stringsValue }
    }

    private func require<V>(_ name: String, on path: String, _ expected: String,
                            _ extract: (H5AttributeValue) -> V?) throws -> V {
        let object = H5ObjectName.attribute(name, on: normalizedPath(path))
        guard let value = try attribute(name, on: path) else {
            throw H5Error(file: self.path, object: object, message: "missing (expected \(expected))")
        }
        guard let typed = extract(value) else {
            throw H5Error(file: self.path, object: object, message: "expected \(expected), found \(value.kindDescription) \(value)")
        }
        return typed
    }

    static func shape(_ shape: [Int], matches pattern: [Int?]) -> Bool {
        shape.count == pattern.count && zip(shape, pattern).allSatisfy { $1 == nil || $0 == $1 }
    }

    static func describePattern(_ pattern: [Int?]) -> String {
        "[" + pattern.map { $0.map(String.init) ?? "*" }.joined(separator: ",") + "]"
    }
}
