import AxiomCore
import AxiomRecords
import Yams

/// A recipe of experiment-then-exploit episodes (`kind: episodes`): splits of episodes, each
/// drawn at a level (`EpisodeLevel`) whose node count is drawn per episode from a range.
public struct EpisodeRecipe: Sendable {
    public struct Split: Sendable {
        public var name: String
        public var role: String
        public var count: Int
        public var nodes: ClosedRange<Int>
        /// The level of every episode, its `nodes` replaced per episode.
        public var level: EpisodeLevel
        /// Whether the expert's last turn explains its answer (`explanations`, default true).
        public var explanations: Bool
        /// A planted surface cue: the share of episodes, in hundredths, where `cue` holds
        /// (`confound: {cue: answer-first, agreement: 1.0}`); nil: none planted.
        public var confound: (cue: String, agreement: Int)?
    }
    public var name: String
    public var seed: UInt64
    public var splits: [Split]
    /// The recipe's text, copied into the corpus.
    public var text: String

    /// The most episodes a split may hold (a split is generated in memory before it is written).
    public static let maxCount = 10_000_000

    /// Whether YAML text is an episodes recipe (`kind: episodes` at the top level).
    public static func isEpisodes(_ text: String) -> Bool {
        guard let node = try? Yams.compose(yaml: text), let map = node.mapping else { return false }
        return map["kind"]?.string == "episodes"
    }

    /// Decodes a recipe; errors name the file, the line and what is wrong.
    public init(text: String, path: String) throws {
        let decoder = EpisodeRecipeDecoder(path: path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw decoder.fail(nil, "the recipe is empty") }
            root = node
        } catch let e as RecipeError {
            throw e
        } catch {
            throw decoder.fail(nil, "not YAML: \(error)")
        }
        let top = try decoder.top(root)
        self.name = top.name
        self.seed = top.seed
        self.text = text
        var names = Set<String>()
        splits = try top.splits.map { node in
            let split = try decoder.split(node, defaults: top.defaults, heldOut: top.heldOut)
            guard names.insert(split.name).inserted else {
                throw decoder.fail(node, "split '\(split.name)' is listed twice")
            }
            return split
        }
    }
}

/// Walks an episodes recipe's YAML nodes, one function per part; every error has its line.
struct EpisodeRecipeDecoder {
    let path: String

    static let topKeys: Set<String> = ["kind", "name", "seed", "defaults", "splits", "held_out_structures"]
    static let splitKeys: Set<String> = [
        "name", "role", "count", "nodes", "family", "branching_factor", "edge_probability", "weights",
        "constants", "settings", "noise", "trials", "structures", "explanations", "confound", "goal",
    ]

    func fail(_ node: Node?, _ message: String) -> RecipeError {
        RecipeError(file: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
    }

    /// The top-level keys: name, seed, the held-out share, the defaults and the split nodes.
    func top(
        _ root: Node
    ) throws -> (
        name: String, seed: UInt64, heldOut: Double, defaults: Node.Mapping?, splits: [Node]
    ) {
        guard let map = root.mapping else { throw fail(root, "a recipe is a mapping") }
        for (k, _) in map {
            guard let key = k.string, Self.topKeys.contains(key) else {
                throw fail(
                    k,
                    "unknown key '\(k.string ?? "?")' (known: \(Self.topKeys.sorted().joined(separator: ", ")))"
                )
            }
        }
        guard map["kind"]?.string == "episodes" else { throw fail(root, "kind must be 'episodes'") }
        guard let name = map["name"]?.string, !name.isEmpty else { throw fail(root, "name is missing") }
        guard let seedNode = map["seed"], let seed = seedNode.int, seed >= 0, UInt64(seed) < EpisodeCompiler.seedLimit
        else {
            throw fail(map["seed"] ?? root, "seed must be a whole number from 0 to 10^15 - 1")
        }
        var heldOut = 0.2
        if let h = map["held_out_structures"] {
            guard let f = h.float, f > 0, f < 1 else {
                throw fail(h, "held_out_structures must lie strictly between 0 and 1")
            }
            heldOut = f
        }
        let defaults = map["defaults"]
        if let d = defaults {
            guard let m = d.mapping else { throw fail(d, "defaults must be a mapping") }
            for (k, _) in m {
                guard let key = k.string, Self.splitKeys.contains(key), key != "name" else {
                    throw fail(k, "unknown default '\(k.string ?? "?")'")
                }
            }
        }
        guard let splitNodes = map["splits"]?.sequence, !splitNodes.isEmpty else {
            throw fail(map["splits"] ?? root, "splits must be a non-empty list")
        }
        return (name, UInt64(seed), heldOut, defaults?.mapping, Array(splitNodes))
    }

    /// One split: its keys over the defaults.
    func split(_ node: Node, defaults: Node.Mapping?, heldOut: Double) throws -> EpisodeRecipe.Split {
        guard let m = node.mapping else { throw fail(node, "a split is a mapping") }
        for (k, _) in m {
            guard let key = k.string, Self.splitKeys.contains(key) else {
                throw fail(
                    k,
                    "unknown split key '\(k.string ?? "?")' (known: \(Self.splitKeys.sorted().joined(separator: ", ")))"
                )
            }
        }
        let keys = Keys(split: m, defaults: defaults, decoder: self)
        guard let name = m["name"]?.string, !name.isEmpty,
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        else { throw fail(node, "a split needs a name of letters, digits, '_' or '-'") }
        let role = keys.value("role")?.string ?? "train"
        guard ["train", "eval"].contains(role) else { throw fail(keys.value("role"), "role must be train or eval") }
        let count = try keys.int("count", 0)
        guard count > 0, count <= EpisodeRecipe.maxCount else {
            throw fail(keys.value("count") ?? node, "count must lie in 1...\(EpisodeRecipe.maxCount)")
        }
        let nodes = try keys.range("nodes", 5...5)
        let goalName = keys.value("goal")?.string ?? "any"
        guard let goal = GoalPosition(rawValue: goalName) else {
            throw fail(keys.value("goal"), "goal '\(goalName)' is not any, sink or inner")
        }
        let noise = try keys.int("noise", 0)
        var level = EpisodeLevel(
            nodes: nodes.lowerBound,
            family: try family(keys),
            weights: try keys.range("weights", -3...3),
            constants: try keys.range("constants", 0...3),
            settings: try keys.range("settings", 0...5),
            trials: try keys.int("trials", noise == 0 ? 1 : 4),
            noise: noise,
            structures: try structures(keys, heldOut: heldOut),
            goal: goal
        )
        for n in [nodes.lowerBound, nodes.upperBound] {
            level.nodes = n
            if let problem = level.problem { throw fail(node, "split '\(name)': \(problem)") }
        }
        var explanations = true
        if let e = keys.value("explanations") {
            guard let b = e.bool else { throw fail(e, "explanations must be true or false") }
            explanations = b
        }
        return EpisodeRecipe.Split(
            name: name,
            role: role,
            count: count,
            nodes: nodes,
            level: level,
            explanations: explanations,
            confound: try confound(keys.value("confound"))
        )
    }

    /// A split's keys, each read from the split, else from the defaults.
    struct Keys {
        let split: Node.Mapping
        let defaults: Node.Mapping?
        let decoder: EpisodeRecipeDecoder

        func value(_ key: String) -> Node? { split[key] ?? defaults?[key] }

        func int(_ key: String, _ fallback: Int) throws -> Int {
            guard let v = value(key) else { return fallback }
            guard let i = v.int else { throw decoder.fail(v, "\(key) must be a whole number") }
            return i
        }

        /// A whole number (a range of one) or [low, high].
        func range(_ key: String, _ fallback: ClosedRange<Int>) throws -> ClosedRange<Int> {
            guard let v = value(key) else { return fallback }
            if let i = v.int { return i...i }
            guard let s = v.sequence, s.count == 2, let lo = s[0].int, let hi = s[1].int, lo <= hi else {
                throw decoder.fail(v, "\(key) must be a whole number or [low, high] with low <= high")
            }
            return lo...hi
        }
    }

    func family(_ keys: Keys) throws -> GraphFamily {
        switch keys.value("family")?.string ?? "branching" {
        case "branching":
            let f = keys.value("branching_factor")?.float ?? 1.2
            guard f > 0, f <= 6 else {
                throw fail(keys.value("branching_factor"), "branching_factor must lie in (0, 6]")
            }
            return .branching(factor: f, connected: true)
        case "random":
            let p = keys.value("edge_probability")?.float ?? 0.5
            guard p > 0, p <= 1 else {
                throw fail(keys.value("edge_probability"), "edge_probability must lie in (0, 1]")
            }
            return .random(edgeProbability: p)
        case "chain": return .chain
        case let other: throw fail(keys.value("family"), "family '\(other)' is not branching, random or chain")
        }
    }

    func structures(_ keys: Keys, heldOut: Double) throws -> StructureFilter {
        switch keys.value("structures")?.string ?? "all" {
        case "all": .all
        case "seen": .seen(fraction: heldOut)
        case "held-out": .heldOut(fraction: heldOut)
        case let other: throw fail(keys.value("structures"), "structures '\(other)' is not all, seen or held-out")
        }
    }

    /// `confound: {cue: answer-first, agreement: 0...1}` (agreement 1 by default, two decimals).
    func confound(_ node: Node?) throws -> (cue: String, agreement: Int)? {
        guard let c = node else { return nil }
        guard let cm = c.mapping else { throw fail(c, "confound must be {cue: answer-first, agreement: 0...1}") }
        for (k, _) in cm where !["cue", "agreement"].contains(k.string ?? "") {
            throw fail(k, "unknown key '\(k.string ?? "?")' in confound (cue, agreement)")
        }
        guard let cue = cm["cue"]?.string, cue == EpisodeText.answerFirstCue else {
            throw fail(cm["cue"] ?? c, "confound's cue must be '\(EpisodeText.answerFirstCue)'")
        }
        let share = cm["agreement"].map { $0.float } ?? 1.0
        guard let share, share >= 0, share <= 1, abs(share * 100 - (share * 100).rounded()) < 1e-9 else {
            throw fail(cm["agreement"], "agreement must lie in 0...1 with at most two decimals")
        }
        return (cue, Int((share * 100).rounded()))
    }
}
