import AxiomCore
import Foundation

extension Grammar {
    /// Loads and checks the grammar in `path`.
    ///
    /// - Throws: `GrammarError` with file, line and column: malformed XML, a DOCTYPE or entity,
    ///   a schema violation, an unknown task, a task with some of its questions missing, a slot that does not belong where
    ///   it stands, or a slot the parser could not find the end of.
    public static func load(path: String) throws -> Grammar {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GrammarError(file: path, line: 0, message: "cannot read the file")
        }
        return try load(bytes: [UInt8](data), file: path)
    }

    /// `count` copies that share no storage with this grammar or each other, read again from its
    /// source (its file, or the embedded text) once; `count` times this grammar when the source
    /// cannot be read again. Threads that each read a grammar heavily (check's workers) then do
    /// not contend on the reference counts of one grammar's arrays.
    public func unshared(_ count: Int) -> [Grammar] {
        let bytes: [UInt8]?
        if file.hasPrefix(SearchPath.embeddedPrefix) {
            let name = file.dropFirst(SearchPath.embeddedPrefix.count).dropLast(".xml".count)
            bytes = Grammar.embeddedText(String(name)).map { Array($0.utf8) }
        } else {
            bytes = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
        }
        guard count > 0, let bytes, let first = try? Grammar.load(bytes: bytes, file: file) else {
            return Array(repeating: self, count: count)
        }
        // The same bytes load the same grammar again.
        return [first] + (1..<count).map { _ in (try? Grammar.load(bytes: bytes, file: file)) ?? first }
    }

    /// Loads a grammar from its bytes; `file` names it in errors.
    public static func load(bytes: [UInt8], file: String) throws -> Grammar {
        if let line = lineOf(#"<!DOCTYPE"#, in: bytes) ?? lineOf("<!ENTITY", in: bytes) {
            throw GrammarError(
                file: file,
                line: line,
                message: "DOCTYPE declarations and entities are not allowed in grammars"
            )
        }
        let root = try XMLLoader.load(bytes, file: file, schema: GrammarSchema.xsd)
        return try GrammarBuilder(file: file).build(root)
    }

    private static func lineOf(_ needle: String, in bytes: [UInt8]) -> Int? {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return nil }
        var line = 1
        for i in 0...(bytes.count - n.count) {
            if bytes[i] == 0x0A { line += 1 }
            if bytes[i] == n[0] && Array(bytes[i..<(i + n.count)]) == n { return line }
        }
        return nil
    }
}

/// Turns a schema-valid element tree into a `Grammar`, checking what the schema cannot.
struct GrammarBuilder {
    let file: String

    func error(_ line: Int, _ message: String) -> GrammarError {
        GrammarError(file: file, line: line, message: message)
    }

    /// The grammar, built in the order its parts were always checked (so a file's first error
    /// is unchanged): questions, prompt, explanations, edges, statistics, description, layout.
    func build(_ root: XMLElement) throws -> Grammar {
        func child(_ name: String) -> XMLElement? { root.elements.first { $0.name == name } }
        let answers = child("answers")!
        let layout = child("layout")!
        func attr(_ e: XMLElement, _ key: String, _ fallback: String = "") -> [UInt8] {
            Array((e.attributes[key] ?? fallback).utf8)
        }
        let questions = try questions(root)
        let prompt = try child("prompt").map(prompt)
        let explanations = try explanations(root)
        let edge = try alternatives(child("edge")!, exactly: [.x, .y])
        let statistics = try child("statistics").map(statistics)
        let mechanisms = try child("mechanisms").map(mechanisms)
        let description = try child("description").map { try alternatives($0, exactly: [.set, .edges]) }
        if let d = child("description"), mechanisms != nil {
            throw error(
                d.line,
                "<description> and <mechanisms> exclude each other (a described graph states no tables)"
            )
        }
        for task in TaskCatalog.all()
        where task.premiseStyle == .statistics && statistics == nil
            && questions.keys.contains(where: { $0.name == task.axiom.rawValue })
        {
            throw error(
                root.line,
                "\(task.axiom) states statistical relations: the grammar needs a <statistics> element"
            )
        }
        for task in TaskCatalog.all()
        where task.premiseStyle == .model && mechanisms == nil
            && questions.keys.contains(where: { $0.name == task.axiom.rawValue })
        {
            throw error(root.line, "\(task.axiom) states a causal model: the grammar needs a <mechanisms> element")
        }
        var grammar = Grammar(
            name: root.attributes["name"]!,
            version: Int(root.attributes["version"]!) ?? 1,
            file: file,
            yes: attr(answers, "yes"),
            no: attr(answers, "no"),
            premiseSeparator: attr(layout, "premise-separator"),
            instanceSeparator: attr(layout, "instance-separator"),
            explanationSeparator: attr(layout, "explanation-separator", " "),
            setOpen: attr(layout, "set-open"),
            setClose: attr(layout, "set-close"),
            setSeparator: attr(layout, "set-separator"),
            setEmpty: attr(layout, "set-empty", "{}"),
            trailForward: attr(layout, "trail-forward", " -> "),
            trailBackward: attr(layout, "trail-backward", " <- "),
            asciiPairOrder: layout.attributes["pair-order"] == "ascii",
            edge: edge,
            questions: questions,
            prompt: prompt,
            explanations: explanations,
            reservedWords: []
        )
        grammar.statistics = statistics
        grammar.mechanisms = mechanisms
        grammar.description = description
        grammar.edgeSeparator = attr(layout, "edge-separator", ", ")
        grammar.listSeparator = attr(layout, "list-separator", ", ")
        grammar.listLast = attr(layout, "list-last", " and ")
        guard grammar.yes != grammar.no else { throw error(answers.line, "the yes and no answers must differ") }
        guard !grammar.premiseSeparator.isEmpty, !grammar.setSeparator.isEmpty else {
            throw error(layout.line, "premise-separator and set-separator must not be empty")
        }
        grammar.reservedWords = Self.words(of: grammar)
        return grammar
    }

    /// Every `<question>`, keyed by task, conditioning and relation; a task the grammar asks
    /// about must have all its question forms.
    private func questions(_ root: XMLElement) throws -> [Grammar.TemplateKey: Alternatives] {
        let tasks = TaskCatalog.all()
        var questions: [Grammar.TemplateKey: Alternatives] = [:]
        for q in root.elements where q.name == "question" {
            let (key, form) = try questionKey(q, tasks: tasks)
            guard questions[key] == nil else {
                let task = tasks.first { $0.axiom.rawValue == key.name }!
                throw error(
                    q.line,
                    "a second question for \(key.name)/\(key.given ? "some" : "none")\(key.relation >= 0 ? "/" + task.relationNames[key.relation] : "")"
                )
            }
            questions[key] = try alternatives(q, exactly: form.slots.map { Slot(rawValue: $0)! })
        }
        guard !questions.isEmpty else { throw error(root.line, "the grammar asks no question") }
        for task in tasks {
            let relations = task.shape.contains(.relation) ? Array(task.relationNames.indices) : [-1]
            let keys = task.questionForms.flatMap { form in
                relations.map { Grammar.TemplateKey(task.axiom.rawValue, given: form.conditioned, relation: $0) }
            }
            guard keys.contains(where: { questions[$0] != nil }) else { continue }
            for key in keys where questions[key] == nil {
                throw error(
                    root.line,
                    "missing question for \(task.axiom)\(key.given ? " given a set" : "")\(key.relation >= 0 ? " (relation \(task.relationNames[key.relation]))" : "")"
                )
            }
        }
        return questions
    }

    /// A `<question>`'s task, conditioning and relation, and the form its templates fill.
    private func questionKey(
        _ q: XMLElement,
        tasks: [any CausalTask]
    ) throws -> (Grammar.TemplateKey, QuestionForm) {
        let name = q.attributes["axiom"]!
        let given = q.attributes["given"] == "some"
        guard let task = tasks.first(where: { $0.axiom.rawValue == name }) else {
            throw error(q.line, "unknown task '\(name)' (\(TaskCatalog.names.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let form = task.questionForms.first(where: { $0.conditioned == given }) else {
            throw error(q.line, "\(name) questions take no conditioning set")
        }
        var relation = -1
        if task.shape.contains(.relation) {
            guard let r = q.attributes["relation"], let i = task.relationNames.firstIndex(of: r) else {
                throw error(
                    q.line,
                    "\(name) questions need relation=\"…\" (\(task.relationNames.joined(separator: ", ")))"
                )
            }
            relation = i
        } else if let r = q.attributes["relation"] {
            throw error(q.line, "\(name) questions assert no relation, not '\(r)'")
        }
        return (Grammar.TemplateKey(name, given: given, relation: relation), form)
    }

    /// `<prompt>`: `<instance/>`, or `<premise/>` then `<hypothesis/>`, once each.
    private func prompt(_ p: XMLElement) throws -> Alternatives {
        let alts = try alternatives(p, allowed: [.instance, .premise, .hypothesis])
        for t in alts.templates {
            let s = t.slots
            guard s == [.instance] || s == [.premise, .hypothesis] else {
                throw error(t.line, "a prompt holds <instance/>, or <premise/> then <hypothesis/>, once each")
            }
        }
        return alts
    }

    /// Every `<explain>`, keyed by proof kind and conditioning, holding its form's slots.
    private func explanations(_ root: XMLElement) throws -> [Grammar.TemplateKey: Alternatives] {
        var explanations: [Grammar.TemplateKey: Alternatives] = [:]
        let forms = TaskCatalog.all().flatMap(\.allExplanationForms)
        for e in root.elements where e.name == "explain" {
            let kind = e.attributes["proof"]!
            let given = e.attributes["given"] == "some"
            guard let form = forms.first(where: { $0.kind == kind }) else {
                throw error(e.line, "unknown proof kind '\(kind)' (\(forms.map(\.kind).joined(separator: ", ")))")
            }
            let allowed = (given ? form.conditionedSlots : form.slots).map { Slot(rawValue: $0)! }
            let key = Grammar.TemplateKey(kind, given: given)
            guard explanations[key] == nil else { throw error(e.line, "a second explanation for \(kind)") }
            let alts = try alternatives(e, allowed: allowed)
            let values = given ? form.conditionedValues : form.values
            for t in alts.templates where t.slots.filter({ $0 == .value }).count != values {
                throw error(
                    t.line,
                    "a '\(kind)' template holds \(values) <value/> slot(s) (the step's numbers, in order), not \(t.slots.filter { $0 == .value }.count)"
                )
            }
            explanations[key] = alts
        }
        return explanations
    }

    /// `<statistics>`: the introduction (listing the variables), correlations, an optional
    /// contrast, independencies.
    private func statistics(_ s: XMLElement) throws -> Grammar.Statistics {
        func part(_ name: String) -> XMLElement? { s.elements.first { $0.name == name } }
        let intro = try alternatives(part("intro")!, allowed: [.count, .set])
        for t in intro.templates where !t.slots.contains(.set) {
            throw error(t.line, "<intro> template must list the variables with <set/>")
        }
        return Grammar.Statistics(
            intro: intro,
            correlation: try alternatives(part("correlation")!, exactly: [.x, .y]),
            contrast: try part("contrast").map { try alternatives($0, allowed: []) },
            independent: try alternatives(part("independence")!, exactly: [.x, .y]),
            independentGiven: try alternatives(part("independence-given")!, exactly: [.x, .y, .z])
        )
    }

    /// `<mechanisms>`: a prior and a table row, each naming its variable and probability once.
    private func mechanisms(_ m: XMLElement) throws -> Grammar.Mechanisms {
        func part(_ name: String) -> XMLElement { m.elements.first { $0.name == name }! }
        let mechanisms = Grammar.Mechanisms(
            prior: try alternatives(part("prior"), exactly: [.x, .p]),
            conditional: try alternatives(part("conditional"), exactly: [.x, .values, .p]),
            equals: Array((m.attributes["equals"] ?? " = ").utf8),
            separator: Array((m.attributes["separator"] ?? ", ").utf8)
        )
        guard let first = mechanisms.equals.first, !NameBytes.isNameByte(first),
            let next = mechanisms.separator.first, !NameBytes.isNameByte(next)
        else {
            throw error(
                m.line,
                "<mechanisms> equals and separator must be non-empty and start with no name character"
            )
        }
        return mechanisms
    }

    /// Every word of every template and answer, lower-cased: names must avoid them.
    private static func words(of grammar: Grammar) -> Set<String> {
        var words = Set<String>()
        var all = [grammar.edge] + Array(grammar.questions.values) + (grammar.prompt.map { [$0] } ?? [])
        all += Array(grammar.explanations.values)
        if let d = grammar.description { all.append(d) }
        if let m = grammar.mechanisms { all += [m.prior, m.conditional] }
        if let s = grammar.statistics {
            all += [s.intro, s.correlation, s.independent, s.independentGiven] + (s.contrast.map { [$0] } ?? [])
        }
        for alts in all { for t in alts.templates { words.formUnion(t.words) } }
        for bytes in [grammar.yes, grammar.no, grammar.setEmpty] {
            words.insert(String(decoding: bytes.map(NameBytes.lower), as: UTF8.self))
        }
        return words
    }

    /// Reads `<t>` children; each must hold exactly the slots `exactly`, once each.
    func alternatives(_ e: XMLElement, exactly required: [Slot]) throws -> Alternatives {
        let alts = try alternatives(e, allowed: required)
        for t in alts.templates {
            for s in required where t.slots.filter({ $0 == s }).count != 1 {
                throw error(t.line, "<\(e.name)> template must hold <\(s.rawValue)/> exactly once")
            }
            try checkReadable(t)
        }
        return alts
    }

    func alternatives(_ e: XMLElement, allowed: [Slot]) throws -> Alternatives {
        var templates: [Template] = []
        for t in e.elements where t.name == "t" {
            var parts: [Template.Part] = []
            for c in t.children {
                switch c {
                case let .text(s):
                    if case let .text(previous)? = parts.last {
                        parts[parts.count - 1] = .text(previous + Array(s.utf8))
                    } else if !s.isEmpty {
                        parts.append(.text(Array(s.utf8)))
                    }
                case let .element(slotElement):
                    guard let slot = Slot(rawValue: slotElement.name), allowed.contains(slot) else {
                        throw error(
                            slotElement.line,
                            "unknown slot <\(slotElement.name)/> in <\(e.name)>; allowed here: "
                                + allowed.map { "<\($0.rawValue)/>" }.joined(separator: ", ")
                        )
                    }
                    parts.append(.slot(slot))
                }
            }
            templates.append(Template(parts: parts, weight: Double(t.attributes["weight"] ?? "1") ?? 1, line: t.line))
        }
        return Alternatives(templates)
    }

    /// A name slot must be followed by text that cannot continue a name, or the parser could
    /// not tell where the name ends.
    func checkReadable(_ t: Template) throws {
        for (i, part) in t.parts.enumerated() where part != .slot(.z) && part != .slot(.set) {
            guard case .slot(let s) = part else { continue }
            if i + 1 < t.parts.count {
                switch t.parts[i + 1] {
                case .slot(let next):
                    throw error(t.line, "slots <\(s.rawValue)/> and <\(next.rawValue)/> need text between them")
                case .text(let bytes):
                    // "->" ends a name (`NameBytes.endsName`).
                    if NameBytes.isNameByte(bytes[0]) && !(bytes.count > 1 && bytes[0] == 0x2D && bytes[1] == 0x3E) {
                        throw error(
                            t.line,
                            "text after <\(s.rawValue)/> starts with a name character, so the name's end could not be read back"
                        )
                    }
                }
            }
        }
    }
}
