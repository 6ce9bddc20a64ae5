import AxiomGrammar
import AxiomRecords
import Foundation

/// Where a named recipe comes from: a file, or the copy compiled into the binary.
public struct RecipeSource: Sendable, Equatable {
    public var name: String
    /// The file's path, or `embedded:<name>.yaml`.
    public var file: String
    public var text: String
    public var isEmbedded: Bool { file.hasPrefix(SearchPath.embeddedPrefix) }

    /// The recipe's first comment line, without `#` (the one-line description `axiomc recipes` shows).
    public var summary: String {
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("#") { return t.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces) }
            if !t.isEmpty { break }
        }
        return ""
    }
}

extension Recipe {
    /// The recipes compiled into the binary (a copy of `Corpora/*.yaml`), by name.
    public static var embeddedNames: [String] { EmbeddedRecipes.files.map(\.name) }

    /// The text of an embedded recipe.
    public static func embeddedText(_ name: String) -> String? {
        EmbeddedRecipes.files.first { $0.name == name }?.text
    }

    /// Finds a recipe by name (`default`) or path (`my/recipe.yaml`) and decodes it.
    ///
    /// See `locate(_:)` for the lookup order.
    public static func resolve(_ nameOrPath: String, grammars: GrammarCatalog) throws -> Recipe {
        let source = try locate(nameOrPath)
        return try decode(source.text, file: source.file, grammars: grammars)
    }

    /// Finds a recipe's text without decoding it.
    ///
    /// A path (holding `/` or ending in `.yaml`/`.yml`) is read as is. A name is looked up as
    /// `<dir>/<name>.yaml` (then `.yml`) in `Corpora/` of each `SearchPath` root (`$AXIOMC_PATH`,
    /// then `.`), then as the file `<name>` in the working directory, then among the embedded
    /// recipes.
    ///
    /// - Throws: `RecipeError`; when nothing is found, it lists what was looked for and the
    ///   embedded names.
    public static func locate(_ nameOrPath: String) throws -> RecipeSource {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
        var candidates = [nameOrPath]
        if !isPath {
            candidates =
                SearchPath.directories("Corpora").flatMap { ["\($0)/\(nameOrPath).yaml", "\($0)/\(nameOrPath).yml"] }
                + [nameOrPath]
        }
        for path in candidates where isFile(path) {
            return RecipeSource(name: nameOrPath, file: path, text: try readText(path: path))
        }
        if !isPath, let text = embeddedText(nameOrPath) {
            return RecipeSource(name: nameOrPath, file: SearchPath.embeddedPrefix + nameOrPath + ".yaml", text: text)
        }
        throw RecipeError(
            file: nameOrPath,
            line: 0,
            column: 0,
            message:
                "no recipe found (looked for \(candidates.joined(separator: ", ")); embedded: \(embeddedNames.joined(separator: ", ")))"
        )
    }

    /// Every recipe a name resolves to: the embedded ones and those in the `Corpora/` folders of
    /// the search path, each where `locate` finds it, sorted by name.
    public static func available() -> [RecipeSource] {
        var names = Set(embeddedNames)
        for dir in SearchPath.directories("Corpora") {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                for ext in [".yaml", ".yml"] where file.hasSuffix(ext) {
                    names.insert(String(file.dropLast(ext.count)))
                }
            }
        }
        return names.sorted().compactMap { try? locate($0) }
    }

    /// A file, not a folder: `axiomc compile smoke` beside an output folder `smoke/` still finds the recipe.
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func readText(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecipeError(file: path, line: 0, column: 0, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RecipeError(file: path, line: 0, column: 0, message: "the file is not UTF-8 text")
        }
        return text
    }
}
