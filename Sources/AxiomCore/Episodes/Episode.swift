/// What an episode's hidden system and its rules look like: the knobs of a difficulty level.
public struct EpisodeLevel: Sendable, Hashable {
    /// Variables in the hidden system (3…12).
    public var nodes: Int
    /// The hidden graph's family.
    public var family: GraphFamily
    /// Mechanism weights are drawn from this range without 0.
    public var weights: ClosedRange<Int>
    /// Mechanism constants are drawn from this range.
    public var constants: ClosedRange<Int>
    /// The values an experiment or the answer may set a variable to.
    public var settings: ClosedRange<Int>
    /// Runs per observation: a shown value is the mean over this many runs.
    public var trials: Int
    /// Each run adds a whole number drawn uniformly from `-noise…noise` to every mechanism
    /// (0: noise-free, and then `trials` is 1).
    public var noise: Int
    /// Which hidden graphs the level draws, by their shape up to renaming (`StructureFilter`).
    public var structures: StructureFilter
    /// Where the goal may sit in the hidden graph (`GoalPosition`).
    public var goal: GoalPosition

    public init(
        nodes: Int = 5,
        family: GraphFamily = .branching(factor: 1.2, connected: true),
        weights: ClosedRange<Int> = -3...3,
        constants: ClosedRange<Int> = 0...3,
        settings: ClosedRange<Int> = 0...5,
        trials: Int = 1,
        noise: Int = 0,
        structures: StructureFilter = .all,
        goal: GoalPosition = .any
    ) {
        self.nodes = nodes
        self.family = family
        self.weights = weights
        self.constants = constants
        self.settings = settings
        self.trials = trials
        self.noise = noise
        self.structures = structures
        self.goal = goal
    }

    /// What is wrong with the level, or nil.
    public var problem: String? {
        if !(3...StructuralModel.maxNodes).contains(nodes) {
            return "nodes must lie in 3...\(StructuralModel.maxNodes), not \(nodes)"
        }
        if !weights.contains(where: { $0 != 0 }) { return "the weight range needs a value other than 0" }
        // Bounds that keep every value far inside 64 bits (at most 12 variables in a chain) and
        // every observation quick to compute.
        if weights.lowerBound < -9 || weights.upperBound > 9 { return "weights must lie in -9...9" }
        if constants.lowerBound < -99 || constants.upperBound > 99 { return "constants must lie in -99...99" }
        if settings.lowerBound < -99 || settings.upperBound > 99 { return "settings must lie in -99...99" }
        if noise > 9 { return "noise must be at most 9" }
        switch family {
        case let .branching(factor, _, _) where !(factor > 0 && factor <= 6):
            return "the branching factor must lie in (0, 6]"
        case let .random(p) where !(p > 0 && p <= 1): return "the edge probability must lie in (0, 1]"
        case let .flippedChain(p) where !(p >= 0 && p <= 1): return "the flip probability must lie in [0, 1]"
        default: break
        }
        if trials > 100 { return "trials must be at most 100" }
        if settings.count < 2 { return "the settings range needs two values or more" }
        if noise < 0 { return "noise must be 0 or more" }
        if trials < 1 { return "trials must be 1 or more" }
        if noise == 0 && trials != 1 { return "a noise-free level runs 1 trial per observation" }
        if case let .seen(f) = structures, !(f > 0 && f < 1) {
            return "the held-out fraction lies strictly between 0 and 1"
        }
        if case let .heldOut(f) = structures, !(f > 0 && f < 1) {
            return "the held-out fraction lies strictly between 0 and 1"
        }
        return nil
    }

    /// Noise-free: every observation is the system's exact value.
    public var isExact: Bool { noise == 0 }
}

/// Where an episode's goal sits in its hidden graph: a variable that causes nothing (`sink`), one
/// that causes others (`inner`: a mediator or a cause), or either. Training on one and evaluating
/// on the other asks for goal variables of a kind training never showed.
public enum GoalPosition: String, Sendable, Hashable, CaseIterable {
    case any
    case sink
    case inner

    public func admits(_ node: Int, in graph: CausalGraph) -> Bool {
        switch self {
        case .any: true
        case .sink: graph.outDegree(of: node) == 0
        case .inner: graph.outDegree(of: node) > 0
        }
    }
}

/// Which graph shapes a level draws. A fixed share of shapes (graphs up to renaming their nodes,
/// by `Isomorphism.hash`) is held out: training levels draw only the others (`seen`), an
/// evaluation level only those (`heldOut`), so its hidden structures are edge patterns training
/// never showed.
public enum StructureFilter: Sendable, Hashable {
    case all
    /// Only shapes outside the held-out share `fraction`.
    case seen(fraction: Double)
    /// Only shapes inside the held-out share `fraction`.
    case heldOut(fraction: Double)

    static let salt = SeededRNG.streamID("episode-held-out-structures")

    /// Whether `graph`'s shape is in the held-out share `fraction`: a fixed function of the
    /// shape, the same in every recipe and split.
    public static func isHeldOut(_ graph: CausalGraph, fraction: Double) -> Bool {
        let h = SeededRNG.derive(Isomorphism.hash(graph), salt, 0)
        return Double(h >> 11) * 0x1.0p-53 < fraction
    }

    public func accepts(_ graph: CausalGraph) -> Bool {
        switch self {
        case .all: true
        case let .seen(f): !Self.isHeldOut(graph, fraction: f)
        case let .heldOut(f): Self.isHeldOut(graph, fraction: f)
        }
    }
}

extension StructuralModel {
    /// The most variables an episode's system holds.
    public static let maxNodes = 12
}

/// Setting one variable to a value: an experiment, or an episode's answer.
public struct Action: Sendable, Hashable {
    public var node: Int
    public var value: Int
    public init(_ node: Int, _ value: Int) {
        self.node = node
        self.value = value
    }
}

/// An experiment-then-exploit episode: a hidden linear system (`StructuralModel`), a goal
/// variable to make as large as possible by setting one other variable to a value in the level's
/// settings, and a budget of experiments (each sets one variable and shows every variable).
///
/// Everything follows from `(level, seed)`: the graph, the mechanisms, the goal, and the noise of
/// each observation (drawn from the seed and the action observed, so the same experiment always
/// shows the same values, in a transcript and in the environment alike).
public struct Episode: Sendable {
    public let level: EpisodeLevel
    public let seed: UInt64
    public let model: StructuralModel
    /// The variable to maximize.
    public let goal: Int
    /// The goal's value under each admissible answer, in `answers` order: every answer's system
    /// solved once, when the episode is drawn (brute force; rewards and baselines read these).
    public let answerValues: [Int]

    /// Experiments allowed before the answer: one per variable other than the goal.
    public var budget: Int { model.graph.nodeCount - 1 }

    static let graphStream = SeededRNG.streamID("episode-graph")
    static let noiseStream = SeededRNG.streamID("episode-noise")

    /// The episode of `seed` at `level` (which must have no `problem`). Systems in which no
    /// setting changes the goal are drawn again (an episode whose every answer is optimal
    /// teaches nothing), as are goals no variable affects or outside the level's `goal` position,
    /// and graphs the level's `structures`
    /// refuse. Nil when 100,000 draws find none (a structure filter no graph of the level passes).
    public init?(level: EpisodeLevel, seed: UInt64) {
        precondition(level.problem == nil, level.problem ?? "")
        self.level = level
        self.seed = seed
        var rng = SeededRNG(seed: seed, stream: Self.graphStream, index: 0)
        for _ in 0..<100_000 {
            let (graph, _) = GraphGenerator.make(level.family, nodes: level.nodes, using: &rng)
            if !level.structures.accepts(graph) { continue }
            let model = StructuralModel.random(
                on: graph,
                weights: level.weights,
                constants: level.constants,
                using: &rng
            )
            // Goals some other variable moves (a nonzero total effect).
            let goals = (0..<graph.nodeCount).filter { g in
                level.goal.admits(g, in: graph)
                    && (0..<graph.nodeCount).contains { $0 != g && model.totalEffect(from: $0, to: g) != 0 }
            }
            if goals.isEmpty { continue }
            let goal = goals[rng.below(goals.count)]
            self.model = model
            self.goal = goal
            var values: [Int] = []
            answerValues = Self.answers(goal: goal, nodes: graph.nodeCount, settings: level.settings).map { a in
                model.solve(setting: a.node, to: a.value, into: &values)
                return values[goal]
            }
            return
        }
        return nil
    }

    /// Every admissible answer: each variable other than the goal, set to each value of the
    /// settings (variables by index, values ascending).
    public var answers: [Action] { Self.answers(goal: goal, nodes: model.graph.nodeCount, settings: level.settings) }

    static func answers(goal: Int, nodes: Int, settings: ClosedRange<Int>) -> [Action] {
        (0..<nodes).filter { $0 != goal }.flatMap { v in settings.map { Action(v, $0) } }
    }

    /// Where `action` stands in `answers`, or nil when it is no admissible answer.
    func answerIndex(_ action: Action) -> Int? {
        let settings = level.settings
        guard action.node != goal, (0..<model.graph.nodeCount).contains(action.node), settings.contains(action.value)
        else { return nil }
        let rank = action.node - (action.node > goal ? 1 : 0)
        return rank * settings.count + (action.value - settings.lowerBound)
    }

    /// Whether `action` may be run as an experiment: any variable, a value in the settings.
    public func isExperiment(_ action: Action) -> Bool {
        (0..<model.graph.nodeCount).contains(action.node) && level.settings.contains(action.value)
    }

    /// The goal's value under `action`, without noise (its expected value on a noisy level: the
    /// system is linear and the noise has mean 0); an admissible answer's is read from
    /// `answerValues`, any other action's system solved.
    public func goalValue(_ action: Action) -> Int {
        if let i = answerIndex(action) { return answerValues[i] }
        return model.values(setting: action.node, to: action.value)[goal]
    }

    /// The best and worst goal values over every admissible answer.
    public var extremes: (best: Int, worst: Int) { (answerValues.max()!, answerValues.min()!) }

    /// The normalized reward of answering `action`: (reached - worst) / (best - worst) over the
    /// admissible answers, so the optimum scores 1 and the worst answer 0 (the goal's values
    /// may be negative, where "reached / optimum" would mean nothing).
    public func reward(_ action: Action) -> Rational {
        let (best, worst) = extremes
        return Rational(goalValue(action) - worst, best - worst)
    }

    /// The mean reward of an answer drawn uniformly from the admissible answers: what a policy
    /// that ignores its experiments scores in expectation.
    public var randomReward: Rational {
        let (best, worst) = extremes
        let sum = answerValues.reduce(0) { $0 + $1 - worst }
        return Rational(sum, (best - worst) * answerValues.count)
    }

    /// The mean reward of setting a variable drawn uniformly (the goal left out) to the top of the
    /// settings: a shortcut that ignores the experiments ("the larger the better").
    public var topSettingReward: Rational {
        let (best, worst) = extremes
        let top = level.settings.upperBound
        let others = (0..<model.graph.nodeCount).filter { $0 != goal }
        let sum = others.reduce(0) { $0 + goalValue(Action($1, top)) - worst }
        return Rational(sum, (best - worst) * others.count)
    }

    /// What observing the system under `action` shows (nil: no intervention): every variable's
    /// mean over `level.trials` runs, each run with fresh noise drawn from the seed and the action.
    public func observe(_ action: Action?) -> [Rational] {
        let n = model.graph.nodeCount
        if level.isExact {
            return model.values(setting: action?.node ?? -1, to: action?.value ?? 0).map { Rational($0) }
        }
        let key: UInt64 =
            action.map { UInt64($0.node * level.settings.count + ($0.value - level.settings.lowerBound) + 1) } ?? 0
        var rng = SeededRNG(seed: seed, stream: Self.noiseStream, index: key)
        var sums = [Int](repeating: 0, count: n)
        var noise = [Int](repeating: 0, count: n)
        var values: [Int] = []
        for _ in 0..<level.trials {
            for v in 0..<n { noise[v] = rng.int(in: -level.noise...level.noise) }
            model.solve(setting: action?.node ?? -1, to: action?.value ?? 0, noise: noise, into: &values)
            for v in 0..<n { sums[v] += values[v] }
        }
        return sums.map { Rational($0, level.trials) }
    }
}
