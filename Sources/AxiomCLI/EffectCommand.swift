import ArgumentParser
import AxiomCore
import AxiomRecords
import Foundation

extension Axiomc {
    struct Effect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute a causal effect in a binary causal model, exactly, with its derivation.",
            discussion: """
                The rule side picks the formula from the graph (backdoor adjustment over the \
                smallest valid set, the mediation formula for natural effects) and evaluates it on \
                observational probabilities; a twin-network enumeration of potential outcomes, which \
                reads no formula, must agree, or the command fails. Quantities: association \
                (P(y|x=1) - P(y|x=0)), ate, ett (effect on the treated), nde and nie (natural \
                direct and indirect effects; --mediator). Model documents: docs/causal-models.md.

                Examples:
                  axiomc effect --edges "Z->X, Z->Y, X->Y" --seed 3 --quantity ate --treatment X --outcome Y
                  axiomc effect --model model.json --quantity nde --treatment X --outcome Y --mediator M --json
                """
        )

        @Option(help: ArgumentHelp("A model document (JSON; '-' reads standard input).", valueName: "file"))
        var model: String?

        @Option(help: "Edges as 'A->B, B->C'; the tables are drawn from --seed (entries 0.01…0.99).")
        var edges: String?

        @Option(help: "The seed of the drawn tables (with --edges).") var seed: UInt64 = 0

        @Option(help: "association | ate | ett | nde | nie.") var quantity: String

        @Option(help: "The treatment variable x.") var treatment: String
        @Option(help: "The outcome variable y.") var outcome: String
        @Option(help: "The mediator m (nde, nie).") var mediator: String?

        @Flag(help: "Print the model document before the answer (text output).") var showModel = false
        @Flag(help: "Print one JSON object: the model, the query, the derivation and the value.") var json = false

        func run() throws {
            let named = try loadModel()
            guard let kind = EffectKind(rawValue: quantity) else {
                throw CLIError(
                    "--quantity '\(quantity)' is not one of \(EffectKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            func node(_ name: String, _ option: String) throws -> Int {
                guard let i = named.names.firstIndex(of: name) else {
                    throw CLIError(
                        "\(option) '\(name)' is not a variable of the model (\(named.names.joined(separator: ", ")))"
                    )
                }
                return i
            }
            if kind.needsMediator && mediator == nil { throw CLIError("--quantity \(quantity) needs --mediator") }
            if !kind.needsMediator && mediator != nil { throw CLIError("--mediator belongs to nde and nie only") }
            let query = EffectQuery(
                kind,
                treatment: try node(treatment, "--treatment"),
                outcome: try node(outcome, "--outcome"),
                mediator: try mediator.map { try node($0, "--mediator") }
            )
            if query.treatment == query.outcome { throw CLIError("the treatment and the outcome must differ") }
            var rules = Identification(model: named.model)
            let derivation = rules.derive(query)
            let twin = derivation.flatMap { _ in TwinNetwork(model: named.model).value(query) }
            if let derivation, let twin, derivation.value != twin {
                throw CLIError(
                    "internal error: the formula gives \(derivation.value) but the twin network \(twin); please report it"
                )
            }
            let report = EffectReport(names: named.names, query: query, derivation: derivation, twin: twin)
            if json {
                var object = report.json
                object.insert(("model", named.json), at: 0)
                print(JSONValue.object(object).serialized(pretty: true))
            } else {
                if showModel { print(named.json.serialized(pretty: true)) }
                print(report.text, terminator: "")
            }
        }

        private func loadModel() throws -> NamedModel {
            switch (model, edges) {
            case (nil, nil):
                throw CLIError("give a model: --model FILE, or --edges 'A->B, …' (tables drawn from --seed)")
            case (_?, _?): throw CLIError("--model and --edges exclude each other")
            case (nil, let text?):
                let graph: NamedGraph
                do { graph = try NamedGraph.parse(edges: text) } catch let e as SyntaxError {
                    throw CLIError("--edges: \(e)")
                }
                guard graph.names.count <= CausalModel.maxNodes else {
                    throw CLIError("--edges: a model has at most \(CausalModel.maxNodes) variables")
                }
                var rng = SeededRNG(seed: seed)
                return NamedModel(names: graph.names, model: CausalModel.random(on: graph.graph, using: &rng))
            case (let file?, nil):
                let data: Data
                if file == "-" {
                    data = FileHandle.standardInput.readDataToEndOfFile()
                } else {
                    guard let d = FileManager.default.contents(atPath: file) else {
                        throw CLIError(file: file, "cannot read the file")
                    }
                    data = d
                }
                do {
                    return try NamedModel.parse(json: data)
                } catch let e as JSONValue.ParseError {
                    throw CLIError(file: file == "-" ? "<stdin>" : file, e.description)
                } catch let e as NamedModel.Invalid {
                    throw CLIError(file: file == "-" ? "<stdin>" : file, e.description)
                }
            }
        }
    }
}

/// An effect's derivation for people (text) and programs (JSON), with the variables' names.
struct EffectReport {
    let names: [String]
    let query: EffectQuery
    let derivation: EffectDerivation?
    /// The twin network's value, which the command has found equal to the derivation's.
    var twin: Rational?

    var x: String { names[query.treatment] }
    var y: String { names[query.outcome] }

    func literal(_ l: Literal) -> String { "\(names[l.node])=\(l.value ? 1 : 0)" }

    func probability(_ t: Term) -> String {
        let event = t.event.map(literal).joined(separator: ", ")
        return t.given.isEmpty ? "P(\(event))" : "P(\(event) | \(t.given.map(literal).joined(separator: ", ")))"
    }

    /// `name = definition`, as the first line states it.
    var definition: String {
        switch query.kind {
        case .association: "P(\(y)=1 | \(x)=1) - P(\(y)=1 | \(x)=0)"
        case .ate: "P(\(y)=1 | do(\(x)=1)) - P(\(y)=1 | do(\(x)=0))"
        case .ett: "E[\(y)(\(x)=1) - \(y)(\(x)=0) | \(x)=1]"
        case .nde: "E[\(y)(\(x)=1, \(m)(\(x)=0)) - \(y)(\(x)=0)]"
        case .nie: "E[\(y)(\(x)=0, \(m)(\(x)=1)) - \(y)(\(x)=0)]"
        }
    }
    var m: String { query.mediator.map { names[$0] } ?? "?" }

    var routeText: String {
        guard let d = derivation else { return "" }
        let set = "{" + d.adjustment.map { names[$0] }.joined(separator: ", ") + "}"
        switch d.route {
        case .association: return "read off the observational distribution"
        case .noDirectedPath: return "0 without data: \(y) is not a descendant of \(x)"
        case .adjustment:
            return d.adjustment.isEmpty
                ? "by adjustment over {}: no backdoor path leads into \(x)"
                : "by backdoor adjustment over \(set)"
        case .mediation:
            return d.adjustment.isEmpty ? "by the mediation formula" : "by the mediation formula, adjusted for \(set)"
        }
    }

    var text: String {
        let head = "\(query.kind.rawValue.uppercased()) of \(x) on \(y)\(query.mediator == nil ? "" : " through \(m)")"
        guard let d = derivation else {
            return "\(head): not identified here. \(definition) needs "
                + (query.kind.needsMediator
                    ? "\(m) on a directed path from \(x) to \(y), with no descendant of \(x) confounding \(m) and \(y).\n"
                    : "a valid adjustment set.\n")
        }
        var out = "\(head) = \(d.value) (\(d.value.decimal(places: 4)))\n"
        out += "  \(definition)\n  \(routeText)\n"
        for s in d.strata {
            let weights = s.weights.map { "\(probability($0)) [\($0.value)]" }.joined(separator: " * ")
            out += "  " + (weights.isEmpty ? "" : weights + " * ")
            out += "(\(probability(s.high)) [\(s.high.value)] - \(probability(s.low)) [\(s.low.value)]) = \(s.value)\n"
        }
        if let twin { out += "  the twin-network enumeration of potential outcomes agrees: \(twin)\n" }
        return out
    }

    func json(_ t: Term) -> JSONValue {
        func literals(_ ls: [Literal]) -> JSONValue { .object(ls.map { (names[$0.node], .number($0.value ? 1 : 0)) }) }
        return .object([
            ("event", literals(t.event)), ("given", literals(t.given)), ("value", .string(t.value.description)),
        ])
    }

    /// The query, the derivation (null when not identified) and the value as an exact fraction
    /// ("-1/10") and rounded to 4 decimals.
    var json: [(String, JSONValue)] {
        var out: [(String, JSONValue)] = [
            ("quantity", .string(query.kind.rawValue)), ("rung", .number(Double(query.kind.rung))),
            ("treatment", .string(x)), ("outcome", .string(y)),
            ("mediator", query.mediator.map { .string(names[$0]) } ?? .null),
            ("identified", .bool(derivation != nil)),
        ]
        guard let d = derivation else { return out + [("value", .null)] }
        let route: String =
            switch d.route {
            case .association: "association"
            case .noDirectedPath: "no-directed-path"
            case .adjustment: "adjustment"
            case .mediation: "mediation"
            }
        out += [
            ("route", .string(route)), ("adjustment", .array(d.adjustment.map { .string(names[$0]) })),
            (
                "strata",
                .array(
                    d.strata.map { s in
                        .object([
                            ("weights", .array(s.weights.map(json))), ("high", json(s.high)), ("low", json(s.low)),
                            ("value", .string(s.value.description)),
                        ])
                    }
                )
            ),
            ("value", .string(d.value.description)), ("decimal", .string(d.value.decimal(places: 4))),
        ]
        return out
    }
}
