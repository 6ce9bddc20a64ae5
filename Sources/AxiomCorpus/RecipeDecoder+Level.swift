import AxiomCore
import AxiomGrammar
import Yams

/// `level:` — a split's difficulty as the split keys it stands for (`Difficulty`).
extension RecipeDecoder {
    typealias Entries = [String: (key: Node, value: Node)]

    /// The levels `level:` asks for: one for every attribute (`level: hard`, `level: 2`), or some
    /// attributes each at its own (`level: {nodes: 4, density: 2}`).
    func levels(_ node: Node) throws -> [Difficulty.Attribute: Int] {
        func one(_ value: Node, _ key: String) throws -> Int {
            let presets = Difficulty.presets.map(\.name).joined(separator: ", ")
            let range = "\(Difficulty.levels.lowerBound)–\(Difficulty.levels.upperBound)"
            guard case let .scalar(s) = value, let level = Difficulty.level(named: s.string) else {
                throw fail(
                    value,
                    "'\(key)' must be \(presets) or a level \(range), not '\(value.string ?? "a collection")'"
                )
            }
            return level
        }
        guard case .mapping = node else {
            let level = try one(node, "level")
            return Dictionary(uniqueKeysWithValues: Difficulty.Attribute.allCases.map { ($0, level) })
        }
        let names = Difficulty.Attribute.allCases.map(\.rawValue)
        let e = try entries(node, allowed: names, what: "'level'")
        guard !e.isEmpty else {
            throw fail(node, "'level' must name at least one attribute (\(names.joined(separator: ", ")))")
        }
        var out: [Difficulty.Attribute: Int] = [:]
        for (key, entry) in e { out[Difficulty.Attribute(rawValue: key)!] = try one(entry.value, "level.\(key)") }
        return out
    }

    /// The split keys `levels` stand for, by the table of the split's first task (its conditioning
    /// set's by the first task that asks with one), for every key `split` does not set: a key the
    /// split or `defaults` sets wins over the level. Attributes the tasks do not have are skipped.
    func leveledKeys(
        _ levels: [Difficulty.Attribute: Int],
        at levelNode: Node,
        tasks: [any CausalTask],
        split: Entries,
        names baseNames: NameStyle
    ) throws -> Entries {
        let table = tasks[0].difficulty
        let mark = levelNode.mark
        func scalar(_ text: String) -> Node { .scalar(Node.Scalar(text, .implicit, .plain, mark)) }
        func pair(_ r: ClosedRange<Int>) -> Node {
            .sequence(Node.Sequence([scalar("\(r.lowerBound)"), scalar("\(r.upperBound)")], .implicit, .flow, mark))
        }
        var out: Entries = [:]
        func set(_ key: String, _ value: Node) {
            if split[key] == nil { out[key] = (scalar(key), value) }
        }
        if let l = levels[.nodes] { set("nodes", pair(table.nodes[l - 1])) }
        if let l = levels[.density] {
            // The family comes with the density: the task's, unless the split names one.
            let family = try split["family"].map { try string($0.value, "family") } ?? table.family
            set("family", scalar(family))
            if family == "branching" { set("branching_factor", scalar("\(table.density[l - 1])")) }
            if family == "random" { set("edge_probability", scalar("\(table.density[l - 1])")) }
        }
        if let l = levels[.givenSize],
            let sizes = tasks.first(where: { !$0.difficulty.givenSize.isEmpty })?.difficulty.givenSize
        {
            // Never more than the smallest graph leaves room for (its nodes less x and y).
            let nodes = try (out["nodes"] ?? split["nodes"]).map { try nodeCounts($0.value).0 } ?? 2...2
            let room = max(0, nodes.lowerBound - 2)
            let r = sizes[l - 1]
            set("given_size", pair(min(r.lowerBound, room)...max(min(r.upperBound, room), min(r.lowerBound, room))))
        }
        if let l = levels[.distractors], !table.distractors.isEmpty {
            set("distractors", scalar("\(table.distractors[l - 1])"))
        }
        if let l = levels[.order], !table.order.isEmpty {
            set("order", .sequence(Node.Sequence(table.order[l - 1].map(scalar), .implicit, .flow, mark)))
        }
        if let l = levels[.nameLength], baseNames.words == nil {
            let length: (Node, Node) = (scalar("length"), pair(table.nameLength[l - 1]))
            set("names", .mapping(Node.Mapping([length], .implicit, .block, mark)))
        }
        return out
    }

    /// The level written into every record's `meta.difficulty`: the one level, or the mean of
    /// the attributes' levels rounded half up.
    static func summaryLevel(_ levels: [Difficulty.Attribute: Int]) -> Int {
        let sum = levels.values.reduce(0, +)
        return (2 * sum + levels.count) / (2 * levels.count)
    }
}
