import ArgumentParser
import AxiomCore
import AxiomCorpus
import AxiomGrammar
import AxiomRecords
import Foundation

extension Axiomc {
    struct GrammarCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grammar",
            abstract: "Work with grammar files.",
            subcommands: [Lint.self]
        )

        struct Lint: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Validate grammar files; print file:line:col errors and exit 1 on the first bad one."
            )

            @Argument(help: "Grammar files (.xml) or names (paper, en).")
            var files: [String]
            @OptionGroup var grammars: GrammarSource

            func run() throws {
                let catalog = grammars.catalog()
                var failed = false
                for file in files {
                    do {
                        let g = try catalog.grammar(file)
                        print(
                            "\(g.file): ok (grammar '\(g.name)' v\(g.version), \(g.edge.templates.count) edge sentence(s), explanations: \(g.explains ? "yes" : "no"))"
                        )
                    } catch {
                        FileHandle.standardError.write(Data("\(error)\n".utf8))
                        failed = true
                    }
                }
                if failed { throw ExitCode.failure }
            }
        }
    }

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print rendered examples of one graph family.",
            discussion: "Example: axiomc sample --grammar en --family flipped-chain --nodes 7 --count 5"
        )

        @Option(help: "Grammar name or file.") var grammar = "en"
        @OptionGroup var grammars: GrammarSource
        @Option(help: "The graph family.") var family = FamilyName.flippedChain
        @Option(help: "Nodes per graph.") var nodes = 5
        @Option(help: "Examples to print.") var count = 5
        @Option(help: "The task (default: the catalog's first).") var axiom = TaskCatalog.names[0]
        @Option(help: "Largest conditioning set, for tasks that condition.") var maxGiven = 2
        @Option(help: "Premise order.") var order = PremiseOrder.graph
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Flag(help: "Print explanations.") var explain = false
        @Option(help: "How explanations are written: proof, or search (label-neutral).")
        var explanationStyle = ExplanationStyle.proof

        func validate() throws {
            guard (2...Limits.nodes).contains(nodes) else {
                throw ValidationError("--nodes must be from 2 to \(Limits.nodes), not \(nodes)")
            }
            guard count >= 0 else { throw ValidationError("--count must be 0 or more, not \(count)") }
            guard maxGiven >= 0 else { throw ValidationError("--max-given must be 0 or more, not \(maxGiven)") }
        }

        /// The premise of `graph` in `style` (a causal model's tables drawn here), with task 0 of
        /// `sampler` prepared on it.
        static func premise(
            _ style: PremiseStyle,
            _ graph: CausalGraph,
            names: [[UInt8]],
            order: PremiseOrder,
            renderer: inout Renderer,
            sampler: inout QuerySampler,
            using rng: inout SeededRNG
        ) -> [UInt8] {
            var premise: [UInt8] = []
            switch style {
            case .model:
                let model = CausalModel.random(on: graph, using: &rng)
                renderer.appendModel(model, names: names, order: order, into: &premise, using: &rng)
                sampler.prepare(0, model)
                return premise
            case .statistics:
                renderer.appendStatistics(
                    IndependenceModel(graph),
                    names: names,
                    order: order,
                    into: &premise,
                    using: &rng
                )
            case .edges:
                renderer.appendPremise(graph, names: names, order: order, into: &premise, using: &rng)
            }
            sampler.prepare(0, graph)
            return premise
        }

        func run() throws {
            let g = try loadGrammar(grammar, from: grammars.catalog())
            let task = TaskCatalog.task(axiom)!  // the parser accepts shipped task names only
            guard g.asks(task) else {
                throw CLIError("grammar '\(g.name)' has no question templates for task '\(axiom)'")
            }
            let ord = order
            let fam = family.family()
            if task.premiseStyle == .model && nodes > CausalModel.maxNodes {
                throw CLIError("task '\(axiom)' states a causal model: --nodes at most \(CausalModel.maxNodes)")
            }
            if explain && !g.explains(task) {
                throw CLIError("grammar '\(g.name)' has no explanation templates for task '\(axiom)'")
            }
            if explain && !g.explains(task, style: explanationStyle) {
                throw CLIError("grammar '\(g.name)' has no \(explanationStyle) explanations for task '\(axiom)'")
            }
            var rng = SeededRNG(seed: seed)
            var namer = try NameGenerator(style: .paper, reserved: g.reservedWords)
            var renderer = Renderer(grammar: g)
            // The compiler's sampler: labels alternate, each screened by the second algorithm
            // and confirmed by the rule engine.
            var sampler = QuerySampler(axioms: [task.axiom])
            var proof = Proof()
            var steps = Explanation()
            var names: [[UInt8]] = []
            for i in 0..<count {
                let (graph, _) = GraphGenerator.make(fam, nodes: nodes, using: &rng)
                namer.draw(nodes, into: &names, using: &rng)
                // Only nodes the premise mentions can be asked about (a statistical premise, as
                // the compiler writes it, names every variable).
                let mentioned = (0..<nodes).filter { task.premiseStyle != .edges || graph.isMentioned($0) }
                guard mentioned.count >= 2 else { continue }
                var question: [UInt8] = []
                let premise = Self.premise(
                    task.premiseStyle,
                    graph,
                    names: names,
                    order: ord,
                    renderer: &renderer,
                    sampler: &sampler,
                    using: &rng
                )
                let k = task.shape.contains(.given) ? rng.int(in: 0...min(maxGiven, mentioned.count - 2)) : 0
                // Yes and No in turn; the other label when this graph cannot give the first.
                func draw(_ label: Bool) -> Bool {
                    sampler.draw(
                        0,
                        from: mentioned,
                        givenSize: k,
                        label: label,
                        type: -1,
                        mention: renderer.mention,
                        using: &rng
                    )
                }
                var label = i % 2 == 0
                if !draw(label) {
                    label.toggle()
                    guard draw(label) else { continue }
                }
                let q = sampler.query
                renderer.appendQuestion(q, shape: task.shape, names: names, into: &question, using: &rng)
                print("# \(i + 1)")
                print("premise:    " + String(decoding: premise, as: UTF8.self))
                print("hypothesis: " + String(decoding: question, as: UTF8.self))
                print("label:      " + String(decoding: g.answer(label), as: UTF8.self))
                if explain {
                    var text: [UInt8] = []
                    sampler.prove(0, into: &proof, steps: &steps, style: explanationStyle)
                    renderer.appendExplanation(steps, graph: graph, names: names, into: &text, using: &rng)
                    print("explanation: " + String(decoding: text, as: UTF8.self))
                }
            }
        }
    }

    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer premise–hypothesis lines from a JSONL file with the rule engine, and audit their labels.",
            discussion: """
                Each line holds 'premise' and 'hypothesis', or a 'prompt'. Writes one JSON object per \
                line to stdout: the answer and its proof, or the reason the line could not be read. \
                A 'label', 'completion' or 'answer' field is compared with the answer. A summary goes \
                to stderr; the exit code is 1 when any line is unreadable or disagrees.

                Without --grammar, each line is read in every grammar available (--grammars DIR, \
                $AXIOMC_GRAMMARS, Grammars/, the built-in ones) and answered in the one that reads \
                it; its output then names that grammar ('grammar'). A line no grammar reads is an \
                error naming the grammars tried; a line that grammars read with different answers \
                is an error naming them.
                """
        )

        @Argument(help: "A JSONL file ('-' for stdin).") var file: String
        @Option(help: "Grammar the text is written in (default: the one of the available grammars that reads it).")
        var grammar: String?
        @OptionGroup var grammars: GrammarSource

        func run() throws {
            let catalog = grammars.catalog()
            let names = grammar.map { [$0] } ?? Self.available(in: catalog)
            if names.isEmpty { throw CLIError("no grammar is available to read the text (see 'axiomc recipes')") }
            var solvers = try names.map { Solver(grammar: try loadGrammar($0, from: catalog)) }
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError("\(file): cannot read the file")
                }
                text = String(decoding: data, as: UTF8.self)
            }
            var tally = Tally()
            var out = ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                tally.lines += 1
                if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
                let (outcome, used) = Self.solve(String(line), with: &solvers, names: names, detect: grammar == nil)
                out += tally.record(outcome, grammar: solvers[used ?? 0].grammar, named: used.map { names[$0] })
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            FileHandle.standardError.write(Data(tally.summary.utf8))
            if !tally.disagreements.isEmpty || !tally.failures.isEmpty { throw ExitCode.failure }
        }

        /// The names of every grammar `catalog` can find: `*.xml` in its folders, then the
        /// built-in ones; sorted, each once.
        static func available(in catalog: GrammarCatalog) -> [String] {
            var names = Set(catalog.includesEmbedded ? Grammar.embeddedNames : [])
            for dir in catalog.directories {
                for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                where file.hasSuffix(".xml") {
                    names.insert(String(file.dropLast(4)))
                }
            }
            return names.sorted()
        }

        /// Solves `line` with one grammar, or, when `detect`ing, with each and keeps the answer
        /// of those that read it, when they agree; returns the outcome and the grammar used.
        static func solve(
            _ line: String,
            with solvers: inout [Solver],
            names: [String],
            detect: Bool
        ) -> (Solver.Outcome, Int?) {
            if !detect { return (solvers[0].solve(line: line), nil) }
            var read: [(index: Int, yes: Bool, outcome: Solver.Outcome)] = []
            var errors: [String] = []
            for i in solvers.indices {
                let outcome = solvers[i].solve(line: line)
                switch outcome {
                case let .answered(yes, _, _, _): read.append((i, yes, outcome))
                case let .failed(message): errors.append(message)
                }
            }
            guard let first = read.first else {
                // Not JSON, or no text fields: the same for every grammar, so said once.
                if Set(errors).count == 1 { return (.failed(errors[0]), nil) }
                let each = zip(names, errors).map { "\($0): \($1)" }.joined(separator: "; ")
                return (.failed("no grammar reads the text (tried \(names.joined(separator: ", "))): \(each)"), nil)
            }
            if read.contains(where: { $0.yes != first.yes }) {
                let answers = read.map { "\(names[$0.index]) \($0.yes ? "yes" : "no")" }.joined(separator: ", ")
                return (
                    .failed(
                        "the grammars that read the text answer differently (\(answers)); choose one with --grammar"
                    ),
                    nil
                )
            }
            return (first.outcome, first.index)
        }

        /// What `solve` counts over the lines, and the JSON line it writes for each.
        struct Tally {
            var lines = 0
            var answered = 0
            var agreed = 0
            var unlabeled = 0
            var disagreements: [Int] = []
            var failures: [Int] = []
            var collisions: [Int] = []
            /// Lines answered per detected grammar.
            var detected: [String: Int] = [:]

            mutating func record(_ outcome: Solver.Outcome, grammar g: Grammar, named: String?) -> String {
                switch outcome {
                case let .failed(message):
                    failures.append(lines)
                    return json(["line": JSONValue(lines), "error": JSONValue(message)])
                case let .answered(yes, label, explanation, names):
                    answered += 1
                    var object: [String: JSONValue] = [
                        "line": JSONValue(lines),
                        "answer": JSONValue(String(decoding: g.answer(yes), as: UTF8.self)),
                    ]
                    if let named {
                        object["grammar"] = JSONValue(named)
                        detected[named, default: 0] += 1
                    }
                    if !explanation.isEmpty { object["proof"] = JSONValue(explanation) }
                    let clash = caseCollisions(names)
                    if !clash.isEmpty {
                        collisions.append(lines)
                        object["warning"] = JSONValue("names differ only in case: " + clash.joined(separator: ", "))
                    }
                    if let label {
                        object["label"] = JSONValue(String(decoding: g.answer(label), as: UTF8.self))
                        object["agrees"] = JSONValue(label == yes)
                        if label == yes { agreed += 1 } else { disagreements.append(lines) }
                    } else {
                        unlabeled += 1
                    }
                    return json(object)
                }
            }

            var summary: String {
                func few(_ lines: [Int]) -> String {
                    lines.prefix(10).map(String.init).joined(separator: ", ") + (lines.count > 10 ? ", …" : "")
                }
                var s =
                    "solve: \(lines == 0 ? 0 : answered + failures.count) lines, \(answered) answered (\(agreed) agree with their label, \(disagreements.count) disagree, \(unlabeled) unlabeled), \(failures.count) unreadable\n"
                if !detected.isEmpty {
                    s +=
                        "  grammars: "
                        + detected.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) lines)" }
                        .joined(separator: ", ") + "\n"
                }
                if !disagreements.isEmpty { s += "  wrong labels on lines \(few(disagreements))\n" }
                if !failures.isEmpty { s += "  unreadable lines \(few(failures))\n" }
                if !collisions.isEmpty { s += "  names differing only in case on lines \(few(collisions))\n" }
                return s
            }

            func json(_ object: [String: JSONValue]) -> String { JSONValue.sortedObject(object).serialized() + "\n" }
        }
    }
}

/// A graph family named on the command line (with the defaults `sample` draws from).
enum FamilyName: String, CaseIterable, ExpressibleByArgument {
    case chain
    case flippedChain = "flipped-chain"
    case branching
    case random

    func family(flip: Double = 0.5, branching: Double = 1.4, edgeProbability: Double = 0.3) -> GraphFamily {
        switch self {
        case .chain: .chain
        case .flippedChain: .flippedChain(flipProbability: flip)
        case .branching: .branching(factor: branching, connected: true)
        case .random: .random(edgeProbability: edgeProbability)
        }
    }
}

extension PremiseOrder: ExpressibleByArgument {}
extension ExplanationStyle: ExpressibleByArgument {}

/// A shipped task's name; the parser lists the names and refuses others.
extension Axiom: ExpressibleByArgument {
    public init?(argument: String) {
        guard TaskCatalog.index(of: Axiom(argument)) != nil else { return nil }
        self.init(argument)
    }
    public static var allValueStrings: [String] { TaskCatalog.names.map(\.rawValue) }
    public var defaultValueDescription: String { rawValue }
}
