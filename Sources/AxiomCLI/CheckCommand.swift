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

                Progress (records checked / total, records/s, ETA) goes to stderr when it is a \
                terminal; --progress forces it (a line every 2 s when stderr is not a terminal), \
                --no-progress and --json turn it off.
                """
        )

        @Argument(help: "The corpus directory.") var directory: String
        @Flag(help: "Print the report as JSON.") var json = false
        @Flag(
            inversion: .prefixedNo,
            help: "Show progress on stderr (default: only when stderr is a terminal and without --json)."
        )
        var progress: Bool?
        @Option(help: "Threads checking records (the report is identical for any value).") var jobs = ProcessInfo
            .processInfo.activeProcessorCount
        @OptionGroup var grammars: GrammarSource

        func run() throws {
            if EpisodeCheck.isEpisodes(directory: directory) {
                var episodes = CheckEpisodes()
                episodes.directory = directory
                episodes.json = json
                episodes.jobs = jobs
                return try episodes.run()
            }
            var checker = Checker(directory: directory, grammars: grammars.catalog())
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            checker.jobs = jobs
            checker.progress = .choose(forced: progress, quiet: json, isTerminal: System.isTerminal(2))
            let report = try checker.run()
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
                for (split, tasks) in (report.textProbe ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let scores = tasks.sorted { $0.key < $1.key }.map {
                        "\($0.key) \(String(format: "%.3f", $0.value.accuracy)) (\($0.value.records))"
                    }
                    print("text probe, \(split): \(scores.joined(separator: ", "))")
                }
            }
            if !report.passed { throw ExitCode.failure }
        }
    }
}
