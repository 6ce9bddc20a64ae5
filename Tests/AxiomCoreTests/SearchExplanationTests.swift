import Testing

@testable import AxiomCore

/// Label-neutral (`explanations: search`) derivations, through the task interface, on every
/// question of every DAG of up to 4 nodes.
@Suite struct SearchExplanations {
    /// The label each concluding step states.
    static let conclusions: [String: Bool] = [
        "search-found": true, "reached-all": false, "ds-never": true, "ds-isolated": true, "ds-reached": false,
        "mediator-found": true, "mediator-unreached": false, "mediator-unreaching": false, "mediator-endpoint": false,
        "common-cause-shared": true, "common-cause-none": false, "backdoor-endpoint": false,
        "backdoor-search-descendant": false, "backdoor-search-open": false, "backdoor-search-valid": true,
        "frontdoor-empty": false, "frontdoor-endpoint": false, "frontdoor-search-directed": false,
        "frontdoor-search-to-set": false, "frontdoor-search-to-y": false, "frontdoor-search-valid": true,
    ]

    /// What a step says, without the asked y (only conclusions name it in these tasks).
    static func key(_ s: Explanation.Step, _ e: Explanation) -> [Int] {
        [s.conditioned ? 1 : 0, s.a, s.b, s.c] + e.nodes[s.given] + [-1] + e.nodes[s.set] + [-1] + e.nodes[s.trail]
            + [-2] + Array(s.kind.utf8).map(Int.init)
    }

    /// The conclusion states the rule engine's label; every step is one of the style's kinds;
    /// and, where the search starts from x alone (transitivity, d-separation, mediator), the
    /// steps before the conclusion are the same for every y: they cannot tell the label.
    @Test func concludeTheLabelAndStartTheSameWhateverTheAnswer() {
        // The causal-model tasks' explanations (one form for both styles) are tested on models
        // in ModelExplanationTests.
        let all = TaskCatalog.all().filter { !$0.searchForms.isEmpty }
        #expect(
            Set(all.filter { $0.premiseStyle == .model }.map(\.axiom)) == [.association, .intervention, .treatedEffect]
        )
        let tasks = all.filter { $0.premiseStyle != .model }
        #expect(
            Set(tasks.map(\.axiom)) == [.transitivity, .dSeparation, .mediator, .commonCause, .backdoor, .frontdoor],
            "the tasks with a label-neutral search"
        )
        for var task in tasks {
            let kinds = Set(task.searchForms.map(\.kind))
            let yFree = task.axiom != .commonCause
            var e = Explanation()
            var bothLabelsShareAPrefix = 0
            for n in 2...4 {
                for edges in allDAGs(n) {
                    let graph = CausalGraph(nodeCount: n, edges: edges)
                    task.prepare(graph)
                    // The question without y → the steps before the conclusion, and the labels.
                    var prefixes: [[Int]: [Int]] = [:]
                    var seen: [[Int]: Set<Bool>] = [:]
                    for q in task.questions(nodeCount: n, givenSizes: 0...(n - 2)) {
                        let yes = task.answer(q)
                        task.explainSearch(q, into: &e)
                        guard let last = e.steps.last else {
                            Issue.record("\(task.axiom): no steps for \(q)")
                            continue
                        }
                        #expect(e.steps.allSatisfy { kinds.contains($0.kind) }, "\(task.axiom) \(q) in \(edges)")
                        #expect(Self.conclusions[last.kind] == yes, "\(task.axiom) \(q) in \(edges): \(last.kind)")
                        #expect(
                            e.steps.dropLast().allSatisfy {
                                Self.conclusions[$0.kind] == nil || $0.kind == "ds-isolated"
                            }
                        )
                        // An endpoint (a set holding x or y) shows in the question itself.
                        let shown = ["mediator-endpoint", "backdoor-endpoint", "frontdoor-endpoint", "frontdoor-empty"]
                        guard yFree, !shown.contains(last.kind) else { continue }
                        let question = [q.x, q.z] + q.given + [-5] + q.set
                        var prefix: [Int] = []
                        for s in e.steps.dropLast() { prefix += Self.key(s, e) + [-4] }
                        if let other = prefixes[question] {
                            #expect(other == prefix, "\(task.axiom) \(q) in \(edges): the steps depend on y")
                        }
                        prefixes[question] = prefix
                        seen[question, default: []].insert(yes)
                    }
                    bothLabelsShareAPrefix += seen.values.filter { $0.count == 2 }.count
                }
            }
            // The invariance is not vacuous: many questions open explanations of both labels.
            if yFree { #expect(bothLabelsShareAPrefix > 40, "\(task.axiom): \(bothLabelsShareAPrefix)") }
        }
    }
}
