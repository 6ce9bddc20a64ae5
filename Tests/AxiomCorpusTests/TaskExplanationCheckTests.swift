import AxiomCore
import Foundation
import Testing

@testable import AxiomCorpus

/// `check` replays the collider, common-cause, mediator, Markov-blanket, backdoor and frontdoor
/// explanations: a clean corpus of each task replays, and a wrong node in one step fails with the
/// record's id.
@Suite(.serialized) struct TaskExplanationChecking {
    static let records = 300

    /// A one-task recipe: small branching graphs (train) and denser ones (eval), as causal-suite.
    static func recipe(_ axiom: String) -> String {
        """
        name: expl-\(axiom)
        seed: 20261202
        grammar: en
        names:
          alphabet: A-Za-z0-9
          length: [1, 3]
        defaults:
          axioms: [\(axiom)]
          explanations: true
          prompt: true
          queries_per_graph: 2
          shard_size: 50000
        splits:
          - name: train
            role: train
            family: branching
            branching_factor: 1.4
            nodes: [5, 8]
            order: shuffled
            count: \(records - 100)
          - name: eval_dense
            role: eval
            family: branching
            branching_factor: 2.0
            nodes: [9, 12]
            order: shuffled
            count: 100
        """
    }

    func corpus(_ axiom: String) throws -> String {
        let dir = temporaryDirectory("expl-" + axiom)
        let recipe = try inRepo {
            try Recipe.decode(Self.recipe(axiom), file: "expl-\(axiom).yaml", grammars: .standard())
        }
        _ = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir).compile() }
        return dir
    }

    let base = ExplanationChecking()

    func expectFailure(
        _ axiom: String,
        _ change: (_ record: [String: Any], _ explanation: String) -> String?,
        mentions: String
    ) throws {
        let dir = try corpus(axiom)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try base.explanationViolations(dir).isEmpty)
        let id = try #require(try base.tamper(dir, change), "no record to corrupt for \(axiom)")
        let found = try base.explanationViolations(dir)
        #expect(!found.isEmpty && found.allSatisfy { $0.id == id }, "\(axiom): \(found)")
        #expect(found.contains { $0.message.contains(mentions) }, "\(axiom): \(found)")
    }

    static func names(_ r: [String: Any]) -> [String] { (r["graph"] as! [String: Any])["nodes"] as! [String] }
    static func edges(_ r: [String: Any]) -> Set<[Int]> { Set((r["graph"] as! [String: Any])["edges"] as! [[Int]]) }

    /// Replaces capture group 1 of the first match of `pattern` with `pick(captured)`.
    static func swapNode(_ e: String, _ pattern: String, _ pick: (String) -> String?) -> String? {
        let re = try! NSRegularExpression(pattern: pattern)
        guard let m = re.firstMatch(in: e, range: NSRange(e.startIndex..., in: e)),
            let r = Range(m.range(at: 1), in: e),
            let other = pick(String(e[r]))
        else { return nil }
        return e.replacingCharacters(in: r, with: other)
    }

    @Test(arguments: ["collider", "common-cause", "mediator", "markov-blanket", "backdoor", "frontdoor"])
    func cleanCorpusReplays(_ axiom: String) throws {
        let dir = try corpus(axiom)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(r.violations == [])
        #expect(r.checked["explanations"] == Self.records)
    }

    @Test func colliderWrongQuotedEffectFails() throws {
        try expectFailure(
            "collider",
            { r, e in
                // "…', so A causes C." → "…', so A causes D." in a quote step.
                Self.swapNode(e, #"', so \S+ causes ([A-Za-z0-9]+)\."#) { c in Self.names(r).first { $0 != c } }
            },
            mentions: "quoted sentence states"
        )
    }

    @Test func colliderWrongShieldFails() throws {
        try expectFailure(
            "collider",
            { r, e in
                guard r["label"] as? String == "No" else { return nil }
                // "…, but A causes B directly" → the joining edge moved to another node.
                let names = Self.names(r)
                return Self.swapNode(e, #"but ([A-Za-z0-9]+) causes \S+ directly"#) { a in
                    names.first { $0 != a && !e.contains("'\($0) ") }
                }
            },
            mentions: "does not join"
        )
    }

    @Test func commonCauseWrongParentFails() throws {
        try expectFailure(
            "common-cause",
            { r, e in
                guard r["label"] as? String == "No" else { return nil }
                // "A is caused by B directly." with B a node that does not cause A.
                let names = Self.names(r)
                let edges = Self.edges(r)
                guard let m = e.range(of: #"[A-Za-z0-9]+ is caused by"#, options: .regularExpression) else {
                    return nil
                }
                let a = names.firstIndex(of: String(e[m].split(separator: " ")[0]))!
                return Self.swapNode(e, #"is caused by ([A-Za-z0-9]+)"#) { b in
                    names.indices.first { $0 != a && names[$0] != b && !edges.contains([$0, a]) }.map { names[$0] }
                }
            },
            mentions: "the premise states no edge"
        )
    }

    @Test func commonCauseWrongForkFails() throws {
        try expectFailure(
            "common-cause",
            { r, e in
                guard r["label"] as? String == "Yes" else { return nil }
                // ", C causes X without passing" → another node as the common cause.
                let names = Self.names(r)
                return Self.swapNode(e, #", ([A-Za-z0-9]+) causes \S+ without passing"#) { c in
                    names.first { $0 != c && !e.contains(" \($0) ") && !e.contains("'\($0) ") }
                }
            },
            mentions: "is not inside the trail"
        )
    }

    @Test func mediatorWrongChainNodeFails() throws {
        try expectFailure(
            "mediator",
            { r, e in
                guard r["label"] as? String == "Yes" else { return nil }
                return Self.swapNode(e, #"', so \S+ causes ([A-Za-z0-9]+)\."#) { c in Self.names(r).first { $0 != c } }
            },
            mentions: "quoted sentence states"
        )
    }

    @Test func mediatorWrongLayerFails() throws {
        try expectFailure(
            "mediator",
            { r, e in
                guard r["label"] as? String == "No" else { return nil }
                // "A causes B directly." → a node A does not cause.
                let names = Self.names(r)
                let edges = Self.edges(r)
                guard let m = e.range(of: #"^[A-Za-z0-9]+ causes [A-Za-z0-9]+ directly\."#, options: .regularExpression)
                else { return nil }
                let a = names.firstIndex(of: String(e[m].split(separator: " ")[0]))!
                return Self.swapNode(e, #"^\S+ causes ([A-Za-z0-9]+) directly\."#) { b in
                    names.indices.first { $0 != a && names[$0] != b && !edges.contains([a, $0]) }.map { names[$0] }
                }
            },
            mentions: "the premise states no edge"
        )
    }

    @Test func markovBlanketWrongParentFails() throws {
        try expectFailure(
            "markov-blanket",
            { r, e in
                Self.swapNode(e, #"', so ([A-Za-z0-9]+) is a parent of"#) { p in Self.names(r).first { $0 != p } }
            },
            mentions: "quoted sentence states"
        )
    }

    @Test func markovBlanketWrongLeftOutNodeFails() throws {
        try expectFailure(
            "markov-blanket",
            { r, e in
                // "The proposed set leaves out A" → a node the proposed set holds.
                let names = Self.names(r)
                let set = (r["query"] as! [String: Any])["set"] as! [Int]
                return Self.swapNode(e, #"The proposed set leaves out ([A-Za-z0-9]+),"#) { a in
                    set.map { names[$0] }.first { $0 != a }
                }
            },
            mentions: "the proposed set holds"
        )
    }

    @Test(arguments: ["backdoor", "frontdoor"])
    func wrongSearchStartFails(_ axiom: String) throws {
        try expectFailure(
            axiom,
            { r, e in
                guard r["label"] as? String == "Yes" else { return nil }
                // "… the search for trails starts at X and reaches A…" with A a node not adjacent to X.
                let names = Self.names(r)
                let edges = Self.edges(r)
                let x = (r["query"] as! [String: Any])["x"] as! Int
                return Self.swapNode(e, #"search for trails starts at \S+ and reaches ([A-Za-z0-9]+)"#) { a in
                    names.indices.first {
                        $0 != x && names[$0] != a && !edges.contains([$0, x]) && !edges.contains([x, $0])
                    }.map { names[$0] }
                }
            },
            mentions: "the nodes adjacent to"
        )
    }

    @Test func backdoorWrongPathNodeFails() throws {
        try expectFailure(
            "backdoor",
            { r, e in
                guard r["label"] as? String == "No" else { return nil }
                return Self.swapNode(e, #"', so \S+ causes ([A-Za-z0-9]+)\."#) { c in Self.names(r).first { $0 != c } }
            },
            mentions: "quoted sentence states"
        )
    }

    @Test func frontdoorWrongTrailNodeFails() throws {
        try expectFailure(
            "frontdoor",
            { r, e in
                guard r["label"] as? String == "No", e.contains(" links ") else { return nil }
                // "… is a chain node on it …" about a node off the trail.
                let names = Self.names(r)
                return Self.swapNode(e, #"([A-Za-z0-9]+) is a (?:chain node|fork) on it"#) { b in
                    names.first {
                        $0 != b && !e.contains(" \($0) ") && !e.contains("\($0) →") && !e.contains("\($0) ←")
                    }
                }
            },
            mentions: "the trail's next interior node"
        )
    }
}
