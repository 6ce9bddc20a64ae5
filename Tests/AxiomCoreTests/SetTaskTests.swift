import Testing

@testable import AxiomCore

/// The set tasks' definitions by path enumeration over plain edge lists, sharing no code with
/// the rule engine, the programs or the second algorithms (no bitsets, no `CausalGraph`).
final class SetDefinitions {
    let n: Int
    let edges: [(Int, Int)]
    /// `edge[a][b]`: a → b.
    let edge: [[Bool]]
    /// `descendantsOrSelf[v]`, and as flags: `descends[v][w]` iff w is v or below it.
    let descendantsOrSelf: [Set<Int>]
    let descends: [[Bool]]

    init(_ n: Int, _ edges: [(Int, Int)]) {
        self.n = n
        self.edges = edges
        var m = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
        for (a, b) in edges { m[a][b] = true }
        edge = m
        descendantsOrSelf = (0..<n).map { BruteForce.descendantsOrSelf(edges, $0) }
        descends = descendantsOrSelf.map { d in (0..<n).map(d.contains) }
    }

    func adjacent(_ a: Int, _ b: Int) -> Bool { edge[a][b] || edge[b][a] }

    /// Whether some simple path from `a` to `b` whose first edge points into `a` (when `intoStart`)
    /// is active given `given`.
    func openPath(from a: Int, to b: Int, intoStart: Bool, given: Set<Int>) -> Bool {
        var path = [a]
        let observed = (0..<n).map(given.contains)
        func passes(_ p: Int, _ v: Int, _ q: Int) -> Bool {
            if edge[p][v] && edge[q][v] { return (0..<n).contains { descends[v][$0] && observed[$0] } }
            return !observed[v]
        }
        func search() -> Bool {
            let v = path.last!
            for u in 0..<n where !path.contains(u) && adjacent(v, u) {
                if path.count == 1 && intoStart && !edge[u][v] { continue }
                if path.count >= 2 && !passes(path[path.count - 2], v, u) { continue }
                if u == b { return true }
                path.append(u)
                if search() { return true }
                path.removeLast()
            }
            return false
        }
        return search()
    }

    /// Whether a directed path a → … → b has no interior node in `avoid`.
    func directedPath(from a: Int, to b: Int, avoiding avoid: Set<Int>) -> Bool {
        var seen: Set<Int> = [a]
        var stack = [a]
        while let v = stack.popLast() {
            for u in 0..<n where edge[v][u] {
                if u == b { return true }
                if !avoid.contains(u) && seen.insert(u).inserted { stack.append(u) }
            }
        }
        return false
    }

    func markovBlanket(_ x: Int) -> Set<Int> {
        Set(
            (0..<n).filter { v in
                v != x && (edge[v][x] || edge[x][v] || (0..<n).contains { c in edge[x][c] && edge[v][c] })
            }
        )
    }

    func isMarkovBlanket(_ x: Int, _ set: [Int]) -> Bool { Set(set) == markovBlanket(x) && set.count == Set(set).count }

    func isBackdoor(_ x: Int, _ y: Int, _ set: [Int]) -> Bool {
        let s = Set(set)
        if s.contains(x) || s.contains(y) { return false }
        if s.contains(where: { $0 != x && descendantsOrSelf[x].contains($0) }) { return false }
        return !openPath(from: x, to: y, intoStart: true, given: s)
    }

    /// Memoized `openPath(from:to:intoStart: true, given:)` for the empty or a one-node set.
    private var memo: [Int: Bool] = [:]
    func openInto(_ a: Int, _ b: Int, given g: Int?) -> Bool {
        let key = (a * n + b) * (n + 1) + (g ?? n)
        if let known = memo[key] { return known }
        let open = openPath(from: a, to: b, intoStart: true, given: g.map { [$0] } ?? [])
        memo[key] = open
        return open
    }

    func isFrontdoor(_ x: Int, _ y: Int, _ set: [Int]) -> Bool {
        let s = Set(set)
        if s.isEmpty || s.contains(x) || s.contains(y) { return false }
        if directedPath(from: x, to: y, avoiding: s) { return false }
        if s.contains(where: { openInto(x, $0, given: nil) }) { return false }
        return !s.contains { openInto($0, y, given: x) }
    }

    func label(_ q: Query) -> Bool {
        switch q.axiom {
        case .markovBlanket: return isMarkovBlanket(q.x, q.set)
        case .backdoor: return isBackdoor(q.x, q.y, q.set)
        default: return isFrontdoor(q.x, q.y, q.set)
        }
    }

    /// Whether `path` is a simple path whose interior passes given `given`.
    func isOpen(_ path: [Int], given: Set<Int>) -> Bool {
        guard path.count >= 2, Set(path).count == path.count else { return false }
        for i in 1..<path.count where !adjacent(path[i - 1], path[i]) { return false }
        for i in 1..<(path.count - 1) {
            let (p, v, q) = (path[i - 1], path[i], path[i + 1])
            if edge[p][v] && edge[q][v] {
                if descendantsOrSelf[v].isDisjoint(with: given) { return false }
            } else if given.contains(v) {
                return false
            }
        }
        return true
    }
}

let setTasks: [any CausalTask] = [MarkovBlanket(), Backdoor(), Frontdoor()]

@Suite struct SetTasksAgreeWithDefinitions {
    /// Rule engine = second algorithm = definition on every question of every DAG of up to 5
    /// nodes (every x, every ordered pair, every set of the other nodes).
    @Test(arguments: 0..<3, 2...5)
    func everyQuestionOnEverySmallGraph(task index: Int, n: Int) {
        do {
            var task = setTasks[index]
            var checked = 0
            var yes = 0
            for edges in allDAGs(n) {
                let graph = CausalGraph(nodeCount: n, edges: edges)
                let truth = SetDefinitions(n, edges)
                task.prepare(graph)
                for q in task.questions(nodeCount: n, givenSizes: 0...0) {
                    let t = truth.label(q)
                    // Messages only on failure: an interpolated comment per question costs more than the question.
                    let (a, c) = (task.answer(q), task.check(q))
                    if a != t || c != t { Issue.record("\(q) in \(edges): engine \(a), check \(c), definition \(t)") }
                    checked += 1
                    if t { yes += 1 }
                }
            }
            #expect(checked == allDAGs(n).count * task.questions(nodeCount: n, givenSizes: 0...0).count)
            // Two nodes leave no set for a front door.
            if n > 2 || task.axiom != .frontdoor {
                #expect(yes > 0 && yes < checked, "\(task.axiom) on \(n) nodes: \(yes) of \(checked)")
            }
        }
    }

    /// Seeded 7–12-node graphs: drawn questions and random sets.
    @Test(arguments: [GraphFamily.branching(factor: 1.4, connected: true), .random(edgeProbability: 0.3)])
    func seededLargerGraphs(family: GraphFamily) {
        var rng = SeededRNG(seed: 77)
        var labels = [0, 0]
        for round in 0..<30 {
            let n = 7 + round % 6
            let (graph, _) = GraphGenerator.make(family, nodes: n, using: &rng)
            let truth = SetDefinitions(n, graph.edges.map { ($0.from, $0.to) })
            let candidates = (0..<n).filter { graph.isMentioned($0) }
            guard candidates.count >= 3 else { continue }
            for var task in setTasks {
                task.prepare(graph)
                var q = Query(task.axiom, 0, 0)
                var scratch: [Int] = []
                for i in 0..<20 {
                    task.draw(from: candidates, givenSize: 0, into: &q, scratch: &scratch, using: &rng)
                    if i % 4 == 3 { q.set = candidates.filter { $0 != q.x && $0 != q.y && rng.chance(0.3) } }
                    let t = truth.label(q)
                    let (a, c) = (task.answer(q), task.check(q))
                    if a != t || c != t {
                        Issue.record("\(q) in \(graph.edges): engine \(a), check \(c), definition \(t)")
                    }
                    labels[t ? 0 : 1] += 1
                }
            }
        }
        #expect(labels[0] > 0 && labels[1] > 0)
    }
}

@Suite struct SetProofsReplay {
    /// Every proof on every DAG of up to 4 nodes, replayed against the definitions.
    @Test(arguments: 3...4)
    func everyProof(n: Int) {
        var mb = MarkovBlanket()
        var bd = Backdoor()
        var fd = Frontdoor()
        var proof = Proof()
        var kinds: Set<String> = []
        for edges in allDAGs(n) {
            let graph = CausalGraph(nodeCount: n, edges: edges)
            let d = SetDefinitions(n, edges)
            mb.prepare(graph)
            bd.prepare(graph)
            fd.prepare(graph)
            for q in mb.questions(nodeCount: n, givenSizes: 0...0) {
                mb.prove(q, into: &proof)
                kinds.insert(proof.kind.name)
                let blanket = d.markovBlanket(q.x)
                let p = proof.nodes
                let first = proof.kind == .markovBlanketExtra ? 1 : (proof.kind == .markovBlanketMissing ? 3 : 0)
                let triples = stride(from: first, to: p.count, by: 3).map { (p[$0], p[$0 + 1], p[$0 + 2]) }
                #expect(Set(triples.map(\.0)) == blanket && triples.count == blanket.count, "\(q) in \(edges)")
                for (v, role, via) in triples + (first == 3 ? [(p[0], p[1], p[2])] : []) {
                    let ok =
                        role == 0 ? d.edge[v][q.x] : role == 1 ? d.edge[q.x][v] : d.edge[v][via] && d.edge[q.x][via]
                    #expect(ok, "role \(role) of \(v) for \(q) in \(edges)")
                }
                switch proof.kind {
                case .markovBlanketEqual: #expect(d.isMarkovBlanket(q.x, q.set))
                case .markovBlanketMissing: #expect(blanket.contains(p[0]) && !q.set.contains(p[0]))
                default: #expect(proof.kind == .markovBlanketExtra && q.set.contains(p[0]) && !blanket.contains(p[0]))
                }
            }
            for q in bd.questions(nodeCount: n, givenSizes: 0...0) {
                bd.prove(q, into: &proof)
                kinds.insert(proof.kind.name)
                let p = proof.nodes
                let s = Set(q.set)
                switch proof.kind {
                case .backdoorValid:
                    #expect(d.isBackdoor(q.x, q.y, q.set))
                    // The listed nodes are those an open path into x reaches, given S.
                    let reached = (0..<n).filter {
                        $0 != q.x && !s.contains($0) && d.openPath(from: q.x, to: $0, intoStart: true, given: s)
                    }
                    #expect(p == reached, "\(q) in \(edges)")
                case .backdoorEndpoint:
                    #expect(s.contains(p[0]) && (p[0] == q.x || p[0] == q.y))
                case .backdoorDescendant:
                    #expect(
                        p.first == q.x && s.contains(p.last!) && (1..<p.count).allSatisfy { d.edge[p[$0 - 1]][p[$0]] }
                    )
                default:
                    #expect(proof.kind == .backdoorOpenPath)
                    #expect(
                        p.first == q.x && p.last == q.y && d.edge[p[1]][p[0]] && d.isOpen(p, given: s),
                        "\(p) for \(q) in \(edges)"
                    )
                }
            }
            for q in fd.questions(nodeCount: n, givenSizes: 0...0) {
                fd.prove(q, into: &proof)
                kinds.insert(proof.kind.name)
                let p = proof.nodes
                let s = Set(q.set)
                switch proof.kind {
                case .frontdoorValid: #expect(d.isFrontdoor(q.x, q.y, q.set))
                case .frontdoorEmpty: #expect(s.isEmpty)
                case .frontdoorEndpoint: #expect(s.contains(p[0]) && (p[0] == q.x || p[0] == q.y))
                case .frontdoorDirectedPath:
                    #expect(
                        p.first == q.x && p.last == q.y
                            && (1..<p.count).allSatisfy { d.edge[p[$0 - 1]][p[$0]] && !s.contains(p[$0]) }
                    )
                case .frontdoorBackdoorToSet:
                    #expect(
                        p.first == q.x && s.contains(p.last!) && d.edge[p[1]][p[0]] && d.isOpen(p, given: []),
                        "\(p) for \(q) in \(edges)"
                    )
                default:
                    #expect(proof.kind == .frontdoorBackdoorToY)
                    #expect(
                        s.contains(p[0]) && p.last == q.y && d.edge[p[1]][p[0]] && d.isOpen(p, given: [q.x]),
                        "\(p) for \(q) in \(edges)"
                    )
                }
            }
        }
        // Every kind but the endpoint ones (`questions` never puts x or y in the set).
        if n == 4 { #expect(kinds.count == 3 + 3 + 5, "\(kinds.sorted())") }
    }
}

@Suite struct SetTaskDraws {
    /// Under `draw` on seeded 5–12-node branching graphs, each label is at least 20% of
    /// questions and every question type appears; sets are ascending, among the candidates.
    @Test func labelsAndTypes() {
        for var task in setTasks {
            var rng = SeededRNG(seed: 5)
            var labels = [0, 0]
            var types = [Int](repeating: 0, count: task.typeNames.count)
            var q = Query(task.axiom, 0, 0)
            var scratch: [Int] = []
            for round in 0..<300 {
                let n = 5 + round % 8
                let (graph, _) = GraphGenerator.make(.branching(factor: 1.4, connected: true), nodes: n, using: &rng)
                let candidates = (0..<n).filter { graph.isMentioned($0) }
                guard candidates.count >= 2 else { continue }
                task.prepare(graph)
                for _ in 0..<10 {
                    task.draw(from: candidates, givenSize: 0, into: &q, scratch: &scratch, using: &rng)
                    #expect(q.set == q.set.sorted() && Set(q.set).count == q.set.count)
                    #expect(q.set.allSatisfy { candidates.contains($0) && $0 != q.x && $0 != q.y })
                    #expect((q.x == q.y) == (task.axiom == .markovBlanket))
                    let label = task.check(q)
                    labels[label ? 0 : 1] += 1
                    let type = task.questionType(q, label: label)
                    #expect(task.typeLabels[type] == label)
                    types[type] += 1
                }
            }
            let share = Double(labels[0]) / Double(labels[0] + labels[1])
            #expect(share >= 0.2 && share <= 0.8, "\(task.axiom): Yes share \(share)")
            #expect(
                types.allSatisfy { $0 > 0 },
                "\(task.axiom) types \(zip(task.typeNames, types).map { "\($0)=\($1)" })"
            )
            print(
                "\(task.axiom): yes \(Int((share * 100).rounded()))%, types",
                zip(task.typeNames, types).map { "\($0) \($1)" }
            )
        }
    }
}

@Suite struct SetTaskAsk {
    @Test func askSyntax() throws {
        let named = try NamedGraph.parse(edges: "A->B, B->C, D->B, E->A")
        #expect(try named.parse(question: "{B, D} markov blanket of A") == Query(.markovBlanket, 0, 0, set: [1, 3]))
        #expect(
            try named.parse(question: "Is {D, B} the Markov blanket of A?") == Query(.markovBlanket, 0, 0, set: [1, 3])
        )
        #expect(try named.parse(question: "{E} backdoor for A and C") == Query(.backdoor, 0, 2, set: [4]))
        #expect(try named.parse(question: "{} backdoor for A and C") == Query(.backdoor, 0, 2))
        #expect(try named.parse(question: "{B} frontdoor for A and C") == Query(.frontdoor, 0, 2, set: [1]))
        #expect(try named.parse(question: "A cause C") == Query(.transitivity, 0, 2))
        #expect(throws: SyntaxError.self) { try named.parse(question: "{B} frontdoor for A and A") }
        #expect(throws: SyntaxError.self) { try named.parse(question: "{Q} backdoor for A and C") }
        // The examples of the tasks read as the tasks' own questions.
        let example = try NamedGraph.parse(edges: "A->B, C->D, M->B")
        for task in setTasks {
            for text in task.askExamples { #expect(try example.parse(question: text).axiom == task.axiom, "\(text)") }
        }
    }

    /// A textbook front door: A → M → B with A ← U → B; {M} satisfies it, the empty set is not a
    /// backdoor set and {U} is.
    @Test func textbookFrontDoor() throws {
        let named = try NamedGraph.parse(edges: "A->M, M->B, U->A, U->B")
        var fd = Frontdoor()
        var bd = Backdoor()
        fd.prepare(named.graph)
        bd.prepare(named.graph)
        let m = try named.parse(question: "{M} frontdoor for A and B")
        #expect(fd.answer(m) && fd.check(m))
        let u = try named.parse(question: "{U} frontdoor for A and B")
        #expect(!fd.answer(u) && !fd.check(u))
        #expect(!bd.answer(try named.parse(question: "{} backdoor for A and B")))
        #expect(bd.answer(try named.parse(question: "{U} backdoor for A and B")))
        #expect(!bd.answer(try named.parse(question: "{U, M} backdoor for A and B")))
        #expect(fd.describe(m, names: named.names).hasPrefix("Yes: {M} satisfies the front-door criterion"))
        // Sets holding x or y: No, with the endpoint named.
        var proof = Proof()
        for q in [
            try named.parse(question: "{A, M} frontdoor for A and B"),
            try named.parse(question: "{B, U} backdoor for A and B"),
        ] {
            let task: any CausalTask = q.axiom == .frontdoor ? fd : bd
            var t = task
            #expect(!t.answer(q) && !t.check(q))
            t.prove(q, into: &proof)
            #expect(
                proof.kind == (q.axiom == .frontdoor ? .frontdoorEndpoint : .backdoorEndpoint)
                    && proof.nodes == [q.axiom == .frontdoor ? 0 : 2]
            )
        }
    }
}
