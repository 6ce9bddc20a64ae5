import Foundation

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
    public static func directories(_ kind: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
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
    public static func searchDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let env = environment["AXIOMC_GRAMMARS"], !env.isEmpty { dirs.append(env) }
        return dirs + SearchPath.directories("Grammars", environment: environment)
    }

    /// Finds a grammar by name (`paper`) or path (`my/grammar.xml`).
    ///
    /// A path (holding `/` or ending in `.xml`) is read as is. A name is looked up as
    /// `<dir>/<name>.xml` in `searchDirectories()`, then among the embedded grammars, so the
    /// shipped grammars work from any directory and a file on disk overrides its embedded copy.
    ///
    /// - Throws: `GrammarError`; when nothing is found, it lists the folders searched and the
    ///   embedded names.
    public static func resolve(_ nameOrPath: String) throws -> Grammar {
        if nameOrPath.hasSuffix(".xml") || nameOrPath.contains("/") {
            return try load(path: nameOrPath)
        }
        let dirs = searchDirectories()
        for dir in dirs {
            let path = dir + "/" + nameOrPath + ".xml"
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        if let text = embeddedText(nameOrPath) {
            return try load(bytes: Array(text.utf8), file: SearchPath.embeddedPrefix + nameOrPath + ".xml")
        }
        throw GrammarError(file: nameOrPath, line: 0,
            message: "no grammar named '\(nameOrPath)' (looked in \(dirs.joined(separator: ", ")); embedded: \(embeddedNames.joined(separator: ", ")))")
    }
}
