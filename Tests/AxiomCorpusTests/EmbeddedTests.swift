import AxiomGrammar
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

@Suite struct EmbeddedRecipesAndStreams {
    @Test func embeddedRecipesMatchTheFiles() throws {
        let dir = repoRoot + "/Corpora"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(Recipe.embeddedNames == files.map { String($0.dropLast(5)) }, "run scripts/embed-files.sh")
        for file in files {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            #expect(
                Recipe.embeddedText(String(file.dropLast(5))) == text,
                "\(file) differs from its embedded copy: run scripts/embed-files.sh"
            )
        }
    }

    /// One catalog per command: compile, manifest and check each parse the recipe's grammar once.
    @Test func aGrammarIsParsedOncePerCommand() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let compiling = GrammarCatalog.embedded()
        let recipe = try Recipe.resolve("smoke", grammars: compiling)
        _ = try Compiler(recipe: recipe, outputDirectory: dir, jobs: 2).compile()
        #expect(compiling.parses == 1)
        let assembling = GrammarCatalog.embedded()
        _ = try ManifestWriter(recipe: try ManifestWriter.recipe(in: dir, grammars: assembling), directory: dir).write()
        #expect(assembling.parses == 1)
        let checking = GrammarCatalog.embedded()
        #expect(try Checker(directory: dir, grammars: checking).run().passed)
        #expect(checking.parses == 1)
        // Asked again, a catalog hands out the grammar it parsed.
        _ = try checking.grammar("en")
        #expect(checking.parses == 1)
    }

    @Test func summaryIsTheFirstCommentLine() {
        let s = RecipeSource(name: "x", file: "x.yaml", text: "\n# One line.\n# Two.\nname: x\n")
        #expect(s.summary == "One line.")
        #expect(RecipeSource(name: "x", file: "x.yaml", text: "name: x\n# late\n").summary == "")
        #expect(RecipeSource(name: "x", file: "embedded:x.yaml", text: "").isEmbedded)
    }

    @Test func streamIsTheShardFilesBytesInOrder() throws {
        let recipe = try smokeRecipe()
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir, jobs: 2).compile() }!
        for name in manifest.splitOrder {
            var files: [UInt8] = []
            for shard in manifest.splits[name]!.shards {
                files += [UInt8](FileManager.default.contents(atPath: dir + "/" + shard.file)!)
            }
            var streamed: [UInt8] = []
            let n = try RecordStream(recipe: recipe, splits: [name]).write { streamed += $0 }
            #expect(n == manifest.splits[name]!.records)
            #expect(streamed == files, "split \(name)")
            // A limit cuts after whole lines, across shard boundaries too.
            for limit in [0, 1, recipe.splits.first { $0.name == name }!.shardSize + 3] {
                var head: [UInt8] = []
                let m = try RecordStream(recipe: recipe, splits: [name], limit: limit).write { head += $0 }
                let lines = files.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(limit)
                #expect(m == limit)
                #expect(
                    head == Array(lines.joined(separator: [0x0A])) + (limit > 0 ? [0x0A] : []),
                    "split \(name) limit \(limit)"
                )
            }
        }
        #expect(throws: RecipeError.self) { try RecordStream(recipe: recipe, splits: ["nope"]).write { _ in } }
    }

    @Test func wordListOfAnEmbeddedRecipeResolvesFromTheWorkingDirectory() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = """
            name: w
            seed: 1
            grammar: paper
            names: {words: \(dir)/missing-words.txt}
            splits:
              - {name: train, role: train, axioms: transitivity, family: chain, nodes: [3, 4], count: 4}
            """
        // An absolute path is read as is, embedded or not; a relative one names the working directory.
        #expect(throws: RecipeError.self) { try Recipe.decode(recipe, file: "embedded:w.yaml", grammars: .standard()) }
        let relative = recipe.replacingOccurrences(
            of: "\(dir)/missing-words.txt",
            with: "no-such-dir-\(getpid())/words.txt"
        )
        do {
            _ = try Recipe.decode(relative, file: "embedded:w.yaml", grammars: .standard())
            Issue.record("a missing word list must fail")
        } catch let e as RecipeError {
            // (Other tests change the working directory, so only its shape is asserted.)
            #expect(
                e.message.contains("/no-such-dir-\(getpid())/words.txt'") && !e.message.contains("embedded"),
                "\(e.message)"
            )
        }
    }
}
