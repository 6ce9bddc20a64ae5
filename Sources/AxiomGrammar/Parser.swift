import AxiomCore
import AxiomRecords

/// A premise and question read back from text.
public struct ParsedInstance: Sendable, Equatable {
    /// Node names in order of first mention in the premise.
    public var names: [String]
    public var graph: CausalGraph
    public var query: Query
    /// The premise stated statistical relations: `graph` is one DAG of the class they imply
    /// (another member states the same text), not necessarily the one the text was made from.
    public var statistical = false
    /// The causal model a premise of edges and probability tables states (nil for other premises).
    public var model: CausalModel? = nil
}

/// Why a text could not be read back; `offset` is a byte offset into the field named, and
/// `line`/`column` (1-based, in bytes) place it in a field of several lines, such as a prompt.
public struct TextError: UserError, Sendable, Equatable {
    public var field: String
    public var offset: Int
    public var message: String
    public var line = 0
    public var column = 0
    public var description: String {
        "\(field), byte \(offset)\(line > 1 ? " (line \(line), column \(column))" : ""): \(message)"
    }
}

extension Grammar {
    /// Reads a premise and a hypothesis (question) rendered in this grammar.
    ///
    /// - Throws: `TextError` for text no template matches, a self-loop or a cycle as written,
    ///   a question about a node the premise does not mention, or a malformed set.
    public func parse(premise: String, hypothesis: String) throws -> ParsedInstance {
        var reader = InstanceReader(grammar: self)
        let p = Array(premise.utf8)
        let h = Array(hypothesis.utf8)
        let end = try reader.readPremise(p, from: 0, field: "premise")
        guard end == p.count else {
            if let at = reader.unmatched {
                throw TextError(
                    field: "premise",
                    offset: at,
                    message: "no causal sentence matches '\(sentence(p, at))'"
                )
            }
            throw TextError(field: "premise", offset: end, message: "unexpected text '\(snippet(p, end))'")
        }
        return try reader.finish(question: h, from: 0, field: "hypothesis")
    }

    /// Reads premise and question joined by the instance separator.
    public func parse(instance: String) throws -> ParsedInstance {
        var reader = InstanceReader(grammar: self)
        let t = Array(instance.utf8)
        let end = try reader.readPremise(t, from: 0, field: "instance")
        guard t[end...].starts(with: instanceSeparator) else {
            throw TextError(
                field: "instance",
                offset: end,
                message: "expected a question after the premise, found '\(snippet(t, end))'"
            )
        }
        return try reader.finish(question: t, from: end + instanceSeparator.count, field: "instance")
    }

    /// Reads a prompt made with this grammar's wrapper.
    public func parse(prompt: String) throws -> ParsedInstance {
        guard let wrapper = self.prompt else {
            throw TextError(field: "prompt", offset: 0, message: "grammar '\(name)' has no prompt wrapper")
        }
        let t = Array(prompt.utf8)
        var lastError: TextError?
        for template in wrapper.templates {
            var base = 0
            do {
                let captures = try splitPrompt(t, template)
                if let instance = captures[.instance] {
                    base = instance.startIndex
                    return try parse(instance: String(decoding: instance, as: UTF8.self))
                }
                base = captures[.premise]!.startIndex
                let premise = String(decoding: captures[.premise]!, as: UTF8.self)
                do {
                    return try parse(
                        premise: premise,
                        hypothesis: String(decoding: captures[.hypothesis]!, as: UTF8.self)
                    )
                } catch var e as TextError where e.field == "hypothesis" {
                    e.offset += captures[.hypothesis]!.startIndex - base
                    throw e
                }
            } catch let e as TextError {
                // Offsets into the instance become offsets into the prompt.
                lastError = e.field == "prompt" ? e.located(in: t) : e.moved(by: base, into: "prompt", text: t)
            }
        }
        throw lastError!
    }

    private func splitPrompt(_ t: [UInt8], _ template: Template) throws -> [Slot: ArraySlice<UInt8>] {
        var pos = 0
        var captures: [Slot: ArraySlice<UInt8>] = [:]
        var pending: Slot?
        for part in template.parts {
            switch part {
            case let .slot(s): pending = s
            case let .text(lit):
                if let s = pending {
                    guard let at = find(lit, in: t, from: pos) else {
                        throw TextError(
                            field: "prompt",
                            offset: pos,
                            message: "the prompt wrapper's text '\(String(decoding: lit, as: UTF8.self))' is missing"
                        )
                    }
                    captures[s] = t[pos..<at]
                    pos = at + lit.count
                    pending = nil
                } else {
                    guard t[pos...].starts(with: lit) else {
                        throw TextError(
                            field: "prompt",
                            offset: pos,
                            message: "the text does not match the grammar's prompt wrapper"
                        )
                    }
                    pos += lit.count
                }
            }
        }
        if let s = pending {
            captures[s] = t[pos...]
        } else if pos != t.count {
            throw TextError(field: "prompt", offset: pos, message: "unexpected text after the prompt")
        }
        return captures
    }

    private func find(_ needle: [UInt8], in t: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, t.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= t.count {
            if t[i] == needle[0] && t[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

func snippet(_ t: [UInt8], _ at: Int) -> String {
    String(decoding: t[min(at, t.count)..<min(t.count, at + 30)], as: UTF8.self)
}

/// The sentence that starts at `at`: up to and with the next `.` or `?`, before a line break,
/// at most 120 bytes.
func sentence(_ t: [UInt8], _ at: Int) -> String {
    let start = min(at, t.count)
    var end = start
    while end < t.count && t[end] != 0x0A {
        end += 1
        if t[end - 1] == Template.stop || t[end - 1] == 0x3F { break }
        if end - start == 120 { return String(decoding: t[start..<end], as: UTF8.self) + "…" }
    }
    return String(decoding: t[start..<end], as: UTF8.self)
}

extension TextError {
    /// This error of a field that starts at byte `base` of `text`, as an error of `text`.
    public func moved(by base: Int, into field: String, text: [UInt8]) -> TextError {
        TextError(field: field, offset: base + offset, message: message).located(in: text)
    }

    /// Sets `line` and `column` from `offset` in `text`.
    public func located(in text: [UInt8]) -> TextError {
        var e = self
        e.line = 1
        var lineStart = 0
        for i in 0..<min(offset, text.count) where text[i] == 0x0A {
            e.line += 1
            lineStart = i + 1
        }
        e.column = offset - lineStart + 1
        return e
    }
}

/// Matches templates against bytes and collects names and edges.
struct InstanceReader {
    let grammar: Grammar
    var names: [[UInt8]] = []
    var index = NameIndex()
    var edges: [(Int, Int)] = []
    /// Read from a statistical premise: its independencies (nil for an edge premise).
    var statements: [IndependenceModel.Statement]? = nil
    var correlatedPairs: [(Int, Int)] = []
    /// Where the premise stopped at text that is no causal sentence (nil: it ended cleanly).
    var unmatched: Int?
    /// The table rows a model premise states: the variable, its parents' values, the entry in
    /// hundredths, and where the sentence starts.
    var tableRows: [(node: Int, values: [(Int, Bool)], p: Int, at: Int)] = []

    /// The captured values of one template match.
    struct Match {
        var end: Int
        var x: [UInt8] = []
        var y: [UInt8] = []
        var z: [[UInt8]]? = nil
        var node: [UInt8]? = nil
        var set: [[UInt8]]? = nil
        var count: Int? = nil
        /// `<p/>` in hundredths.
        var p: Int? = nil
        var values: [([UInt8], Bool)]? = nil
    }

    mutating func node(_ name: [UInt8]) -> Int {
        if let i = index[name] { return i }
        index.set(name, names.count)
        names.append(name)
        return names.count - 1
    }

    /// Reads edge sentences separated by the premise separator; returns where they end.
    mutating func readPremise(_ t: [UInt8], from start: Int, field: String) throws -> Int {
        if let s = grammar.statistics, let m = matchAny(s.intro, t, start, lists: true) {
            return try readStatistics(s, m, t, from: start, field: field)
        }
        if let d = grammar.description {
            for template in d.templates {
                if let end = try readDescription(template, t, from: start, field: field) { return end }
            }
            throw TextError(field: field, offset: start, message: "no graph description at '\(snippet(t, start))'")
        }
        var pos = start
        while true {
            // A last sentence may lack its final period ("… rY6 causes wT Are t and …").
            var last = false
            var found = matchAny(grammar.edge, t, pos)
            if found == nil, let mechanisms = grammar.mechanisms,
                let m = matchAny(mechanisms.conditional, t, pos) ?? matchAny(mechanisms.prior, t, pos)
            {
                try readRow(m, t, at: pos, field: field)
                pos = m.end
                guard t[pos...].starts(with: grammar.premiseSeparator) else { return pos }
                pos += grammar.premiseSeparator.count
                continue
            }
            if found == nil, let bare = matchAny(grammar.edge, t, pos, unstopped: true) {
                found = bare
                last = true
            }
            guard let m = found else {
                if pos == start {
                    throw TextError(
                        field: field,
                        offset: pos,
                        message: "no causal sentence matches '\(sentence(t, pos))'"
                    )
                }
                // The separator belonged to what follows (e.g. the instance separator).
                unmatched = pos
                return pos - grammar.premiseSeparator.count
            }
            let a = node(m.x)
            let b = node(m.y)
            guard a != b else {
                throw TextError(
                    field: field,
                    offset: pos,
                    message: "'\(String(decoding: m.x, as: UTF8.self))' causes itself as written"
                )
            }
            edges.append((a, b))
            pos = m.end
            if last { return pos }
            guard t[pos...].starts(with: grammar.premiseSeparator) else { return pos }
            pos += grammar.premiseSeparator.count
        }
    }

    /// Records a table row (`<mechanisms>`) matched at `at`.
    mutating func readRow(_ m: Match, _ t: [UInt8], at: Int, field: String) throws {
        let v = node(m.x)
        var values: [(Int, Bool)] = []
        for (name, value) in m.values ?? [] {
            let u = node(name)
            guard u != v, !values.contains(where: { $0.0 == u }) else {
                throw TextError(
                    field: field,
                    offset: at,
                    message: "a table row names '\(String(decoding: name, as: UTF8.self))' twice or as its own parent"
                )
            }
            values.append((u, value))
        }
        tableRows.append((v, values, m.p!, at))
    }

    /// The model the table rows state on `graph`: every variable's table, each row stated once,
    /// its values naming exactly the variable's parents; nil when the premise stated no rows.
    func statedModel(_ graph: CausalGraph, field: String) throws -> CausalModel? {
        guard !tableRows.isEmpty else { return nil }
        guard graph.nodeCount <= CausalModel.maxNodes else {
            throw TextError(
                field: field,
                offset: 0,
                message: "a causal model has at most \(CausalModel.maxNodes) variables, not \(graph.nodeCount)"
            )
        }
        func name(_ v: Int) -> String { String(decoding: names[v], as: UTF8.self) }
        let parents = (0..<graph.nodeCount).map { graph.parents(of: $0).sorted() }
        var tables = parents.map { [Int](repeating: 0, count: 1 << $0.count) }
        for (v, values, p, at) in tableRows {
            func fail(_ message: String) -> TextError { TextError(field: field, offset: at, message: message) }
            guard Set(values.map(\.0)) == Set(parents[v]) else {
                throw fail(
                    "the row of '\(name(v))' must give the values of its parents {\(parents[v].map(name).joined(separator: ", "))}"
                )
            }
            var row = 0
            for (u, value) in values where value { row |= 1 << parents[v].firstIndex(of: u)! }
            guard tables[v][row] == 0 else { throw fail("this row of the table of '\(name(v))' is stated twice") }
            tables[v][row] = p
        }
        for v in tables.indices {
            if let missing = tables[v].firstIndex(of: 0) {
                let values = parents[v].enumerated().map { "\(name($1))=\(missing & (1 << $0) != 0 ? 1 : 0)" }
                throw TextError(
                    field: field,
                    offset: 0,
                    message: "the table of '\(name(v))' lacks its row "
                        + (values.isEmpty ? "(no parents)" : values.joined(separator: ", "))
                )
            }
        }
        do {
            return try CausalModel(graph: graph, tables: tables)
        } catch {
            throw TextError(field: field, offset: 0, message: error.description)
        }
    }

    /// Reads a graph description (`<description>`) at `start`; nil when the template does not match.
    mutating func readDescription(_ template: Template, _ t: [UInt8], from start: Int, field: String) throws -> Int? {
        var pos = start
        var listed: [[UInt8]] = []
        var read: [(Match, Int)] = []
        for part in template.parts {
            switch part {
            case let .text(lit):
                guard t.count - pos >= lit.count, t[pos..<(pos + lit.count)].elementsEqual(lit) else { return nil }
                pos += lit.count
            case .slot(.set):
                guard let list = readList(t, &pos) else { return nil }
                listed = list
            case .slot(.edges):
                while let m = matchAny(grammar.edge, t, pos) {
                    read.append((m, pos))
                    pos = m.end
                    guard t[pos...].starts(with: grammar.edgeSeparator),
                        matchAny(grammar.edge, t, pos + grammar.edgeSeparator.count) != nil
                    else { break }
                    pos += grammar.edgeSeparator.count
                }
            default: return nil
            }
        }
        for name in listed where index[name] == nil { _ = node(name) }
        for (m, at) in read {
            guard index[m.x] != nil, index[m.y] != nil else {
                throw TextError(field: field, offset: at, message: "an edge names a node the description does not list")
            }
            let a = node(m.x)
            let b = node(m.y)
            guard a != b else {
                throw TextError(
                    field: field,
                    offset: at,
                    message: "'\(String(decoding: m.x, as: UTF8.self))' causes itself as written"
                )
            }
            edges.append((a, b))
        }
        return pos
    }

    /// Reads a statistical premise after its introduction `intro` (matched at `start`).
    mutating func readStatistics(
        _ s: Grammar.Statistics,
        _ intro: Match,
        _ t: [UInt8],
        from start: Int,
        field: String
    ) throws -> Int {
        let listed = intro.set ?? []
        for name in listed {
            guard index[name] == nil else {
                throw TextError(
                    field: field,
                    offset: start,
                    message: "variable '\(String(decoding: name, as: UTF8.self))' is introduced twice"
                )
            }
            _ = node(name)
        }
        if let count = intro.count, count != listed.count {
            throw TextError(
                field: field,
                offset: start,
                message: "the introduction counts \(count) variables but names \(listed.count)"
            )
        }
        var statements: [IndependenceModel.Statement] = []
        var pos = intro.end
        func known(_ name: [UInt8], _ at: Int) throws -> Int {
            guard let i = index[name] else {
                throw TextError(
                    field: field,
                    offset: at,
                    message: "'\(String(decoding: name, as: UTF8.self))' is not among the introduced variables"
                )
            }
            return i
        }
        while t[pos...].starts(with: grammar.premiseSeparator) {
            let at = pos + grammar.premiseSeparator.count
            if let m = matchAny(s.correlation, t, at) {
                let a = try known(m.x, at)
                let b = try known(m.y, at)
                guard a != b else {
                    throw TextError(field: field, offset: at, message: "a variable correlates with itself")
                }
                correlatedPairs.append((a, b))
                pos = m.end
            } else if let c = s.contrast, let m = matchAny(c, t, at) {
                pos = m.end
            } else if let m = matchAny(s.independentGiven, t, at, lists: true) ?? matchAny(s.independent, t, at) {
                let a = try known(m.x, at)
                let b = try known(m.y, at)
                var mask: UInt64 = 0
                for z in m.z ?? [] { mask |= 1 << UInt64(try known(z, at)) }
                guard a != b, mask & (1 << UInt64(a) | 1 << UInt64(b)) == 0 else {
                    throw TextError(field: field, offset: at, message: "an independence names one variable twice")
                }
                statements.append(IndependenceModel.Statement(a, b, given: mask))
                pos = m.end
            } else {
                break
            }
        }
        self.statements = statements
        return pos
    }

    /// The DAG of a statistical premise: a member of the class its statements imply, which
    /// must imply exactly those statements (and correlate exactly the stated pairs).
    func statisticalGraph(field: String) throws -> CausalGraph {
        let model = IndependenceModel(nodeCount: names.count, independencies: statements ?? [])
        let stated = Set(correlatedPairs.map { [min($0.0, $0.1), max($0.0, $0.1)] })
        guard stated == Set(model.correlated.map { [$0.0, $0.1] }) else {
            throw TextError(
                field: field,
                offset: 0,
                message: "the correlations stated are not the pairs the independencies leave dependent"
            )
        }
        let dagClass = MarkovClass(model)
        guard dagClass.memberCount > 0, IndependenceModel(dagClass.member(0)) == model else {
            throw TextError(field: field, offset: 0, message: "no DAG implies exactly these statistical relations")
        }
        return dagClass.member(0)
    }

    /// Reads the question from `start` to the end and builds the instance.
    mutating func finish(question t: [UInt8], from start: Int, field: String) throws -> ParsedInstance {
        let display = names.map { String(decoding: $0, as: UTF8.self) }
        let graph = try premiseGraph(display)
        let model = try statedModel(graph, field: "premise")
        for (axiom, alts, relation) in questionCandidates() {
            guard let m = matchAny(alts, t, start, toEnd: true) else { continue }
            return ParsedInstance(
                names: display,
                graph: graph,
                query: try query(m, axiom: axiom, relation: relation, at: start, field: field),
                statistical: statements != nil,
                model: model
            )
        }
        if unmatched == start {
            throw TextError(
                field: field,
                offset: start,
                message:
                    "neither a causal sentence nor a question of grammar '\(grammar.name)' matches '\(sentence(t, start))'"
            )
        }
        throw TextError(
            field: field,
            offset: start,
            message: "no question of grammar '\(grammar.name)' matches '\(snippet(t, start))'"
        )
    }

    /// The graph the premise states (edges, or the one DAG its statistics imply); never cyclic.
    private func premiseGraph(_ display: [String]) throws -> CausalGraph {
        var graph = CausalGraph(nodeCount: names.count)
        for (a, b) in edges { graph.addEdge(a, b) }
        if statements != nil { graph = try statisticalGraph(field: "premise") }
        if let cycle = graph.findCycle() {
            throw TextError(
                field: "premise",
                offset: 0,
                message: "the premise is cyclic as written: "
                    + cycle.map { display[$0] }.joined(separator: " -> ")
            )
        }
        return graph
    }

    /// The question templates to try: tasks of the premise's style in catalog order, a task's
    /// conditioned form before its plain one.
    private func questionCandidates() -> [(Axiom, Alternatives, Int)] {
        var candidates: [(Axiom, Alternatives, Int)] = []
        let style: PremiseStyle = statements != nil ? .statistics : tableRows.isEmpty ? .edges : .model
        for task in TaskCatalog.all() where task.premiseStyle == style {
            let relations = task.shape.contains(.relation) ? Array(task.relationNames.indices) : [-1]
            for form in task.questionForms.sorted(by: { $0.conditioned && !$1.conditioned }) {
                for r in relations {
                    if let alts = grammar.question(task.axiom, given: form.conditioned, relation: r) {
                        candidates.append((task.axiom, alts, r))
                    }
                }
            }
        }
        return candidates
    }

    /// The node a name of the question stands for; the premise must mention it.
    private func lookup(_ name: [UInt8], _ offset: Int, field: String) throws -> Int {
        guard let i = index[name] else {
            throw TextError(
                field: field,
                offset: offset,
                message:
                    "the question names '\(String(decoding: name, as: UTF8.self))', which the premise does not mention"
            )
        }
        return i
    }

    /// The query a matched question asks: distinct x and y (a task whose questions name no y,
    /// e.g. "Is {…} the Markov blanket of x?", keeps y = x by convention), a conditioning set, a
    /// third node and a node set, each without repeats.
    private func query(_ m: Match, axiom: Axiom, relation: Int, at start: Int, field: String) throws -> Query {
        func fail(_ message: String) -> TextError { TextError(field: field, offset: start, message: message) }
        func text(_ name: [UInt8]) -> String { String(decoding: name, as: UTF8.self) }
        let x = try lookup(m.x, start, field: field)
        let y = m.y.isEmpty ? x : try lookup(m.y, start, field: field)
        guard x != y || m.y.isEmpty else { throw fail("the question asks about one node twice") }
        var given: [Int] = []
        for z in m.z ?? [] {
            let v = try lookup(z, start, field: field)
            guard v != x && v != y else { throw fail("'\(text(z))' is both asked about and given") }
            guard !given.contains(v) else { throw fail("'\(text(z))' is given twice") }
            given.append(v)
        }
        given.sort()
        var z = -1
        if let name = m.node {
            z = try lookup(name, start, field: field)
            guard z != x && z != y else { throw fail("the question's third node '\(text(name))' is also x or y") }
        }
        var set: [Int] = []
        for member in m.set ?? [] {
            let v = try lookup(member, start, field: field)
            guard !set.contains(v) else { throw fail("'\(text(member))' is in the set twice") }
            set.append(v)
        }
        set.sort()
        return Query(axiom, x, y, z: z, set: set, given: given, relation: relation)
    }

    /// The first template of `alts` that matches at `pos`; `unstopped`: only templates that end
    /// with a period, matched without it; `lists`: sets are written as lists ("B, D and E"), as
    /// in statistical premises.
    func matchAny(
        _ alts: Alternatives,
        _ t: [UInt8],
        _ pos: Int,
        toEnd: Bool = false,
        unstopped: Bool = false,
        lists: Bool = false
    ) -> Match? {
        for template in alts.templates where !unstopped || template.endsWithStop {
            if let m = match(template, t, pos, unstopped: unstopped, lists: lists), !toEnd || m.end == t.count {
                return m
            }
        }
        return nil
    }

    func match(_ template: Template, _ t: [UInt8], _ start: Int, unstopped: Bool = false, lists: Bool = false) -> Match?
    {
        var m = Match(end: start)
        var pos = start
        for (k, part) in template.parts.enumerated() {
            switch part {
            case var .text(lit):
                if unstopped && k == template.parts.count - 1 { lit.removeLast() }
                guard t.count - pos >= lit.count, t[pos..<(pos + lit.count)].elementsEqual(lit) else { return nil }
                pos += lit.count
            case .slot(.x):
                guard let name = readName(t, &pos) else { return nil }
                m.x = name
            case .slot(.y):
                guard let name = readName(t, &pos) else { return nil }
                m.y = name
            case .slot(.z):
                guard let set = lists ? readList(t, &pos) : readSet(t, &pos) else { return nil }
                m.z = set
            case .slot(.count):
                let begin = pos
                var value = 0
                while pos < t.count, t[pos] >= 0x30, t[pos] <= 0x39, value < 1 << 20 {
                    value = value * 10 + Int(t[pos] - 0x30)
                    pos += 1
                }
                guard pos > begin else { return nil }
                if let c = m.count, c != value { return nil }
                m.count = value
            case .slot(.node):
                guard let name = readName(t, &pos) else { return nil }
                m.node = name
            case .slot(.set):
                guard let set = lists ? readList(t, &pos) : readSet(t, &pos) else { return nil }
                m.set = set
            case .slot(.p):
                // "0.01" … "0.99".
                guard pos + 4 <= t.count, t[pos] == 0x30, t[pos + 1] == 0x2E else { return nil }
                let (d1, d2) = (Int(t[pos + 2]) - 0x30, Int(t[pos + 3]) - 0x30)
                guard (0...9).contains(d1), (0...9).contains(d2), d1 * 10 + d2 > 0 else { return nil }
                m.p = d1 * 10 + d2
                pos += 4
            case .slot(.values):
                guard let values = readValues(t, &pos) else { return nil }
                m.values = values
            default:
                return nil
            }
        }
        m.end = pos
        return m
    }

    func readName(_ t: [UInt8], _ pos: inout Int) -> [UInt8]? {
        let start = pos
        while pos < t.count && !NameBytes.endsName(t, at: pos) { pos += 1 }
        return pos > start ? Array(t[start..<pos]) : nil
    }

    /// "A = 1, C = 0" (the grammar's `<mechanisms>` equals and separator).
    func readValues(_ t: [UInt8], _ pos: inout Int) -> [([UInt8], Bool)]? {
        guard let m = grammar.mechanisms else { return nil }
        var values: [([UInt8], Bool)] = []
        // One "name equals digit"; a separator not followed by one belongs to the template.
        func value(_ at: Int) -> (name: [UInt8], value: Bool, end: Int)? {
            var p = at
            guard let name = readName(t, &p), t[p...].starts(with: m.equals) else { return nil }
            p += m.equals.count
            guard p < t.count, t[p] == 0x30 || t[p] == 0x31 else { return nil }
            guard p + 1 == t.count || !NameBytes.isNameByte(t[p + 1]) else { return nil }
            return (name, t[p] == 0x31, p + 1)
        }
        guard var next = value(pos) else { return nil }
        while true {
            values.append((next.name, next.value))
            pos = next.end
            guard t[pos...].starts(with: m.separator), let more = value(pos + m.separator.count) else { return values }
            next = more
        }
    }

    /// "B", "B and D", "B, D and E" (the grammar's list separators).
    func readList(_ t: [UInt8], _ pos: inout Int) -> [[UInt8]]? {
        var members: [[UInt8]] = []
        while true {
            guard let name = readName(t, &pos) else { return nil }
            members.append(name)
            if t[pos...].starts(with: grammar.listSeparator), pos + grammar.listSeparator.count < t.count,
                NameBytes.isNameByte(t[pos + grammar.listSeparator.count])
            {
                pos += grammar.listSeparator.count
            } else if t[pos...].starts(with: grammar.listLast) {
                pos += grammar.listLast.count
                guard let last = readName(t, &pos) else { return nil }
                members.append(last)
                return members
            } else {
                return members
            }
        }
    }

    func readSet(_ t: [UInt8], _ pos: inout Int) -> [[UInt8]]? {
        if t[pos...].starts(with: grammar.setEmpty) {
            pos += grammar.setEmpty.count
            return []
        }
        guard t[pos...].starts(with: grammar.setOpen) else { return nil }
        pos += grammar.setOpen.count
        var members: [[UInt8]] = []
        while true {
            guard let name = readName(t, &pos) else { return nil }
            members.append(name)
            if t[pos...].starts(with: grammar.setClose) {
                pos += grammar.setClose.count
                return members
            }
            guard t[pos...].starts(with: grammar.setSeparator) else { return nil }
            pos += grammar.setSeparator.count
        }
    }
}

extension Grammar {
    /// The task and relation of a question (hypothesis) read on its own, without its premise:
    /// the first of the grammar's question templates it matches whole; nil when none does.
    /// (Corr2Cause words child(x, y) and parent(y, x) alike: such text reads as the parent.)
    public func readQuestion(_ text: String) -> (axiom: Axiom, relation: Int)? {
        let reader = InstanceReader(grammar: self)
        let t = Array(text.utf8)
        for task in TaskCatalog.all() {
            let relations = task.shape.contains(.relation) ? Array(task.relationNames.indices) : [-1]
            for form in task.questionForms.sorted(by: { $0.conditioned && !$1.conditioned }) {
                for r in relations {
                    if let alts = question(task.axiom, given: form.conditioned, relation: r),
                        reader.matchAny(alts, t, 0, toEnd: true) != nil
                    {
                        return (task.axiom, r)
                    }
                }
            }
        }
        return nil
    }

    /// A Corr2Cause input ("Premise: …\nHypothesis: …"): the relation its hypothesis asserts
    /// (nil if no question template reads it) and its number of variables (from the premise
    /// read back, else the first number in it; 0 if none).
    public func corr2causeItem(_ input: String) -> (relation: Int?, nodes: Int) {
        var premise = Substring(input)
        var hypothesis = Substring(input)
        let marker = Array("Hypothesis:".utf8)
        let bytes = Array(input.utf8)
        if bytes.count >= marker.count,
            let at = stride(from: bytes.count - marker.count, through: 0, by: -1).first(where: {
                bytes[$0..<($0 + marker.count)].elementsEqual(marker)
            })
        {
            premise = Substring(String(decoding: bytes[..<at], as: UTF8.self))
            hypothesis = Substring(String(decoding: bytes[(at + marker.count)...], as: UTF8.self))
        }
        let h = String(hypothesis.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        let relation = readQuestion(h).flatMap { $0.relation >= 0 ? $0.relation : nil }
        var nodes = 0
        if let parsed = try? parse(prompt: input) {
            nodes = parsed.names.count
        } else if let digits = premise.split(whereSeparator: { !$0.isNumber }).first, let n = Int(digits) {
            // "Suppose there is a closed system of 4 variables, …"
            nodes = n
        }
        return (relation, nodes)
    }
}
