import AxiomCore
import AxiomGrammar
import AxiomRecords
import Crypto
import Foundation

extension Checker {
    /// Checks the corpus: the manifest, then every split (training splits first, so evaluation
    /// splits can be checked against them) shard by shard, then the shortcut limits.
    public func run() throws -> CheckReport {
        let manifest = try Manifest.read(directory: directory)
        var recipe = try Recipe.decode(
            manifest.recipe.text,
            file: directory + "/manifest.json#recipe",
            grammars: grammars
        )
        if let scale = manifest.scale, scale > 0 && scale <= 1 { recipe.scale(by: scale) }
        let meter = ProgressMeter("check", total: manifest.splits.values.reduce(0) { $0 + $1.records }, style: progress)
        let grammar = recipe.grammar
        // Each worker reads its own copy, all from one read of the source: threads sharing one
        // grammar's arrays contend on their reference counts (+27% CPU time on two threads).
        let workerGrammars = jobs > 1 ? grammar.unshared(jobs) : [grammar]
        var run = CheckRun(
            directory: directory,
            limit: limit,
            graphEvals: recipe.splits.filter { $0.role == .eval && $0.leakage == .graph }
        )
        run.checkManifest(manifest)
        for name in Self.trainingFirst(manifest) {
            guard let split = manifest.splits[name], let spec = recipe.splits.first(where: { $0.name == name }) else {
                run.violate("manifest", name, nil, "split is missing from the manifest or the recipe")
                continue
            }
            if split.role != spec.role {
                run.violate(
                    "manifest",
                    name,
                    nil,
                    "the manifest says role \(split.role.rawValue), the recipe \(spec.role.rawValue)"
                )
            }
            var state = SplitState(name: name, spec: spec)
            for shard in split.shards {
                guard let data = FileManager.default.contents(atPath: directory + "/" + shard.file) else {
                    run.violate("manifest", name, nil, "\(shard.file) is missing")
                    continue
                }
                var pool = RecordCheckPool(jobs: jobs) { worker in
                    RecordCheck(
                        grammar: workerGrammars[worker],
                        spec: spec,
                        format: split.format ?? .records,
                        recipeName: manifest.recipe.name
                    )
                }
                run.checkShard(shard, data: data, pool: &pool, meter: meter, into: &state)
            }
            run.finishSplit(split, state)
        }
        meter.finish()
        run.checkShortcuts(manifest: manifest, recipe: recipe)
        return run.finish()
    }

    /// The splits in the manifest's order, training splits first.
    static func trainingFirst(_ manifest: Manifest) -> [String] {
        manifest.splitOrder.sorted {
            (manifest.splits[$0]!.role == .train ? 0 : 1) < (manifest.splits[$1]!.role == .train ? 0 : 1)
        }
    }
}

/// What one split accumulates while its shards are checked.
struct SplitState {
    let name: String
    let spec: SplitSpec
    var texts = Set<UInt64>()
    var strata: [String: (yes: Int, no: Int)] = [:]
    var cueCells = CueCells()
    var twins: TwinTable
    var records = 0
    /// With a planted shortcut (`confound:`): each task's cue bit, and in the current shard per
    /// task and label (No, Yes) the records whose cue value is their label, of all of them.
    let confoundBit: [Axiom: Int]
    var confound: [Axiom: [(agree: Int, total: Int)]] = [:]

    init(name: String, spec: SplitSpec) {
        self.name = name
        self.spec = spec
        twins = TwinTable(mode: spec.twins)
        var bits: [Axiom: Int] = [:]
        if let cue = spec.confound?.cue {
            for axiom in spec.axioms { bits[axiom] = TaskCatalog.task(axiom)?.recordCueNames.firstIndex(of: cue) }
        }
        confoundBit = bits
    }

    /// Counts `record` under the split's confound, if it has one.
    mutating func countConfound(_ record: CheckedRecord) {
        guard let bit = confoundBit[record.axiom] else { return }
        let agrees = (record.cues >> UInt32(bit) & 1 == 1) == record.label
        var c = confound[record.axiom] ?? [(0, 0), (0, 0)]
        let i = record.label ? 1 : 0
        c[i] = (c[i].agree + (agrees ? 1 : 0), c[i].total + 1)
        confound[record.axiom] = c
    }
}

/// The corpus-level state of one `check` run: the report, the per-check violation counts, and
/// what training splits leave for the evaluation splits' leakage checks.
struct CheckRun {
    let directory: String
    let limit: Int
    /// Evaluation splits that promise graph-level separation from training.
    let graphEvals: [SplitSpec]
    var report: CheckReport
    var perCheck: [String: Int] = [:]
    var trainPremises = Set<UInt64>()
    var trainGraphs: [UInt64: [CausalGraph]] = [:]
    var ids = Set<String>()
    var cells: [String: CueCells] = [:]
    var text = TextProbeRun()

    init(directory: String, limit: Int, graphEvals: [SplitSpec]) {
        self.directory = directory
        self.limit = limit
        self.graphEvals = graphEvals
        report = CheckReport(directory: directory, records: 0, checked: [:], violations: [])
    }

    mutating func violate(_ check: String, _ split: String?, _ id: String?, _ message: String) {
        perCheck[check, default: 0] += 1
        if perCheck[check]! <= limit {
            report.violations.append(Violation(check: check, split: split, id: id, message: message))
        }
    }

    mutating func count(_ check: String, _ n: Int = 1) { report.checked[check, default: 0] += n }

    /// The recipe text against its hash, the scale, and temporary files left behind.
    mutating func checkManifest(_ manifest: Manifest) {
        let hash = SHA256.hash(data: Data(manifest.recipe.text.utf8)).hex
        if hash != manifest.recipe.sha256 {
            violate("manifest", nil, nil, "the recipe text does not match its recorded sha256")
        }
        if let scale = manifest.scale, !(scale > 0 && scale <= 1) {
            violate("manifest", nil, nil, "the count scale \(scale) is outside (0, 1]")
        }
        for t in AtomicFile.temporaries(in: directory) {
            violate(
                "temporary files",
                nil,
                nil,
                "\(t.path): a temporary file left by an interrupted compile (rerun the compile to remove it)"
            )
        }
    }

    /// Whether `spec` can produce `graph`'s shape. Only training graphs whose shape an eval split
    /// (promising graph-level separation) can have need a canonical form; the rest cannot collide
    /// with any eval graph. (An eval graph of any other shape is itself a violation.) Tested per
    /// record against edge ranges: a random family of 4096 nodes has ~10^10 shapes.
    static func canHave(_ spec: SplitSpec, _ graph: CausalGraph) -> Bool {
        let d = spec.distractors
        let n = graph.nodeCount - d
        let m = graph.edges.count - (d > 0 ? d - 1 : 0)
        return spec.nodes.contains(n) && spec.family.edgeCountRange(nodes: n).contains(m)
    }

    /// One shard: its hash and size, every record (on the pool's workers), its record count.
    mutating func checkShard(
        _ shard: Manifest.Shard,
        data: Data,
        pool: inout RecordCheckPool,
        meter: ProgressMeter,
        into state: inout SplitState
    ) {
        count("shard hashes")
        let digest = SHA256.hash(data: data).hex
        if digest != shard.sha256 || data.count != shard.bytes {
            violate(
                "manifest",
                state.name,
                nil,
                "\(shard.file): sha256 or size differs from the manifest (the file was changed)"
            )
        }
        let raw = [UInt8](data)
        let ranges = RecordCheckPool.lines(raw)
        let lines = ranges.count
        for start in stride(from: 0, to: lines, by: RecordCheckPool.batch) {
            let batch = ranges[start..<min(lines, start + RecordCheckPool.batch)]
            pool.check(raw, lines: batch, split: state.name)
            meter.add(batch.count)
            for (i, outcome) in pool.outcomes.prefix(batch.count).enumerated() {
                record(outcome, line: start + i + 1, file: shard.file, into: &state)
            }
        }
        state.records += lines
        checkConfound(&state, shard: shard.file)
        count("explanations", pool.explanations)
        if lines != shard.records {
            violate(
                "manifest",
                state.name,
                nil,
                "\(shard.file) holds \(lines) records; the manifest says \(shard.records)"
            )
        }
    }

    /// The split-level checks of one line's outcome: its problems, unique ids and texts,
    /// leakage from training, cue cells, twins and label strata.
    private mutating func record(
        _ outcome: RecordCheckPool.Outcome,
        line: Int,
        file: String,
        into state: inout SplitState
    ) {
        let name = state.name
        count("records")
        guard let record = outcome.record else {
            for p in outcome.problems { violate(p.check, name, nil, "\(file) line \(line): \(p.message)") }
            return
        }
        for p in outcome.problems { violate(p.check, name, record.id, p.message) }
        if !ids.insert(record.id).inserted {
            violate("ids", name, record.id, "id appears twice in the corpus")
        }
        if !state.texts.insert(FNV1a.hash((record.premise + "\n" + record.hypothesis).utf8)).inserted {
            violate("duplicates", name, record.id, "the same premise and question appear twice in the split")
        }
        let premiseKey = FNV1a.hash(record.premise.utf8)
        if state.spec.role == .train {
            remember(record, premise: premiseKey)
        } else {
            checkLeakage(record, premise: premiseKey, in: state)
        }
        state.cueCells.add(record.axiom.rawValue, record.cues, yes: record.label)
        state.countConfound(record)
        text.add(record, split: name, role: state.spec.role)
        if record.twin != nil { state.twins.add(record) }
        // A controlled split balances labels inside cue cells, which take precedence over
        // (nodes, |Z|) strata: its balance is checked per task.
        let stratum =
            state.spec.controlledCues.isEmpty
            ? "\(record.axiom.rawValue)/nodes=\(record.nodes)/given=\(record.query.given.count)"
            : record.axiom.rawValue
        let s = state.strata[stratum] ?? (0, 0)
        state.strata[stratum] = record.label ? (s.yes + 1, s.no) : (s.yes, s.no + 1)
    }

    /// A training record's premise, and its graph where a graph-separated eval split could hold it.
    private mutating func remember(_ record: CheckedRecord, premise: UInt64) {
        trainPremises.insert(premise)
        if graphEvals.contains(where: { Self.canHave($0, record.graph) }) {
            let h = Isomorphism.hash(record.graph)
            if !(trainGraphs[h]?.contains { Isomorphism.isomorphic($0, record.graph) } ?? false) {
                trainGraphs[h, default: []].append(record.graph)
            }
        }
    }

    /// An evaluation record: a shape its split can produce, a premise and (where promised) a
    /// graph that training does not hold.
    private mutating func checkLeakage(_ record: CheckedRecord, premise: UInt64, in state: SplitState) {
        let name = state.name
        count("leakage")
        if !Self.canHave(state.spec, record.graph) {
            violate(
                "shape",
                name,
                record.id,
                "the graph has \(record.graph.nodeCount) nodes and \(record.graph.edges.count) edges, which this split's recipe cannot produce"
            )
        }
        if trainPremises.contains(premise) {
            violate("leakage", name, record.id, "the premise text also appears in training")
        }
        if state.spec.leakage == .graph,
            let candidates = trainGraphs[Isomorphism.hash(record.graph)],
            candidates.contains(where: { Isomorphism.isomorphic($0, record.graph) })
        {
            violate("leakage", name, record.id, "the graph (up to renaming) also appears in training")
        }
    }

    /// A planted shortcut holds as the recipe asks: in each shard, ⌈share · n⌉ of a task's n Yes
    /// records agree (cue value = label), and likewise of its No records. Counts restart per shard.
    mutating func checkConfound(_ state: inout SplitState, shard: String) {
        guard let confound = state.spec.confound else { return }
        for (axiom, c) in state.confound.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for (label, counts) in zip(["No", "Yes"], c) where counts.total > 0 {
                count("confound")
                if !confound.isQuota(agreed: counts.agree, records: counts.total) {
                    violate(
                        "confound",
                        state.name,
                        nil,
                        "\(shard): \(axiom): '\(confound.cue)' agrees with the label on \(counts.agree) of \(counts.total) \(label) records; the recipe plants \(Double(confound.agreement) / 100)"
                    )
                }
            }
        }
        state.confound.removeAll()
    }

    /// After a split's shards: its record count, its twins, its label balance per stratum.
    mutating func finishSplit(_ split: Manifest.Split, _ state: SplitState) {
        var twins = state.twins
        let name = state.name
        report.records += state.records
        cells[name] = state.cueCells
        if twins.records > 0 { count("twins", twins.records) }
        for (id, problem) in twins.finish() { violate("twins", name, id, problem) }
        if state.records != split.records {
            violate(
                "manifest",
                name,
                nil,
                "the split holds \(state.records) records; the manifest says \(split.records)"
            )
        }
        // Each shard alternates labels per stratum on its own, so up to one record per shard may
        // lean either way beyond the tolerance.
        let tolerance = state.spec.balanceTolerance
        for (stratum, s) in state.strata.sorted(by: { $0.key < $1.key }) {
            count("balance")
            let allowed = max(tolerance * Double(s.yes + s.no), Double(split.shards.count))
            if Double(abs(s.yes - s.no)) > allowed {
                violate(
                    "balance",
                    name,
                    nil,
                    "stratum \(stratum): \(s.yes) Yes vs \(s.no) No exceeds the tolerance \(tolerance)"
                )
            }
        }
    }

    /// Shortcuts: cue accuracies and both probes, from the records' own text, against the
    /// manifest and the recipe's limits; the text baseline against `max_probe`.
    mutating func checkShortcuts(manifest: Manifest, recipe: Recipe) {
        var scored = manifest.splits
        ManifestWriter.scoreCues(&scored, cells: cells, recipe: recipe)
        report.textProbe = text.scores()
        for spec in recipe.splits {
            guard let mine = scored[spec.name], let theirs = manifest.splits[spec.name] else { continue }
            count("shortcuts")
            var taskRecords: [String: Int] = [:]
            for (key, c) in cells[spec.name]?.counts ?? [:] { taskRecords[key.axiom, default: 0] += c.yes + c.no }
            let (problems, skipped) = Checker.shortcutProblems(
                spec,
                recomputed: mine,
                stored: theirs,
                scaled: (manifest.scale ?? 1) < 1,
                taskRecords: taskRecords,
                text: report.textProbe?[spec.name] ?? [:]
            )
            for problem in problems { violate("shortcuts", spec.name, nil, problem) }
            if let stored = theirs.textProbe, stored != (report.textProbe?[spec.name] ?? [:]).mapValues(\.accuracy) {
                violate(
                    "shortcuts",
                    spec.name,
                    nil,
                    "the text probe recomputed from the records differs from the manifest's"
                )
            }
            if skipped > 0 { count("limits skipped", skipped) }
        }
    }

    /// The report, with the violations past the limit counted per check.
    mutating func finish() -> CheckReport {
        report.checked["second algorithm"] = report.records
        report.checked["round trip"] = report.records
        for (check, n) in perCheck where n > limit {
            report.violations.append(
                Violation(
                    check: check,
                    split: nil,
                    id: nil,
                    message: "\(n - limit) more violations of this check not listed"
                )
            )
        }
        return report
    }
}
