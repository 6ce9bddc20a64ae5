import ArgumentParser
import AxiomCorpus
import AxiomGrammar
import AxiomRecords
import Foundation

extension Axiomc {
    struct Recipes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the recipes a name resolves to, with a description and where each comes from.",
            discussion: """
                A recipe name is looked up in Corpora/ of each directory of $AXIOMC_PATH \
                (colon-separated), then ./Corpora, then among the recipes built into axiomc. \
                Grammars likewise: $AXIOMC_GRAMMARS, Grammars/ of each $AXIOMC_PATH directory, \
                ./Grammars, then built in.
                """
        )

        func run() throws {
            let all = Recipe.available()
            let width = all.map(\.name.count).max() ?? 0
            for r in all {
                let pad = String(repeating: " ", count: width - r.name.count)
                print("\(r.name)\(pad)  \(r.summary)")
                print("\(String(repeating: " ", count: width))  (\(r.isEmbedded ? "built in" : r.file))")
            }
            let grammars = Grammar.embeddedNames.map { name -> String in
                let disk = Grammar.searchDirectories().map { "\($0)/\(name).xml" }.first {
                    FileManager.default.fileExists(atPath: $0)
                }
                return "\(name) (\(disk ?? "built in"))"
            }
            print("grammars: \(grammars.joined(separator: ", "))")
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write a starter recipe NAME.yaml (a copy of a shipped recipe under a new name) that compiles as is."
        )

        @Argument(help: "The new recipe's name (letters, digits, '_', '-'); writes ./NAME.yaml.") var name: String
        @Option(help: "The recipe to start from (name or path).") var from = "smoke"
        @Flag(help: "Overwrite an existing NAME.yaml.") var force = false

        func run() throws {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ValidationError("recipe name '\(name)' may hold letters, digits, '_' and '-' only")
            }
            let target = name + ".yaml"
            if FileManager.default.fileExists(atPath: target) && !force {
                throw CLIError(file: target, "the file exists; use --force to overwrite it")
            }
            let source: RecipeSource
            source = try Recipe.locate(from)
            let text = try Self.renamed(source.text, to: name, from: source.file)
            // What is written must compile as is (same grammar and names resolution as compile).
            do { _ = try Recipe.decode(text, file: target, grammars: GrammarCatalog.standard()) } catch let e
                as RecipeError
            {
                throw CLIError("\(source.file): the starter recipe would not decode: \(e.description)")
            }
            do { try text.write(toFile: target, atomically: true, encoding: .utf8) } catch {
                throw CLIError(file: target, "cannot write the file: \(error.localizedDescription)")
            }
            print(
                "wrote \(target) (from \(source.isEmbedded ? "built-in recipe '\(from)'" : source.file)); compile it with: axiomc compile \(target)"
            )
        }

        /// The recipe text with its top-level `name:` set to `name` and a header line saying where it came from.
        static func renamed(_ text: String, to name: String, from file: String) throws -> String {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let i = lines.firstIndex(where: { $0.hasPrefix("name:") }) else {
                throw CLIError(file: file, "no top-level 'name:' line to rename")
            }
            let comment = lines[i].range(of: " #").map { String(lines[i][$0.lowerBound...]) } ?? ""
            lines[i] = "name: \(name)" + comment
            return
                "# Starter recipe '\(name)' made by 'axiomc init' from \(file); compile: axiomc compile \(name).yaml\n"
                + lines.joined(separator: "\n")
        }
    }
}
