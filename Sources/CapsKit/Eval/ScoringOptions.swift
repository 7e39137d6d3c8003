import CapsText

/// How `capseval` reads and scores its input.
public struct ScoringOptions: Sendable {
    /// Documents per `infer` call.
    public var batchSize = 100
    /// Threads for OpenBLAS and CapsNet's loops.
    public var threads = 1
    /// Score documents whose label the model never saw, leaving them out of
    /// the metrics, instead of stopping with an error.
    public var unseenLabels = UnseenLabelScoring.fail
    /// How raw text is read (format, CSV columns, UTF-8 policy).
    public var readOptions = ReadOptions()
    /// Draw a live progress bar (nil: when stderr is a terminal).
    public var interactiveProgress: Bool? = nil
    /// Report progress on stderr at all (off in library use and tests).
    public var showProgress = false
    /// Inputs with fewer documents are scored without progress output (they take moments).
    public var progressMinimum = 5_000

    public init() {}
}

/// What scoring (`capseval --unseen-labels`) does with a document whose label
/// the model never saw. (Tokenizing has its own choice, `UnseenLabelPolicy`.)
public enum UnseenLabelScoring: String, Sendable, CaseIterable {
    /// Stop with an error naming the label and the document.
    case fail
    /// Score the document but leave it out of the metrics.
    case skip
}
