import CapsCore
import CapsNet
import CapsStorage

/// The model's configuration as root attributes of model and weights files,
/// one per `CapsNetConfig.settings` entry, under its declared name.
extension CapsNetConfig {
    public var attributes: [(String, H5AttributeValue)] { Self.settings.attributes(of: self) }

    /// Reads and checks the configuration from the root attributes of `file`.
    public init(attributesOf file: H5File) throws {
        self.init(classes: 1)
        try Self.settings.read(into: &self, file: file.path) { try file.attribute($0) }
        do {
            try validate()
        } catch let error as CapsNetError {
            throw ArtifactError(file: file.path, object: "the configuration", message: error.description)
        }
    }
}
