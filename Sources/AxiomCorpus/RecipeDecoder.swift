import AxiomCore
import AxiomGrammar
import AxiomRecords
import Foundation
import Yams

extension Recipe {
    public static func load(path: String, grammars: GrammarCatalog) throws -> Recipe {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecipeError(file: path, line: 0, column: 0, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RecipeError(file: path, line: 0, column: 0, message: "the file is not UTF-8 text")
        }
        return try decode(text, file: path, grammars: grammars)
    }

    /// Decodes recipe text strictly: unknown or repeated keys, wrong types and impossible
    /// settings are errors with file, line and column; nothing is silently defaulted except
    /// the documented defaults.
    public static func decode(_ text: String, file: String, grammars: GrammarCatalog) throws -> Recipe {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw RecipeError(file: file, line: 1, column: 1, message: "the recipe is empty")
            }
            root = node
        } catch let e as YamlError {
            throw RecipeDecoder(file: file, grammars: grammars).yamlError(e, text: text)
        }
        return try RecipeDecoder(file: file, grammars: grammars).recipe(root, text: text)
    }
}

/// Walks the YAML node tree with positions, checking every key and value.
struct RecipeDecoder {
    let file: String
    let grammars: GrammarCatalog

    static let topKeys = ["name", "seed", "grammar", "names", "defaults", "splits"]
    static let splitKeys = [
        "name", "role", "axioms", "family", "nodes", "flip_probability", "branching_factor", "connected",
        "edge_probability", "given_size", "order", "distractors", "explanations", "prompt",
        "queries_per_graph", "count", "shard_size", "names", "leakage", "balance_tolerance",
        "control", "control_slack", "question_types", "max_cue", "max_probe", "twins", "format", "edges", "premise_end",
        "tasks", "level", "confound",
    ]
    static let nameKeys = ["alphabet", "length", "words", "case_sensitive", "sequential"]

    func fail(_ node: Node?, _ message: String) -> RecipeError {
        RecipeError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message: message)
    }

    func yamlError(_ e: YamlError, text: String) -> RecipeError {
        switch e {
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the mapping; point at the key's second appearance at its indentation.
            let key = duplicates.sorted()[0]
            let indent = String(repeating: " ", count: max(0, context.mark.column - 1))
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            var seen = 0
            for (i, line) in lines.enumerated() where i + 1 >= context.mark.line {
                let trimmed = line.hasPrefix(indent + "- ") ? indent + line.dropFirst(indent.count + 2) : line
                if trimmed.hasPrefix(indent + key + ":") {
                    seen += 1
                    if seen == 2 {
                        return RecipeError(
                            file: file,
                            line: i + 1,
                            column: indent.count + 1,
                            message: "key '\(key)' appears twice in the same mapping"
                        )
                    }
                }
            }
            return RecipeError(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                message: "key '\(key)' appears twice in this mapping"
            )
        case let .scanner(context, problem, mark, _):
            return RecipeError(
                file: file,
                line: mark.line,
                column: mark.column,
                message: "\(context?.text ?? "") \(problem)".trimmingCharacters(in: .whitespaces)
            )
        case let .parser(context, problem, mark, _):
            return RecipeError(
                file: file,
                line: mark.line,
                column: mark.column,
                message: "\(context?.text ?? "") \(problem)".trimmingCharacters(in: .whitespaces)
            )
        case let .composer(context, problem, mark, _):
            return RecipeError(
                file: file,
                line: mark.line,
                column: mark.column,
                message: "\(context?.text ?? "") \(problem)".trimmingCharacters(in: .whitespaces)
            )
        default:
            return RecipeError(file: file, line: 0, column: 0, message: "\(e)")
        }
    }

    /// The mapping's entries by key, refusing unknown and repeated keys.
    func entries(_ node: Node, allowed: [String], what: String) throws -> [String: (key: Node, value: Node)] {
        guard case let .mapping(mapping) = node else { throw fail(node, "\(what) must be a mapping of keys to values") }
        var out: [String: (Node, Node)] = [:]
        for (k, v) in mapping {
            guard let key = k.string else { throw fail(k, "keys must be strings") }
            guard allowed.contains(key) else {
                let hint = suggestion(key, allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw fail(k, "unknown key '\(key)' in \(what)\(hint)")
            }
            guard out[key] == nil else { throw fail(k, "key '\(key)' appears twice in \(what)") }
            out[key] = (k, v)
        }
        return out
    }

    func suggestion(_ key: String, _ allowed: [String]) -> String? {
        // A key the typo abbreviates (flip_prob → flip_probability) beats a closer edit distance.
        if key.count >= 3, let prefixed = allowed.first(where: { $0.hasPrefix(key) }) { return prefixed }
        let best = allowed.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, key.count / 3) || best.0.hasPrefix(key) || key.hasPrefix(best.0) else {
            return nil
        }
        return best.0
    }

    func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case let .scalar(s) = node, s.style == .plain || s.style == .singleQuoted || s.style == .doubleQuoted
        else {
            throw fail(node, "'\(key)' must be a string")
        }
        return s.string
    }

    func int(_ node: Node, _ key: String, min lower: Int = 0, max upper: Int) throws -> Int {
        guard case let .scalar(s) = node, let v = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            let shown = node.string.map { String($0.prefix(40)) } ?? "a collection"
            throw fail(node, "'\(key)' must be a whole number, not '\(shown)'")
        }
        guard v >= lower else { throw fail(node, "'\(key)' must be at least \(lower), not \(v)") }
        guard v <= upper else { throw fail(node, "'\(key)' must be at most \(upper), not \(v)") }
        return v
    }

    func double(_ node: Node, _ key: String, in range: ClosedRange<Double>) throws -> Double {
        guard case let .scalar(s) = node, let v = Double(s.string) else {
            throw fail(node, "'\(key)' must be a number, not '\(node.string ?? "a collection")'")
        }
        guard range.contains(v) else {
            throw fail(node, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), not \(v)")
        }
        return v
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard case let .scalar(s) = node, ["true", "false"].contains(s.string) else {
            throw fail(node, "'\(key)' must be true or false, not '\(node.string ?? "a collection")'")
        }
        return s.string == "true"
    }

    /// `explanations:` — `false`, `true` (the same as `proof`), `proof` or `search`.
    func explanationSetting(_ node: Node) throws -> (Bool, ExplanationStyle) {
        guard case let .scalar(s) = node, ["true", "false", "proof", "search"].contains(s.string) else {
            throw fail(
                node,
                "'explanations' must be true, false, proof or search, not '\(node.string ?? "a collection")'"
            )
        }
        return (s.string != "false", s.string == "search" ? .search : .proof)
    }

    /// `twins:` — `true`, `false` or `all`.
    func twinMode(_ node: Node) throws -> TwinMode {
        guard case let .scalar(s) = node, ["true", "false", "all"].contains(s.string) else {
            throw fail(node, "'twins' must be true, false or all, not '\(node.string ?? "a collection")'")
        }
        return s.string == "all" ? .all : s.string == "true" ? .some : .off
    }

    /// `5` or `[3, 6]`.
    func range(_ node: Node, _ key: String, min lower: Int, max upper: Int) throws -> ClosedRange<Int> {
        if case .sequence(let seq) = node {
            guard seq.count == 2 else { throw fail(node, "'\(key)' must be a number or [min, max]") }
            let a = try int(seq[0], key, min: lower, max: upper)
            let b = try int(seq[1], key, min: lower, max: upper)
            guard a <= b else { throw fail(node, "'\(key)' range [\(a), \(b)] runs backwards") }
            return a...b
        }
        let v = try int(node, key, min: lower, max: upper)
        return v...v
    }

    /// A value or a list of values of an enumeration.
    func list<T>(_ node: Node, _ key: String, _ make: (String) -> T?, choices: [String]) throws -> [T] {
        let items: [Node]
        if case .sequence(let seq) = node { items = Array(seq) } else { items = [node] }
        guard !items.isEmpty else { throw fail(node, "'\(key)' must not be empty") }
        return try items.map { item in
            let s = try string(item, key)
            guard let v = make(s) else {
                throw fail(item, "'\(key)' has no value '\(s)' (choose from \(choices.joined(separator: ", ")))")
            }
            return v
        }
    }

    func recipe(_ root: Node, text: String) throws -> Recipe {
        let top = try entries(root, allowed: Self.topKeys, what: "the recipe")
        func required(_ key: String) throws -> Node {
            guard let v = top[key]?.value else { throw fail(root, "the recipe needs '\(key)'") }
            return v
        }
        let name = try string(try required("name"), "name")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw fail(top["name"]?.value, "'name' may hold letters, digits, '_' and '-' only")
        }
        let seedNode = try required("seed")
        guard case let .scalar(s) = seedNode, let seed = UInt64(s.string.replacingOccurrences(of: "_", with: "")) else {
            throw fail(seedNode, "'seed' must be a whole number from 0 to 2^64-1")
        }
        let grammarName = try string(try required("grammar"), "grammar")
        let grammar = try loadGrammar(grammarName, at: top["grammar"]?.value)
        let baseNames = try top["names"].map { try names($0.value, fallback: .paper) } ?? .paper
        var defaults: [String: (key: Node, value: Node)] = [:]
        if let d = top["defaults"] {
            defaults = try taskAlias(
                try entries(d.value, allowed: Self.splitKeys.filter { $0 != "name" }, what: "defaults")
            )
        }
        let splitsNode = try required("splits")
        guard case let .sequence(seq) = splitsNode, !seq.isEmpty else {
            throw fail(splitsNode, "'splits' must be a non-empty list")
        }
        guard seq.count <= Limits.splits else {
            throw fail(splitsNode, "a recipe may have at most \(Limits.splits) splits, not \(seq.count)")
        }
        var splits: [SplitSpec] = []
        for item in seq {
            try splits.append(nextSplit(item, after: splits, defaults: defaults, names: baseNames, grammar: grammar))
        }
        let shapes = splits.flatMap(\.axioms).compactMap { TaskCatalog.task($0)?.shape }
        for i in splits.indices {
            splits[i].recordsNode = shapes.contains { $0.contains(.node) }
            splits[i].recordsSet = shapes.contains { $0.contains(.set) }
            splits[i].recordsRelation = shapes.contains { $0.contains(.relation) }
            splits[i].recordsTables = splits.flatMap(\.axioms).contains { TaskCatalog.task($0)?.premiseStyle == .model }
            splits[i].recipeName = name
            splits[i].recipeFile = file
        }
        try checkLeakage(splits, root: splitsNode)
        return Recipe(
            name: name,
            file: file,
            text: text,
            seed: seed,
            grammarName: grammarName,
            grammar: grammar,
            splits: splits
        )
    }

    /// The recipe's grammar; its own problem is the cause, without a second "error:".
    private func loadGrammar(_ name: String, at node: Node?) throws -> Grammar {
        do { return try grammars.grammar(name) } catch {
            let cause =
                (error as? GrammarError).map { "\($0.file)\($0.line > 0 ? ":\($0.line)" : ""): \($0.message)" }
                ?? "\(error)"
            var wrapped = fail(node, "grammar '\(name)': \(cause)")
            wrapped.underlying = error
            throw wrapped
        }
    }

    /// One item of `splits`: its keys over the defaults, a level's keys under both, decoded; a
    /// name not taken, the format the earlier splits have, and the shards within the limit.
    private func nextSplit(
        _ item: Node,
        after splits: [SplitSpec],
        defaults: Entries,
        names baseNames: NameStyle,
        grammar: Grammar
    ) throws -> SplitSpec {
        let own = try taskAlias(try entries(item, allowed: Self.splitKeys, what: "a split"))
        var merged = defaults.merging(own) { _, new in new }
        if let level = merged["level"], let axioms = merged["axioms"] {
            let tasks = try taskList(axioms.value, key: axioms.key).tasks.map { TaskCatalog.task($0)! }
            let filled = try leveledKeys(
                try levels(level.value),
                at: level.value,
                tasks: tasks,
                split: merged,
                names: baseNames
            )
            merged.merge(filled) { old, _ in old }
        }
        let spec = try split(item, merged, names: baseNames, grammar: grammar)
        if splits.contains(where: { $0.name == spec.name }) {
            throw fail(own["name"]?.value, "split '\(spec.name)' is defined twice")
        }
        if let first = splits.first, first.format != spec.format {
            // One dataset config, one schema: datasets cannot load splits of two layouts together.
            throw fail(
                merged["format"]?.value ?? item,
                "split '\(spec.name)' has format '\(spec.format.rawValue)' but split '\(first.name)' has '\(first.format.rawValue)': every split of a recipe shares one format"
            )
        }
        let shards = splits.reduce(0) { $0 + $1.shardCount } + spec.shardCount
        guard shards <= Limits.shards else {
            throw fail(
                item,
                "the splits so far make \(shards) shards; a recipe may have at most \(Limits.shards) (raise 'shard_size')"
            )
        }
        return spec
    }

    func names(_ node: Node, fallback: NameStyle) throws -> NameStyle {
        let e = try entries(node, allowed: Self.nameKeys, what: "names")
        var style = fallback
        if let a = e["alphabet"] {
            do { style.alphabet = try NameStyle.alphabet(try string(a.value, "alphabet")) } catch let s as SyntaxError {
                throw fail(a.value, s.message)
            }
        }
        if let l = e["length"] { style.lengths = try range(l.value, "length", min: 1, max: Limits.nameLength) }
        if let c = e["case_sensitive"] { style.caseSensitive = try bool(c.value, "case_sensitive") }
        if let q = e["sequential"] { style.sequential = try bool(q.value, "sequential") }
        if let w = e["words"] {
            let path = try string(w.value, "words")
            // Relative to the recipe file; an embedded recipe has no folder, so to the working directory.
            let base =
                file.hasPrefix(SearchPath.embeddedPrefix)
                ? FileManager.default.currentDirectoryPath : URL(fileURLWithPath: file).deletingLastPathComponent().path
            let resolved = path.hasPrefix("/") ? path : (URL(fileURLWithPath: base).appendingPathComponent(path).path)
            guard let data = FileManager.default.contents(atPath: resolved) else {
                throw fail(w.value, "cannot read word list '\(resolved)'")
            }
            style.words = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }.map {
                    Array($0.utf8)
                }
        }
        return style
    }

    /// `nodes`: `5`, `[3, 6]` (every count from 3 to 6), or `{set: [5, 8, 10, 12]}` (those
    /// counts only); the range, and the set when one was given.
    func nodeCounts(_ node: Node) throws -> (ClosedRange<Int>, [Int]?) {
        guard case let .mapping(mapping) = node else {
            return (try range(node, "nodes", min: 2, max: Limits.nodes), nil)
        }
        let e = try entries(node, allowed: ["set"], what: "'nodes'")
        guard mapping.count == 1, let list = e["set"]?.value, case let .sequence(seq) = list, !seq.isEmpty else {
            throw fail(node, "'nodes' must be a number, [min, max] or {set: [n, …]}")
        }
        var counts: [Int] = []
        for item in seq {
            let n = try int(item, "nodes", min: 2, max: Limits.nodes)
            guard !counts.contains(n) else { throw fail(item, "'nodes' set holds \(n) twice") }
            counts.append(n)
        }
        counts.sort()
        return (counts[0]...counts[counts.count - 1], counts)
    }

    /// An eval split that promises graph-level separation may not share a (nodes, edges) shape
    /// with any training split: isomorphic graphs have equal shapes, so disjoint shapes make
    /// leakage impossible by construction.
    func checkLeakage(_ splits: [SplitSpec], root: Node) throws {
        let train = splits.filter { $0.role == .train }
        for s in splits where s.role == .eval && s.leakage == .graph {
            if let example = firstSharedShape(s, train) {
                throw RecipeError(
                    file: file,
                    line: s.line,
                    column: 0,
                    message:
                        "eval split '\(s.name)' can produce graphs of \(example[0]) nodes and \(example[1]) edges, as training can; "
                        + "make the sizes disjoint or set 'leakage: text' (premise text is then kept disjoint instead)"
                )
            }
        }
    }

    /// The smallest (nodes, edges) shape `split` shares with any of `train`, comparing edge-count
    /// ranges per node count instead of enumerating shapes (a random family of 4096 nodes has
    /// billions).
    func firstSharedShape(_ split: SplitSpec, _ train: [SplitSpec]) -> [Int]? {
        for n in split.nodeCounts {
            let own = split.family.edgeCountRange(nodes: n)
            var best: Int?
            for t in train where t.nodeSet?.contains(n) ?? t.nodes.contains(n) {
                let other = t.family.edgeCountRange(nodes: n)
                if own.overlaps(other) { best = min(best ?? Int.max, max(own.lowerBound, other.lowerBound)) }
            }
            if let best { return [n, best] }
        }
        return nil
    }
}

/// The largest value each numeric recipe field accepts (docs/recipes.md): with them, every
/// accepted recipe compiles in bounded memory.
public enum Limits {
    static let count = 1_000_000_000
    static let shardSize = 100_000_000
    /// Shard names have five-digit numbers.
    static let shardsPerSplit = 99_999
    static let shards = 99_999
    static let splits = 256
    public static let nodes = 4096
    static let distractors = 4096
    static let queriesPerGraph = 10_000
    static let nameLength = 64
}
