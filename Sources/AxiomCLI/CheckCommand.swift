import ArgumentParser
import AxiomCorpus
import AxiomGrammar
import AxiomRecords
import Foundation

extension Axiomc {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a compiled corpus against the generator's invariants (the CI gate).",
            discussion: """
                Checks manifest hashes and counts, recomputes every label with the second algorithm, \
                reads every text back with the grammar, and checks names, duplicates, train/eval \
                leakage and label balance. Exit code 0 only when everything holds.
                """
        )

        @Argument(help: "The corpus directory.") var directory: String
        @Flag(help: "Print the report as JSON.") var json = false
        @OptionGroup var grammars: GrammarSource

        func run() throws {
            let report = try Checker(directory: directory, grammars: grammars.catalog()).run()
            if json {
                var data = try JSONDocument.encode(report, pretty: true)
                data.append(0x0A)
                FileHandle.standardOutput.write(data)
            } else {
                for v in report.violations { print("violation: \(v)") }
                let checks = report.checked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", "
                )
                print(
                    "check \(report.passed ? "passed" : "FAILED"): \(report.records) records (\(checks)); \(report.violations.count) violation(s)"
                )
            }
            if !report.passed { throw ExitCode.failure }
        }
    }
}
