import AxiomCore
import AxiomGrammar
import Foundation
import Testing

@testable import AxiomCorpus

/// `check` replays explanations: a corrupted step fails with the record's id.
@Suite(.serialized) struct ExplanationChecking {
    func corpus() throws -> String {
        let dir = temporaryDirectory()
        _ = try inRepo { try Compiler(recipe: try smokeRecipe(), outputDirectory: dir).compile() }
        return dir
    }

    func shards(_ dir: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: dir)!
        var out: [String] = []
        while let p = e.nextObject() as? String {
            if p.hasSuffix(".jsonl") && !p.hasPrefix(".") { out.append(dir + "/" + p) }
        }
        return out.sorted()
    }

    /// Rewrites the explanation of the first record (in file order) that `change` alters; returns
    /// its id.
    func tamper(_ dir: String, _ change: (_ record: [String: Any], _ explanation: String) -> String?) throws -> String?
    {
        for path in shards(dir) {
            var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            for (i, line) in lines.enumerated() {
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let old = record["explanation"] as! String
                guard let new = change(record, old), new != old else { continue }
                let key = "\"explanation\":\""
                let start = line.range(of: key)!.upperBound
                let end = line[start...].firstIndex(of: "\"")!
                #expect(String(line[start..<end]) == old, "explanations hold no escaped characters")
                lines[i] = line.replacingCharacters(in: start..<end, with: new)
                try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                return record["id"] as? String
            }
        }
        return nil
    }

    /// The explanation violations `check` reports.
    func explanationViolations(_ dir: String) throws -> [Violation] {
        try inRepo { try Checker(directory: dir, grammars: .standard()).run() }.violations.filter {
            $0.check == "explanations"
        }
    }

    func replace(_ text: String, _ pattern: String, _ template: String) -> String? {
        let re = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        guard let m = re.firstMatch(in: text, range: range) else { return nil }
        let replacement = re.replacementString(for: m, in: text, offset: 0, template: template)
        return (text as NSString).replacingCharacters(in: m.range, with: replacement)
    }

    func expectFailure(
        _ name: String,
        _ change: (_ record: [String: Any], _ explanation: String) -> String?,
        mentions: String
    ) throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try explanationViolations(dir).isEmpty)
        let id = try #require(try tamper(dir, change), "no record to corrupt for \(name)")
        let found = try explanationViolations(dir)
        #expect(!found.isEmpty && found.allSatisfy { $0.id == id }, "\(name): \(found)")
        #expect(found.contains { $0.message.contains(mentions) }, "\(name): \(found)")
    }

    @Test func cleanCorpusReplaysEveryExplanation() throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(r.violations == [])
        #expect(r.checked["explanations"] == 540)
    }

    @Test func wrongNodeInAChainStepFails() throws {
        try expectFailure(
            "wrong chain node",
            { r, e in
                guard r["axiom"] as? String == "transitivity", r["label"] as? String == "Yes" else { return nil }
                let names = (r["graph"] as! [String: Any])["nodes"] as! [String]
                // "…', so A causes B." → "…', so A causes C." with C another node.
                guard let m = e.range(of: #"so \S+ causes (\S+)\."#, options: .regularExpression) else { return nil }
                let words = e[m].split(separator: " ")
                let a = String(words[1])
                let b = String(words[3].dropLast())
                let other = names.first { $0 != a && $0 != b }!
                return e.replacingCharacters(
                    in: m,
                    with: String(e[m]).replacingOccurrences(of: " " + b + ".", with: " " + other + ".")
                )
            },
            mentions: "quoted sentence states"
        )
    }

    @Test func missingBreadthFirstLayerFails() throws {
        try expectFailure(
            "missing layer",
            { r, e in
                guard r["axiom"] as? String == "transitivity", r["label"] as? String == "No" else { return nil }
                // Exactly one `reach` step: dropping it drops the second layer.
                let sentences = e.components(separatedBy: ". ")
                guard sentences.count == 3, sentences[0].hasSuffix("directly"), sentences[2].hasPrefix("Nothing else")
                else { return nil }
                return sentences[0] + ". " + sentences[2]
            },
            mentions: "layer 2"
        )
    }

    @Test func wrongBlockingReasonFails() throws {
        try expectFailure(
            "wrong blocking reason",
            { r, e in
                guard r["axiom"] as? String == "d-separation", r["label"] as? String == "Yes" else { return nil }
                // A node of Z blocks trails from its child; claim the child is its parent instead.
                return replace(
                    e,
                    #"(\S+) is in (\{[^}]*\}), so trails from its child (\S+) stop at \1\."#,
                    "$1 is in $2, so trails from its parent $3 stop at $1 before its children."
                )
            },
            mentions: "is not a parent of"
        )
    }

    @Test func wrongTrailEdgeFails() throws {
        try expectFailure(
            "wrong trail edge",
            { r, e in
                guard r["axiom"] as? String == "d-separation", r["label"] as? String == "No", e.contains(" → ") else {
                    return nil
                }
                return e.replacingOccurrences(of: " → ", with: " ← ", options: [], range: e.range(of: " → "))
            },
            mentions: "is not an edge of the premise"
        )
    }

    @Test func conclusionContradictingTheLabelFails() throws {
        try expectFailure(
            "wrong conclusion",
            { r, e in
                guard r["axiom"] as? String == "d-separation", r["label"] as? String == "No" else { return nil }
                return replace(
                    e,
                    #"No node is given, so the trail is active, and (\S+) and (\S+) are not d-separated\."#,
                    "The search never reaches $2, so every trail between $1 and $2 is blocked."
                )
            },
            mentions: "concludes Yes, but the label is No"
        )
    }
}

/// Every explanation of a small default-style corpus, re-checked here without the checker: its
/// claims against the graph, and no "nothing"-style wording.
@Suite struct ExplanationRecheck {
    static func smallDefault() throws -> String {
        var text = try String(contentsOfFile: repoRoot + "/Corpora/default.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "count: 200000", with: "count: 800")
        for n in ["2000", "4000"] { text = text.replacingOccurrences(of: "count: \(n)", with: "count: 120") }
        return text
    }

    @Test func everyStepHoldsAndNothingIsAsserted() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try inRepo {
            try Recipe.decode(try Self.smallDefault(), file: "small-default.yaml", grammars: .standard())
        }
        _ = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir).compile() }
        let grammar = try inRepo { try Grammar.load(path: "Grammars/en.xml") }
        let kinds = Dictionary(
            uniqueKeysWithValues: TaskCatalog.all().map { ($0.axiom.rawValue, $0.explanationForms.map(\.kind)) }
        )
        var seen = 0
        let e = FileManager.default.enumerator(atPath: dir)!
        while let p = e.nextObject() as? String {
            guard p.hasSuffix(".jsonl"), !p.hasPrefix(".") else { continue }
            for line in try String(contentsOfFile: dir + "/" + p, encoding: .utf8).split(separator: "\n") {
                let r = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let text = r["explanation"] as! String
                let id = r["id"] as! String
                for banned in ["are nothing", "only nothing", "reach only", "is nothing", "The premise states that"] {
                    #expect(!text.contains(banned), "\(id): '\(banned)' in \(text)")
                }
                let g = r["graph"] as! [String: Any]
                let q = r["query"] as! [String: Any]
                let names = g["nodes"] as! [String]
                var graph = CausalGraph(nodeCount: names.count)
                for edge in g["edges"] as! [[Int]] { graph.addEdge(edge[0], edge[1]) }
                let x = q["x"] as! Int
                let y = q["y"] as! Int
                let given = Set(q["given"] as! [Int])
                let steps = try grammar.parseExplanation(text, kinds: kinds[r["axiom"] as! String]!, names: names)
                let descendantsOf = { (v: Int) -> Set<Int> in
                    var out = Set<Int>()
                    var stack = [v]
                    while let u = stack.popLast() {
                        for c in graph.children(of: u) where out.insert(c).inserted { stack.append(c) }
                    }
                    return out
                }
                for s in steps {
                    switch s.kind {
                    case "quote":
                        #expect(
                            graph.hasEdge(s.a, s.b) && s.quote?.from == s.a && s.quote?.to == s.b,
                            "\(id): \(s.text)"
                        )
                        #expect(
                            r["premise"].map { ($0 as! String).contains(s.text.components(separatedBy: "'")[1]) }
                                == true,
                            "\(id): \(s.text)"
                        )
                    case "effects", "reach":
                        #expect(s.list!.allSatisfy { graph.hasEdge(s.a, $0) }, "\(id): \(s.text)")
                    case "trail":
                        let t = s.trail!
                        for (k, f) in s.forward.enumerated() {
                            #expect(
                                f ? graph.hasEdge(t[k], t[k + 1]) : graph.hasEdge(t[k + 1], t[k]),
                                "\(id): \(s.text)"
                            )
                        }
                    case "trail-chain", "trail-fork", "ds-pass":
                        #expect(!given.contains(s.kind == "ds-pass" ? s.a : s.b), "\(id): \(s.text)")
                    case "trail-collider-desc", "ds-open-desc":
                        #expect(
                            given.contains(s.c) && descendantsOf(s.kind == "ds-open-desc" ? s.a : s.b).contains(s.c),
                            "\(id): \(s.text)"
                        )
                    case "ds-closed":
                        #expect(!given.contains(s.a) && descendantsOf(s.a).isDisjoint(with: given), "\(id): \(s.text)")
                    case "ds-stop-given", "ds-stop-chain", "ds-open-self", "trail-collider-self":
                        #expect(given.contains(s.kind == "trail-collider-self" ? s.b : s.a), "\(id): \(s.text)")
                    default: break
                    }
                }
                // The conclusion: what the explanation derives is the label.
                let yes = r["label"] as! String == "Yes"
                let last = steps.last!
                switch r["axiom"] as! String {
                case "transitivity":
                    #expect(["quote", "step"].contains(last.kind) == yes, "\(id)")
                    if yes {
                        #expect(
                            steps.filter { $0.kind == "quote" }.count == (r["meta"] as! [String: Any])["hops"] as! Int,
                            "\(id): not a shortest chain"
                        )
                    } else {
                        let listed = Set(steps.flatMap { $0.list ?? [] })
                        #expect(listed == descendantsOf(x) && !listed.contains(y), "\(id): layers miss an effect")
                    }
                default:
                    #expect(["ds-never", "ds-isolated"].contains(last.kind) == yes, "\(id)")
                }
                seen += 1
            }
        }
        #expect(seen > 1000)
    }
}
