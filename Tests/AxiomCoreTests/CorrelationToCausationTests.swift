import Testing

@testable import AxiomCore

/// Corr2Cause labels from scratch: every labeled DAG on n nodes, grouped by identical sets of
/// d-separation statements (path enumeration, `BruteForce.dSeparated`); a relation is valid iff
/// it holds (by simple-path enumeration) in every DAG of the group. Nothing here shares code
/// with `MarkovClass`, `IndependenceModel` or the task's second algorithm.
enum ClassBruteForce {
    typealias Edges = [(Int, Int)]

    /// Every labeled DAG on n nodes (each pair absent, forward or backward; cycles dropped).
    static func labeledDAGs(_ n: Int) -> [Edges] {
        var pairs: [(Int, Int)] = []
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { pairs.append((i, j)) } }
        var out: [Edges] = []
        var code = 0
        var total = 1
        for _ in pairs { total *= 3 }
        while code < total {
            var c = code
            var edges: Edges = []
            for p in pairs {
                switch c % 3 {
                case 1: edges.append(p)
                case 2: edges.append((p.1, p.0))
                default: break
                }
                c /= 3
            }
            if acyclic(edges, n) { out.append(edges) }
            code += 1
        }
        return out
    }

    static func acyclic(_ edges: Edges, _ n: Int) -> Bool {
        edges.allSatisfy { e in !BruteForce.causes(edges, n, e.1, e.0) }
    }

    /// The d-separation statements of a DAG, as a sorted list of (a, b, sorted set).
    static func statements(_ edges: Edges, _ n: Int) -> [[Int]] {
        var out: [[Int]] = []
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) {
                let others = (0..<n).filter { $0 != a && $0 != b }
                for mask in 0..<(1 << others.count) {
                    let z = others.indices.filter { mask & (1 << $0) != 0 }.map { others[$0] }
                    if BruteForce.dSeparated(edges, n, a, b, z) { out.append([a, b, -1] + z) }
                }
            }
        }
        return out
    }

    /// Does relation r hold for (x, y) in the DAG? By directed simple-path enumeration.
    static func relation(_ r: Int, _ edges: Edges, _ n: Int, _ x: Int, _ y: Int) -> Bool {
        let paths = { (a: Int, b: Int) in LocalBruteForce.paths(edges, from: a, to: b) }
        let edge = { (a: Int, b: Int) in edges.contains { $0 == (a, b) } }
        switch r {
        case 0: return edge(x, y)
        case 1: return !edge(x, y) && !paths(x, y).isEmpty
        case 2: return edge(y, x)
        case 3: return !edge(y, x) && !paths(y, x).isEmpty
        case 4:
            return (0..<n).contains { c in
                c != x && c != y && paths(x, c).contains { !$0.contains(y) } && paths(y, c).contains { !$0.contains(x) }
            }
        default:
            return (0..<n).contains { c in
                c != x && c != y && paths(c, x).contains { !$0.contains(y) } && paths(c, y).contains { !$0.contains(x) }
            }
        }
    }

    static func graph(_ edges: Edges, _ n: Int) -> CausalGraph {
        var g = CausalGraph(nodeCount: n)
        for e in edges { g.addEdge(e.0, e.1) }
        return g
    }

    /// Compares answer, check and brute force on every pair and relation of `dag`, whose class
    /// (all DAGs with its statements) is `members`. Returns the number of questions.
    static func compare(_ dag: Edges, members: [Edges], _ n: Int, task: inout CorrelationToCausation) -> Int {
        task.prepare(graph(dag, n))
        var asked = 0
        for x in 0..<n {
            for y in 0..<n where x != y {
                for r in 0..<6 {
                    let expected = members.allSatisfy { relation(r, $0, n, x, y) }
                    let q = Query(.correlationToCausation, x, y, relation: r)
                    let a = task.answer(q)
                    let c = task.check(q)
                    #expect(a == expected, "answer \(dag) \(x) \(y) r\(r)")
                    #expect(c == expected, "check \(dag) \(x) \(y) r\(r)")
                    asked += 1
                }
            }
        }
        return asked
    }
}

@Suite struct CorrelationToCausationTests {
    /// Every labeled DAG of up to 4 nodes: answer = check = brute force for every pair and relation.
    @Test func everySmallDAGAgreesWithBruteForce() {
        var task = CorrelationToCausation()
        var dags = 0
        var questions = 0
        var classes = 0
        for n in 2...4 {
            let all = ClassBruteForce.labeledDAGs(n)
            var groups: [[[Int]]: [ClassBruteForce.Edges]] = [:]
            for d in all { groups[ClassBruteForce.statements(d, n), default: []].append(d) }
            classes += groups.count
            for (_, members) in groups {
                for d in members {
                    questions += ClassBruteForce.compare(d, members: members, n, task: &task)
                    dags += 1
                }
            }
        }
        // 1 + 3 + 25 + 543 labeled DAGs on 1–4 nodes; 2–4: 571.
        #expect(dags == 3 + 25 + 543)
        #expect(questions == 3 * 12 + 25 * 36 + 543 * 72)
        print(
            "correlation-to-causation brute force: \(dags) DAGs (2-4 nodes), \(classes) classes, \(questions) questions agree"
        )
    }

    /// Seeded 5- and 6-node DAGs: the class is every orientation of the same skeleton with the
    /// same statement set (statements decide the skeleton: a pair is adjacent iff no set
    /// separates it).
    @Test func seededLargerDAGsAgreeWithBruteForce() {
        var task = CorrelationToCausation()
        var rng = SeededRNG(seed: 13)
        var questions = 0
        var dags = 0
        for n in [5, 5, 5, 6, 6] {
            for _ in 0..<3 {
                let (g, _) = GraphGenerator.make(.random(edgeProbability: 0.45), nodes: n, using: &rng)
                let dag = g.edges.map { ($0.from, $0.to) }
                let target = ClassBruteForce.statements(dag, n)
                var members: [ClassBruteForce.Edges] = []
                for mask in 0..<(1 << dag.count) {
                    let o = dag.enumerated().map {
                        mask & (1 << $0.offset) == 0 ? $0.element : ($0.element.1, $0.element.0)
                    }
                    if ClassBruteForce.acyclic(o, n) && ClassBruteForce.statements(o, n) == target { members.append(o) }
                }
                questions += ClassBruteForce.compare(dag, members: members, n, task: &task)
                dags += 1
            }
        }
        print("correlation-to-causation brute force: \(dags) seeded DAGs (5-6 nodes), \(questions) questions agree")
    }

    /// The statements of `IndependenceModel` are those of path-enumeration d-separation.
    @Test func independenceModelMatchesPathEnumeration() {
        for n in 2...4 {
            for d in ClassBruteForce.labeledDAGs(n) {
                let model = IndependenceModel(ClassBruteForce.graph(d, n))
                let mine = model.independencies.map { [$0.a, $0.b, -1] + IndependenceModel.ranks($0.given) }
                #expect(Set(mine) == Set(ClassBruteForce.statements(d, n)))
            }
        }
    }

    /// A collider A → C ← B: C's parents are directed in every member; the chain A → B → C
    /// leaves everything undirected.
    @Test func colliderAndChain() {
        var task = CorrelationToCausation()
        task.prepare(CausalGraph(nodeCount: 3, edges: [(0, 2), (1, 2)]))
        let parent = task.answer(Query(.correlationToCausation, 0, 2, relation: 0))
        let effect = task.answer(Query(.correlationToCausation, 0, 1, relation: 4))
        let cause = task.answer(Query(.correlationToCausation, 0, 1, relation: 5))
        #expect(parent && effect && !cause)
        task.prepare(CausalGraph(nodeCount: 3, edges: [(0, 1), (1, 2)]))
        for r in 0..<6 {
            let yes = task.answer(Query(.correlationToCausation, 0, 2, relation: r))
            #expect(!yes)
        }
        var proof = Proof()
        task.prove(Query(.correlationToCausation, 0, 1, relation: 0), into: &proof)
        #expect(proof.kind == .relationFailsInClass)
        #expect(proof.nodes.suffix(4) == [9, 0, 1, 0])
    }
}
