/// An error axiomc reports to its user as one message, printed once by the CLI: located errors
/// (a recipe, grammar or input line) describe themselves as `file:line:col: error: what`; the
/// others as `what`, which the CLI prefixes with `error: `. Library code throws these and never
/// re-wraps them; a wrapping error keeps the one beneath it as `underlying`.
public protocol UserError: Error, CustomStringConvertible {
    /// Whether `description` already reads `where: error: what`.
    var isLocated: Bool { get }
}

extension UserError {
    public var isLocated: Bool { false }
    /// The line the CLI prints.
    public var reportLine: String { isLocated ? description : "error: " + description }
}

extension IOError: UserError {}
extension JSONValue.ParseError: UserError {}
