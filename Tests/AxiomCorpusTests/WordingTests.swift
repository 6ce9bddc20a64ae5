import AxiomCore
import AxiomGrammar
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// The text says what the label means (issue #23): collider questions ask about unshielded
/// colliders, mediator questions presuppose no effect, plurals agree, names are never numbers,
/// the label field is Yes/No in every grammar, and the card declares every query field.
@Suite(.serialized) struct Wording {
    static let recipe = """
        name: wording
        seed: 11
        grammar: en
        names: {alphabet: A-Za-z0-9, length: [1, 3]}
        defaults:
          axioms: [collider, mediator, d-separation]
          family: branching
          branching_factor: 1.6
          explanations: true
          prompt: true
          queries_per_graph: 2
          twins: false
          given_size: [0, 2]
        splits:
          - name: train
            role: train
            nodes: [5, 8]
            order: shuffled
            count: 3000
        """

    /// Every record of a freshly compiled `wording` corpus (checked first).
    static func records() throws -> [JSONValue] {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try inRepo { try Recipe.decode(recipe, file: "wording.yaml", grammars: .standard()) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.passed, "\(report.violations.prefix(3))")
        var out: [JSONValue] = []
        for shard in m.splits["train"]!.shards {
            let text = try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8)
            for line in text.split(separator: "\n") { out.append(try JSONValue.parse(Array(line.utf8))) }
        }
        return out
    }

    @Test func questionsExplanationsNamesAndPluralsAgree() throws {
        let records = try Self.records()
        var colliders = 0
        var shielded = 0
        for r in records {
            let axiom = r["axiom"]?.string ?? ""
            let question = r["hypothesis"]?.string ?? ""
            let explanation = r["explanation"]?.string ?? ""
            if axiom == "collider" {
                colliders += 1
                // The label means "unshielded collider" (a v-structure): so does every question.
                #expect(
                    question.contains("unshielded") || question.contains("v-structure"),
                    "\(question)"
                )
                if explanation.contains("is a shielded collider") { shielded += 1 }
            }
            if axiom == "mediator" {
                // "Does z mediate the effect of x on y?" presupposes that x affects y.
                #expect(!question.contains("the effect of"), "\(question)")
            }
            // "its other parents t0r": a list of one node is never called by a plural noun.
            #expect(
                explanation.range(of: #"parents [A-Za-z0-9]+\."#, options: .regularExpression) == nil,
                "\(explanation)"
            )
            for name in r["graph"]?["nodes"]?.array ?? [] {
                #expect(!NameGenerator.isNumber(Array((name.string ?? "").utf8)), "name \(name)")
            }
            #expect(r["label"]?.string == "Yes" || r["label"]?.string == "No")
        }
        #expect(colliders > 500 && shielded > 20, "\(colliders) collider records, \(shielded) shielded")
    }

    /// One set notation per grammar: a conditioning set is written as a set everywhere, so the
    /// front-door steps that condition on x write {x} as the other steps write {3a}.
    @Test func conditioningSetsAreWrittenAsSets() throws {
        for grammar in ["en", "clear", "paper"] {
            let text = try String(contentsOfFile: repoRoot + "/Grammars/\(grammar).xml", encoding: .utf8)
            #expect(text.range(of: #"[Gg]iven <x/>"#, options: .regularExpression) == nil, "\(grammar)")
        }
    }

    @Test func namesAreNeverNumbers() throws {
        var namer = try NameGenerator(style: .paper, reserved: [])
        var rng = SeededRNG(seed: 3)
        var names: [[UInt8]] = []
        var digits = 0
        for _ in 0..<2000 {
            namer.draw(6, into: &names, using: &rng)
            digits += names.filter(NameGenerator.isNumber).count
        }
        #expect(digits == 0)
        // 62 letters folded to 36: 36 + 36² + 36³ names, less 10 + 100 + 1,000 numbers.
        #expect(namer.capacity == 36 + 1296 + 46656 - 1110)
        let words = NameStyle(alphabet: Array("abc".utf8), lengths: 1...3, words: [Array("12".utf8)])
        #expect(throws: SyntaxError.self) { try NameGenerator(style: words, reserved: []) }
    }

    @Test func theCardDeclaresTheRelationOfCorr2Cause() throws {
        let r = try inRepo { try Recipe.load(path: "Corpora/corr2cause.yaml", grammars: .standard()) }
        #expect(DatasetCard.features(r).contains("- name: relation\n"))
        let plain = try smokeRecipe()
        #expect(!DatasetCard.features(plain).contains("- name: relation\n"))
    }
}
