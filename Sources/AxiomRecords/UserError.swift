/// An error axiomc reports to its user as one message, printed once by the CLI: located errors
/// (a recipe, grammar or input line) describe themselves as `file:line:col: error: what`; the
/// others as `what`, which the CLI prefixes with `error: `. Library code throws these and never
/// re-wraps them; a wrapping error keeps the one beneath it as `underlying`.
public protocol UserError: Error, CustomStringConvertible {
    /// Whether `description` already reads `where: error: what`.
    var isLocated: Bool { get }
    /// The error this one wraps, if any (a recipe's grammar that does not load): its message is
    /// already part of `description`; callers that want its type or fields read it here.
    var underlying: (any Error)? { get }
}

extension UserError {
    public var isLocated: Bool { false }
    public var underlying: (any Error)? { nil }

    /// The line the CLI prints.
    public var reportLine: String { isLocated ? description : "error: " + description }
}

extension IOError: UserError {}
extension JSONValue.ParseError: UserError {}

/// The one place a located error's line is formatted.
public enum UserErrorLine {
    /// `file:line:col: error: what` (a nil `line` is left out, and with it the column; a nil
    /// `column` alone).
    public static func located(file: String, line: Int? = nil, column: Int? = nil, _ message: String) -> String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return place + ": error: " + message
    }
}
