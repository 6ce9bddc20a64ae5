import AxiomCore
import AxiomGrammar
import AxiomRecords
import Yams

/// One split of a recipe (its keys merged over `defaults`), read in named steps. The steps run
/// in the order the keys were always checked, so the first error a recipe gets is unchanged.
extension RecipeDecoder {
    func split(
        _ node: Node,
        _ e: Entries,
        names baseNames: NameStyle,
        grammar: Grammar
    ) throws -> SplitSpec {
        let name = try splitName(node, e)
        let role = try list(try need("role", node, e), "role", SplitRole.init(rawValue:), choices: ["train", "eval"])
        guard role.count == 1 else { throw fail(e["role"]?.value, "'role' takes one value") }
        let (axioms, taskWeights, tasks) = try splitTasks(node, e, grammar: grammar)
        let family = try graphFamily(node, e)
        let (nodes, nodeSet) = try nodeCounts(try need("nodes", node, e))
        let given = try givenSizes(e, tasks: tasks, nodes: nodes)
        let (premiseEnd, orders) = try premiseForm(e, grammar: grammar)
        try checkModelPremise(premiseEnd, e, tasks: tasks)
        let (explanations, explanationStyle) = try explanationSetting(e, tasks: tasks, grammar: grammar)
        let (prompt, leakage) = try promptAndLeakage(e, role: role[0], grammar: grammar)
        let (style, distractors) = try namesAndDistractors(node, e, base: baseNames, grammar: grammar, nodes: nodes)
        try checkModelSize(nodes.upperBound + distractors, node, e, tasks: tasks)
        let (count, shardSize) = try countAndShards(node, e)
        let (perGraph, tolerance) = try perGraphAndTolerance(e)
        let (controlled, uncontrolled) = try control(e, tasks: tasks)
        let mix = try questionTypes(e, tasks: tasks)
        let (maxCue, maxProbe) = try shortcutLimits(e, role: role[0], controlled: controlled)
        let twins = try e["twins"].map { try twinMode($0.value) } ?? .off
        var spec = SplitSpec(
            name: name,
            role: role[0],
            axioms: axioms,
            family: family,
            nodes: nodes,
            givenSizes: given,
            orders: orders,
            distractors: distractors,
            explanations: explanations,
            explanationStyle: explanationStyle,
            prompt: prompt,
            queriesPerGraph: perGraph,
            count: count,
            shardSize: shardSize,
            names: style,
            leakage: leakage,
            balanceTolerance: tolerance,
            controlledCues: controlled,
            uncontrolledTasks: uncontrolled,
            typeMix: mix,
            maxCue: maxCue,
            maxProbe: maxProbe,
            twins: twins,
            format: try recordFormat(e),
            line: node.mark?.line ?? 0,
            column: node.mark?.column ?? 1
        )
        spec.nodeSet = nodeSet
        spec.premiseEnd = premiseEnd
        try setSlackAndLevel(&spec, e)
        spec.taskWeights = taskWeights
        let effective = uncontrolled.count == tasks.count ? [] : controlled
        spec.confound = try confoundSetting(e, tasks: tasks, controlled: effective, twins: twins)
        return spec
    }

    /// `axioms` (or `tasks`): the tasks asked, their weights, each one the grammar can ask.
    private func splitTasks(
        _ node: Node,
        _ e: Entries,
        grammar: Grammar
    ) throws -> ([Axiom], [Double]?, [any CausalTask]) {
        let axiomsNode = try need("axioms", node, e)
        let (axioms, taskWeights) = try taskList(axiomsNode, key: e["axioms"]!.key)
        let tasks = axioms.map { TaskCatalog.task($0)! }
        for task in tasks where !grammar.asks(task) {
            throw fail(axiomsNode, "grammar '\(grammar.name)' has no question templates for task '\(task.axiom)'")
        }
        return (axioms, taskWeights, tasks)
    }

    /// `premise_end: none` is for premises of edges, not for a task that states a causal model.
    private func checkModelPremise(_ premiseEnd: PremiseEnd, _ e: Entries, tasks: [any CausalTask]) throws {
        if premiseEnd == .bare, let task = tasks.first(where: { $0.premiseStyle == .model }) {
            throw fail(
                e["premise_end"]?.value,
                "'premise_end: none' is for premises of edges; task '\(task.axiom)' states a causal model"
            )
        }
    }

    /// A task that states a causal model has at most `CausalModel.maxNodes` variables.
    private func checkModelSize(_ variables: Int, _ node: Node, _ e: Entries, tasks: [any CausalTask]) throws {
        if let task = tasks.first(where: { $0.premiseStyle == .model }), variables > CausalModel.maxNodes {
            throw fail(
                e["nodes"]?.value ?? node,
                "task '\(task.axiom)' states a causal model, which has at most \(CausalModel.maxNodes) variables (distractors included), not \(variables)"
            )
        }
    }

    /// `queries_per_graph` (1 unless set) and `balance_tolerance` (0.05 unless set).
    private func perGraphAndTolerance(_ e: Entries) throws -> (Int, Double) {
        let perGraph =
            try e["queries_per_graph"].map {
                try int($0.value, "queries_per_graph", min: 1, max: Limits.queriesPerGraph)
            } ?? 1
        let tolerance =
            try e["balance_tolerance"].map { try double($0.value, "balance_tolerance", in: 0...0.5) } ?? 0.05
        return (perGraph, tolerance)
    }

    /// `format` (records unless set).
    private func recordFormat(_ e: Entries) throws -> RecordFormat {
        try e["format"].map {
            try list($0.value, "format", RecordFormat.init(rawValue:), choices: RecordFormat.allCases.map(\.rawValue))[
                0
            ]
        } ?? .records
    }

    /// `max_cue` and `max_probe`: 0.55 and 0.60 for a controlled eval split unless set; `off`: none.
    private func shortcutLimits(_ e: Entries, role: SplitRole, controlled: [String]) throws -> (Double?, Double?) {
        func limit(_ key: String, eval: Double) throws -> Double? {
            guard let node = e[key]?.value else { return role == .eval && !controlled.isEmpty ? eval : nil }
            if case let .scalar(v) = node, v.string == "off" { return nil }
            return try double(node, key, in: 0.5...1)
        }
        return (try limit("max_cue", eval: 0.55), try limit("max_probe", eval: 0.60))
    }

    /// `confound: {cue: NAME, agreement: 0…1}` (agreement 1 by default, two decimals): the cue
    /// must be one every task of the split reports; `control` and twins (which keep every cue
    /// and flip the label) are refused.
    private func confoundSetting(
        _ e: Entries,
        tasks: [any CausalTask],
        controlled: [String],
        twins: TwinMode
    ) throws -> Confound? {
        guard let c = e["confound"] else { return nil }
        let keys = try entries(c.value, allowed: ["cue", "agreement"], what: "'confound'")
        guard let cueNode = keys["cue"]?.value else { throw fail(c.value, "'confound' needs 'cue'") }
        let cue = try string(cueNode, "cue")
        let shared = tasks.dropFirst().reduce(tasks[0].recordCueNames) { common, task in
            common.filter(task.recordCueNames.contains)
        }
        guard shared.contains(cue) else {
            throw fail(
                cueNode,
                "'confound' cue '\(cue)' is not a cue of every task of this split (shared: \(shared.joined(separator: ", ")))"
            )
        }
        let share = try keys["agreement"].map { try double($0.value, "agreement", in: 0...1) } ?? 1
        let hundredths = (share * 100).rounded()
        guard abs(share * 100 - hundredths) < 1e-9 else {
            throw fail(keys["agreement"]?.value, "'agreement' takes at most two decimals, not \(share)")
        }
        if twins != .off {
            throw fail(
                e["twins"]?.value,
                "'twins' keep every cue and flip the label, so they cannot be combined with 'confound'"
            )
        }
        for key in ["max_cue", "max_probe"] {
            if case let .scalar(v)? = e[key]?.value, v.string == "off" { continue }
            if let node = e[key]?.value {
                throw fail(node, "'\(key)' would hold the planted shortcut to a limit it exists to break ('confound')")
            }
        }
        // The label controller balances cells by switching a draw's label when its cell is full;
        // a planted cue ties the label to the cue, and the two together lean the labels.
        if !controlled.isEmpty {
            throw fail(
                e["control"]?.value,
                "a confounded split takes no 'control' (for the deconfounded evaluation, a split with 'control: all' and no 'confound' balances '\(cue)')"
            )
        }
        return Confound(cue: cue, agreement: Int(hundredths))
    }

    /// `prompt` (the grammar must wrap one) and `leakage` (eval splits only).
    private func promptAndLeakage(_ e: Entries, role: SplitRole, grammar: Grammar) throws -> (Bool, Leakage) {
        let prompt = try e["prompt"].map { try bool($0.value, "prompt") } ?? false
        if prompt && grammar.prompt == nil {
            throw fail(e["prompt"]?.value, "grammar '\(grammar.name)' has no prompt wrapper")
        }
        let leakage =
            try e["leakage"].map {
                try list($0.value, "leakage", Leakage.init(rawValue:), choices: ["graph", "text"])[0]
            } ?? .graph
        if role == .train && e["leakage"] != nil {
            throw fail(e["leakage"]?.key, "'leakage' applies to eval splits only")
        }
        return (prompt, leakage)
    }

    /// `control_slack` (with `control` only) and `level`.
    private func setSlackAndLevel(_ spec: inout SplitSpec, _ e: Entries) throws {
        if let slack = e["control_slack"] {
            guard !spec.controlledCues.isEmpty else { throw fail(slack.value, "'control_slack' needs 'control'") }
            spec.controlSlack = try double(slack.value, "control_slack", in: 0...0.5)
        }
        if let level = e["level"] {
            let asked = try levels(level.value)
            spec.levels = Dictionary(uniqueKeysWithValues: asked.map { ($0.key.rawValue, $0.value) })
            spec.difficulty = Self.summaryLevel(asked)
        }
    }

    /// A key the split must have (`axioms` is filed under its older name; a recipe is told the
    /// documented one).
    private func need(_ key: String, _ node: Node, _ e: Entries) throws -> Node {
        guard let v = e[key]?.value else { throw fail(node, "a split needs '\(key == "axioms" ? "tasks" : key)'") }
        return v
    }

    private func splitName(_ node: Node, _ e: Entries) throws -> String {
        let name = try string(try need("name", node, e), "name")
        guard !name.isEmpty, name.allSatisfy({ ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }) else {
            throw fail(
                e["name"]?.value,
                "split name '\(name)' may hold lower-case letters, digits and '_' only (Hugging Face split names)"
            )
        }
        return name
    }

    /// `family` and the keys that belong to it; a key of another family is an error.
    private func graphFamily(_ node: Node, _ e: Entries) throws -> GraphFamily {
        let familyName = try string(try need("family", node, e), "family")
        let flip = try e["flip_probability"].map { try double($0.value, "flip_probability", in: 0...1) }
        let branching = try e["branching_factor"].map { try double($0.value, "branching_factor", in: 0...100) }
        let edgeP = try e["edge_probability"].map { try double($0.value, "edge_probability", in: 0...1) }
        let connected = try e["connected"].map { try bool($0.value, "connected") } ?? true
        let rounding = try e["edges"].map {
            try list($0.value, "edges", EdgeRounding.init(rawValue:), choices: EdgeRounding.allCases.map(\.rawValue))[0]
        }
        func unused(_ key: String, _ value: Any?) throws {
            if value != nil { throw fail(e[key]?.key, "'\(key)' does not apply to family '\(familyName)'") }
        }
        switch familyName {
        case "chain":
            try unused("flip_probability", flip)
            try unused("branching_factor", branching)
            try unused("edge_probability", edgeP)
            try unused("edges", rounding)
            return .chain
        case "flipped-chain":
            try unused("branching_factor", branching)
            try unused("edge_probability", edgeP)
            try unused("edges", rounding)
            guard let flip else { throw fail(node, "family 'flipped-chain' needs 'flip_probability'") }
            return .flippedChain(flipProbability: flip)
        case "branching":
            try unused("flip_probability", flip)
            try unused("edge_probability", edgeP)
            guard let branching else { throw fail(node, "family 'branching' needs 'branching_factor'") }
            return .branching(factor: branching, connected: connected, edges: rounding ?? .nearest)
        case "random":
            try unused("flip_probability", flip)
            try unused("branching_factor", branching)
            try unused("edges", rounding)
            guard let edgeP else { throw fail(node, "family 'random' needs 'edge_probability'") }
            return .random(edgeProbability: edgeP)
        default:
            throw fail(e["family"]?.value, "unknown family '\(familyName)' (chain, flipped-chain, branching, random)")
        }
    }

    /// `given_size`: only for tasks that condition, leaving room for x and y.
    private func givenSizes(_ e: Entries, tasks: [any CausalTask], nodes: ClosedRange<Int>) throws -> ClosedRange<Int> {
        let given =
            try e["given_size"].map { try range($0.value, "given_size", min: 0, max: Limits.nodes - 2) } ?? (0...0)
        if !tasks.contains(where: { $0.shape.contains(.given) }) && given != 0...0 {
            let conditioned = TaskCatalog.all().filter { $0.shape.contains(.given) }.map(\.axiom.rawValue)
            throw fail(e["given_size"]?.key, "'given_size' applies to \(conditioned.joined(separator: ", ")) only")
        }
        if given.lowerBound > nodes.lowerBound - 2 {
            throw fail(
                e["given_size"]?.value,
                "'given_size' \(given.lowerBound) leaves no room for x and y in graphs of \(nodes.lowerBound) nodes"
            )
        }
        return given
    }

    /// `premise_end` (which the grammar's edge sentences must allow) and `order`.
    private func premiseForm(_ e: Entries, grammar: Grammar) throws -> (PremiseEnd, [PremiseOrder]) {
        let premiseEnd =
            try e["premise_end"].map {
                try list(
                    $0.value,
                    "premise_end",
                    PremiseEnd.init(rawValue:),
                    choices: PremiseEnd.allCases.map(\.rawValue)
                )[0]
            } ?? .period
        if premiseEnd == .bare, let t = grammar.edge.templates.first(where: { !$0.endsWithStop }) {
            throw fail(
                e["premise_end"]?.value,
                "'premise_end: none' drops the final period, but the edge sentence of grammar '\(grammar.name)' at line \(t.line) does not end with one"
            )
        }
        let orders =
            try e["order"].map {
                try list(
                    $0.value,
                    "order",
                    PremiseOrder.init(rawValue:),
                    choices: PremiseOrder.allCases.map(\.rawValue)
                )
            } ?? [.graph]
        return (premiseEnd, orders)
    }

    /// `explanations`, which the grammar must be able to write for every task of the split.
    private func explanationSetting(
        _ e: Entries,
        tasks: [any CausalTask],
        grammar: Grammar
    ) throws -> (Bool, ExplanationStyle) {
        let (explanations, explanationStyle) =
            try e["explanations"].map { try explanationSetting($0.value) } ?? (false, .proof)
        if explanations, let task = tasks.first(where: { !grammar.explains($0) }) {
            throw fail(
                e["explanations"]?.value,
                task.explanationForms.isEmpty
                    ? "task '\(task.axiom)' has no explanations yet: set 'explanations: false' for its splits"
                    : "grammar '\(grammar.name)' has no explanation templates for task '\(task.axiom)'"
            )
        }
        if explanationStyle == .search, let task = tasks.first(where: { !grammar.explains($0, style: .search) }) {
            throw fail(
                e["explanations"]?.value,
                task.searchForms.isEmpty
                    ? "task '\(task.axiom)' has no label-neutral search explanation (explanations: true gives its proofs)"
                    : "grammar '\(grammar.name)' has no search explanation templates for task '\(task.axiom)'"
            )
        }
        return (explanations, explanationStyle)
    }

    /// `names` (over the recipe's) and `distractors`: enough distinct names for the largest graph.
    private func namesAndDistractors(
        _ node: Node,
        _ e: Entries,
        base baseNames: NameStyle,
        grammar: Grammar,
        nodes: ClosedRange<Int>
    ) throws -> (NameStyle, Int) {
        let style = try e["names"].map { try names($0.value, fallback: baseNames) } ?? baseNames
        let namer: NameGenerator
        do { namer = try NameGenerator(style: style, reserved: grammar.reservedWords) } catch let s as SyntaxError {
            throw fail(e["names"]?.value ?? node, s.message)
        }
        let distractors = try e["distractors"].map { try int($0.value, "distractors", max: Limits.distractors) } ?? 0
        if distractors == 1 {
            throw fail(e["distractors"]?.value, "'distractors' must be 0 or at least 2 (a distractor is a chain)")
        }
        let maxNodes = nodes.upperBound + distractors
        guard namer.capacity >= 2 * maxNodes else {
            throw fail(
                e["names"]?.value ?? node,
                "the names can take only \(namer.capacity) distinct values, too few for graphs of \(maxNodes) nodes"
            )
        }
        return (style, distractors)
    }

    /// `count` and `shard_size`, within the shards a split may have.
    private func countAndShards(_ node: Node, _ e: Entries) throws -> (count: Int, shardSize: Int) {
        let count = try int(try need("count", node, e), "count", min: 1, max: Limits.count)
        let shardSize =
            try e["shard_size"].map { try int($0.value, "shard_size", min: 1, max: Limits.shardSize) } ?? 100_000
        let shards = count / shardSize + (count % shardSize == 0 ? 0 : 1)
        guard shards <= Limits.shardsPerSplit else {
            throw fail(
                e["shard_size"]?.value ?? e["count"]?.value,
                "\(count) records in shards of \(shardSize) make \(shards) shards; "
                    + "a split may have at most \(Limits.shardsPerSplit) (raise 'shard_size')"
            )
        }
        return (count, shardSize)
    }

    /// `control`: `all`, a list of cue names, or {default: all or a list, <task>: off, ...}.
    private func control(_ e: Entries, tasks: [any CausalTask]) throws -> (cues: [String], off: [Axiom]) {
        let cueChoices = tasks.flatMap(\.recordCueNames).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        guard let c = e["control"] else { return ([], []) }
        var uncontrolled: [Axiom] = []
        var value = c.value
        if case let .mapping(entries) = c.value {
            guard let d = entries.first(where: { $0.key.string == "default" }) else {
                throw fail(c.value, "'control' as a mapping needs 'default' (all or a list of cues)")
            }
            value = d.value
            for (k, v) in entries where k.string != "default" {
                guard let name = k.string, let task = tasks.first(where: { $0.axiom.rawValue == name }) else {
                    throw fail(
                        k,
                        "'control' names '\(k.string ?? "?")', which is not a task of this split (tasks: \(tasks.map(\.axiom.rawValue).joined(separator: ", ")))"
                    )
                }
                guard v.string == "off" else { throw fail(v, "'control.\(name)' can only be 'off'") }
                uncontrolled.append(task.axiom)
            }
        }
        if case let .scalar(v) = value, v.string == "all" {
            // Cells of every cue would mostly hold one record each, and balance nothing: `all` is
            // the tasks' own cues and the skeleton distance. The other skeleton cues are the same
            // for a question and its skeleton twin (`twins: all`).
            let own = tasks.flatMap(\.cueNames) + Cues.skeletonDistanceNames
            return (cueChoices.filter { own.contains($0) }, uncontrolled)
        }
        let controlled = try list(
            value,
            "control",
            { cueChoices.contains($0) ? $0 : nil },
            choices: ["all"] + cueChoices
        )
        return (controlled, uncontrolled)
    }

    /// `question_types`: weights by type, giving every task a Yes and a No type.
    private func questionTypes(_ e: Entries, tasks: [any CausalTask]) throws -> [String: Double] {
        var mix: [String: Double] = [:]
        guard let m = e["question_types"] else { return mix }
        let typeChoices = TaskCatalog.all().flatMap(\.typeNames)
        guard case let .mapping(entries) = m.value else {
            throw fail(
                m.value,
                "'question_types' must map question types to weights, e.g. {yes-chain: 2, no-reverse-path: 1}"
            )
        }
        for (k, v) in entries {
            guard let t = k.string, typeChoices.contains(t) else {
                throw fail(
                    k,
                    "'question_types' has no type '\(k.string ?? "?")' (choose from \(typeChoices.joined(separator: ", ")))"
                )
            }
            mix[t] = try double(v, "question_types", in: 0...1_000_000)
        }
        for task in tasks {
            for label in [true, false] {
                let ok = zip(task.typeNames, task.typeLabels).contains { $0.1 == label && (mix[$0.0] ?? 0) > 0 }
                if !ok {
                    throw fail(
                        m.value,
                        "'question_types' gives task '\(task.axiom)' no \(label ? "Yes" : "No") type with a weight above 0, so its labels cannot balance"
                    )
                }
            }
        }
        return mix
    }
}
