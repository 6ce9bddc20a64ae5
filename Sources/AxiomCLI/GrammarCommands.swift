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
        @Option(help: "The task.") var axiom = Axiom("transitivity")
        @Option(help: "Largest conditioning set for d-separation.") var maxGiven = 2
        @Option(help: "Premise order.") var order = PremiseOrder.graph
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Flag(help: "Print explanations.") var explain = false

        func validate() throws {
            guard (2...Limits.nodes).contains(nodes) else {
                throw ValidationError("--nodes must be from 2 to \(Limits.nodes), not \(nodes)")
            }
            guard count >= 0 else { throw ValidationError("--count must be 0 or more, not \(count)") }
            guard maxGiven >= 0 else { throw ValidationError("--max-given must be 0 or more, not \(maxGiven)") }
        }

        func run() throws {
            let g = try loadGrammar(grammar, from: grammars.catalog())
            let task = TaskCatalog.task(axiom)!  // the parser accepts shipped task names only
            guard g.asks(task) else {
                throw CLIError("grammar '\(g.name)' has no question templates for task '\(axiom)'")
            }
            let ord = order
            let fam = family.family()
            if explain && !g.explains(task) {
                throw CLIError("grammar '\(g.name)' has no explanation templates for task '\(axiom)'")
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
                let statistics = task.premiseStyle == .statistics
                let mentioned = (0..<nodes).filter { statistics || graph.isMentioned($0) }
                guard mentioned.count >= 2 else { continue }
                var premise: [UInt8] = []
                var question: [UInt8] = []
                if statistics {
                    renderer.appendStatistics(
                        IndependenceModel(graph),
                        names: names,
                        order: ord,
                        into: &premise,
                        using: &rng
                    )
                } else {
                    renderer.appendPremise(graph, names: names, order: ord, into: &premise, using: &rng)
                }
                sampler.prepare(0, graph)
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
                    sampler.prove(0, into: &proof, steps: &steps)
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
                """
        )

        @Argument(help: "A JSONL file ('-' for stdin).") var file: String
        @Option(help: "Grammar the text is written in.") var grammar = "paper"
        @OptionGroup var grammars: GrammarSource

        func run() throws {
            let g = try loadGrammar(grammar, from: grammars.catalog())
            var solver = Solver(grammar: g)
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError("\(file): cannot read the file")
                }
                text = String(decoding: data, as: UTF8.self)
            }
            var answered = 0
            var agreed = 0
            var unlabeled = 0
            var disagreements: [Int] = []
            var failures: [Int] = []
            var collisions: [Int] = []
            var out = ""
            var lineNumber = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
                switch solver.solve(line: String(line)) {
                case let .failed(message):
                    failures.append(lineNumber)
                    out += json(["line": JSONValue(lineNumber), "error": JSONValue(message)])
                case let .answered(yes, label, explanation, names):
                    answered += 1
                    var object: [String: JSONValue] = [
                        "line": JSONValue(lineNumber),
                        "answer": JSONValue(String(decoding: g.answer(yes), as: UTF8.self)),
                    ]
                    if !explanation.isEmpty { object["proof"] = JSONValue(explanation) }
                    let clash = caseCollisions(names)
                    if !clash.isEmpty {
                        collisions.append(lineNumber)
                        object["warning"] = JSONValue("names differ only in case: " + clash.joined(separator: ", "))
                    }
                    if let label {
                        object["label"] = JSONValue(String(decoding: g.answer(label), as: UTF8.self))
                        object["agrees"] = JSONValue(label == yes)
                        if label == yes { agreed += 1 } else { disagreements.append(lineNumber) }
                    } else {
                        unlabeled += 1
                    }
                    out += json(object)
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            func few(_ lines: [Int]) -> String {
                lines.prefix(10).map(String.init).joined(separator: ", ") + (lines.count > 10 ? ", …" : "")
            }
            var summary =
                "solve: \(lineNumber == 0 ? 0 : answered + failures.count) lines, \(answered) answered (\(agreed) agree with their label, \(disagreements.count) disagree, \(unlabeled) unlabeled), \(failures.count) unreadable\n"
            if !disagreements.isEmpty { summary += "  wrong labels on lines \(few(disagreements))\n" }
            if !failures.isEmpty { summary += "  unreadable lines \(few(failures))\n" }
            if !collisions.isEmpty { summary += "  names differing only in case on lines \(few(collisions))\n" }
            FileHandle.standardError.write(Data(summary.utf8))
            if !disagreements.isEmpty || !failures.isEmpty { throw ExitCode.failure }
        }

        func json(_ object: [String: JSONValue]) -> String { JSONValue.sortedObject(object).serialized() + "\n" }
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

/// A shipped task's name; the parser lists the names and refuses others.
extension Axiom: ExpressibleByArgument {
    public init?(argument: String) {
        guard TaskCatalog.index(of: Axiom(argument)) != nil else { return nil }
        self.init(argument)
    }
    public static var allValueStrings: [String] { TaskCatalog.names.map(\.rawValue) }
    public var defaultValueDescription: String { rawValue }
}
