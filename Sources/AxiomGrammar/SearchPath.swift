import Foundation
import Synchronization

/// Where named grammars and recipes are looked up: files on disk first, then the copies
/// compiled into the binary.
///
/// The roots are the directories of `$AXIOMC_PATH` (colon-separated; empty entries are
/// skipped), then the working directory. A root may hold `Grammars/` and `Corpora/`.
public enum SearchPath {
    /// The roots, in lookup order (`.` last).
    public static func roots(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let listed = (environment["AXIOMC_PATH"] ?? "").split(separator: ":").map(String.init)
        return listed.map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 } + ["."]
    }

    /// The `kind` folder (`Grammars`, `Corpora`) of each root; the working directory's is
    /// written without `./`.
    public static func directories(
        _ kind: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        roots(environment: environment).map { $0 == "." ? kind : $0 + "/" + kind }
    }

    /// The prefix of the `file` of something read from the binary (`embedded:smoke.yaml`).
    public static let embeddedPrefix = "embedded:"
}

extension Grammar {
    /// The grammars compiled into the binary, by name (a copy of `Grammars/*.xml`).
    public static var embeddedNames: [String] { EmbeddedGrammars.files.map(\.name) }

    /// The text of an embedded grammar.
    public static func embeddedText(_ name: String) -> String? {
        EmbeddedGrammars.files.first { $0.name == name }?.text
    }

    /// The folders a grammar name is looked up in: `$AXIOMC_GRAMMARS`, then `Grammars/` in each
    /// root of `SearchPath` (after them come the embedded grammars).
    public static func searchDirectories(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        var dirs: [String] = []
        if let env = environment["AXIOMC_GRAMMARS"], !env.isEmpty { dirs.append(env) }
        return dirs + SearchPath.directories("Grammars", environment: environment)
    }
}

/// The grammars one command can use, each parsed at most once.
///
/// Built at the edge (the CLI, a test) and handed to what needs a grammar: library code never
/// looks grammars up by itself, so a command behaves the same from any working directory it is
/// given the same catalog in.
public final class GrammarCatalog: Sendable {
    /// The folders a name is looked up in, in order (then the embedded grammars).
    public let directories: [String]
    /// Whether the grammars compiled into the binary are found by name.
    public let includesEmbedded: Bool
    /// The grammars parsed so far, by the name or path they were asked by.
    private struct State {
        var parsed: [String: Grammar] = [:]
        var parseCount = 0
    }
    private let state = Mutex(State())

    public init(directories: [String], includesEmbedded: Bool = true) {
        self.directories = directories
        self.includesEmbedded = includesEmbedded
    }

    /// `$AXIOMC_GRAMMARS`, then `Grammars/` in each root of `SearchPath`, then the embedded
    /// grammars: what the CLI uses.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> GrammarCatalog {
        GrammarCatalog(directories: Grammar.searchDirectories(environment: environment))
    }

    /// The embedded grammars only (independent of the working directory and environment).
    public static func embedded() -> GrammarCatalog { GrammarCatalog(directories: []) }

    /// How many grammar files this catalog has parsed (each name at most once).
    public var parses: Int { state.withLock { $0.parseCount } }

    /// The grammar named `nameOrPath` (`paper`) or at a path (`my/grammar.xml`), parsed on
    /// first use.
    ///
    /// A path (holding `/` or ending in `.xml`) is read as is. A name is looked up as
    /// `<dir>/<name>.xml` in `directories`, then among the embedded grammars, so the shipped
    /// grammars work from any directory and a file on disk overrides its embedded copy.
    ///
    /// - Throws: `GrammarError`; when nothing is found, it lists the folders searched and the
    ///   embedded names.
    public func grammar(_ nameOrPath: String) throws -> Grammar {
        // Held while parsing, so two threads asking for one name share one parse.
        try state.withLock { s in
            if let g = s.parsed[nameOrPath] { return g }
            let g = try load(nameOrPath)
            s.parsed[nameOrPath] = g
            s.parseCount += 1
            return g
        }
    }

    private func load(_ nameOrPath: String) throws -> Grammar {
        if nameOrPath.hasSuffix(".xml") || nameOrPath.contains("/") {
            return try Grammar.load(path: nameOrPath)
        }
        for dir in directories {
            let path = dir + "/" + nameOrPath + ".xml"
            if FileManager.default.fileExists(atPath: path) { return try Grammar.load(path: path) }
        }
        if includesEmbedded, let text = Grammar.embeddedText(nameOrPath) {
            return try Grammar.load(bytes: Array(text.utf8), file: SearchPath.embeddedPrefix + nameOrPath + ".xml")
        }
        let embedded = includesEmbedded ? Grammar.embeddedNames.joined(separator: ", ") : "none"
        throw GrammarError(
            file: nameOrPath,
            line: 0,
            message:
                "no grammar named '\(nameOrPath)' (looked in \(directories.joined(separator: ", ")); embedded: \(embedded))"
        )
    }
}
