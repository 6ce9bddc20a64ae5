import ArgumentParser
import AxiomCorpus
import AxiomEval
import AxiomGrammar
import AxiomRecords
import Foundation

extension Axiomc {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Score model outputs against a corpus: per-bucket accuracy with confidence intervals beside every cue, the cue probe and the majority, reports.",
            discussion: """
                Formats (detected, or forced with --format): ids (JSONL id + prediction; OpenAI batch \
                output lines too), prompt (JSONL prompt + prediction [+ completion], matched by prompt \
                text), lm-eval (--log_samples files), csv (header with id and prediction columns), \
                text (one prediction per line in gold order), corr2cause (CSV or JSONL with input, \
                label 0/1 and a prediction column, as Corr2Cause releases: F1 on label 1 beside \
                accuracy, per relation and per number of variables; --grammar reads the hypotheses, \
                corr2cause unless given).
                """
        )

        @Option(help: "The compiled corpus holding the gold labels.") var gold: String?
        @Option(help: "Split(s) to score against (default: every eval split).") var split: [String] = []
        @Option(name: .customLong("predictions"), parsing: .upToNextOption, help: "Prediction file(s).")
        var predictions: [String]
        @Option(help: "Force a format: ids, prompt, lm-eval, csv, text.") var format: PredictionFormat?
        @Flag(
            help:
                "Read Corr2Cause files (input, label 0/1, a prediction column): F1 on label 1 per relation and number of variables (detected without --gold)."
        ) var corr2cause = false
        @Flag(help: "Print JSON instead of a table.") var json = false
        @Option(help: "Write report.md, SVG plots and index.html into this directory.") var report: String?
        @Flag(help: "Compare the two prediction files with McNemar's exact test.") var compare = false
        @Flag(help: "Do not fail when gold records have no prediction.") var allowMissing = false
        @Flag(help: "Recompute each file-carried gold label by parsing its prompt with --grammar, and list wrong ones.")
        var verifyGold = false
        @Option(help: "Grammar of the prompts for --verify-gold.") var grammar = "paper"
        @OptionGroup var grammars: GrammarSource
        @Flag(help: "Print how long loading the gold and scoring each file took (stderr).") var timing = false
        @Option(help: "Refuse prediction files with a line longer than this many bytes.") var maxLineBytes =
            PredictionReader.defaultMaxLineBytes

        func run() throws {
            guard maxLineBytes >= 1 else {
                throw ValidationError("--max-line-bytes must be at least 1, not \(maxLineBytes)")
            }
            if corr2cause && (gold != nil || format != nil || report != nil || compare || !split.isEmpty) {
                throw ValidationError(
                    "--corr2cause scores Corr2Cause files on their own labels: it takes no --gold, --split, --format, --report or --compare"
                )
            }
            if corr2cause
                || (format == nil && gold == nil && !predictions.isEmpty
                    && predictions.allSatisfy(Corr2CauseEval.detect))
            {
                return try runCorr2Cause()
            }
            if compare && predictions.count != 2 {
                throw ValidationError("--compare takes exactly two prediction files")
            }
            let clock = ContinuousClock()
            let goldStart = clock.now
            let loadedGold = try gold.map { try Gold.load(corpus: $0, splits: split.isEmpty ? nil : split) }
            func seconds(_ d: Duration) -> Double {
                Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            }
            if timing, let g = loadedGold {
                let t = seconds(clock.now - goldStart)
                FileHandle.standardError.write(
                    Data("timing: gold \(g.count) records in \(String(format: "%.3f", t)) s\n".utf8)
                )
            }
            var evaluations: [Evaluation] = []
            for file in predictions {
                evaluations.append(try score(file, gold: loadedGold, clock: clock, seconds: seconds))
            }
            let comparison = compare ? Comparison(evaluations[0], evaluations[1]) : nil
            // Nothing is printed or written until every file is scored and none has a problem.
            let (stdout, problems) = Report.output(
                evaluations,
                comparison: comparison,
                json: json,
                allowMissing: allowMissing
            )
            guard problems.isEmpty else {
                for p in problems { FileHandle.standardError.write(Data("\(p)\n".utf8)) }
                throw ExitCode.failure
            }
            if let dir = report {
                for (i, e) in evaluations.enumerated() {
                    let target =
                        evaluations.count == 1
                        ? dir
                        : dir + "/\(i + 1)-" + URL(fileURLWithPath: e.file).deletingPathExtension().lastPathComponent
                    try Report.write(e, to: target)
                    FileHandle.standardError.write(Data("report written to \(target)/index.html\n".utf8))
                }
            }
            FileHandle.standardOutput.write(stdout)
        }

        /// Scores one predictions file against `gold`, or against the gold the file carries.
        func score(
            _ file: String,
            gold loadedGold: Gold?,
            clock: ContinuousClock,
            seconds: (Duration) -> Double
        ) throws -> Evaluation {
            let wrongGold = verifyGold ? try self.verifyGold(file) : []
            var e: Evaluation
            let scoreStart = clock.now
            if let g = loadedGold {
                e = try Evaluator(gold: g).score(path: file, format: format, maxLineBytes: maxLineBytes)
            } else {
                let (fmt, preds) = try PredictionReader.read(path: file, format: format, maxLineBytes: maxLineBytes)
                let (g, keyed) = try Evaluator.embeddedGold(preds, file: file)
                e = Evaluator(gold: g).score(keyed, file: file, format: fmt)
            }
            if timing {
                let t = seconds(clock.now - scoreStart)
                let n = e.overall.n + e.unknownCount + e.duplicates.count
                FileHandle.standardError.write(
                    Data(
                        "timing: \(file): \(n) predictions read and scored in \(String(format: "%.3f", t)) s (\(Int(Double(n) / max(t, 1e-9))) per second)\n"
                            .utf8
                    )
                )
            }
            e.wrongGold = wrongGold
            return e
        }

        /// Corr2Cause files: F1 on label 1 and accuracy, per relation and number of variables.
        func runCorr2Cause() throws {
            let g = try loadGrammar(grammar == "paper" ? "corr2cause" : grammar, from: grammars.catalog())
            // Every file is scored before anything is printed: an error leaves no half report.
            let evaluations = try predictions.map { try Corr2CauseEval.score(path: $0, read: g.corr2causeItem) }
            for e in evaluations {
                FileHandle.standardOutput.write(json ? Corr2CauseEval.json(e) : Data(Corr2CauseEval.text(e).utf8))
            }
        }

        /// Lines whose own label disagrees with the label derived from their prompt text.
        func verifyGold(_ file: String) throws -> [String] {
            let g = try loadGrammar(grammar, from: grammars.catalog())
            var solver = Solver(grammar: g)
            var wrong: [String] = []
            try LineReader.forEachLine(path: file, maxLineBytes: maxLineBytes) { bytes, n in
                let line = String(decoding: bytes, as: UTF8.self)
                guard line.contains("\"prompt\"") else { return }
                switch solver.solve(line: line) {
                case let .answered(yes, label?, _, _) where label != yes:
                    wrong.append("line \(n): labelled \(label ? "Yes" : "No"), derived \(yes ? "Yes" : "No")")
                case let .failed(message):
                    wrong.append("line \(n): unreadable (\(message))")
                default: break
                }
            }
            return wrong
        }
    }
}
extension PredictionFormat: ExpressibleByArgument {}
