import ArgumentParser
import AxiomCore
import AxiomRecords

extension Axiomc {
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer one causal question about a hand-written graph, with its proof.",
            discussion: """
                Examples:
                  axiomc query --edges "A->B, B->C, D->C" --ask "A cause C"
                  axiomc query --edges "A->B, B->C, D->C" --ask "A and D d-separated given C"
                """
        )

        @Option(help: "Edges as 'A->B, B->C' (commas, semicolons or newlines between edges).")
        var edges: String

        @Option(
            help:
                "The question, e.g. \(TaskCatalog.all().flatMap(\.askExamples).map { "'\($0)'" }.joined(separator: ", "))."
        )
        var ask: String

        func run() throws {
            let named: NamedGraph
            let query: AxiomCore.Query
            do {
                named = try NamedGraph.parse(edges: edges)
                query = try named.parse(question: ask)
            } catch let error as SyntaxError {
                throw CLIError(error.message)
            }
            var reasoner = Reasoner()
            reasoner.prepare(named.graph)
            print(reasoner.describe(query, names: named.names), terminator: "")
        }
    }
}
