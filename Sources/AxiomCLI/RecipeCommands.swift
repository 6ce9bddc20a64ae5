import ArgumentParser
import AxiomCore
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
                ./Grammars, then built in. A description is the recipe's leading comment block.

                --json prints an array of {"name", "description", "source"}; source is the file, or \
                embedded:NAME.yaml for a built-in recipe.
                """
        )

        @Flag(help: "Print the recipes as a JSON array.") var json = false

        /// Lines of `axiomc recipes` stay within this many columns (a long word may pass it).
        static let columns = 100

        func run() throws {
            let all = Recipe.available()
            if json {
                let items = all.map { r -> JSONValue in
                    .object([
                        ("name", .string(r.name)), ("description", .string(Self.description(of: r.text))),
                        ("source", .string(r.file)),
                        ("kind", .string(EpisodeRecipe.isEpisodes(r.text) ? "episodes" : "questions")),
                    ])
                }
                print(JSONValue.array(items).serialized(pretty: true))
                return
            }
            let width = all.map(\.name.count).max() ?? 0
            let indent = String(repeating: " ", count: width + 2)
            for r in all {
                let lines = Self.wrap(Self.description(of: r.text), width: Self.columns - indent.count)
                for (i, line) in (lines.isEmpty ? [""] : lines).enumerated() {
                    let head = i == 0 ? r.name + String(repeating: " ", count: width - r.name.count + 2) : indent
                    print(head + line)
                }
                print("\(indent)(\(r.isEmbedded ? "built in" : r.file))")
            }
            let grammars = Grammar.embeddedNames.map { name -> String in
                let disk = Grammar.searchDirectories().map { "\($0)/\(name).xml" }.first {
                    FileManager.default.fileExists(atPath: $0)
                }
                return "\(name) (\(disk ?? "built in"))"
            }
            // A grammar and its source stay on one line.
            let items = grammars.enumerated().map { $0.element + ($0.offset < grammars.count - 1 ? "," : "") }
            let listed = Self.wrap(words: ["grammars:"] + items, width: Self.columns - 10)
            for (i, line) in listed.enumerated() { print((i == 0 ? "" : String(repeating: " ", count: 10)) + line) }
        }

        /// The recipe's leading comment block, `#`s removed and lines joined by spaces.
        static func description(of text: String) -> String {
            var words: [Substring] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let t = line.drop { $0 == " " || $0 == "\t" }
                guard t.hasPrefix("#") else { break }
                words += t.drop { $0 == "#" }.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            }
            return words.joined(separator: " ")
        }

        /// `text` broken at spaces into lines of at most `width` characters (a longer word gets a
        /// line of its own).
        static func wrap(_ text: String, width: Int) -> [String] {
            wrap(words: text.split(separator: " ").map(String.init), width: width)
        }

        /// `words` joined by spaces into lines of at most `width` characters; a word is never split.
        static func wrap(words: [String], width: Int) -> [String] {
            var lines: [String] = []
            var line = ""
            for word in words {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            if !line.isEmpty { lines.append(line) }
            return lines
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a starter recipe NAME.yaml, every key commented, that compiles and checks as is.",
            discussion: """
                Without --from, writes the commented starter: a small corpus (540 records in three \
                splits) whose every key says what it does and which values it takes. --from copies \
                a shipped recipe (or a file) under the new name instead.
                """
        )

        @Argument(help: "The new recipe's name (letters, digits, '_', '-'); writes ./NAME.yaml.") var name: String
        @Option(help: "Copy this recipe (name or path) instead of writing the commented starter.") var from: String?
        @Flag(help: "Overwrite an existing NAME.yaml.") var force = false

        func run() throws {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ValidationError("recipe name '\(name)' may hold letters, digits, '_' and '-' only")
            }
            let target = name + ".yaml"
            if FileManager.default.fileExists(atPath: target) && !force {
                throw CLIError(file: target, "the file exists; use --force to overwrite it")
            }
            let text: String
            let origin: String
            if let from {
                let source = try Recipe.locate(from)
                text = try Self.renamed(source.text, to: name, from: source.file)
                origin = source.isEmbedded ? "built-in recipe '\(from)'" : source.file
            } else {
                text = Self.starter(name: name)
                origin = "the commented starter"
            }
            // What is written must compile as is (same grammar and names resolution as compile).
            do { _ = try Recipe.decode(text, file: target, grammars: GrammarCatalog.standard()) } catch let e
                as RecipeError
            {
                throw CLIError("\(origin): the starter recipe would not decode: \(e.description)")
            }
            do { try text.write(toFile: target, atomically: true, encoding: .utf8) } catch {
                throw CLIError(file: target, "cannot write the file: \(error.localizedDescription)")
            }
            print("wrote \(target) (from \(origin)); compile it with: axiomc compile \(target)")
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

        /// The commented starter recipe: the shape of `smoke` (540 records), every key explained
        /// beside it with the values it takes; the task and grammar lists come from the binary.
        static func starter(name: String) -> String {
            let tasks = Recipes.wrap(
                "tasks: one task, a list of tasks (equal shares) or {task: weight, …}: "
                    + TaskCatalog.names.map(\.rawValue).joined(separator: ", "),
                width: 94
            ).map { "    # " + $0 }.joined(separator: "\n")
            let grammars = Grammar.embeddedNames.joined(separator: " | ")
            return """
                # Starter recipe '\(name)' made by 'axiomc init': a small corpus of both basic axioms.
                # Compile it with 'axiomc compile \(name).yaml', verify it with 'axiomc check out/\(name)'.
                # docs/recipes.md lists every key a recipe can set.
                name: \(name)  # the corpus's name; output goes to out/<name> (letters, digits, '_', '-')
                seed: 7  # any whole number 0 … 2^64 − 1: one seed in, byte-identical corpus out
                grammar: en  # the wording: \(grammars), or a path to a grammar .xml file
                names:  # how graph nodes are named: unique per graph (also up to case), never a grammar word
                  alphabet: A-Za-z0-9  # characters names are drawn from: ranges (a-z) and single characters
                  length: [1, 3]  # name length: a number or [min, max], 1 … 64
                defaults:  # keys applied to every split that does not set them itself
                  shard_size: 100  # records per shard file: 1 … 100,000,000 (default 100,000)
                  queries_per_graph: 2  # at most this many questions per graph: 1 … 10,000 (default 1)
                  explanations: true  # true (= proof) | false | search: a proof in words, or a label-neutral search (the grammar needs <explain> templates)
                  prompt: true  # true | false: prompt and completion fields in the grammar's wrapper
                splits:  # one entry per split, at most 256
                  - name: train  # the split's name: lower-case letters, digits, '_'
                    role: train  # train | eval
                \(tasks)
                    tasks: [transitivity, d-separation]  # the tasks this split asks (the list above; 'axioms' is an alias)
                    # level: easy  # easy | medium | hard | 1 … 5, or {nodes: 3, density: 2, …}: fills the keys a split leaves out ('axiomc tasks')
                    family: flipped-chain  # the graphs: chain | flipped-chain | branching | random
                    flip_probability: 0.5  # flipped-chain: the chance each edge is reversed, 0 … 1
                    nodes: [3, 6]  # nodes per graph: a number, [min, max] or {set: [n, …]}, 2 … 4096
                    given_size: [0, 2]  # d-separation: size of the conditioning set, a number or [min, max]
                    order: [graph, reversed, shuffled]  # premise order per graph: graph | reversed | shuffled | by-source
                    # confound: {cue: x-first, agreement: 1.0}  # plant a shortcut: the cue agrees with the label on that share (no control, no twins)
                    count: 300  # records in the split: 1 … 1,000,000,000
                  - name: eval_long_chains  # eval splits test what training did not show
                    role: eval  # eval: no graph shape (nodes, edges) shared with training (leakage: graph | text)
                    tasks: transitivity  # one task, or a list as above
                    family: flipped-chain  # chain | flipped-chain | branching | random
                    flip_probability: 0.5  # flipped-chain: the chance each edge is reversed, 0 … 1
                    nodes: [7, 10]  # longer chains than in training: a number, [min, max] or {set: [n, …]}
                    count: 120  # records in the split: 1 … 1,000,000,000
                  - name: eval_branching  # branched graphs with distractors
                    role: eval  # train | eval
                    tasks: [transitivity, d-separation]  # one task, or a list as above
                    family: branching  # chain | flipped-chain | branching | random
                    branching_factor: 1.4  # branching: round(b × nodes) edges, 0 … 100
                    nodes: [5, 8]  # a number, [min, max] or {set: [n, …]}, 2 … 4096
                    given_size: [0, 2]  # d-separation: size of the conditioning set, a number or [min, max]
                    distractors: 3  # 0, or 2 … 4096: a disconnected chain of that many nodes mixed into the premise
                    count: 120  # records in the split: 1 … 1,000,000,000

                """
        }
    }
}
