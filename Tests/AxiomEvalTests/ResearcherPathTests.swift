import AxiomRecords
import Foundation
import Testing

@testable import AxiomEval

/// Issue #23, "the researcher's path": CSV as Python writes it, the usual prediction field
/// names, no report after an error, and a report that reads well (100 columns, plots whose
/// labels and legend do not collide).
@Suite struct RFC4180Predictions {
    let answers = [
        "Let me think, step by step.\nA causes B and B causes C, so \"A causes C\" holds.\nAnswer: Yes", "No",
        "The premise says \"\"A causes B\"\", literally.\n\nSo: yes", "Reasoning, with a comma\nAnswer: \"No\"",
    ]

    /// pandas' `to_csv` (index column, multi-line quoted answers, doubled quotes, commas).
    @Test func pandasMultiLineAnswersScore() throws {
        let (format, preds) = try PredictionReader.read(path: fixtures + "pandas-multiline.csv", format: nil)
        #expect(format == .csv)
        #expect(preds.map(\.answer) == answers)
        #expect(preds.map(\.line) == [2, 5, 6, 9])
        let e = Evaluator(gold: smallGold()).score(preds, file: "p", format: format)
        #expect(e.outcomes == [true, true, true, true] && e.overall.invalid == 0)
    }

    /// Python's `csv.writer` defaults: CRLF record ends, a BOM (`utf-8-sig`), a quoted header cell.
    @Test func pythonCSVWithCRLFAndBOM() throws {
        let (format, preds) = try PredictionReader.read(path: fixtures + "python-csv-crlf-bom.csv", format: nil)
        #expect(format == .csv)
        #expect(preds.map(\.answer) == answers && preds.map(\.key) == (1...4).map { .id("r\($0)") })
        #expect(preds.allSatisfy { $0.field == .response })
        #expect(Evaluator(gold: smallGold()).score(preds, file: "p", format: format).overall.correct == 4)
    }

    @Test func errorsNameTheLineTheRecordStartsOn() throws {
        let cases = [
            ("id,prediction\nr1,\"Yes\nstill r1\"\nr2,No,extra\n", "x.csv:4: 3 cells where the header has 2"),
            ("id,prediction\nr1,Yes\nr2,\"No\nand never closed\n", "x.csv:3: a quoted cell opened in this record"),
            (
                "id,answer\nr1,Yes\n",
                "x.csv:1: the header names no prediction field (accepted, in order of preference: "
            ),
        ]
        for (text, message) in cases {
            let path = try temporaryFile("x.csv", text)
            do {
                _ = try PredictionReader.read(path: path, format: .csv)
                Issue.record("no error for \(text.debugDescription)")
            } catch {
                #expect("\(error)".hasPrefix(path.dropLast(5) + message), "\(error)")
            }
        }
    }

    @Test func aRecordLongerThanTheLimitIsLocated() throws {
        let path = try temporaryFile("long.csv", "id,prediction\nr1,\"" + String(repeating: "ab\n", count: 40) + "\"\n")
        #expect(throws: EvalError.self) { try PredictionReader.read(path: path, format: .csv, maxLineBytes: 50) }
        do { _ = try PredictionReader.read(path: path, format: .csv, maxLineBytes: 50) } catch {
            #expect("\(error)" == "\(path):2: record longer than 50 bytes")
        }
    }
}

/// A file in a fresh temporary directory.
func temporaryFile(_ name: String, _ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-eval-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite struct PredictionFieldNames {
    @Test(arguments: PredictionField.accepted)
    func everyAliasIsReadAndNamed(field: PredictionField) throws {
        let name = field.name
        let jsonl = (1...4).map { "{\"id\": \"r\($0)\", \"\(name)\": \"\($0 % 2 == 1 ? "Yes" : "No")\"}" }
        let csv = "id,\(name)\nr1,Yes\nr2,No\nr3,Yes\nr4,No\n"
        let prompt = smallGold().ids.indices.map { i in
            let prompts = [
                "Premise: A causes B. B causes C. Does A cause C?", "Premise: A causes B. C causes B. Does A cause C?",
                "Premise: A causes B. Does B cause A?", "Premise: A causes B. Does A cause B?",
            ]
            return "{\"prompt\": \"\(prompts[i])\", \"\(name)\": \"\(i % 2 == 0 ? "Yes" : "No")\"}"
        }
        for (file, text) in [
            ("p.jsonl", jsonl.joined(separator: "\n")), ("p.csv", csv), ("q.jsonl", prompt.joined(separator: "\n")),
        ] {
            let path = try temporaryFile(file, text)
            let (format, preds) = try PredictionReader.read(path: path, format: nil)
            let e = Evaluator(gold: smallGold()).score(preds, file: path, format: format)
            #expect(e.overall.correct == 4, "\(name) in \(file)")
            #expect(e.predictionField == name, "\(file)")
            #expect(Report.text(e).contains("field '\(name)'"))
            #expect(Report.markdown(e).contains("field '\(name)'"))
            let json = try JSONValue.parse(Array(Report.json([e], comparison: nil)))
            #expect(json["evaluations"]?[0]?["prediction_field"] == .string(name))
        }
    }

    /// The first name in the order of preference wins; `completion` is then the gold label.
    @Test func preferenceOrder() throws {
        let path = try temporaryFile(
            "p.jsonl",
            #"{"id": "r1", "text": "No", "completion": "Yes", "output": "Yes", "pred": "Yes"}"#
        )
        let (_, preds) = try PredictionReader.read(path: path, format: nil)
        #expect(preds[0].field == .pred && preds[0].answer == "Yes" && preds[0].embeddedGold == true)
    }

    @Test func noAcceptedFieldIsALocatedError() throws {
        let path = try temporaryFile(
            "p.jsonl",
            "{\"id\": \"r1\", \"prediction\": \"Yes\"}\n{\"id\": \"r2\", \"answer\": \"No\"}\n"
        )
        do {
            _ = try PredictionReader.read(path: path, format: nil)
            Issue.record("no error")
        } catch {
            #expect(
                "\(error)"
                    == "\(path):2: no prediction field (accepted, in order of preference: prediction, pred, output, response, completion, text)"
            )
        }
    }

    @Test func corr2causeNamesItsField() throws {
        let path = try temporaryFile(
            "c.jsonl",
            #"{"input": "Premise: x\nHypothesis: y", "label": 1, "completion": "Yes"}"#
        )
        let e = try Corr2CauseEval.score(path: path) { _ in (nil, 0) }
        #expect(e.predictionField == "completion" && e.overall.correct == 1)
        #expect(Corr2CauseEval.text(e).contains("field 'completion'"))
        let json = try JSONValue.parse(Array(Corr2CauseEval.json(e)))
        #expect(json["prediction_field"] == "completion" && json["overall"]?["n"] == 1)
    }
}

@Suite struct NoReportAfterAnError {
    /// A one-line garbage file read as plain text: the missing records are the error, and no
    /// table comes with it.
    @Test func garbageGivesProblemsAndNoTable() throws {
        let path = try temporaryFile("garbage.txt", "this is not a predictions file\n")
        let (format, preds) = try PredictionReader.read(path: path, format: nil)
        let e = Evaluator(gold: smallGold()).score(preds, file: path, format: format)
        for json in [false, true] {
            let (stdout, problems) = Report.output([e], comparison: nil, json: json, allowMissing: false)
            #expect(stdout.isEmpty)
            #expect(problems.count == 1 && problems[0].hasPrefix("\(path): error: 3 gold records have no prediction"))
            #expect(problems[0].contains("read as plain text"))
        }
        let allowed = Report.output([e], comparison: nil, json: false, allowMissing: true)
        #expect(allowed.problems.isEmpty && String(decoding: allowed.stdout, as: UTF8.self).contains("summary"))
    }

    /// One good file and one with an unknown id: nothing is printed for either.
    @Test func oneBadFileStopsTheWholeReport() throws {
        let good = try score("ids.jsonl")
        let bad = Evaluator(gold: smallGold()).score(
            [Prediction(key: .id("zz"), answer: "Yes", line: 1)]
                + (1...4).map {
                    Prediction(key: .id("r\($0)"), answer: "Yes", line: $0 + 1)
                },
            file: "bad.jsonl",
            format: .ids
        )
        let (stdout, problems) = Report.output([good, bad], comparison: nil, json: false, allowMissing: false)
        #expect(stdout.isEmpty && problems == ["bad.jsonl: error: 1 predictions match no gold record, e.g. zz"])
    }
}

@Suite struct ReadableReport {
    /// Gold with node counts 5…100, a long split name and a long file path.
    func wideEvaluation() -> Evaluation {
        var g = Gold(source: "test")
        for i in 0..<192 {
            let nodes = 5 + i / 2
            g.add(
                GoldRecord(
                    id: "w\(i)",
                    label: i % 2 == 0,
                    buckets: [
                        "split": i < 96 ? "eval_an_unusually_long_split_name_for_the_widest_column" : "eval_b",
                        "nodes": String(nodes), "axiom": ["transitivity", "d-separation", "backdoor"][i % 3],
                        "family": ["flipped-chain", "branching", "a-family-with-a-very-long-name"][i % 3],
                    ]
                ),
                texts: []
            )
        }
        let preds = (0..<192).map { Prediction(key: .id("w\($0)"), answer: $0 % 3 == 0 ? "Yes" : "No", line: $0 + 1) }
        let file = "/tmp/" + String(repeating: "a-long-directory-name/", count: 6) + "predictions.jsonl"
        return Evaluator(gold: g).score(preds, file: file, format: .ids)
    }

    @Test func summaryFirstAndNoLinePasses100Columns() {
        let text = Report.text(wideEvaluation())
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines.filter { $0.count > 100 })")
        let summary = lines.firstIndex { $0.hasPrefix("summary ") }
        let details = lines.firstIndex { $0.hasPrefix("bucket ") }
        #expect(summary != nil && details != nil && summary! < details!)
        // The summary holds the headline numbers per split and per task.
        let head = lines[summary!].split(separator: " ")
        #expect(
            head == [
                "summary", "n", "acc", "invalid", "majority", "cue", "probe", "int", "probe", "text", "vs", "probe",
            ]
        )
        #expect(lines[summary!..<details!].contains { $0.hasPrefix("  eval_b ") })
        #expect(lines[summary!..<details!].contains { $0.hasPrefix("  backdoor ") })
    }

    /// `(left, right)` of every x label (`class="tick"`), estimated at 0.6 em per character.
    func tickBoxes(_ svg: String) -> [(Double, Double)] {
        svg.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "<text class=\"tick\"") else { return nil }
            let text = line[start.lowerBound...]
            guard let x = attribute("x", text).flatMap(Double.init),
                let open = text.firstIndex(of: ">"), let close = text.range(of: "</text>")
            else { return nil }
            let width = Double(text[text.index(after: open)..<close.lowerBound].count) * 7.2
            return (x - width / 2, x + width / 2)
        }
    }

    func attribute(_ name: String, _ line: Substring) -> String? {
        guard let r = line.range(of: " \(name)=\"") else { return nil }
        return String(line[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test func xLabelsAreThinnedAndNeverOverlap() {
        let e = wideEvaluation()
        for svg in [Report.generalizationSVG(e), Report.bucketSVG(e, bucket: "family", title: "f")] {
            let boxes = tickBoxes(svg)
            #expect(boxes.count >= 3)
            for (a, b) in zip(boxes, boxes.dropFirst()) { #expect(a.1 <= b.0, "\(a) overlaps \(b)") }
        }
        // 96 node counts on 620 pixels: every 5th is labelled (5, 10, …, 100).
        #expect(tickBoxes(Report.generalizationSVG(e)).count == 20)
    }

    @Test func legendIsRightOfThePlotArea() {
        let e = wideEvaluation()
        for svg in [Report.generalizationSVG(e), Report.bucketSVG(e, bucket: "axiom", title: "t")] {
            let lines = svg.split(separator: "\n")
            let area = lines.first { $0.contains("class=\"plot-area\"") }!
            let box = lines.first { $0.contains("class=\"legend-box\"") }!
            let right = Double(attribute("x", area)!)! + Double(attribute("width", area)!)!
            #expect(Double(attribute("x", box)!)! > right)
            #expect(
                Double(attribute("x", box)!)! + Double(attribute("width", box)!)! <= Double(
                    attribute("width", lines[0])!
                )!
            )
        }
    }

    @Test func reportHasAPerTaskPlotBesideThePerSizePlot() throws {
        let files = Report.files(wideEvaluation())
        #expect(files.map(\.name) == ["generalization.svg", "tasks.svg", "families.svg", "report.md", "index.html"])
        let tasks = files[1].contents
        #expect(tasks.contains("<title>backdoor: ") && tasks.contains(">d-separation</text>"))
        #expect(files[0].contents == Report.generalizationSVG(wideEvaluation()))
        #expect(files[4].contents.contains("<div class=\"plots\"><img src=\"generalization.svg\""))
    }
}
