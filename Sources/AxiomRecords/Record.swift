import AxiomCore

/// The JSONL record, defined once: its field names (`RecordField`), how each layout writes it
/// (`RecordWriter`), how any layout is read back (`StoredRecord`), and the dataset card's feature
/// list (`RecordSchema.features`). Nothing else in the tree spells a record field.
public enum RecordField {
    public static let id = "id", split = "split", axiom = "axiom", premise = "premise", hypothesis = "hypothesis"
    public static let label = "label", prompt = "prompt", completion = "completion", explanation = "explanation"
    public static let messages = "messages", role = "role", content = "content"
    public static let graph = "graph", nodes = "nodes", edges = "edges", query = "query", meta = "meta"
    public static let tables = "tables"
    public static let x = "x", y = "y", z = "z", set = "set", relation = "relation", given = "given"
    public static let cues = "cues", type = "type", twin = "twin"
    /// The rl layout (veRL's fields).
    public static let dataSource = "data_source", ability = "ability", rewardModel = "reward_model"
    public static let style = "style", groundTruth = "ground_truth", extraInfo = "extra_info", index = "index"
    /// `meta`'s scalar fields, in written order, with their dataset types (`cues` follows them).
    public static let metaScalars: [(name: String, dtype: String)] = [
        ("family", "string"), ("nodes", "int64"), ("edges", "int64"), ("hops", "int64"), ("flips", "int64"),
        ("branching", "float64"), ("name_length", "int64"), ("order", "string"), ("given_size", "int64"),
        ("distractors", "int64"), ("direction", "string"), ("twin", "string"), ("type", "string"),
        ("difficulty", "int64"),
    ]
}

/// Which optional fields a split's records hold, and in which layout.
public struct RecordSchema: Sendable, Equatable {
    public var format: RecordFormat
    /// `prompt` (and `completion` = the label) in the flat layout.
    public var prompt: Bool
    public var explanations: Bool
    /// `query.z` and `query.set` (null for tasks that do not ask about them).
    public var node: Bool
    public var set: Bool
    /// `query.relation` (null for tasks that assert none).
    public var relation = false
    /// `graph.tables`: a causal model's probability tables (empty for tasks without one).
    public var tables = false

    public init(format: RecordFormat, prompt: Bool, explanations: Bool, node: Bool, set: Bool) {
        self.format = format
        self.prompt = prompt
        self.explanations = explanations
        self.node = node
        self.set = set
    }

    /// The schema as the dataset card's `dataset_info.features`, so every split loads with one
    /// schema even where a split's values are all null (e.g. `meta.branching` outside branching
    /// splits). rl nests the flat fields under `extra_info`.
    public func features() -> String {
        typealias F = RecordField
        var s = "dataset_info:\n  features:\n"
        func field(_ name: String, _ type: String, indent: String = "  ") {
            s += "\(indent)- name: \(name)\n\(indent)  dtype: \(type)\n"
        }
        func messages(_ name: String) {
            s += "  - name: \(name)\n    list:\n"
            field(F.role, "string", indent: "    ")
            field(F.content, "string", indent: "    ")
        }
        var i = "  "
        if format == .rl {
            field(F.dataSource, "string")
            messages(F.prompt)
            field(F.ability, "string")
            s += "  - name: \(F.rewardModel)\n    struct:\n"
            field(F.style, "string", indent: "    ")
            field(F.groundTruth, "string", indent: "    ")
            s += "  - name: \(F.extraInfo)\n    struct:\n"
            i = "    "
            for name in [F.id, F.split, F.axiom] { field(name, "string", indent: i) }
            field(F.index, "int64", indent: i)
            for name in [F.premise, F.hypothesis] { field(name, "string", indent: i) }
        } else {
            for name in [F.id, F.split, F.axiom, F.premise, F.hypothesis, F.label] { field(name, "string") }
            if prompt && format != .chat { field(F.prompt, "string") }
            if (prompt && format != .chat) || format == .completion { field(F.completion, "string") }
        }
        if explanations { field(F.explanation, "string", indent: i) }
        if format == .chat { messages(F.messages) }
        // graph, query and meta: at the top level, or inside extra_info (two more spaces).
        var tail = "  - name: \(F.graph)\n    struct:\n    - name: \(F.nodes)\n      sequence: string\n"
        tail += "    - name: \(F.edges)\n      sequence:\n        sequence: int64\n"
        if tables { tail += "    - name: \(F.tables)\n      sequence:\n        sequence: int64\n" }
        tail += "  - name: \(F.query)\n    struct:\n"
        func sub(_ name: String, _ type: String) { tail += "    - name: \(name)\n      dtype: \(type)\n" }
        sub(F.x, "int64")
        sub(F.y, "int64")
        if node { sub(F.z, "int64") }
        if set { tail += "    - name: \(F.set)\n      sequence: int64\n" }
        if relation { sub(F.relation, "string") }
        tail += "    - name: \(F.given)\n      sequence: int64\n"
        tail += "  - name: \(F.meta)\n    struct:\n"
        for (name, type) in F.metaScalars { sub(name, type) }
        tail += "    - name: \(F.cues)\n      sequence: string\n"
        if format == .rl {
            s += tail.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }
                .joined(separator: "\n")
        } else {
            s += tail
        }
        return s
    }
}

/// What one record says, as the generator holds it: bytes and indices, no strings. Its graph's
/// edges and its query are handed to `RecordWriter.write` beside it (borrowed, so the writer
/// neither owns nor copies the generator's storage).
public struct RecordContent {
    public var index = 0
    public var axiom: [UInt8] = []
    public var label = false
    public var premise: [UInt8] = []
    public var hypothesis: [UInt8] = []
    /// Used when the schema has a prompt / explanations.
    public var prompt: [UInt8] = []
    public var explanation: [UInt8] = []
    public var names: [[UInt8]] = []
    /// Whether the task asks about `query.z` / `query.set` (else they are written as null).
    public var asksNode = false
    public var asksSet = false
    /// The asserted relation's name (nil: written as null).
    public var relation: [UInt8]? = nil
    /// Main-graph node and edge counts (without distractors).
    public var nodes = 0
    public var mainEdges = 0
    /// Shortest directed path x ⇝ y, -1 when there is none.
    public var hops = -1
    public var flips = 0
    public var nameLength = 0
    public var order: [UInt8] = []
    public var distractors = 0
    /// Chain graphs: the question's direction along the chain; nil for other graphs.
    public var forward: Bool? = nil
    public var twin: Int? = nil
    public var type: [UInt8] = []
    /// Names of the cues that hold.
    public var cueNames: [[UInt8]] = []
    public var cueBits: UInt32 = 0
    /// The causal model the premise states (`graph.tables`), for tasks whose premise has one.
    public var model: CausalModel? = nil

    public init() {}
}

/// Writes records of one split in its layout, appending bytes to a buffer the caller reuses.
public struct RecordWriter {
    public let schema: RecordSchema
    private let split: [UInt8]
    private let dataSource: [UInt8]
    private let family: [UInt8]
    /// `meta.branching` in hundredths, or nil.
    private let branching: Int?
    /// `meta.difficulty`: the split's level (`level:`), or nil.
    private let difficulty: Int?
    /// The grammar's wording of the answers (the records layout's `completion`).
    private let yes: [UInt8], no: [UInt8]
    /// The label words (`RecordFormat.yes`/`no`) and the layouts' instruction.
    private let yesLabel = Array(RecordFormat.yes.utf8), noLabel = Array(RecordFormat.no.utf8)
    private let instruction: [UInt8]
    private var userText: [UInt8] = []
    private var answerText: [UInt8] = []

    /// - Parameters: `answers`: the grammar's words for Yes and No; `branching`: the split's
    ///   branching factor (branching families), else nil; `difficulty`: the split's level.
    public init(
        schema: RecordSchema,
        split: String,
        recipe: String,
        family: String,
        branching: Double?,
        difficulty: Int? = nil,
        answers: (yes: [UInt8], no: [UInt8])
    ) {
        self.difficulty = difficulty
        self.schema = schema
        self.split = Array(split.utf8)
        self.dataSource = Array(RecordFormat.dataSource(recipe: recipe, split: split).utf8)
        self.family = Array(family.utf8)
        self.branching = branching.map { Int(($0 * 100).rounded()) }
        self.yes = answers.yes
        self.no = answers.no
        self.instruction = Array(RecordFormat.instruction(explanations: schema.explanations).utf8)
    }

    /// Appends `r`, with its graph's `edges` and its `query`, as one JSONL line: the record's
    /// head (ids and text), the layout's text fields, the graph, the query and `meta`.
    public mutating func write(_ r: RecordContent, edges: [CausalGraph.Edge], query: Query, into out: inout ByteBuffer)
    {
        let answer = r.label ? yes : no
        let label = r.label ? yesLabel : noLabel
        if schema.format != .records { fillLayoutText(r, label: label) }
        appendHead(r, label: label, into: &out)
        appendText(r, answer: answer, label: label, into: &out)
        appendGraph(r, edges: edges, into: &out)
        appendQuery(r, query: query, into: &out)
        appendMeta(r, query: query, into: &out)
        JSONBytes.appendRaw(schema.format == .rl ? "}}}\n" : "}}\n", to: &out)
    }

    /// rl's envelope (`data_source`, the user turn, `ability`, `reward_model`), then `id`,
    /// `split`, `axiom`, rl's `index`, `premise` and `hypothesis`.
    private func appendHead(_ r: RecordContent, label: [UInt8], into out: inout ByteBuffer) {
        let format = schema.format
        if format == .rl {
            JSONBytes.appendRaw("{\"data_source\":", to: &out)
            JSONBytes.appendString(dataSource, to: &out)
            JSONBytes.appendRaw(",\"prompt\":[{\"role\":\"user\",\"content\":", to: &out)
            JSONBytes.appendString(userText, to: &out)
            JSONBytes.appendRaw(
                "}],\"ability\":\"causal-reasoning\",\"reward_model\":{\"style\":\"rule\",\"ground_truth\":",
                to: &out
            )
            JSONBytes.appendString(label, to: &out)
            JSONBytes.appendRaw("},\"extra_info\":{\"id\":\"", to: &out)
        } else {
            JSONBytes.appendRaw("{\"id\":\"", to: &out)
        }
        out.append(contentsOf: split)
        out.append(0x2D)
        JSONBytes.appendInt(r.index, minDigits: 9, to: &out)
        JSONBytes.appendRaw("\",\"split\":", to: &out)
        JSONBytes.appendString(split, to: &out)
        JSONBytes.appendRaw(",\"axiom\":", to: &out)
        JSONBytes.appendString(r.axiom, to: &out)
        if format == .rl {
            JSONBytes.appendRaw(",\"index\":", to: &out)
            JSONBytes.appendInt(r.index, to: &out)
        }
        JSONBytes.appendRaw(",\"premise\":", to: &out)
        JSONBytes.appendString(r.premise, to: &out)
        JSONBytes.appendRaw(",\"hypothesis\":", to: &out)
        JSONBytes.appendString(r.hypothesis, to: &out)
    }

    /// `label`, `prompt` and `completion` (records, completion), `explanation`, `messages` (chat).
    private func appendText(_ r: RecordContent, answer: [UInt8], label: [UInt8], into out: inout ByteBuffer) {
        let format = schema.format
        if format != .rl {
            JSONBytes.appendRaw(",\"label\":", to: &out)
            JSONBytes.appendString(label, to: &out)
        }
        // Chat records carry the prompt only as the user message: with a `prompt` column too,
        // TRL would take them for prompt/completion data and train on the bare label.
        if schema.prompt && format != .rl && format != .chat {
            JSONBytes.appendRaw(",\"prompt\":", to: &out)
            JSONBytes.appendString(r.prompt, to: &out)
        }
        if format == .completion {
            JSONBytes.appendRaw(",\"completion\":", to: &out)
            JSONBytes.appendString(answerText, to: &out)
        } else if schema.prompt && format != .rl && format != .chat {
            JSONBytes.appendRaw(",\"completion\":", to: &out)
            JSONBytes.appendString(answer, to: &out)
        }
        if schema.explanations {
            JSONBytes.appendRaw(",\"explanation\":", to: &out)
            JSONBytes.appendString(r.explanation, to: &out)
        }
        if format == .chat {
            JSONBytes.appendRaw(",\"messages\":[{\"role\":\"user\",\"content\":", to: &out)
            JSONBytes.appendString(userText, to: &out)
            JSONBytes.appendRaw("},{\"role\":\"assistant\",\"content\":", to: &out)
            JSONBytes.appendString(answerText, to: &out)
            JSONBytes.appendRaw("}]", to: &out)
        }
    }

    /// `graph`: `nodes` (the names) and `edges` as index pairs.
    private func appendGraph(_ r: RecordContent, edges: [CausalGraph.Edge], into out: inout ByteBuffer) {
        JSONBytes.appendRaw(",\"graph\":{\"nodes\":[", to: &out)
        for (i, name) in r.names.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONBytes.appendString(name, to: &out)
        }
        JSONBytes.appendRaw("],\"edges\":[", to: &out)
        for (i, e) in edges.enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(0x5B)
            JSONBytes.appendInt(e.from, to: &out)
            out.append(0x2C)
            JSONBytes.appendInt(e.to, to: &out)
            out.append(0x5D)
        }
        out.append(0x5D)
        if schema.tables {
            // tables[v][i]: 100 · P(v = 1 | the parents, ascending, take the binary digits of i,
            // the first parent the most significant), as the model document orders its rows.
            JSONBytes.appendRaw(",\"tables\":[", to: &out)
            if let model = r.model {
                for v in 0..<model.nodeCount {
                    if v > 0 { out.append(0x2C) }
                    out.append(0x5B)
                    let table = model.tables[v]
                    let k = model.parents[v].count
                    for i in table.indices {
                        if i > 0 { out.append(0x2C) }
                        JSONBytes.appendInt(table[CausalModel.documentRow(i, parents: k)], to: &out)
                    }
                    out.append(0x5D)
                }
            }
            out.append(0x5D)
        }
        out.append(0x7D)
    }

    /// `query`: `x`, `y`, and as the schema asks `z`, `set`, `relation`; then `given`.
    private func appendQuery(_ r: RecordContent, query: Query, into out: inout ByteBuffer) {
        JSONBytes.appendRaw(",\"query\":{\"x\":", to: &out)
        JSONBytes.appendInt(query.x, to: &out)
        JSONBytes.appendRaw(",\"y\":", to: &out)
        JSONBytes.appendInt(query.y, to: &out)
        if schema.node {
            JSONBytes.appendRaw(",\"z\":", to: &out)
            if r.asksNode { JSONBytes.appendInt(query.z, to: &out) } else { JSONBytes.appendRaw("null", to: &out) }
        }
        if schema.set {
            JSONBytes.appendRaw(",\"set\":", to: &out)
            if r.asksSet { appendList(query.set, to: &out) } else { JSONBytes.appendRaw("null", to: &out) }
        }
        if schema.relation {
            JSONBytes.appendRaw(",\"relation\":", to: &out)
            if let name = r.relation {
                JSONBytes.appendString(name, to: &out)
            } else {
                JSONBytes.appendRaw("null", to: &out)
            }
        }
        JSONBytes.appendRaw(",\"given\":", to: &out)
        appendList(query.given, to: &out)
        out.append(0x7D)
    }

    /// `meta`: its scalars in `RecordField.metaScalars` order, then `cues` (the names that hold).
    private func appendMeta(_ r: RecordContent, query: Query, into out: inout ByteBuffer) {
        JSONBytes.appendRaw(",\"meta\":{\"family\":", to: &out)
        JSONBytes.appendString(family, to: &out)
        JSONBytes.appendRaw(",\"nodes\":", to: &out)
        JSONBytes.appendInt(r.nodes, to: &out)
        JSONBytes.appendRaw(",\"edges\":", to: &out)
        JSONBytes.appendInt(r.mainEdges, to: &out)
        JSONBytes.appendRaw(",\"hops\":", to: &out)
        if r.hops < 0 { JSONBytes.appendRaw("null", to: &out) } else { JSONBytes.appendInt(r.hops, to: &out) }
        JSONBytes.appendRaw(",\"flips\":", to: &out)
        JSONBytes.appendInt(r.flips, to: &out)
        JSONBytes.appendRaw(",\"branching\":", to: &out)
        if let b = branching {
            JSONBytes.appendInt(b / 100, to: &out)
            out.append(0x2E)
            JSONBytes.appendInt(b % 100, minDigits: 2, to: &out)
        } else {
            JSONBytes.appendRaw("null", to: &out)
        }
        JSONBytes.appendRaw(",\"name_length\":", to: &out)
        JSONBytes.appendInt(r.nameLength, to: &out)
        JSONBytes.appendRaw(",\"order\":", to: &out)
        JSONBytes.appendString(r.order, to: &out)
        JSONBytes.appendRaw(",\"given_size\":", to: &out)
        JSONBytes.appendInt(query.given.count, to: &out)
        JSONBytes.appendRaw(",\"distractors\":", to: &out)
        JSONBytes.appendInt(r.distractors, to: &out)
        JSONBytes.appendRaw(",\"direction\":", to: &out)
        switch r.forward {
        case nil: JSONBytes.appendRaw("null", to: &out)
        case true?: JSONBytes.appendRaw("\"forward\"", to: &out)
        case false?: JSONBytes.appendRaw("\"backward\"", to: &out)
        }
        JSONBytes.appendRaw(",\"twin\":", to: &out)
        if let twin = r.twin {
            out.append(0x22)
            out.append(contentsOf: split)
            out.append(0x2D)
            JSONBytes.appendInt(twin, minDigits: 9, to: &out)
            out.append(0x22)
        } else {
            JSONBytes.appendRaw("null", to: &out)
        }
        JSONBytes.appendRaw(",\"type\":", to: &out)
        JSONBytes.appendString(r.type, to: &out)
        JSONBytes.appendRaw(",\"difficulty\":", to: &out)
        if let difficulty { JSONBytes.appendInt(difficulty, to: &out) } else { JSONBytes.appendRaw("null", to: &out) }
        JSONBytes.appendRaw(",\"cues\":[", to: &out)
        var first = true
        for (i, name) in r.cueNames.enumerated() where r.cueBits & (1 << UInt32(i)) != 0 {
            if !first { out.append(0x2C) }
            first = false
            JSONBytes.appendString(name, to: &out)
        }
        out.append(0x5D)
    }

    private func appendList(_ list: [Int], to out: inout ByteBuffer) {
        out.append(0x5B)
        for (i, v) in list.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONBytes.appendInt(v, to: &out)
        }
        out.append(0x5D)
    }

    /// The user message (the prompt, else premise and question) and the assistant's text (the
    /// explanation, if any, then `Answer: <label>`) of the chat, completion and rl layouts.
    private mutating func fillLayoutText(_ r: RecordContent, label: [UInt8]) {
        userText.removeAll(keepingCapacity: true)
        RecordFormat.appendUserMessage(
            prompt: schema.prompt ? r.prompt : nil,
            premise: r.premise,
            hypothesis: r.hypothesis,
            instruction: instruction,
            to: &userText
        )
        answerText.removeAll(keepingCapacity: true)
        if schema.explanations {
            answerText.append(contentsOf: r.explanation)
            answerText.append(0x0A)
        }
        answerText.append(contentsOf: RecordFormat.answerPrefix.utf8)
        answerText.append(contentsOf: label)
    }
}

/// A record read back from a shard, in any layout: the flat layout's fields, typed, plus the
/// extra fields of the chat and rl layouts (for `check` to compare with the flat ones).
public struct StoredRecord {
    public struct Message: Equatable {
        public var role: String?
        public var content: String?
        /// How many keys the message object has (exactly `role` and `content` when well formed).
        public var keys: Int

        public init(role: String?, content: String?, keys: Int) {
            self.role = role
            self.content = content
            self.keys = keys
        }
    }

    /// The record as written, and with the flat layout's field names (see `RecordLayout.flatten`).
    public let raw: JSONValue
    public let flat: JSONValue
    /// The layout the record's keys say it is in.
    public let layout: RecordFormat
    public var id: String
    public var split: String
    public var axiom: String
    public var premise: String
    public var hypothesis: String
    public var label: String
    public var prompt: String?
    public var completion: String?
    public var explanation: String?
    public var names: [String]
    /// Edges as read (a non-integer entry is -1; a malformed edge has other than 2 entries).
    public var edges: [[Int]]
    /// `graph.tables` (nil when absent; -1 for an entry that is no integer).
    public var tables: [[Int]]?
    public var x: Int, y: Int
    /// `query.z` (-1 when null or absent), `query.set`, `query.given` (non-integers as -1).
    public var z: Int
    public var set: [Int]
    public var given: [Int]
    /// `query.relation` when present.
    public var relation: String?
    /// `meta.nodes` and the whole `meta` object.
    public var nodes: Int
    public var meta: JSONValue
    /// `meta.cues`, `meta.type`, `meta.twin` when present.
    public var cues: [String]?
    public var type: String?
    public var twin: String?
    /// Chat: `messages`; rl: `prompt` (the user turn).
    public var messages: [Message]?
    /// rl: `data_source`, `ability`, `reward_model.style`, the number of `reward_model` keys,
    /// `extra_info.index`.
    public var dataSource: String?
    public var ability: String?
    public var rewardStyle: String?
    public var rewardKeys: Int
    public var index: Int?
    /// Whether the record holds top-level `prompt` or `completion` fields (chat records must not).
    public var hasPromptOrCompletion: Bool

    /// The record `raw` in any layout; `prompt`: take a chat or rl record's user message as its
    /// prompt. Nil when a required field is missing or has the wrong type.
    public init?(_ raw: JSONValue, prompt: Bool) {
        typealias F = RecordField
        let o = RecordLayout.flatten(raw, prompt: prompt)
        guard let id = o[F.id]?.string, let split = o[F.split]?.string, let axiom = o[F.axiom]?.string,
            let premise = o[F.premise]?.string, let hypothesis = o[F.hypothesis]?.string,
            let label = o[F.label]?.string,
            let names = o[F.graph]?[F.nodes]?.array?.compactMap(\.string),
            let edges = o[F.graph]?[F.edges]?.array, let q = o[F.query],
            let x = q[F.x]?.int, let y = q[F.y]?.int, let given = q[F.given]?.array,
            let meta = o[F.meta], let nodes = meta[F.nodes]?.int
        else { return nil }
        self.raw = raw
        self.flat = o
        self.layout = RecordLayout.format(of: raw)
        self.id = id
        self.split = split
        self.axiom = axiom
        self.premise = premise
        self.hypothesis = hypothesis
        self.label = label
        self.prompt = o[F.prompt]?.string
        self.completion = o[F.completion]?.string
        self.explanation = o[F.explanation]?.string
        self.names = names
        self.edges = edges.map { e in (e.array ?? []).map { $0.int ?? -1 } }
        self.tables = o[F.graph]?[F.tables]?.array?.map { t in (t.array ?? []).map { $0.int ?? -1 } }
        self.x = x
        self.y = y
        self.z = q[F.z]?.int ?? -1
        self.set = (q[F.set]?.array ?? []).map { $0.int ?? -1 }
        self.given = given.map { $0.int ?? -1 }
        self.relation = q[F.relation]?.string
        self.nodes = nodes
        self.meta = meta
        self.cues = meta[F.cues]?.array?.compactMap(\.string)
        self.type = meta[F.type]?.string
        self.twin = meta[F.twin]?.string
        func messages(_ v: JSONValue?) -> [Message]? {
            v?.array?.map { Message(role: $0[F.role]?.string, content: $0[F.content]?.string, keys: $0.keys.count) }
        }
        switch layout {
        case .chat: self.messages = messages(raw[F.messages])
        case .rl: self.messages = messages(raw[F.prompt])
        default: self.messages = nil
        }
        self.dataSource = raw[F.dataSource]?.string
        self.ability = raw[F.ability]?.string
        self.rewardStyle = raw[F.rewardModel]?[F.style]?.string
        self.rewardKeys = raw[F.rewardModel]?.keys.count ?? 0
        self.index = o[F.index]?.int
        self.hasPromptOrCompletion = raw[F.prompt] != nil || raw[F.completion] != nil
    }

    /// A `meta` value as bucket text (`null` for null), or nil when absent.
    public func metaText(_ key: String) -> String? { meta[key].map { $0.text ?? "null" } }
}

/// Reads records of every layout in the flat layout's field names.
public enum RecordLayout {
    /// The layout `v` is written in (by its keys).
    public static func format(of v: JSONValue) -> RecordFormat {
        if v[RecordField.extraInfo] != nil && v[RecordField.rewardModel] != nil { return .rl }
        if v[RecordField.messages] != nil { return .chat }
        return .records
    }

    /// `v` with the flat layout's field names: an rl record's `extra_info` fields, `label` from
    /// `reward_model.ground_truth` and, when `prompt` is true, `prompt` from the user message;
    /// any other record as it is.
    public static func flatten(_ v: JSONValue, prompt: Bool) -> JSONValue {
        typealias F = RecordField
        // A chat record's prompt is its user message.
        if format(of: v) == .chat, prompt, v[F.prompt] == nil, case let .object(pairs) = v,
            let content = v[F.messages]?[0]?[F.content]
        {
            return .object(pairs + [(F.prompt, content)])
        }
        guard format(of: v) == .rl, case let .object(pairs)? = v[F.extraInfo] else { return v }
        var out = pairs
        if let truth = v[F.rewardModel]?[F.groundTruth] { out.append((F.label, truth)) }
        if prompt, let content = v[F.prompt]?[0]?[F.content] { out.append((F.prompt, content)) }
        return .object(out)
    }

    /// The flat record's label, from any layout.
    public static func label(of v: JSONValue) -> String? { flatten(v, prompt: false)[RecordField.label]?.string }
}
