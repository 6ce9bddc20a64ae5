import AxiomCore
import AxiomGrammar
import AxiomRecords

/// A split that cannot be generated as asked, located at the split in its recipe.
public struct GenerationError: UserError, Sendable {
    /// `file:line:col: error: what` (see `UserError`).
    public var isLocated: Bool { true }
    public var file: String
    public var split: String
    public var line: Int
    public var column: Int = 1
    public var message: String
    /// `file:line:col: error: split 'name': message`.
    public var description: String {
        UserErrorLine.located(file: file, line: line, column: column, "split '\(split)': \(message)")
    }
}

/// Generates the records of one shard: graphs, names, labelled queries, text, JSON bytes.
///
/// A loop over named stages: `GraphAssembly` (the premise's graph), `QuerySampler` (labelled
/// questions), `LabelBalancer` (which label next; controlled cells), `TwinFinder` (contrastive
/// twins), `ShardTally` (statistics and shares), `RecordWriter` (the layout) and `FileOrder`
/// (shuffled blocks). Everything random comes from one generator seeded by (recipe seed, split,
/// shard), so a shard's bytes do not depend on which worker makes it or when. All storage is
/// reused: after the first graph the loop appends to buffers it already owns.
public struct ShardGenerator {
    public let spec: SplitSpec
    let grammar: Grammar
    let seed: UInt64
    private var renderer: Renderer
    private var namer: NameGenerator
    private var graphs = GraphAssembly()
    private var sampler: QuerySampler
    private var balancer: LabelBalancer
    private var twins = TwinFinder()
    private var tally: ShardTally
    /// Whether the current graph's records fit the text baseline (`TextProbe.role`).
    private var fitsText = false
    private var text = TextFeatures.Extractor()
    private var writer: RecordWriter
    /// The record being written: its text and values (see `RecordContent`).
    private var record = RecordContent()
    private var proof = Proof()
    private var steps = Explanation()
    private var pathScratch: [UInt64] = []
    /// The generator's state before the current model premise was rendered: a model twin's
    /// premise is rendered from it, so it draws the same wording and order.
    private var premiseRNG = SeededRNG(seed: 0)
    private var seen = FingerprintSet()
    /// Texts this shard may not repeat: those an earlier shard of the split owns (set by the
    /// compiler when it draws a shard again; nil on the first draw).
    public var exclusion: FingerprintExclusion?
    /// The text fingerprint (`textHash`) of every record the last `generate` wrote, in order.
    public private(set) var fingerprints: [UInt64] = []
    /// Every text fingerprint the last `generate` asked its duplicate set about (with
    /// repeats): the texts whose refusal by an `exclusion` could have changed the shard.
    public var queried: [UInt64] { seen.queried ?? [] }
    private let catalogIndex: [Int]
    private let axiomBytes: [[UInt8]]
    private let orderBytes: [[UInt8]]
    private let cueNameBytes: [[[UInt8]]]
    private let typeNameBytes: [[[UInt8]]]
    private let relationNameBytes: [[[UInt8]]]

    public init(spec: SplitSpec, grammar: Grammar, seed: UInt64) throws {
        self.spec = spec
        self.grammar = grammar
        self.seed = seed
        renderer = Renderer(grammar: grammar)
        renderer.premiseEnd = spec.premiseEnd
        namer = try NameGenerator(style: spec.names, reserved: grammar.reservedWords)
        sampler = QuerySampler(axioms: spec.axioms, typeMix: spec.typeMix)
        let tasks = sampler.tasks
        balancer = LabelBalancer(
            seed: seed,
            controlMask: tasks.map { task in
                var mask: UInt32 = 0
                if spec.uncontrolledTasks.contains(task.axiom) { return 0 }
                for (i, name) in task.recordCueNames.enumerated() where spec.controlledCues.contains(name) {
                    mask |= 1 << UInt32(i)
                }
                return mask
            },
            slack: spec.controlSlack,
            split: spec.name,
            confound: spec.confound,
            confoundMask: tasks.map { task in
                guard let cue = spec.confound?.cue, let i = task.recordCueNames.firstIndex(of: cue) else { return 0 }
                return 1 << UInt32(i)
            }
        )
        tally = ShardTally(spec: spec, tasks: tasks)
        var branching: Double? = nil
        if case let .branching(b, _, _) = spec.family { branching = b }
        var schema = RecordSchema(
            format: spec.format,
            prompt: spec.prompt,
            explanations: spec.explanations,
            node: spec.recordsNode,
            set: spec.recordsSet
        )
        schema.relation = spec.recordsRelation
        schema.tables = spec.recordsTables
        writer = RecordWriter(
            schema: schema,
            split: spec.name,
            recipe: spec.recipeName,
            family: spec.family.name,
            branching: branching,
            difficulty: spec.difficulty,
            answers: (grammar.answer(true), grammar.answer(false))
        )
        catalogIndex = spec.axioms.map { TaskCatalog.index(of: $0)! }
        axiomBytes = spec.axioms.map { Array($0.rawValue.utf8) }
        orderBytes = PremiseOrder.allCases.map { Array($0.rawValue.utf8) }
        cueNameBytes = tasks.map { $0.recordCueNames.map { Array($0.utf8) } }
        typeNameBytes = tasks.map { $0.typeNames.map { Array($0.utf8) } }
        relationNameBytes = tasks.map { $0.relationNames.map { Array($0.utf8) } }
        record.distractors = spec.distractors
    }

    /// Generates `job`'s records, handing each buffer-full of JSONL bytes to `sink`.
    ///
    /// - Throws: what `sink` throws, or `GenerationError` when the split's graphs cannot yield the
    ///   queries it asks for (e.g. a conditioning set size no graph leaves room for).
    public mutating func generate(_ job: ShardJob, sink: (UnsafeRawBufferPointer) throws -> Void) throws -> ShardStats {
        var rng = SeededRNG(seed: seed, stream: SeededRNG.streamID(spec.name), index: UInt64(job.shard))
        var orderRNG = SeededRNG(
            seed: seed,
            stream: SeededRNG.streamID(spec.name + "/file-order"),
            index: UInt64(job.shard)
        )
        var out = ByteBuffer(capacity: 1 << 21)
        var file = FileOrder()
        var stats = ShardStats(file: job.path)
        seen.removeAll()
        seen.exclusion = exclusion
        seen.queried?.removeAll(keepingCapacity: true)
        if seen.queried == nil { seen.queried = [] }
        fingerprints.removeAll(keepingCapacity: true)
        balancer.reset(shard: job.shard)
        tally.reset()
        var failures = 0
        func failed() throws {
            failures += 1
            if failures >= 10_000 {
                let planted = spec.confound.map {
                    "; the planted cue '\($0.cue)' must hold and fail among these graphs' questions of each label (confound)"
                }
                throw spec.generationError(Self.noQueries + (planted ?? ""))
            }
        }
        while tally.records < job.records {
            let t = tally.nextTask()
            let before = tally.records
            let n = tally.pickNodeCount(using: &rng)
            let style = sampler.tasks[t].premiseStyle
            guard let order = drawGraph(t, nodes: n, style: style, using: &rng) else {
                try failed()
                continue
            }
            // With a twin for every question, a question without one is drawn again.
            let tries = spec.twins == .all && style != .statistics ? Self.skeletonTwinTries : 1
            for _ in 0..<spec.queriesPerGraph where tally.records < job.records {
                guard
                    askQuestion(
                        t,
                        nodes: n,
                        style: style,
                        order: order,
                        tries: tries,
                        job: job,
                        file: &file,
                        using: &rng
                    )
                else { break }
                if file.isFull {
                    file.flush(into: &out, using: &orderRNG)
                    if out.count >= 1 << 20 {
                        try out.withBytes(sink)
                        out.removeAll()
                    }
                }
            }
            tally.noteGraph(nodes: n, produced: tally.records > before)
            if tally.records > before {
                stats.graphs += 1
                failures = 0
            } else {
                try failed()
            }
        }
        file.flush(into: &out, using: &orderRNG)
        if out.count > 0 { try out.withBytes(sink) }
        try tally.checkShares()
        try tally.checkControl()
        tally.finish(into: &stats, strata: balancer.strata)
        return stats
    }

    /// Assembles a graph of `n` nodes for task `t`, names it and renders its premise in an order
    /// drawn from the split's; nil (and nothing rendered) when fewer than two nodes are stated
    /// (e.g. edge_probability 0), so it asks nothing.
    private mutating func drawGraph(
        _ t: Int,
        nodes n: Int,
        style: PremiseStyle,
        using rng: inout SeededRNG
    ) -> PremiseOrder? {
        // A statistical premise names every variable, so all are asked about.
        graphs.assemble(
            spec.family,
            nodes: n,
            distractors: spec.distractors,
            allMentioned: style != .edges,
            using: &rng
        )
        guard graphs.candidates.count >= 2 else { return nil }
        namer.draw(graphs.full.nodeCount, into: &record.names, using: &rng)
        fitsText =
            spec.role == .train
            && TextProbe.role(record.names, edges: graphs.full.edges.lazy.map { ($0.from, $0.to) }) == .fitted
        if style == .model {
            let model = CausalModel.random(on: graphs.full, using: &rng)
            record.model = model
            sampler.prepare(t, model)
        } else {
            record.model = nil
            sampler.prepare(t, graphs.full)
        }
        let order = spec.orders.count == 1 ? spec.orders[0] : spec.orders[rng.below(spec.orders.count)]
        if style == .model { premiseRNG = rng }
        renderPremise(style, order: order, using: &rng)
        if spec.twins != .off { twins.mainMention = renderer.mention }
        return order
    }

    /// One question on the current graph: a conditioning-set size, then up to `tries` draws
    /// until one is written (with its twin when allowed). False when the graph leaves no room for
    /// the split's smallest conditioning set: no more questions on it.
    private mutating func askQuestion(
        _ t: Int,
        nodes n: Int,
        style: PremiseStyle,
        order: PremiseOrder,
        tries: Int,
        job: ShardJob,
        file: inout FileOrder,
        using rng: inout SeededRNG
    ) -> Bool {
        let conditioned = sampler.tasks[t].shape.contains(.given)
        let maxGiven = min(spec.givenSizes.upperBound, graphs.candidates.count - 2)
        if conditioned && maxGiven < spec.givenSizes.lowerBound { return false }
        let k = conditioned ? tally.pickGivenSize(spec.givenSizes.lowerBound...maxGiven, using: &rng) : 0
        let stratum = Stratum(task: catalogIndex[t], nodes: n, given: k)
        for _ in 0..<tries {
            guard let label = drawQuery(t, givenSize: k, stratum: stratum, using: &rng) else { break }
            record.hypothesis.removeAll(keepingCapacity: true)
            renderer.appendQuestion(
                sampler.query,
                shape: sampler.tasks[t].shape,
                names: record.names,
                into: &record.hypothesis,
                using: &rng
            )
            guard seen.insert(Self.textHash(record.premise, record.hypothesis)) else { continue }
            let emitted = emitQuestion(
                t,
                label: label,
                stratum: stratum,
                order: order,
                index: job.firstRecord + tally.records,
                twinAllowed: spec.twins != .off && style != .statistics && tally.records + 1 < job.records,
                file: &file,
                using: &rng
            )
            if emitted { break }
        }
        return true
    }

    /// Renders the current graph's premise: its edges, or the statistical relations it implies.
    private mutating func renderPremise(_ style: PremiseStyle, order: PremiseOrder, using rng: inout SeededRNG) {
        record.premise.removeAll(keepingCapacity: true)
        if style == .model, let model = record.model {
            renderer.appendModel(model, names: record.names, order: order, into: &record.premise, using: &rng)
        } else if style == .statistics {
            renderer.appendStatistics(
                IndependenceModel(graphs.full),
                names: record.names,
                order: order,
                into: &record.premise,
                using: &rng
            )
        } else {
            renderer.appendPremise(
                graphs.full,
                names: record.names,
                order: order,
                into: &record.premise,
                using: &rng
            )
        }
    }

    /// Writes the drawn question, then its contrastive twin when `twinAllowed` and one exists.
    /// With a skeleton twin for every question (`TwinMode.all`), a question whose twin is allowed
    /// but not found is not written: false.
    private mutating func emitQuestion(
        _ t: Int,
        label: Bool,
        stratum: Stratum,
        order: PremiseOrder,
        index: Int,
        twinAllowed: Bool,
        file: inout FileOrder,
        using rng: inout SeededRNG
    ) -> Bool {
        let twin = twinAllowed && findTwin(t, label: label, nodes: stratum.nodes, order: order, using: &rng)
        // A twin search prepares the task on other graphs or tables: back to these. (Always: a
        // task may keep per-question state that a fresh preparation resets, e.g. Corr2Cause's
        // draw cache, and the bytes of every recipe depend on it.)
        prepareAgain(t)
        if twinAllowed && !twin && spec.twins == .all { return false }
        emit(
            t,
            label: label,
            stratum: stratum,
            order: order,
            index: index,
            twin: twin ? index + 1 : nil,
            type: sampler.questionType,
            cues: sampler.cueBits,
            flips: graphs.info.flips,
            file: &file,
            using: &rng
        )
        if twin {
            // The twin: the same names, listing, wording and question, the opposite label and
            // every cue value the same (checked by TwinFinder); its graph (one edge reversed, or
            // any re-orientation) or, for a causal model, its tables (other numbers) differ.
            swapTwin(t)
            emit(
                t,
                label: !label,
                stratum: stratum,
                order: order,
                index: index + 1,
                twin: index,
                type: twins.type,
                cues: twins.cues,
                flips: twins.flips,
                file: &file,
                using: &rng
            )
            swapTwin(t)
        }
        return true
    }

    /// Exchanges the current premise with the twin found last (its tables for a model twin,
    /// else its graph) and prepares task `t` on what is now current; a second call undoes it.
    private mutating func swapTwin(_ t: Int) {
        if record.model != nil {
            swap(&record.model, &twins.model)
        } else {
            swap(&graphs.full, &twins.graph)
        }
        swap(&record.premise, &twins.premise)
        prepareAgain(t)
    }

    /// Prepares task `t` again on the current graph (and model).
    private mutating func prepareAgain(_ t: Int) {
        if let model = record.model {
            sampler.prepare(t, model, newGraph: false)
        } else {
            sampler.prepare(t, graphs.full, newGraph: false)
        }
    }

    /// Looks for the drawn question's twin in the split's `TwinMode` (a model premise's: other
    /// tables, in either mode).
    private mutating func findTwin(
        _ t: Int,
        label: Bool,
        nodes n: Int,
        order: PremiseOrder,
        using rng: inout SeededRNG
    ) -> Bool {
        if let model = record.model {
            return twins.findModelTwin(
                sampler.query,
                label: label,
                cues: sampler.cueBits,
                task: &sampler.tasks[t],
                main: model,
                names: record.names,
                order: order,
                premiseRNG: premiseRNG,
                question: record.hypothesis,
                renderer: &renderer,
                seen: &seen,
                using: &rng
            )
        }
        guard spec.twins == .all else {
            return twins.find(
                sampler.query,
                label: label,
                cues: sampler.cueBits,
                task: &sampler.tasks[t],
                full: graphs.full,
                nodes: n,
                info: graphs.info,
                names: record.names,
                question: record.hypothesis,
                renderer: &renderer,
                seen: &seen
            )
        }
        let balancer = self.balancer
        let cues = sampler.cueBits
        let weights = sampler.typeWeights[t]
        let preferred = sampler.targetType(t, label: !label, made: tally.typeRecords[t])
        return twins.findSkeletonTwin(
            sampler.query,
            label: label,
            preferred: preferred,
            onlyPreferred: sampler.isBehind(t, type: preferred, made: tally.typeRecords[t]),
            task: &sampler.tasks[t],
            full: graphs.full,
            nodes: n,
            info: graphs.info,
            names: record.names,
            question: record.hypothesis,
            renderer: &renderer,
            seen: &seen,
            using: &rng
        ) { bits, type in
            (weights.isEmpty || weights[type] > 0)
                && balancer.admitsTwin(
                    task: t,
                    cues: bits,
                    label: !label,
                    pairedWith: cues,
                    mayLean: preferred < 0 || type == preferred
                )
        }
    }

    /// Draws a question for `stratum` with the label it needs next; in a controlled split,
    /// where every cell this graph reaches may be full for that label, the other label keeps
    /// cells balanced and the split moving. Returns the label, or nil when neither was found.
    private mutating func drawQuery(_ t: Int, givenSize k: Int, stratum: Stratum, using rng: inout SeededRNG) -> Bool? {
        var label = balancer.target(stratum)
        for attempt in 0..<2 {
            let type = sampler.targetType(t, label: label, made: tally.typeRecords[t])
            let balancer = self.balancer
            let wanted = label
            if sampler.draw(
                t,
                from: graphs.candidates,
                givenSize: k,
                label: label,
                type: type,
                mention: renderer.mention,
                using: &rng,
                admits: { balancer.admits(task: t, cues: $0, label: wanted, mayLean: $1) }
            ) {
                return label
            }
            guard attempt == 0, balancer.isControlled(t) else { return nil }
            label.toggle()
        }
        return nil
    }

    /// Counts and writes one record of the current graph, premise and question.
    private mutating func emit(
        _ t: Int,
        label: Bool,
        stratum: Stratum,
        order: PremiseOrder,
        index: Int,
        twin: Int?,
        type: Int,
        cues: UInt32,
        flips: Int,
        file: inout FileOrder,
        using rng: inout SeededRNG
    ) {
        let query = sampler.query
        let full = graphs.full
        let n = stratum.nodes
        fingerprints.append(Self.textHash(record.premise, record.hypothesis))
        let hops = full.shortestPathLength(from: query.x, to: query.y, scratch: &pathScratch) ?? -1
        let orderIndex = PremiseOrder.allCases.firstIndex(of: order)!
        balancer.record(stratum, task: t, cues: cues, label: label)
        tally.count(
            task: t,
            type: type,
            cues: cues,
            label: label,
            nodes: n,
            given: stratum.given,
            hops: hops,
            sentences: full.edges.count,
            order: orderIndex,
            twinned: twin != nil
        )
        if fitsText {
            record.premise.withUnsafeBufferPointer { p in
                record.hypothesis.withUnsafeBufferPointer { q in
                    text.extract(premise: p, question: q, names: record.names)
                }
            }
            tally.text.add(spec.axioms[t].rawValue, text.features, yes: label)
        }
        // Text first, in a fixed order whatever the layout (the draws decide the wording).
        if spec.prompt {
            record.prompt.removeAll(keepingCapacity: true)
            renderer.appendPrompt(
                premise: record.premise[...],
                hypothesis: record.hypothesis[...],
                into: &record.prompt,
                using: &rng
            )
        }
        if spec.explanations {
            record.explanation.removeAll(keepingCapacity: true)
            sampler.prove(t, into: &proof, steps: &steps, style: spec.explanationStyle)
            renderer.appendExplanation(steps, graph: full, names: record.names, into: &record.explanation, using: &rng)
        }
        let shape = sampler.tasks[t].shape
        record.index = index
        record.axiom = axiomBytes[t]
        record.label = label
        record.asksNode = shape.contains(.node)
        record.asksSet = shape.contains(.set)
        record.relation = shape.contains(.relation) ? relationNameBytes[t][sampler.query.relation] : nil
        record.nodes = n
        record.mainEdges = graphs.main.edges.count
        record.hops = hops
        record.flips = flips
        var longest = 0
        for v in 0..<n { longest = max(longest, record.names[v].count) }
        record.nameLength = longest
        record.order = orderBytes[orderIndex]
        // Chain nodes are numbered from the start of the chain.
        record.forward = graphs.info.isChain ? query.x < query.y : nil
        record.twin = twin
        record.type = typeNameBytes[t][type]
        record.cueNames = cueNameBytes[t]
        record.cueBits = cues
        file.add { writer.write(record, edges: full.edges, query: query, into: &$0) }
    }

    /// Questions drawn per slot before giving up, when every question needs a skeleton twin.
    static let skeletonTwinTries = 8

    static let noQueries =
        "10000 graphs in a row gave no usable query: the split asks for labels or conditioning sets these graphs cannot provide"

    static func textHash(_ a: [UInt8], _ b: [UInt8]) -> UInt64 {
        // 0xFF never occurs in UTF-8, so it separates the two texts unambiguously.
        var h = FNV1a()
        h.combine(a)
        h.combine(0xFF)
        h.combine(b)
        return h.value
    }
}
