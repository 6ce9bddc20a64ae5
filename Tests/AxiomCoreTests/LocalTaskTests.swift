import Testing

@testable import AxiomCore

/// The three local-structure tasks from their definitions, by path enumeration over plain
/// edge lists (no bitsets, nothing shared with the tasks, the engine or the oracles).
enum LocalBruteForce {
    typealias Edges = [(Int, Int)]

    /// Every simple directed path from `a` to `b` (a first).
    static func paths(_ edges: Edges, from a: Int, to b: Int) -> [[Int]] {
        var out: [[Int]] = []
        var path = [a]
        func extend() {
            let v = path.last!
            if v == b && path.count > 1 {
                out.append(path)
                return
            }
            for e in edges where e.0 == v && !path.contains(e.1) {
                path.append(e.1)
                extend()
                path.removeLast()
            }
        }
        if a != b { extend() }
        return out
    }

    static func collider(_ edges: Edges, _ x: Int, _ y: Int, _ z: Int) -> Bool {
        let has = { (a: Int, b: Int) in edges.contains { $0 == (a, b) } }
        return x != y && z != x && z != y && has(x, z) && has(y, z) && !has(x, y) && !has(y, x)
    }

    /// Nodes c ∉ {x, avoid} with a directed path c ⇝ x on which `avoid` does not lie.
    static func causes(of x: Int, avoiding avoid: Int, _ edges: Edges, _ n: Int) -> [Int] {
        (0..<n).filter { c in
            c != x && c != avoid && paths(edges, from: c, to: x).contains { !$0.contains(avoid) }
        }
    }

    static func commonCause(_ edges: Edges, _ n: Int, _ x: Int, _ y: Int) -> Bool {
        guard x != y else { return false }
        return !Set(causes(of: x, avoiding: y, edges, n)).isDisjoint(with: causes(of: y, avoiding: x, edges, n))
    }

    static func mediator(_ edges: Edges, _ x: Int, _ y: Int, _ z: Int) -> Bool {
        z != x && z != y && x != y && !paths(edges, from: x, to: z).isEmpty && !paths(edges, from: z, to: y).isEmpty
    }

    static func truth(_ q: Query, _ edges: Edges, _ n: Int) -> Bool {
        switch q.axiom {
        case .collider: collider(edges, q.x, q.y, q.z)
        case .commonCause: commonCause(edges, n, q.x, q.y)
        default: mediator(edges, q.x, q.y, q.z)
        }
    }

    static func isDirectedPath(_ nodes: some Collection<Int>, _ edges: Edges) -> Bool {
        let a = Array(nodes)
        return a.count >= 2 && Set(a).count == a.count
            && (1..<a.count).allSatisfy { i in edges.contains { $0 == (a[i - 1], a[i]) } }
    }
}

@Suite struct LocalTasks {
    static func tasks() -> [any CausalTask] { [Collider(), CommonCause(), Mediator()] }

    /// Rule engine = second algorithm = brute force on every DAG of up to 5 nodes, every question.
    @Test func everyQuestionOnEveryDAGUpToFiveNodes() {
        for var task in Self.tasks() {
            var checked = 0
            var graphs = 0
            var yes = 0
            for n in 2...5 {
                for edges in allDAGs(n) {
                    graphs += 1
                    task.prepare(CausalGraph(nodeCount: n, edges: edges))
                    for q in task.questions(nodeCount: n, givenSizes: 0...0) {
                        let truth = LocalBruteForce.truth(q, edges, n)
                        #expect(task.answer(q) == truth, "\(q) in \(edges)")
                        #expect(task.check(q) == truth, "\(q) in \(edges)")
                        checked += 1
                        if truth { yes += 1 }
                    }
                }
            }
            print("\(task.axiom): \(graphs) graphs, \(checked) questions, \(yes) Yes")
            #expect(yes > 0 && yes < checked)
        }
    }

    @Test func questionListsFollowTheShapes() {
        let collider = Collider().questions(nodeCount: 4, givenSizes: 0...2)
        #expect(collider.count == 6 * 2)
        #expect(collider.allSatisfy { $0.x < $0.y && $0.z >= 0 && $0.z != $0.x && $0.z != $0.y && $0.given.isEmpty })
        #expect(CommonCause().questions(nodeCount: 4, givenSizes: 0...2).count == 6)
        let mediator = Mediator().questions(nodeCount: 4, givenSizes: 0...2)
        #expect(mediator.count == 12 * 2)
        #expect(Set(mediator).count == mediator.count)
    }

    @Test(arguments: [GraphFamily.branching(factor: 1.4, connected: true), .random(edgeProbability: 0.3)])
    func seededGraphsOfSevenToTwelveNodes(family: GraphFamily) {
        var rng = SeededRNG(seed: 41)
        for var task in Self.tasks() {
            for round in 0..<24 {
                let n = 7 + round % 6
                let (graph, _) = GraphGenerator.make(family, nodes: n, using: &rng)
                let edges = graph.edges.map { ($0.from, $0.to) }
                task.prepare(graph)
                let all = task.questions(nodeCount: n, givenSizes: 0...0)
                for _ in 0..<60 {
                    let q = all[rng.below(all.count)]
                    let truth = LocalBruteForce.truth(q, edges, n)
                    #expect(task.answer(q) == truth, "\(q) in \(edges)")
                    #expect(task.check(q) == truth, "\(q) in \(edges)")
                }
            }
        }
    }

    /// Each proof really shows its label, read against the definition.
    @Test(arguments: 3...5)
    func proofsReplayAgainstTheDefinitions(n: Int) {
        var proof = Proof()
        var steps = Explanation()
        var kinds: Set<String> = []
        for var task in Self.tasks() {
            for edges in allDAGs(n) {
                let has = { (a: Int, b: Int) in edges.contains { $0 == (a, b) } }
                task.prepare(CausalGraph(nodeCount: n, edges: edges))
                for q in task.questions(nodeCount: n, givenSizes: 0...0) {
                    let (x, y, z) = (q.x, q.y, q.z)
                    task.prove(q, into: &proof)
                    task.explain(q, proof: proof, into: &steps)
                    kinds.formUnion(steps.steps.map(\.kind))
                    let p = proof.nodes
                    switch proof.kind {
                    case .vStructure:
                        #expect(p == [x, z, y] && LocalBruteForce.collider(edges, x, y, z))
                    case .shieldedCollider:
                        #expect(Set(p[0...1]) == [x, y] && p[2] == z && has(p[0], p[1]) && has(x, z) && has(y, z))
                    case .notACommonEffect:
                        #expect((p[0] == x || p[0] == y) && p[1] == z && !has(p[0], z))
                    case .sharedCause:
                        let c = p[0]
                        let trail = Array(p.dropFirst())
                        let i = trail.firstIndex(of: c)!
                        #expect(
                            c != x && c != y && trail.first == x && trail.last == y && Set(trail).count == trail.count
                        )
                        #expect(
                            LocalBruteForce.isDirectedPath(trail[...i].reversed(), edges) && !trail[...i].contains(y)
                        )
                        #expect(
                            LocalBruteForce.isDirectedPath(trail[i...], edges) && !trail[i...].contains(x),
                            "\(p) \(edges)"
                        )
                    case .noSharedCause:
                        let split = p.firstIndex(of: -1)!
                        #expect(Array(p[..<split]) == LocalBruteForce.causes(of: x, avoiding: y, edges, n))
                        #expect(Array(p[(split + 1)...]) == LocalBruteForce.causes(of: y, avoiding: x, edges, n))
                        #expect(Set(p[..<split]).isDisjoint(with: p[(split + 1)...]))
                    case .mediatedPath:
                        #expect(
                            p.first == x && p.last == y && p.contains(z) && LocalBruteForce.isDirectedPath(p, edges)
                        )
                    case .notAnEffectOfCause:
                        let effects = (0..<n).filter { !LocalBruteForce.paths(edges, from: x, to: $0).isEmpty }
                        #expect(p == effects && !p.contains(z))
                    case .notACauseOfEffect:
                        let effects = (0..<n).filter { !LocalBruteForce.paths(edges, from: z, to: $0).isEmpty }
                        #expect(!LocalBruteForce.paths(edges, from: x, to: z).isEmpty && p == effects && !p.contains(y))
                    default:
                        Issue.record("unexpected proof kind \(proof.kind) for \(q)")
                    }
                }
            }
        }
        // The questions never make z one of the pair, so the endpoint steps do not occur.
        let declared = Set(Self.tasks().flatMap(\.explanationForms).map(\.kind)).subtracting([
            "mediator-endpoint", "collider-endpoint",
        ])
        // Three nodes leave no mediator candidate with effects that miss y, no two-edge chain on
        // either side of z, and no second layer of causes.
        if n > 3 {
            #expect(kinds == declared)
        } else {
            #expect(kinds == declared.subtracting(["mediator-not-cause", "reach", "step", "common-cause-layer"]))
        }
    }

    /// Under `draw`, on 5–12-node branching graphs and flipped chains, both labels take at
    /// least 20% in each family, and every question type occurs (in one family or the other:
    /// a rooted branching graph has no unrelated pair, a chain no shielded collider).
    @Test func drawMakesBothLabelsAndEveryType() {
        var rng = SeededRNG(seed: 7)
        for var task in Self.tasks() {
            var types = [Int](repeating: 0, count: task.typeNames.count)
            for family in [GraphFamily.branching(factor: 1.4, connected: true), .flippedChain(flipProbability: 0.5)] {
                var labels = [0, 0]
                var familyTypes = [Int](repeating: 0, count: task.typeNames.count)
                var query = Query(task.axiom, 0, 0)
                var scratch: [Int] = []
                for round in 0..<300 {
                    let n = 5 + round % 8
                    let (graph, _) = GraphGenerator.make(family, nodes: n, using: &rng)
                    let candidates = (0..<n).filter(graph.isMentioned)
                    task.prepare(graph)
                    for _ in 0..<10 {
                        task.draw(from: candidates, givenSize: 0, into: &query, scratch: &scratch, using: &rng)
                        let distinct =
                            task.shape.contains(.node)
                            ? Set([query.x, query.y, query.z]).count == 3 : query.x != query.y
                        #expect(distinct && candidates.contains(query.x) && candidates.contains(query.y))
                        let label = task.check(query)
                        labels[label ? 0 : 1] += 1
                        let type = task.questionType(query, label: label)
                        #expect(task.typeLabels[type] == label)
                        familyTypes[type] += 1
                    }
                }
                let yes = Double(labels[0]) / Double(labels[0] + labels[1])
                let shares = zip(task.typeNames, familyTypes).map { "\($0) \($1)" }.joined(separator: ", ")
                print("\(task.axiom) on \(family.name): Yes \(Int((yes * 100).rounded()))%; types: \(shares)")
                #expect(yes >= 0.2 && yes <= 0.8, "\(task.axiom) on \(family.name): Yes share \(yes)")
                for t in types.indices { types[t] += familyTypes[t] }
            }
            #expect(types.allSatisfy { $0 > 0 }, "\(task.axiom): \(zip(task.typeNames, types).map { "\($0) \($1)" })")
        }
    }

    @Test func askSyntaxIsEachTasksOwn() throws {
        let named = try NamedGraph.parse(edges: "A->C, B->C, C->D")
        let (a, b, c, d) = (named.index(of: "A")!, named.index(of: "B")!, named.index(of: "C")!, named.index(of: "D")!)
        #expect(try named.parse(question: "C collider of A and B") == Query(.collider, a, b, z: c))
        #expect(try named.parse(question: "Is C a collider between A and B?") == Query(.collider, a, b, z: c))
        #expect(try named.parse(question: "A and B common cause") == Query(.commonCause, a, b))
        #expect(try named.parse(question: "Do A and D have a common cause?") == Query(.commonCause, a, d))
        #expect(try named.parse(question: "C mediates A and D") == Query(.mediator, a, d, z: c))
        #expect(try named.parse(question: "A and B d-separated") == Query(.dSeparation, a, b))
        #expect(throws: SyntaxError.self) { try named.parse(question: "A collider of A and B") }
    }

    @Test func describeReadsLikeTheDefinition() throws {
        let named = try NamedGraph.parse(edges: "A->C, B->C, A->B")
        var collider = Collider()
        collider.prepare(named.graph)
        let text = collider.describe(try named.parse(question: "C collider of A and B"), names: named.names)
        #expect(
            text.hasPrefix("No: C is not an unshielded collider between A and B.\nProof: both cause C, but A causes B")
        )
        var common = CommonCause()
        common.prepare(named.graph)
        let (b, c) = (named.index(of: "B")!, named.index(of: "C")!)
        #expect(
            common.describe(Query(.commonCause, b, c), names: named.names).hasPrefix(
                "Yes: B and C have a common cause, A."
            )
        )
    }
}
