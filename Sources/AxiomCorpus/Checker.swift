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
    /// The text baseline per split and task (`TextProbe`); nil before the shortcut checks ran.
    public var textProbe: [String: [String: TextProbeScore]]?
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
    /// The causal model of a task whose premise states one.
    var model: CausalModel? = nil
    /// The cue bits recomputed from the record's graph, query and premise text.
    var cues: UInt32
    /// The id of its contrastive twin (`meta.twin`).
    var twin: String?
    /// Its surface as the text baseline's features (`TextFeatures`).
    var text: [UInt32] = []
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
    /// Reused storage for the text baseline's features.
    private var text = TextFeatures.Extractor()
    /// The split's tasks, by name.
    private var tasks: [Axiom: any CausalTask] = [:]
    /// The explanation template kinds of each of the split's tasks, and its search step kinds.
    private var kinds: [Axiom: [String]] = [:]
    private var searchKinds: [Axiom: Set<String>] = [:]

    init(grammar: Grammar, spec: SplitSpec, format: RecordFormat = .records, recipeName: String = "") {
        self.grammar = grammar
        self.spec = spec
        self.format = format
        self.recipeName = recipeName
        for axiom in spec.axioms {
            tasks[axiom] = TaskCatalog.task(axiom)
            kinds[axiom] = ExplanationReplay.kinds(of: axiom)
            searchKinds[axiom] = Set(tasks[axiom]?.searchForms.map(\.kind) ?? [])
        }
    }

    struct Problem {
        var check: String
        var message: String
    }

    /// A problem that ends the record's check: the problems to report instead of all others.
    struct Stop: Error {
        var problems: [Problem]
        init(_ check: String, _ message: String) { problems = [Problem(check: check, message: message)] }
    }

    /// Checks one record line, step by step; a step that cannot go on reports only its problem.
    mutating func check(_ line: UnsafeBufferPointer<UInt8>, split: String) -> [Problem] {
        record = nil
        do {
            let r = try read(line)
            var problems = fieldProblems(r, split: split)
            let label = try readLabel(r)
            problems += layoutProblems(r, label: label)
            let g = try graph(of: r)
            problems += nameProblems(r.names)
            let query = try query(of: r)
            problems += queryProblems(query, graph: g, names: r.names)
            let model = try model(of: r, graph: g, task: query.axiom)
            // The label, recomputed by the second algorithm; the cues, from the text.
            let (truth, cues) = labelAndCues(query, graph: g, model: model, premise: r.premise, names: r.names)
            problems += cueProblems(r, query: query, cues: cues, truth: truth)
            if truth != label {
                let (yes, no) = (RecordFormat.yes, RecordFormat.no)
                problems.append(
                    Problem(
                        check: "labels",
                        message: "label \(r.label) is wrong: the second algorithm says \(truth ? yes : no)"
                    )
                )
            }
            if spec.explanations, let text = r.explanation {
                problems += explanationProblems(text, r, query: query, graph: g, model: model, label: label)
            }
            problems += roundTripProblems(r, query: query, graph: g, model: model)
            record = CheckedRecord(
                id: r.id,
                axiom: query.axiom,
                premise: r.premise,
                hypothesis: r.hypothesis,
                label: label,
                graph: g,
                names: r.names,
                query: query,
                nodes: r.nodes,
                model: model,
                cues: cues,
                twin: r.twin
            )
            text.extract(premise: r.premise, question: r.hypothesis, names: r.names)
            record!.text = text.features
            return problems
        } catch {
            return error.problems
        }
    }

    /// The line as a record of one of the split's tasks (rl records keep the flat fields under
    /// extra_info, the label as the ground truth).
    private func read(_ line: UnsafeBufferPointer<UInt8>) throws(Stop) -> StoredRecord {
        guard let raw = try? JSONValue.parse(line), case .object = raw else {
            throw Stop("schema", "not a JSON object")
        }
        guard let r = StoredRecord(raw, prompt: spec.prompt) else {
            throw Stop("schema", "a required field is missing or has the wrong type")
        }
        guard tasks[Axiom(r.axiom)] != nil else {
            throw Stop(
                "schema",
                "axiom '\(r.axiom)' is not a task of this split (\(spec.axioms.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return r
    }

    /// The split field, and the split's level (absent in corpora older than `level:`).
    private func fieldProblems(_ r: StoredRecord, split: String) -> [Problem] {
        var problems: [Problem] = []
        if r.split != split {
            problems.append(Problem(check: "schema", message: "split field '\(r.split)' in split '\(split)'"))
        }
        if let stated = r.metaText("difficulty"), stated != (spec.difficulty.map { "\($0)" } ?? "null") {
            problems.append(
                Problem(
                    check: "schema",
                    message:
                        "meta.difficulty \(stated) is not the split's level (\(spec.difficulty.map { "\($0)" } ?? "none"))"
                )
            )
        }
        return problems
    }

    private func readLabel(_ r: StoredRecord) throws(Stop) -> Bool {
        let (yesWord, noWord) = (RecordFormat.yes, RecordFormat.no)
        guard r.label == yesWord || r.label == noWord else {
            throw Stop("schema", "label '\(r.label)' is neither \(yesWord) nor \(noWord)")
        }
        return r.label == yesWord
    }

    /// The record's graph: indices in range, no self-loop, no cycle.
    private func graph(of r: StoredRecord) throws(Stop) -> CausalGraph {
        let n = r.names.count
        guard
            r.edges.allSatisfy({ $0.count == 2 && (0..<n).contains($0[0]) && (0..<n).contains($0[1]) && $0[0] != $0[1] }
            ),
            [r.x, r.y].allSatisfy((0..<n).contains), r.given.allSatisfy((0..<n).contains),
            r.z == -1 || (0..<n).contains(r.z), r.set.allSatisfy((0..<n).contains)
        else {
            throw Stop("schema", "an edge or query index is out of range")
        }
        var g = CausalGraph(nodeCount: n)
        for e in r.edges { g.addEdge(e[0], e[1]) }
        if let cycle = g.findCycle() {
            throw Stop("acyclic", "the graph has a cycle: " + cycle.map { r.names[$0] }.joined(separator: " -> "))
        }
        return g
    }

    /// The causal model `graph.tables` states on the record's graph, for a task whose premise
    /// states one (nil for other tasks, whose records must hold no tables).
    private func model(of r: StoredRecord, graph g: CausalGraph, task axiom: Axiom) throws(Stop) -> CausalModel? {
        guard tasks[axiom]!.premiseStyle == .model else {
            guard r.tables?.isEmpty ?? true else {
                throw Stop("schema", "graph.tables is not empty, but task '\(axiom)' states no causal model")
            }
            return nil
        }
        guard let tables = r.tables else {
            throw Stop("schema", "graph.tables is missing (task '\(axiom)' states a causal model)")
        }
        do {
            return try CausalModel(graph: g, documentTables: tables)
        } catch {
            throw Stop("schema", "graph.tables: \(error.description)")
        }
    }

    /// Names: unique (up to case unless the recipe allows it), never a grammar word or a number.
    private func nameProblems(_ names: [String]) -> [Problem] {
        var problems: [Problem] = []
        var seen = Set<String>()
        for name in names {
            let key = spec.names.caseSensitive ? name : name.lowercased()
            if !seen.insert(key).inserted {
                problems.append(Problem(check: "names", message: "name '\(name)' collides with another node's name"))
            }
            if grammar.reservedWords.contains(key) {
                problems.append(Problem(check: "names", message: "name '\(name)' is a word of the grammar"))
            }
            if NameGenerator.isNumber(Array(name.utf8)) {
                problems.append(Problem(check: "names", message: "name '\(name)' is a number"))
            }
        }
        return problems
    }

    private func query(of r: StoredRecord) throws(Stop) -> Query {
        let axiom = Axiom(r.axiom)
        let relationNames = tasks[axiom]!.relationNames
        let relation = r.relation.flatMap { relationNames.firstIndex(of: $0) } ?? -1
        if tasks[axiom]!.shape.contains(.relation) && relation < 0 {
            throw Stop("schema", "query.relation is missing or not one of \(relationNames.joined(separator: ", "))")
        }
        return Query(axiom, r.x, r.y, z: r.z, set: r.set, given: r.given, relation: relation)
    }

    /// Distinct nodes, each mentioned by a premise of edges.
    private func queryProblems(_ query: Query, graph g: CausalGraph, names: [String]) -> [Problem] {
        var problems: [Problem] = []
        let task = tasks[query.axiom]!
        let statistical = task.premiseStyle != .edges
        let asksY = task.questionForms.allSatisfy { $0.slots.contains("y") }
        let (x, y, given) = (query.x, query.y, query.given)
        if (x == y) == asksY || given.contains(x) || given.contains(y) || Set(given).count != given.count {
            problems.append(Problem(check: "query", message: "the query repeats a node"))
        }
        for v in [x, y] + given where !statistical && !g.isMentioned(v) {
            problems.append(
                Problem(check: "query", message: "the query names '\(names[v])', which the premise does not mention")
            )
        }
        return problems
    }

    /// The label by the second algorithm, and the cue bits recomputed from the text: first
    /// mentions are the names' first whole-word occurrences in the premise.
    private mutating func labelAndCues(
        _ query: Query,
        graph g: CausalGraph,
        model: CausalModel?,
        premise: String,
        names: [String]
    ) -> (truth: Bool, cues: UInt32) {
        if let model { tasks[query.axiom]!.prepare(model) } else { tasks[query.axiom]!.prepare(g) }
        let truth = tasks[query.axiom]!.check(query)
        let ranks = RecordCheck.mentionRanks(premise, names: names)
        return (truth, tasks[query.axiom]!.recordCues(query, mention: ranks, graph: g))
    }

    /// `meta.cues` and `meta.type`, where stated, against the recomputed ones.
    private mutating func cueProblems(_ r: StoredRecord, query: Query, cues: UInt32, truth: Bool) -> [Problem] {
        var problems: [Problem] = []
        if let stated = r.cues {
            let cueNames = tasks[query.axiom]!.recordCueNames
            let holding = cueNames.indices.filter { cues & (1 << UInt32($0)) != 0 }.map { cueNames[$0] }
            if stated != holding {
                problems.append(
                    Problem(check: "cues", message: "meta.cues \(stated) differ from the cues of the text \(holding)")
                )
            }
        }
        if let stated = r.type {
            let type = tasks[query.axiom]!.typeNames[tasks[query.axiom]!.questionType(query, label: truth)]
            if stated != type {
                problems.append(
                    Problem(check: "cues", message: "meta.type '\(stated)' is not the question's type '\(type)'")
                )
            }
        }
        return problems
    }

    /// The explanation, read back and handed to its task's replay.
    private mutating func explanationProblems(
        _ text: String,
        _ r: StoredRecord,
        query: Query,
        graph g: CausalGraph,
        model: CausalModel?,
        label: Bool
    ) -> [Problem] {
        explanations += 1
        let (grammar, premise, names) = (grammar, r.premise, r.names)
        var replay = ExplanationReplay(
            sentences: { grammar.premiseSentences(premise, names: names) },
            names: names,
            graph: g,
            query: query,
            label: label,
            style: spec.explanationStyle,
            searchKinds: searchKinds[query.axiom],
            model: model
        )
        do {
            let steps = try grammar.parseExplanation(
                text,
                kinds: kinds[query.axiom] ?? [],
                names: names
            )
            return replay.problems(of: steps).map { Problem(check: "explanations", message: $0) }
        } catch {
            return [Problem(check: "explanations", message: "the explanation cannot be read back: \(error)")]
        }
    }

    /// The text, read back, is the same graph and question. A chat or rl user message is checked
    /// against the prompt the grammar renders (layoutProblems), the records layout's prompt too
    /// when it is byte-equal to one (it then states what premise and hypothesis state), else by
    /// reading it back.
    private func roundTripProblems(
        _ r: StoredRecord,
        query: Query,
        graph g: CausalGraph,
        model: CausalModel?
    ) -> [Problem] {
        var problems: [Problem] = []
        do {
            let parsed = try grammar.parse(premise: r.premise, hypothesis: r.hypothesis)
            problems += compare(parsed, names: r.names, graph: g, query: query, field: "premise/hypothesis")
            if parsed.model?.relabeled(parsed.names.map { r.names.firstIndex(of: $0) ?? -1 }) != model?.tables {
                problems.append(
                    Problem(
                        check: "round trip",
                        message: "the premise does not state the probability tables of graph.tables"
                    )
                )
            }
            if let prompt = r.prompt, r.layout == .records,
                !Renderer(grammar: grammar).prompts(
                    premise: Array(r.premise.utf8),
                    hypothesis: Array(r.hypothesis.utf8)
                )
                .contains(where: { $0.elementsEqual(prompt.utf8) })
            {
                problems += compare(
                    try grammar.parse(prompt: prompt),
                    names: r.names,
                    graph: g,
                    query: query,
                    field: "prompt"
                )
            }
        } catch {
            // What the premise and hypothesis already showed stays reported.
            problems.append(Problem(check: "round trip", message: "the text cannot be read back: \(error)"))
        }
        return problems
    }

    /// The rank of each node's first whole-word mention in `premise` (`Int.max` if none).
    /// Words are runs of ASCII letters, digits, `_` and `-` (as characters: a letter with a
    /// combining mark is no ASCII letter); ASCII text is read byte by byte.
    static func mentionRanks(_ premise: String, names: [String]) -> [Int] {
        guard premise.utf8.allSatisfy({ $0 < 0x80 }) else { return mentionRanks(characters: premise, names: names) }
        let index = NameIndex(names)
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
