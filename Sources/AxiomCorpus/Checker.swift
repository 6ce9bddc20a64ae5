import AxiomCore
import AxiomGrammar
import AxiomRecords
import Crypto
import Foundation

/// One broken invariant, with where it was found.
public struct Violation: Codable, Sendable, Equatable, CustomStringConvertible {
    public var check: String
    public var split: String?
    public var id: String?
    public var message: String

    public var description: String {
        var where_ = ""
        if let split { where_ += "[\(split)] " }
        if let id { where_ += "\(id): " }
        return "\(check): \(where_)\(message)"
    }
}

/// The outcome of `axiomc check`.
public struct CheckReport: Codable, Sendable {
    public var directory: String
    public var records: Int
    /// How many records or items each check looked at.
    public var checked: [String: Int]
    public var violations: [Violation]
    public var passed: Bool { violations.isEmpty }
}

/// Verifies a compiled corpus against the generator's invariants: manifest hashes and counts,
/// every label by the second algorithm, text round trip, names, duplicates, leakage, balance.
public struct Checker {
    public var directory: String
    /// Stop listing violations of one check after this many (the count is still reported).
    public var limit = 50
    /// Where the corpus's grammar is found.
    public var grammars: GrammarCatalog
    /// How progress shows on stderr.
    public var progress = ProgressStyle.off
    /// Threads checking records (the report is the same for any number).
    public var jobs = 1

    public init(directory: String, grammars: GrammarCatalog) {
        self.directory = directory
        self.grammars = grammars
    }

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
        var report = CheckReport(directory: directory, records: 0, checked: [:], violations: [])
        var perCheck: [String: Int] = [:]
        func violate(_ check: String, _ split: String?, _ id: String?, _ message: String) {
            perCheck[check, default: 0] += 1
            if perCheck[check]! <= limit {
                report.violations.append(Violation(check: check, split: split, id: id, message: message))
            }
        }
        func count(_ check: String, _ n: Int = 1) { report.checked[check, default: 0] += n }

        let hash = SHA256.hash(data: Data(manifest.recipe.text.utf8)).map { String(format: "%02x", $0) }.joined()
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

        // Only training graphs whose shape an eval split (promising graph-level separation) can
        // have need a canonical form; the rest cannot collide with any eval graph.
        // (An eval graph of any other shape is itself a violation, found below.)
        // (Tested per record against edge ranges: a random family of 4096 nodes has ~10^10 shapes.)
        func canHave(_ spec: SplitSpec, _ graph: CausalGraph) -> Bool {
            let d = spec.distractors
            let n = graph.nodeCount - d
            let m = graph.edges.count - (d > 0 ? d - 1 : 0)
            return spec.nodes.contains(n) && spec.family.edgeCountRange(nodes: n).contains(m)
        }
        let graphEvals = recipe.splits.filter { $0.role == .eval && $0.leakage == .graph }
        var trainPremises = Set<UInt64>()
        var trainGraphs: [UInt64: [CausalGraph]] = [:]
        var ids = Set<String>()
        var cells: [String: CueCells] = [:]
        // Training splits first, so evaluation splits can be checked against them.
        let order = manifest.splitOrder.sorted {
            (manifest.splits[$0]!.role == .train ? 0 : 1) < (manifest.splits[$1]!.role == .train ? 0 : 1)
        }
        for name in order {
            guard let split = manifest.splits[name], let spec = recipe.splits.first(where: { $0.name == name }) else {
                violate("manifest", name, nil, "split is missing from the manifest or the recipe")
                continue
            }
            var texts = Set<UInt64>()
            var strata: [String: (yes: Int, no: Int)] = [:]
            var cueCells = CueCells()
            var twins = TwinTable(mode: spec.twins)
            var records = 0
            for shard in split.shards {
                let path = directory + "/" + shard.file
                guard let data = FileManager.default.contents(atPath: path) else {
                    violate("manifest", name, nil, "\(shard.file) is missing")
                    continue
                }
                count("shard hashes")
                let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                if digest != shard.sha256 || data.count != shard.bytes {
                    violate(
                        "manifest",
                        name,
                        nil,
                        "\(shard.file): sha256 or size differs from the manifest (the file was changed)"
                    )
                }
                var pool = RecordCheckPool(jobs: jobs) { worker in
                    RecordCheck(
                        grammar: workerGrammars[worker],
                        spec: spec,
                        format: split.format ?? .records,
                        recipeName: manifest.recipe.name
                    )
                }
                let raw = [UInt8](data)
                let ranges = RecordCheckPool.lines(raw)
                let lines = ranges.count
                /// The split-level checks of one line's outcome.
                func record(_ outcome: RecordCheckPool.Outcome, line: Int) {
                    let problems = outcome.problems
                    count("records")
                    guard let record = outcome.record else {
                        for p in problems { violate(p.check, name, nil, "\(shard.file) line \(line): \(p.message)") }
                        return
                    }
                    for p in problems { violate(p.check, name, record.id, p.message) }
                    if !ids.insert(record.id).inserted {
                        violate("ids", name, record.id, "id appears twice in the corpus")
                    }
                    let key = textHash(record.premise + "\n" + record.hypothesis)
                    if !texts.insert(key).inserted {
                        violate(
                            "duplicates",
                            name,
                            record.id,
                            "the same premise and question appear twice in the split"
                        )
                    }
                    let premiseKey = textHash(record.premise)
                    if spec.role == .train {
                        trainPremises.insert(premiseKey)
                        if graphEvals.contains(where: { canHave($0, record.graph) }) {
                            let h = Isomorphism.hash(record.graph)
                            if !(trainGraphs[h]?.contains { Isomorphism.isomorphic($0, record.graph) } ?? false) {
                                trainGraphs[h, default: []].append(record.graph)
                            }
                        }
                    } else {
                        count("leakage")
                        if !canHave(spec, record.graph) {
                            violate(
                                "shape",
                                name,
                                record.id,
                                "the graph has \(record.graph.nodeCount) nodes and \(record.graph.edges.count) edges, which this split's recipe cannot produce"
                            )
                        }
                        if trainPremises.contains(premiseKey) {
                            violate("leakage", name, record.id, "the premise text also appears in training")
                        }
                        if spec.leakage == .graph,
                            let candidates = trainGraphs[Isomorphism.hash(record.graph)],
                            candidates.contains(where: { Isomorphism.isomorphic($0, record.graph) })
                        {
                            violate("leakage", name, record.id, "the graph (up to renaming) also appears in training")
                        }
                    }
                    cueCells.add(record.axiom.rawValue, record.cues, yes: record.label)
                    if record.twin != nil { twins.add(record) }
                    // A controlled split balances labels inside cue cells, which take precedence
                    // over (nodes, |Z|) strata: its balance is checked per task.
                    let stratum =
                        spec.controlledCues.isEmpty
                        ? "\(record.axiom.rawValue)/nodes=\(record.nodes)/given=\(record.query.given.count)"
                        : record.axiom.rawValue
                    let s = strata[stratum] ?? (0, 0)
                    strata[stratum] = record.label ? (s.yes + 1, s.no) : (s.yes, s.no + 1)
                }
                for start in stride(from: 0, to: lines, by: RecordCheckPool.batch) {
                    let batch = ranges[start..<min(lines, start + RecordCheckPool.batch)]
                    pool.check(raw, lines: batch, split: name)
                    meter.add(batch.count)
                    for (i, outcome) in pool.outcomes.prefix(batch.count).enumerated() {
                        record(outcome, line: start + i + 1)
                    }
                }
                records += lines
                count("explanations", pool.explanations)
                if lines != shard.records {
                    violate(
                        "manifest",
                        name,
                        nil,
                        "\(shard.file) holds \(lines) records; the manifest says \(shard.records)"
                    )
                }
            }
            report.records += records
            cells[name] = cueCells
            if twins.records > 0 { count("twins", twins.records) }
            for (id, problem) in twins.finish() { violate("twins", name, id, problem) }
            if records != split.records {
                violate("manifest", name, nil, "the split holds \(records) records; the manifest says \(split.records)")
            }
            // Each shard alternates labels per stratum on its own, so up to one record per shard
            // may lean either way beyond the tolerance.
            for (stratum, s) in strata.sorted(by: { $0.key < $1.key }) {
                count("balance")
                let total = s.yes + s.no
                let allowed = max(spec.balanceTolerance * Double(total), Double(split.shards.count))
                if Double(abs(s.yes - s.no)) > allowed {
                    violate(
                        "balance",
                        name,
                        nil,
                        "stratum \(stratum): \(s.yes) Yes vs \(s.no) No exceeds the tolerance \(spec.balanceTolerance)"
                    )
                }
            }
        }
        meter.finish()
        // Shortcuts: cue accuracies and both probes, from the records' own text, against the
        // manifest and the recipe's limits.
        var scored = manifest.splits
        ManifestWriter.scoreCues(&scored, cells: cells, recipe: recipe)
        for spec in recipe.splits {
            guard let mine = scored[spec.name], let theirs = manifest.splits[spec.name] else { continue }
            count("shortcuts")
            var taskRecords: [String: Int] = [:]
            for (key, c) in cells[spec.name]?.counts ?? [:] { taskRecords[key.axiom, default: 0] += c.yes + c.no }
            let (problems, skipped) = Self.shortcutProblems(
                spec,
                recomputed: mine,
                stored: theirs,
                scaled: (manifest.scale ?? 1) < 1,
                taskRecords: taskRecords
            )
            for problem in problems { violate("shortcuts", spec.name, nil, problem) }
            if skipped > 0 { count("limits skipped", skipped) }
        }
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

    private func textHash(_ s: String) -> UInt64 { FNV1a.hash(s.utf8) }
}

/// A record as read back by the checker.
struct CheckedRecord {
    var id: String
    var axiom: Axiom
    var premise: String
    var hypothesis: String
    var label: Bool
    var graph: CausalGraph
    var names: [String]
    var query: Query
    var nodes: Int
    /// The cue bits recomputed from the record's graph, query and premise text.
    var cues: UInt32
    /// The id of its contrastive twin (`meta.twin`).
    var twin: String?
}

/// Checks one record line; keeps the decoded record for the split-level checks.
struct RecordCheck {
    let grammar: Grammar
    let spec: SplitSpec
    /// The layout the records are written in, and the recipe's name (rl `data_source`).
    let format: RecordFormat
    let recipeName: String
    var record: CheckedRecord?
    /// How many explanations were replayed (see `ExplanationReplay`).
    var explanations = 0
    /// The split's tasks, by name.
    private var tasks: [Axiom: any CausalTask] = [:]

    init(grammar: Grammar, spec: SplitSpec, format: RecordFormat = .records, recipeName: String = "") {
        self.grammar = grammar
        self.spec = spec
        self.format = format
        self.recipeName = recipeName
        for axiom in spec.axioms { tasks[axiom] = TaskCatalog.task(axiom) }
    }

    struct Problem {
        var check: String
        var message: String
    }

    mutating func check(_ line: UnsafeBufferPointer<UInt8>, split: String) -> [Problem] {
        record = nil
        var problems: [Problem] = []
        guard let raw = try? JSONValue.parse(line), case .object = raw else {
            return [Problem(check: "schema", message: "not a JSON object")]
        }
        // rl records keep the flat fields under extra_info, the label as the ground truth.
        guard let r = StoredRecord(raw, prompt: spec.prompt) else {
            return [Problem(check: "schema", message: "a required field is missing or has the wrong type")]
        }
        let (id, splitName, axiomName, premise, hypothesis, labelText) = (
            r.id, r.split, r.axiom, r.premise, r.hypothesis, r.label
        )
        let (names, edges, x, y, z, set, given) = (r.names, r.edges, r.x, r.y, r.z, r.set, r.given)
        let axiom = Axiom(axiomName)
        guard tasks[axiom] != nil else {
            return [
                Problem(
                    check: "schema",
                    message:
                        "axiom '\(axiomName)' is not a task of this split (\(spec.axioms.map(\.rawValue).joined(separator: ", ")))"
                )
            ]
        }
        if splitName != split {
            problems.append(Problem(check: "schema", message: "split field '\(splitName)' in split '\(split)'"))
        }
        // The split's level (absent in corpora older than `level:`).
        if let stated = r.metaText("difficulty"), stated != (spec.difficulty.map { "\($0)" } ?? "null") {
            problems.append(
                Problem(
                    check: "schema",
                    message:
                        "meta.difficulty \(stated) is not the split's level (\(spec.difficulty.map { "\($0)" } ?? "none"))"
                )
            )
        }
        let (yesWord, noWord) = (RecordFormat.yes, RecordFormat.no)
        guard labelText == yesWord || labelText == noWord else {
            return [Problem(check: "schema", message: "label '\(labelText)' is neither \(yesWord) nor \(noWord)")]
        }
        let label = labelText == yesWord
        problems += layoutProblems(r, label: label)
        let n = names.count
        guard
            edges.allSatisfy({ $0.count == 2 && (0..<n).contains($0[0]) && (0..<n).contains($0[1]) && $0[0] != $0[1] }),
            [x, y].allSatisfy((0..<n).contains), given.allSatisfy((0..<n).contains),
            z == -1 || (0..<n).contains(z), set.allSatisfy((0..<n).contains)
        else {
            return [Problem(check: "schema", message: "an edge or query index is out of range")]
        }
        var g = CausalGraph(nodeCount: n)
        for e in edges { g.addEdge(e[0], e[1]) }
        if let cycle = g.findCycle() {
            return [
                Problem(
                    check: "acyclic",
                    message: "the graph has a cycle: " + cycle.map { names[$0] }.joined(separator: " -> ")
                )
            ]
        }
        // Names: unique (up to case unless the recipe allows it) and never a grammar word.
        var seen = Set<String>()
        for name in names {
            let key = spec.names.caseSensitive ? name : name.lowercased()
            if !seen.insert(key).inserted {
                problems.append(Problem(check: "names", message: "name '\(name)' collides with another node's name"))
            }
            if grammar.reservedWords.contains(spec.names.caseSensitive ? name : name.lowercased()) {
                problems.append(Problem(check: "names", message: "name '\(name)' is a word of the grammar"))
            }
            if NameGenerator.isNumber(Array(name.utf8)) {
                problems.append(Problem(check: "names", message: "name '\(name)' is a number"))
            }
        }
        let relationNames = tasks[axiom]!.relationNames
        let relation = r.relation.flatMap { relationNames.firstIndex(of: $0) } ?? -1
        if tasks[axiom]!.shape.contains(.relation) && relation < 0 {
            return [
                Problem(
                    check: "schema",
                    message: "query.relation is missing or not one of \(relationNames.joined(separator: ", "))"
                )
            ]
        }
        let query = Query(axiom, x, y, z: z, set: set, given: given, relation: relation)
        let statistical = tasks[axiom]!.premiseStyle == .statistics
        let asksY = tasks[axiom]!.questionForms.allSatisfy { $0.slots.contains("y") }
        if (x == y) == asksY || given.contains(x) || given.contains(y) || Set(given).count != given.count {
            problems.append(Problem(check: "query", message: "the query repeats a node"))
        }
        for v in [x, y] + given where !statistical && !g.isMentioned(v) {
            problems.append(
                Problem(check: "query", message: "the query names '\(names[v])', which the premise does not mention")
            )
        }
        // The label, recomputed by the second algorithm.
        tasks[axiom]!.prepare(g)
        let truth = tasks[axiom]!.check(query)
        // Cues, recomputed from the text: first mentions are the names' first whole-word
        // occurrences in the premise.
        let ranks = RecordCheck.mentionRanks(premise, names: names)
        let cues = tasks[axiom]!.recordCues(query, mention: ranks, graph: g)
        if let stated = r.cues {
            let cueNames = tasks[axiom]!.recordCueNames
            let holding = cueNames.indices.filter { cues & (1 << UInt32($0)) != 0 }.map { cueNames[$0] }
            if stated != holding {
                problems.append(
                    Problem(check: "cues", message: "meta.cues \(stated) differ from the cues of the text \(holding)")
                )
            }
        }
        if let stated = r.type {
            let type = tasks[axiom]!.typeNames[tasks[axiom]!.questionType(query, label: truth)]
            if stated != type {
                problems.append(
                    Problem(check: "cues", message: "meta.type '\(stated)' is not the question's type '\(type)'")
                )
            }
        }
        if truth != label {
            problems.append(
                Problem(
                    check: "labels",
                    message: "label \(labelText) is wrong: the second algorithm says \(truth ? yesWord : noWord)"
                )
            )
        }
        if spec.explanations, let text = r.explanation {
            explanations += 1
            let grammar = grammar
            var replay = ExplanationReplay(
                sentences: { grammar.premiseSentences(premise, names: names) },
                names: names,
                graph: g,
                query: query,
                label: label,
                style: spec.explanationStyle
            )
            do {
                let steps = try grammar.parseExplanation(
                    text,
                    kinds: ExplanationReplay.kinds[query.axiom] ?? [],
                    names: names
                )
                problems += replay.problems(of: steps).map { Problem(check: "explanations", message: $0) }
            } catch {
                problems.append(
                    Problem(check: "explanations", message: "the explanation cannot be read back: \(error)")
                )
            }
        }
        // The text, read back, is the same graph and question.
        do {
            let parsed = try grammar.parse(premise: premise, hypothesis: hypothesis)
            problems += compare(parsed, names: names, graph: g, query: query, field: "premise/hypothesis")
            // A chat or rl user message is checked against the prompt the grammar renders
            // (layoutProblems), the records layout's prompt too when it is byte-equal to one
            // (it then states what premise and hypothesis state), else by reading it back.
            if let prompt = r.prompt, r.layout == .records,
                !Renderer(grammar: grammar).prompts(premise: Array(premise.utf8), hypothesis: Array(hypothesis.utf8))
                    .contains(where: { $0.elementsEqual(prompt.utf8) })
            {
                problems += compare(
                    try grammar.parse(prompt: prompt),
                    names: names,
                    graph: g,
                    query: query,
                    field: "prompt"
                )
            }
        } catch {
            problems.append(Problem(check: "round trip", message: "the text cannot be read back: \(error)"))
        }
        record = CheckedRecord(
            id: id,
            axiom: axiom,
            premise: premise,
            hypothesis: hypothesis,
            label: label,
            graph: g,
            names: names,
            query: query,
            nodes: r.nodes,
            cues: cues,
            twin: r.twin
        )
        return problems
    }

    /// The rank of each node's first whole-word mention in `premise` (`Int.max` if none).
    /// Words are runs of ASCII letters, digits, `_` and `-` (as characters: a letter with a
    /// combining mark is no ASCII letter); ASCII text is read byte by byte.
    static func mentionRanks(_ premise: String, names: [String]) -> [Int] {
        guard premise.utf8.allSatisfy({ $0 < 0x80 }) else { return mentionRanks(characters: premise, names: names) }
        var index: [[UInt8]: Int] = [:]
        for (i, n) in names.enumerated() { index[Array(n.utf8)] = i }
        var ranks = [Int](repeating: Int.max, count: names.count)
        var next = 0
        var word: [UInt8] = []
        func end() {
            if !word.isEmpty, let v = index[word], ranks[v] == Int.max {
                ranks[v] = next
                next += 1
            }
            word.removeAll(keepingCapacity: true)
        }
        for byte in premise.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                word.append(byte)
            default: end()
            }
        }
        end()
        return ranks
    }

    private static func mentionRanks(characters premise: String, names: [String]) -> [Int] {
        var index: [Substring: Int] = [:]
        for (i, n) in names.enumerated() { index[Substring(n)] = i }
        var ranks = [Int](repeating: Int.max, count: names.count)
        var next = 0
        for word in premise.split(whereSeparator: {
            !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-"))
        }) {
            if let v = index[word], ranks[v] == Int.max {
                ranks[v] = next
                next += 1
            }
        }
        return ranks
    }

    private func compare(
        _ parsed: ParsedInstance,
        names: [String],
        graph: CausalGraph,
        query: Query,
        field: String
    ) -> [Problem] {
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let back = parsed.names.map { index[$0] ?? -1 }
        let edges = Set(parsed.graph.edges.map { CausalGraph.Edge(back[$0.from], back[$0.to]) })
        var problems: [Problem] = []
        // A statistical premise states the class, not the graph: the same relations.
        let same =
            parsed.statistical && !back.contains(-1)
            ? IndependenceModel(parsed.graph).relabeled(back, nodeCount: graph.nodeCount) == IndependenceModel(graph)
            : edges == Set(graph.edges)
        if back.contains(-1) || !same {
            problems.append(
                Problem(check: "round trip", message: "the \(field) text does not state the record's graph")
            )
        }
        var pq = Query(
            parsed.query.axiom,
            back[parsed.query.x],
            back[parsed.query.y],
            z: parsed.query.z < 0 ? -1 : back[parsed.query.z],
            set: parsed.query.set.map { back[$0] }.sorted(),
            given: parsed.query.given.map { back[$0] }.sorted(),
            relation: parsed.query.relation
        )
        let symmetric = tasks[pq.axiom]?.shape.contains(.symmetric) ?? false
        if symmetric && pq.x != query.x { swap(&pq.x, &pq.y) }
        if let task = tasks[pq.axiom] { pq = task.normalized(pq) }
        if pq != (tasks[query.axiom]?.normalized(query) ?? query) {
            problems.append(Problem(check: "round trip", message: "the \(field) question is not the record's query"))
        }
        return problems
    }
}
