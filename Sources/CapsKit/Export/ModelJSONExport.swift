import CapsReports
import Foundation

/// A model as one JSON document: its configuration and every tensor.
///
///     {
///       "format": "capskit-model",
///       "version": 1,
///       "configuration": {"<key>": <value>, ...},
///       "tensors": [
///         {"name": "...", "dtype": "float32", "shape": [2, 3], "values": [...]},
///         ...
///       ]
///     }
///
/// `values` is flat in C (row-major) order. Floats are written as the
/// shortest decimal that reads back as the same Float32, so parsing a value
/// as a double and rounding it to Float32 recovers the exact bits. JSON has
/// no NaN or infinity: such a value is an error naming the tensor and index.
public enum ModelJSONExport {
    /// The document as a JSON value, in the order given.
    public static func json(configuration: [ConfigurationEntry], tensors: [ExportTensor]) throws -> JSONValue {
        try ExportTensor.checkUnique(tensors)
        let items: [JSONValue] = try tensors.map { tensor in
            let (dtype, values): (String, [JSONValue])
            switch tensor.values {
            case let .float32(v):
                if let bad = v.firstIndex(where: { !$0.isFinite }) {
                    throw ExportError.nonFiniteValue(tensor: tensor.name, index: bad, value: v[bad])
                }
                (dtype, values) = ("float32", v.map(JSONValue.float))
            case let .int32(v): (dtype, values) = ("int32", v.map { .int(Int($0)) })
            case let .int64(v): (dtype, values) = ("int64", v.map { .int(Int($0)) })
            }
            return .object([
                ("name", .string(tensor.name)),
                ("dtype", .string(dtype)),
                ("shape", .array(tensor.shape.map(JSONValue.int))),
                ("values", .array(values)),
            ])
        }
        return .object([
            ("format", .string("capskit-model")),
            ("version", .int(1)),
            ("configuration", .object(configuration.map { ($0.key, $0.value.json) })),
            ("tensors", .array(items)),
        ])
    }

    /// The document as text (see `JSONValue.serialized()`).
    public static func text(configuration: [ConfigurationEntry], tensors: [ExportTensor]) throws -> String {
        try json(configuration: configuration, tensors: tensors).serialized()
    }
}
