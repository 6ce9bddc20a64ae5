import Testing

@testable import AxiomCore

/// Linear structural models and experiment-then-exploit episodes: the solver against path sums,
/// the expert against brute force, noise and held-out shapes.
@Suite struct StructuralModelTests {
    /// A → B (2), A → C (-1), B → C (3): C = 1 + 3B - A, B = 2A, A = 1.
    let model = try! StructuralModel(
        graph: CausalGraph(nodeCount: 3, edges: [(0, 1), (0, 2), (1, 2)]),
        weights: [[], [2], [-1, 3]],
        constants: [1, 0, 1]
    )

    @Test func solvesByHand() {
        #expect(model.values() == [1, 2, 6])
        #expect(model.values(setting: 0, to: 2) == [2, 4, 11])
        #expect(model.values(setting: 1, to: 0) == [1, 0, 0])
        #expect(model.totalEffect(from: 0, to: 2) == 5)
        #expect(model.totalEffect(from: 2, to: 0) == 0)
    }

    @Test func refusesZeroWeightsAndMismatchedLists() {
        let g = CausalGraph(nodeCount: 2, edges: [(0, 1)])
        #expect(throws: StructuralModel.Invalid.self) {
            try StructuralModel(graph: g, weights: [[], [0]], constants: [0, 0])
        }
        #expect(throws: StructuralModel.Invalid.self) {
            try StructuralModel(graph: g, weights: [[], []], constants: [0, 0])
        }
    }

    /// The solver and the path sums are two algorithms for the same numbers: under do(x = s),
    /// y moves by effect(x → y) · (s - x's own value), on random models of random graphs.
    @Test func solverAgreesWithPathSums() {
        var rng = SeededRNG(seed: 11)
        for _ in 0..<300 {
            let n = rng.int(in: 2...7)
            let (g, _) = GraphGenerator.make(.random(edgeProbability: 0.5), nodes: n, using: &rng)
            let m = StructuralModel.random(on: g, weights: -3...3, constants: -2...3, using: &rng)
            let untouched = m.values()
            for x in 0..<n {
                let s = rng.int(in: -4...4)
                let set = m.values(setting: x, to: s)
                for y in 0..<n where y != x {
                    #expect(set[y] == untouched[y] + m.totalEffect(from: x, to: y) * (s - untouched[x]))
                }
            }
        }
    }
}

@Suite struct EpisodeTests {
    static let levels: [EpisodeLevel] = [
        EpisodeLevel(nodes: 3),
        EpisodeLevel(nodes: 5, family: .random(edgeProbability: 0.5)),
        EpisodeLevel(nodes: 7, family: .branching(factor: 1.5, connected: true), settings: -2...3),
    ]

    /// On noise-free levels the expert's answer reaches the brute-force optimum, every time, and
    /// its prediction is the goal's value; the rewards lie in 0...1 with the optimum at 1.
    @Test(arguments: levels) func expertIsOptimalWithoutNoise(level: EpisodeLevel) throws {
        for seed in 0..<400 as Range<UInt64> {
            let e = try #require(Episode(level: level, seed: seed))
            let play = ExpertPlay(e, order: Array(0..<level.nodes))
            let (best, worst) = e.extremes
            #expect(best > worst)
            #expect(e.goalValue(play.answer) == best)
            #expect(play.predicted == Rational(best))
            #expect(e.reward(play.answer) == .one)
            #expect(play.experiments.count == e.budget)
            let random = e.randomReward
            #expect(random >= .zero && random < .one)
            // The extremes by a second algorithm: path sums from the untouched system.
            let untouched = e.model.values()
            let viaPaths = e.answers.map { a in
                untouched[e.goal] + e.model.totalEffect(from: a.node, to: e.goal) * (a.value - untouched[a.node])
            }
            #expect(viaPaths.max() == best && viaPaths.min() == worst)
        }
    }

    /// Noise: the same action always shows the same means (seeded by the action), different
    /// actions draw different noise, and values are means over the trials.
    @Test func noiseIsSeededByTheAction() throws {
        let level = EpisodeLevel(nodes: 5, trials: 4, noise: 2)
        let e = try #require(Episode(level: level, seed: 3))
        #expect(e.observe(Action(0, 5)) == e.observe(Action(0, 5)))
        #expect(e.observe(nil) == e.observe(nil))
        let exact = e.model.values()
        let seen = e.observe(nil)
        #expect(seen.contains { $0.denominator != .one } || seen != exact.map { Rational($0) })
        for v in seen { #expect((v * Rational(4)).denominator == .one) }
        // The expert's mean reward on a noisy level is below 1 somewhere over many seeds.
        var rewards = Rational.zero
        for seed in 0..<200 as Range<UInt64> {
            let episode = try #require(Episode(level: level, seed: seed))
            rewards += episode.reward(ExpertPlay(episode, order: Array(0..<5)).answer)
        }
        #expect(rewards < Rational(200) && rewards > Rational(100))
    }

    /// The same seed gives the same episode; the held-out share splits shapes, never a shape.
    @Test func deterministicAndHeldOutShapesDisjoint() throws {
        let level = EpisodeLevel(nodes: 5, family: .random(edgeProbability: 0.5))
        let a = try #require(Episode(level: level, seed: 42))
        let b = try #require(Episode(level: level, seed: 42))
        #expect(a.model == b.model && a.goal == b.goal)
        var seen = level
        seen.structures = .seen(fraction: 0.2)
        var held = level
        held.structures = .heldOut(fraction: 0.2)
        var heldHashes = Set<UInt64>()
        var seenHashes = Set<UInt64>()
        for seed in 0..<300 as Range<UInt64> {
            let s = try #require(Episode(level: seen, seed: seed))
            let h = try #require(Episode(level: held, seed: seed))
            #expect(!StructureFilter.isHeldOut(s.model.graph, fraction: 0.2))
            #expect(StructureFilter.isHeldOut(h.model.graph, fraction: 0.2))
            seenHashes.insert(Isomorphism.hash(s.model.graph))
            heldHashes.insert(Isomorphism.hash(h.model.graph))
        }
        #expect(seenHashes.isDisjoint(with: heldHashes))
        #expect(heldHashes.count > 5)
    }

    /// Goal positions: a sink causes nothing, an inner goal causes something.
    @Test func goalPositions() throws {
        for seed in 0..<200 as Range<UInt64> {
            let sink = try #require(Episode(level: EpisodeLevel(nodes: 5, goal: .sink), seed: seed))
            #expect(sink.model.graph.outDegree(of: sink.goal) == 0)
            let inner = try #require(Episode(level: EpisodeLevel(nodes: 5, goal: .inner), seed: seed))
            #expect(inner.model.graph.outDegree(of: inner.goal) > 0)
            #expect(inner.reward(ExpertPlay(inner, order: Array(0..<5)).answer) == .one)
        }
    }

    @Test func levelProblems() {
        #expect(EpisodeLevel(nodes: 2).problem != nil)
        #expect(EpisodeLevel(weights: 0...0).problem != nil)
        #expect(EpisodeLevel(settings: 1...1).problem != nil)
        #expect(EpisodeLevel(trials: 3, noise: 0).problem != nil)
        #expect(EpisodeLevel(structures: .seen(fraction: 1.5)).problem != nil)
        #expect(EpisodeLevel(weights: -10...3).problem != nil)
        #expect(EpisodeLevel(trials: 101, noise: 1).problem != nil)
        #expect(EpisodeLevel(settings: -100...0).problem != nil)
        #expect(EpisodeLevel(family: .branching(factor: .nan, connected: true)).problem != nil)
        #expect(EpisodeLevel(family: .branching(factor: 1e300, connected: true)).problem != nil)
        #expect(EpisodeLevel(family: .random(edgeProbability: 0)).problem != nil)
        #expect(EpisodeLevel().problem == nil)
    }
}
