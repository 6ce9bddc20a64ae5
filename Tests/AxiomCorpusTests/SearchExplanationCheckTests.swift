import AxiomCore
import Foundation
import Testing

@testable import AxiomCorpus

/// `explanations: search` corpora: they replay in `check`, a broken search or a proof in their
/// place fails it, and the first words of their explanations carry no label (a probe on them is
/// at chance, where the same probe reads the proofs' labels).
@Suite(.serialized) struct SearchExplanationChecking {
    static let tasks = "[transitivity, d-separation, mediator, common-cause, backdoor, frontdoor]"

    static func recipe(_ style: String, count: Int = 3000, grammar: String = "en", tasks: String = tasks) -> String {
        """
        name: search-\(style)
        seed: 20261206
        grammar: \(grammar)
        names:
          alphabet: A-Za-z0-9
          length: [1, 3]
        defaults:
          explanations: \(style)
          queries_per_graph: 2
          shard_size: 50000
        splits:
          - name: train
            role: train
            tasks: \(tasks)
            family: branching
            branching_factor: 1.4
            nodes: [4, 8]
            given_size: [0, 2]
            order: shuffled
            count: \(count)
        """
    }

    static func corpus(
        _ style: String,
        count: Int = 3000,
        grammar: String = "en",
        tasks: String = tasks
    ) throws -> String {
        let dir = temporaryDirectory("search-" + style)
        let recipe = try inRepo {
            try Recipe.decode(
                Self.recipe(style, count: count, grammar: grammar, tasks: tasks),
                file: "search-\(style).yaml",
                grammars: .standard()
            )
        }
        _ = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir).compile() }
        return dir
    }

    static func records(_ dir: String) throws -> [[String: Any]] {
        try ExplanationChecking().shards(dir).flatMap { path in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            }
        }
    }

    let base = ExplanationChecking()

    @Test func aSearchCorpusChecksAndABrokenSearchDoesNot() throws {
        let dir = try Self.corpus("search", count: 600)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.violations.isEmpty, "\(report.violations.prefix(3))")
        let texts = try Self.records(dir).map { $0["explanation"] as! String }
        #expect(texts.contains { $0.hasPrefix("The search starts at ") })
        #expect(texts.contains { $0.contains("the search for trails starts at ") })
        #expect(texts.contains { $0.hasPrefix("The search for causes of ") })
        #expect(texts.contains { $0.hasSuffix("satisfies the backdoor criterion.") })
        #expect(texts.contains { $0.hasSuffix("satisfies the front-door criterion.") })

        func node(_ r: [String: Any], _ slot: String) -> String {
            let names = TaskExplanationChecking.names(r)
            return names[(r["query"] as! [String: Any])[slot] as! Int]
        }
        // A node left out of the search.
        var id = try #require(
            try base.tamper(dir) { r, e in
                guard r["axiom"] as? String == "transitivity", r["label"] as? String == "No" else { return nil }
                return base.replace(e, #" The premise says '[^']*', so the search reaches [^.]*\."#, "")
            }
        )
        var found = try base.explanationViolations(dir)
        #expect(found.contains { $0.id == id && $0.message.contains("the search from") }, "\(found)")
        // The conclusion turned around.
        id = try #require(
            try base.tamper(dir) { r, e in
                guard r["axiom"] as? String == "transitivity", r["label"] as? String == "Yes" else { return nil }
                let (x, y) = (node(r, "x"), node(r, "y"))
                return base.replace(
                    e,
                    #"[^ .]+ is among the nodes reached, so [^.]*\.$"#,
                    "Nothing else is reached from \(x), and \(y) is not among the nodes reached, so \(x) does not cause \(y)."
                )
            }
        )
        found = try base.explanationViolations(dir)
        #expect(found.contains { $0.id == id && $0.message.contains("concludes No") }, "\(found)")
        // A true proof, but not a search: the style is held.
        id = try #require(
            try base.tamper(dir) { r, e in
                guard r["axiom"] as? String == "transitivity", r["label"] as? String == "Yes" else { return nil }
                let (x, y) = (node(r, "x"), node(r, "y"))
                let first = "The search starts at \(x). The premise says '"
                guard e.hasPrefix(first), let end = e.range(of: "', so the search reaches \(y).") else { return nil }
                let quote = e[e.index(e.startIndex, offsetBy: first.count)..<end.lowerBound]
                guard !quote.contains("'") else { return nil }
                return "The premise says '\(quote)', so \(x) causes \(y)."
            }
        )
        found = try base.explanationViolations(dir)
        #expect(found.contains { $0.id == id && $0.message.contains("does not belong in a label-neutral search") })
        #expect(found.filter { $0.id == id }.count == 1, "the proof itself replays: \(found)")
        // A valid backdoor set said to leave a path open.
        id = try #require(
            try base.tamper(dir) { r, e in
                guard r["axiom"] as? String == "backdoor", r["label"] as? String == "Yes" else { return nil }
                let (x, y) = (node(r, "x"), node(r, "y"))
                return base.replace(
                    e,
                    #"No effect of [^ ]+ is adjusted for, and no backdoor path from [^.]* is open, so adjusting for (.*) satisfies the backdoor criterion\.$"#,
                    "The search reaches \(y), so adjusting for $1 leaves a backdoor path from \(x) to \(y) open."
                )
            }
        )
        found = try base.explanationViolations(dir)
        #expect(found.contains { $0.id == id && $0.message.contains("concludes No") }, "\(found)")
        #expect(found.contains { $0.id == id && $0.message.contains("no backdoor path from") }, "\(found)")
        // A backdoor search without the effects of x.
        id = try #require(
            try base.tamper(dir) { r, e in
                guard r["axiom"] as? String == "backdoor", e.hasPrefix("The search starts at ") else { return nil }
                guard let cut = e.range(of: "Backdoor paths start with") else { return nil }
                return String(e[cut.lowerBound...])
            }
        )
        found = try base.explanationViolations(dir)
        #expect(found.contains { $0.id == id && $0.message.contains("search-start") }, "\(found)")
    }

    /// The paper grammar's compact searches ("Search from A. Reached B: A causes B. B is
    /// reached.") replay too.
    @Test func compactSearchesCheck() throws {
        let dir = try Self.corpus(
            "search",
            count: 400,
            grammar: "paper",
            tasks: "[transitivity, d-separation, mediator, common-cause]"
        )
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.violations.isEmpty, "\(report.violations.prefix(3))")
        let texts = try Self.records(dir).map { $0["explanation"] as! String }
        #expect(texts.contains { $0.hasPrefix("Search from ") && $0.hasSuffix(" is reached.") })
    }

    @Test func recipesAskOnlyForSearchesThatExist() {
        let backdoor = Self.recipe("search").replacingOccurrences(
            of: "tasks: \(Self.tasks)",
            with: "tasks: [transitivity, backdoor]"
        ).replacingOccurrences(of: "given_size: [0, 2]", with: "")
        #expect(decodeError(backdoor) == nil)
        #expect(decodeError(backdoor.replacingOccurrences(of: "backdoor]", with: "frontdoor]")) == nil)
        let collider = backdoor.replacingOccurrences(of: "backdoor]", with: "collider]")
        #expect(decodeError(collider)?.contains("task 'collider' has no label-neutral search explanation") == true)
        #expect(
            decodeError(Self.recipe("maybe"))?.contains("must be true, false, proof or search, not 'maybe'") == true
        )
        #expect(decodeError(Self.recipe("proof")) == nil)
    }

    /// Held-out accuracy of the best guess from an explanation's first `k` words (node names
    /// masked), learnt on even records and scored on odd ones: the majority label of each
    /// opening seen in training, else the overall majority.
    static func openingProbe(_ records: [[String: Any]], k: Int) -> Double {
        func opening(_ r: [String: Any]) -> [String] {
            let names = Set(TaskExplanationChecking.names(r))
            let words = (r["explanation"] as! String).split(separator: " ").prefix(k)
            return words.map { w in
                let core = w.trimmingCharacters(in: CharacterSet(charactersIn: ".,'{}:;"))
                return names.contains(core) ? w.replacingOccurrences(of: core, with: "N") : String(w)
            }
        }
        let train = stride(from: 0, to: records.count, by: 2).map { records[$0] }
        let test = stride(from: 1, to: records.count, by: 2).map { records[$0] }
        var counts: [[String]: (yes: Int, no: Int)] = [:]
        var yes = 0
        for r in train {
            let isYes = r["label"] as! String == "Yes"
            yes += isYes ? 1 : 0
            counts[opening(r), default: (0, 0)].yes += isYes ? 1 : 0
            counts[opening(r), default: (0, 0)].no += isYes ? 0 : 1
        }
        let majority = 2 * yes >= train.count
        var right = 0
        for r in test {
            var guess = majority
            if let c = counts[opening(r)], c.yes != c.no { guess = c.yes > c.no }
            right += guess == (r["label"] as! String == "Yes") ? 1 : 0
        }
        return Double(right) / Double(test.count)
    }

    @Test func theOpeningOfASearchTellsNoLabel() throws {
        var accuracy: [String: [String: [Double]]] = [:]
        for style in ["search", "proof"] {
            let dir = try Self.corpus(style)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let records = try Self.records(dir)
            for axiom in ["transitivity", "d-separation", "mediator", "common-cause", "backdoor", "frontdoor"] {
                let mine = records.filter { $0["axiom"] as! String == axiom }
                #expect(mine.count >= 400, "\(axiom): \(mine.count)")
                accuracy[style, default: [:]][axiom] = (1...4).map { Self.openingProbe(mine, k: $0) }
            }
        }
        // 3,000 records: about 250 held out per task, so chance reads 0.5 ± 0.03.
        for (axiom, byK) in accuracy["search"]! {
            #expect(byK.allSatisfy { $0 <= 0.58 }, "search, \(axiom): the first 1-4 words read \(byK)")
        }
        // The same probe reads the proofs' labels from their first word (the probe can fail).
        let proofFirst = accuracy["proof"]!.values.map { $0[0] }
        #expect(proofFirst.filter { $0 >= 0.7 }.count >= 2, "proof first words: \(accuracy["proof"]!)")
    }
}
