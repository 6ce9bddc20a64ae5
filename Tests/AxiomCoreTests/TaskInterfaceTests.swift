import Testing

@testable import AxiomCore

/// Properties every task of the catalog must have, checked through the task interface only:
/// a task added to `TaskCatalog` is covered here without a line of test code.
@Suite struct TaskInterface {
    @Test func namesAreUniqueAndSharedExplanationKindsAgree() {
        let tasks = TaskCatalog.all()
        #expect(Set(tasks.map(\.axiom)).count == tasks.count)
        // A kind is one grammar template: tasks that share a step (a quoted edge, a layer, a
        // d-separation step) declare it with the same slots.
        var slots: [String: ExplanationForm] = [:]
        for task in tasks {
            let kinds = task.explanationForms.map(\.kind)
            #expect(Set(kinds).count == kinds.count, "\(task.axiom) declares a kind twice")
            for form in task.explanationForms {
                if let other = slots[form.kind] {
                    #expect(other == form, "\(task.axiom) declares '\(form.kind)' differently")
                }
                slots[form.kind] = form
            }
            #expect(task.questionForms.contains { !$0.conditioned }, "\(task.axiom) has a plain question")
            #expect(task.questionForms.contains { $0.conditioned } == task.shape.contains(.given))
            // `axiomc query --ask` reads a graph: a task that needs a causal model has `axiomc effect`.
            #expect(!task.askExamples.isEmpty || task.premiseStyle == .model)
        }
    }

    /// Rule engine = second algorithm on every question of every DAG of up to 4 nodes (a task
    /// that needs a causal model: under drawn tables), and every answer explained with steps of
    /// the task's own kinds (a task without explanation forms, which recipes refuse to explain,
    /// renders none).
    @Test func ruleEngineAgreesWithSecondAlgorithmAndExplains() {
        for var task in TaskCatalog.all() {
            let kinds = Set(task.explanationForms.map(\.kind))
            var proof = Proof()
            var steps = Explanation()
            var counts = [0, 0]
            for n in 2...4 {
                for edges in allDAGs(n) {
                    let graph = CausalGraph(nodeCount: n, edges: edges)
                    if task.premiseStyle == .model {
                        var rng = SeededRNG(seed: UInt64(edges.count), stream: UInt64(n), index: 0)
                        task.prepare(CausalModel.random(on: graph, using: &rng))
                    } else {
                        task.prepare(graph)
                    }
                    for q in task.questions(nodeCount: n, givenSizes: 0...(n - 2)) {
                        let yes = task.answer(q)
                        #expect(yes == task.check(q), "\(q) in \(edges)")
                        counts[yes ? 0 : 1] += 1
                        task.prove(q, into: &proof)
                        task.explain(q, proof: proof, into: &steps)
                        #expect(
                            steps.steps.isEmpty == kinds.isEmpty && steps.steps.allSatisfy { kinds.contains($0.kind) },
                            "\(q)"
                        )
                    }
                }
            }
            #expect(counts[0] > 0 && counts[1] > 0, "\(task.axiom) has both labels")
        }
    }

    @Test func questionSpacesFollowTheShape() {
        // Ordered pairs for transitivity; unordered pairs times every subset for d-separation.
        #expect(Array(Transitivity().questions(nodeCount: 4, givenSizes: 0...2)).count == 12)
        let dsep = Array(DSeparation().questions(nodeCount: 4, givenSizes: 0...2))
        #expect(dsep.count == 6 * (1 + 2 + 1))
        #expect(dsep.allSatisfy { $0.x < $0.y && !$0.given.contains($0.x) && !$0.given.contains($0.y) })
        #expect(Set(dsep).count == dsep.count)
    }

    @Test func askSyntaxIsTheTasks() throws {
        let named = try NamedGraph.parse(edges: "A->B, B->C")
        #expect(try named.parse(question: "A cause C") == Query(.transitivity, 0, 2))
        #expect(try named.parse(question: "A and C d-separated given B") == Query(.dSeparation, 0, 2, given: [1]))
        #expect(throws: SyntaxError.self) { try named.parse(question: "A loves C") }
    }
}
