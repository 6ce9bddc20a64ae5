import Testing

@testable import AxiomCore

/// The intervention task (rung 2): its rule side (backdoor adjustment), its second algorithm
/// (the mutilated model, enumerated) and a third computation (`TextbookModel`, unit by unit)
/// agree on every question of every DAG of up to four nodes under drawn tables.
@Suite struct InterventionTask {
    /// The models of `edges` on `n` nodes under `seeds` tables each.
    static func models(_ n: Int, seeds: Range<UInt64>) -> [CausalModel] {
        allDAGs(n).flatMap { edges in
            seeds.map { seed in
                var graph = CausalGraph(nodeCount: n)
                for (a, b) in edges { graph.addEdge(a, b) }
                var rng = SeededRNG(seed: seed, stream: UInt64(n), index: UInt64(edges.count))
                return CausalModel.random(on: graph, using: &rng)
            }
        }
    }

    @Test(arguments: 2...4)
    func rulesSecondAlgorithmAndTextbookAgree(_ n: Int) {
        var task = Intervention()
        var labels = [0, 0]
        for model in Self.models(n, seeds: 0..<(n == 4 ? 2 : 6)) {
            task.prepare(model)
            let textbook = TextbookModel(model)
            for query in task.questions(nodeCount: n, givenSizes: 0...0) {
                let ate = textbook.value(EffectQuery(.ate, treatment: query.x, outcome: query.y))
                let association = textbook.value(EffectQuery(.association, treatment: query.x, outcome: query.y))
                let rules = task.answer(query)
                #expect(rules == (ate > .zero), "rules on \(model.graph.edges) \(query)")
                #expect(task.check(query) == rules, "second algorithm on \(model.graph.edges) \(query)")
                #expect(task.effectSign(query) == ate.signum)
                #expect(task.associationSign(query) == association.signum)
                let type = task.questionType(query, label: rules)
                #expect(task.typeLabels[type] == rules)
                #expect(type != 2 || ate.isZero)
                labels[rules ? 0 : 1] += 1
            }
        }
        #expect(labels[0] > 0 && labels[1] > 0)
    }

    /// The cue the task controls carries information only through confounding: in Z → X → Y,
    /// Z → Y some tables make the association's sign differ from the effect's (Simpson's
    /// reversal), and without a backdoor path (X → Y alone) none do.
    @Test func associationDisagreesWithEffectOnlyUnderConfounding() {
        func disagreements(_ edges: [(Int, Int)]) -> Int {
            var graph = CausalGraph(nodeCount: 3)
            for (a, b) in edges { graph.addEdge(a, b) }
            var task = Intervention()
            var count = 0
            for seed in 0..<400 as Range<UInt64> {
                var rng = SeededRNG(seed: seed)
                task.prepare(CausalModel.random(on: graph, using: &rng))
                let q = Query(.intervention, 1, 2)
                let effect = task.effectSign(q)
                if effect != 0 && task.associationSign(q) != effect { count += 1 }
            }
            return count
        }
        #expect(disagreements([(0, 1), (0, 2), (1, 2)]) > 0)
        #expect(disagreements([(1, 2), (0, 2)]) == 0)
    }

    /// The proof names the route: no directed path (the graph alone), else the adjustment set.
    @Test func proofsNameTheRoute() throws {
        var graph = CausalGraph(nodeCount: 3)
        graph.addEdge(0, 1)
        graph.addEdge(0, 2)
        graph.addEdge(1, 2)
        let model = try CausalModel(graph: graph, tables: [[50], [20, 80], [10, 30, 60, 90]])
        var task = Intervention()
        task.prepare(model)
        var proof = Proof()
        task.prove(Query(.intervention, 1, 2), into: &proof)
        #expect(proof.kind == .effectRaises && proof.nodes == [0])
        task.prove(Query(.intervention, 2, 1), into: &proof)
        #expect(proof.kind == .noDirectedPath && proof.nodes.isEmpty)
        #expect(task.describe(Query(.intervention, 1, 2), names: ["Z", "X", "Y"]).hasPrefix("Yes"))
    }

    /// Renaming a model's nodes moves each table and reorders its rows with the parents.
    @Test func relabeledTablesFollowTheirParents() throws {
        var graph = CausalGraph(nodeCount: 3)
        graph.addEdge(0, 2)
        graph.addEdge(1, 2)
        let model = try CausalModel(graph: graph, tables: [[30], [60], [10, 20, 30, 40]])
        // 0 → 2, 1 → 0, 2 → 1: the child is now node 1, its parents 2 (old 0) and 0 (old 1).
        let renamed = try #require(model.relabeled([2, 0, 1]))
        #expect(renamed[0] == [60] && renamed[2] == [30])
        // Old row bits (p0, p1) become (new 0 = old 1, new 2 = old 0): old row 1 (p0 = 1) is new row 2.
        #expect(renamed[1] == [10, 30, 20, 40])
        var back = CausalGraph(nodeCount: 3)
        back.addEdge(2, 1)
        back.addEdge(0, 1)
        #expect(try CausalModel(graph: back, tables: renamed).relabeled([1, 2, 0]) == model.tables)
        #expect(model.relabeled([0, 0, 1]) == nil)
    }
}
