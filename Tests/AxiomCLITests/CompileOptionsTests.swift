import AxiomGrammar
import AxiomRecords
import Foundation
import Synchronization
import Testing

@testable import AxiomCLI
@testable import AxiomCorpus

/// A fresh empty folder under the temporary directory, removed by the caller.
private func scratch(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-\(name)-\(getpid())").path
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// The keys of a JSON object, in order.
private func keys(_ v: JSONValue?) -> [String] {
    guard case let .object(pairs)? = v else { return [] }
    return pairs.map(\.0)
}

@Suite(.serialized) struct Progress {
    @Test func progressGoesToStderrAndChangesNoByte() throws {
        let dir = try scratch("progress")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, aOut, aErr) = try runExecutable(["compile", "smoke", "--out", "a", "--progress"], in: dir)
        #expect(a == 0, "\(aErr)")
        // Not a terminal: plain lines, the last one the total.
        #expect(aErr.hasSuffix("\n") && !aErr.contains("\r"))
        #expect(aErr.split(separator: "\n").last?.hasPrefix("compile: 540/540 records (100%), ") == true, "\(aErr)")
        let (b, bOut, bErr) = try runExecutable(["compile", "smoke", "--out", "b"], in: dir)
        #expect(b == 0 && bErr.isEmpty, "a pipe shows no progress by default: \(bErr)")
        #expect(aOut.hasPrefix("compiled smoke: 540 records") && bOut.hasPrefix("compiled smoke: 540 records"))
        let filesA = files(dir + "/a")
        #expect(filesA.count > 5 && filesA["manifest.json"] != nil)
        #expect(filesA == files(dir + "/b"), "progress changed the corpus")

        let (c, cOut, cErr) = try runExecutable(["check", "a", "--progress"], in: dir)
        #expect(c == 0 && cOut.hasPrefix("check passed: 540 records"))
        #expect(cErr.split(separator: "\n").last?.hasPrefix("check: 540/540 records (100%), ") == true, "\(cErr)")
        let (_, _, quiet) = try runExecutable(["check", "a", "--progress", "--no-progress"], in: dir)
        #expect(quiet.isEmpty)
    }

    @Test func meterThrottlesAndEndsItsLine() {
        final class Lines: Sendable {
            let state = Mutex<[String]>([])
            var all: [String] { state.withLock { $0 } }
            func add(_ s: String) { state.withLock { $0.append(s) } }
        }
        let logged = Lines()
        let log = ProgressMeter("compile", total: 100_000, style: .lines, write: logged.add)
        for _ in 0..<100_000 { log.add(1) }
        log.finish()
        // Far less than 2 s went by: no line but the final one.
        #expect(logged.all.count == 1)
        #expect(logged.all.first?.hasPrefix("compile: 100000/100000 records (100%), ") == true)
        #expect(logged.all.first?.hasSuffix("\n") == true)

        let shown = Lines()
        let tty = ProgressMeter("check", total: 10, style: .terminal, write: shown.add)
        tty.add(10)
        tty.finish()
        #expect(
            shown.all.count == 1 && shown.all[0].hasPrefix("\rcheck: 10/10 records") && shown.all[0].hasSuffix("\n")
        )

        let none = Lines()
        let off = ProgressMeter("compile", total: 10, style: .off, write: none.add)
        off.add(10)
        off.finish()
        #expect(none.all.isEmpty)
    }

    @Test func newlinesAreCountedExactly() {
        // Bytes with the newline's low bits under a high bit (0x8A), zeros and 0xFF must not count.
        var rng = SystemRandomNumberGenerator()
        for count in [0, 1, 7, 8, 9, 63, 64, 1000, 4099] {
            let bytes: [UInt8] = (0..<count).map { _ in
                [0x0A, 0x8A, 0x00, 0xFF, 0x0B, 0x7F][Int.random(in: 0..<6, using: &rng)]
            }
            let expected = bytes.filter { $0 == 0x0A }.count
            let counted = bytes.withUnsafeBytes { ProgressMeter.lines(in: $0) }
            #expect(counted == expected, "\(count) bytes")
        }
    }

    @Test func lineAndStyleRules() {
        #expect(
            ProgressMeter.line("compile", done: 250, total: 1000, seconds: 2)
                == "compile: 250/1000 records (25%), 125 records/s, ETA 6.0s"
        )
        #expect(ProgressMeter.duration(185) == "3m05s" && ProgressMeter.duration(7620) == "2h07m")
        #expect(ProgressStyle.choose(forced: nil, quiet: false, isTerminal: true) == .terminal)
        #expect(ProgressStyle.choose(forced: nil, quiet: true, isTerminal: true) == .off)
        #expect(ProgressStyle.choose(forced: nil, quiet: false, isTerminal: false) == .off)
        #expect(ProgressStyle.choose(forced: true, quiet: true, isTerminal: false) == .lines)
        #expect(ProgressStyle.choose(forced: false, quiet: false, isTerminal: true) == .off)
    }
}

@Suite(.serialized) struct CompileSummary {
    @Test func jsonSummaryHasTheKeysInOrder() throws {
        let dir = try scratch("json")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, out, err) = try runExecutable(["compile", "smoke", "--out", "c", "--json"], in: dir)
        #expect(status == 0 && err.isEmpty, "\(err)")
        let v = try JSONValue.parse(Array(out.utf8))
        #expect(keys(v) == ["recipe", "out", "records", "bytes", "seconds", "splits"])
        #expect(v["recipe"]?.string == "smoke")
        #expect(v["out"]?.string == URL(fileURLWithPath: dir + "/c").standardizedFileURL.path)
        #expect(v["records"]?.double == 540)
        let manifest = try Manifest.read(directory: dir + "/c")
        #expect(v["bytes"]?.double == Double(manifest.splits.values.reduce(0) { $0 + $1.bytes }))
        guard case let .array(splits)? = v["splits"] else {
            Issue.record("no splits array in \(out)")
            return
        }
        #expect(splits.compactMap { $0["name"]?.string } == ["train", "eval_long_chains", "eval_branching"])
        #expect(keys(splits[0]) == ["name", "role", "records", "shards", "labels"])
        #expect(splits.map { $0["role"]?.string } == ["train", "eval", "eval"])
        #expect(splits.map { $0["records"]?.double } == [300, 120, 120])
        for (s, name) in zip(splits, manifest.splitOrder) {
            let m = manifest.splits[name]!
            #expect(keys(s["labels"]) == ["Yes", "No"])
            #expect(s["labels"]?["Yes"]?.double == Double(m.labels["Yes"]!))
            #expect(s["labels"]?["No"]?.double == Double(m.labels["No"]!))
            #expect(s["shards"]?.double == Double(m.shards.count))
        }
        #expect(run(["compile", "smoke", "--stdout", "--json"])?.contains("--json") == true)
    }
}

@Suite(.serialized) struct Scale {
    @Test func aScaledSuiteCompilesAndChecks() throws {
        let dir = try scratch("scale")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, out, err) = try runExecutable(
            ["compile", "paper-d-separation", "--scale", "0.01", "--out", "s", "--json"],
            in: dir
        )
        #expect(status == 0, "\(err)")
        let v = try JSONValue.parse(Array(out.utf8))
        guard case let .array(splits)? = v["splits"] else {
            Issue.record("no splits in \(out)")
            return
        }
        // paper-d-separation: 175,000 training records in shards of 100,000, then eval splits of
        // 4,500, 2,000 and 2,000 (not held to shortcut limits, so they scale too).
        #expect(splits.first?["records"]?.double == 1750 && splits.first?["shards"]?.double == 1)
        #expect(splits.dropFirst().map { $0["records"]?.double } == [45, 20, 20])
        let manifest = try Manifest.read(directory: dir + "/s")
        #expect(manifest.scale == 0.01)
        let (c, checked, cerr) = try runExecutable(["check", "s"], in: dir)
        #expect(c == 0, "\(checked)\(cerr)")
        // The recipe copy and scale survive: reassembling the manifest gives the same one.
        #expect(try runExecutable(["manifest", "s"], in: dir).0 == 0)
        #expect(try Manifest.read(directory: dir + "/s") == manifest)
        // Another scale into the same folder is another corpus.
        let again = try runExecutable(["compile", "paper-d-separation", "--scale", "0.02", "--out", "s"], in: dir)
        #expect(again.0 != 0 && again.2.contains("scale"))
    }

    @Test func checkRefusesAScaleOutOfRange() throws {
        let dir = try scratch("scale-smoke")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, out, err) = try runExecutable(["compile", "smoke", "--scale", "0.5", "--out", "h"], in: dir)
        #expect(status == 0 && out.hasPrefix("compiled smoke: 270 records"), "\(err)")
        #expect(try runExecutable(["check", "h"], in: dir).0 == 0)
        var manifest = try Manifest.read(directory: dir + "/h")
        #expect(manifest.scale == 0.5)
        manifest.scale = 2
        try JSONDocument.encode(manifest, pretty: true).write(to: URL(fileURLWithPath: dir + "/h/manifest.json"))
        let (bad, report, _) = try runExecutable(["check", "h"], in: dir)
        #expect(bad != 0 && report.contains("the count scale 2.0 is outside (0, 1]"), "\(report)")
    }

    @Test func scaledCountsRoundUpAndKeepTwinsPaired() throws {
        var r = try Recipe.resolve("smoke", grammars: .embedded())
        r.scale(by: 0.1)
        #expect(r.splits.map(\.count) == [30, 12, 12])
        #expect(r.countScale == 0.1)
        var suite = try Recipe.resolve("causal-suite", grammars: .embedded())
        suite.scale(by: 0.0001)
        // 100000 × 0.0001 = 10; its eval splits are held to max_cue / max_probe (controlled
        // tasks): they keep their counts.
        #expect(suite.splits.map(\.count) == [10, 5000, 5000, 5000])
        var paper = try Recipe.resolve("paper-d-separation", grammars: .embedded())
        paper.scale(by: 0.0001)
        // 4500 × 0.0001 = 0.45 → 1 (no twins here, so no pairing); 175000 × 0.0001 = 17.5 → 18.
        #expect(paper.splits.map(\.count) == [18, 1, 1, 1])
        // default's eval splits are held to max_cue / max_probe: they keep their counts.
        var d = try Recipe.resolve("default", grammars: .embedded())
        let full = d.splits.map(\.count)
        d.scale(by: 0.01)
        #expect(d.splits.map(\.count) == [2000] + full.dropFirst())
        #expect(d.splits.dropFirst().allSatisfy { $0.maxCue != nil } && d.splits[0].maxCue == nil)
        var same = try Recipe.resolve("smoke", grammars: .embedded())
        same.scale(by: 1)
        #expect(same.countScale == nil && same.splits.map(\.count) == [300, 120, 120])
    }

    @Test func outOfRangeIsAClearError() {
        for bad in ["0", "1.5", "-0.1", "nan"] {
            #expect(
                run(["compile", "smoke", "--scale=\(bad)", "--out", "/tmp/never"])?.contains(
                    "--scale must be more than 0 and at most 1"
                ) == true,
                "\(bad)"
            )
        }
    }
}

@Suite(.serialized) struct RecipeListing {
    @Test func descriptionsAreWholeAndWrapped() throws {
        let (status, out, _) = try runExecutable(["recipes"], in: repoRoot)
        #expect(status == 0)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= Axiomc.Recipes.columns }, "\(lines.filter { $0.count > 100 })")
        // causal-suite's description ends twelve comment lines down; all of it is printed.
        let text = try String(contentsOfFile: repoRoot + "/Corpora/causal-suite.yaml", encoding: .utf8)
        let whole = Axiomc.Recipes.description(of: text)
        #expect(
            whole.hasPrefix("Every shipped causal task") && whole.hasSuffix("`default` teaches that lesson).")
        )
        let start = try #require(lines.firstIndex { $0.hasPrefix("causal-suite ") })
        let end = try #require(lines[start...].firstIndex { $0.hasSuffix(".yaml)") || $0.hasSuffix("(built in)") })
        let printed = lines[start..<end].map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: " ")
        #expect(printed == "causal-suite " + whole)
        #expect(Axiomc.Recipes.wrap("aa bb cc dd", width: 5) == ["aa bb", "cc dd"])
        #expect(Axiomc.Recipes.wrap("a verylongword b", width: 4) == ["a", "verylongword", "b"])
        #expect(Axiomc.Recipes.wrap(words: ["x:", "a (b c),", "d (e)"], width: 9) == ["x:", "a (b c),", "d (e)"])
    }

    @Test func jsonListsNameDescriptionSourceAndKind() throws {
        let empty = try scratch("recipes-json")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let (status, out, _) = try runExecutable(["recipes", "--json"], in: empty)
        #expect(status == 0)
        guard case let .array(items) = try JSONValue.parse(Array(out.utf8)) else {
            Issue.record("not an array: \(out)")
            return
        }
        #expect(items.allSatisfy { keys($0) == ["name", "description", "source", "kind"] })
        let smoke = items.first { $0["name"]?.string == "smoke" }
        #expect(smoke?["source"]?.string == "embedded:smoke.yaml")
        #expect(
            smoke?["description"]?.string
                == "A tiny corpus for tests and examples: both axioms, both grammars' features, seconds to build."
        )
        let names = items.compactMap { $0["name"]?.string }
        #expect(names.contains("causal-suite") && names.contains("default"))
        let kinds = Dictionary(uniqueKeysWithValues: items.map { ($0["name"]?.string ?? "", $0["kind"]?.string ?? "") })
        #expect(kinds["episodes"] == "episodes" && kinds["smoke"] == "questions")
    }
}

@Suite(.serialized) struct StarterRecipe {
    @Test func everyKeyIsCommentedAndTheRecipeCompilesAndChecks() throws {
        let dir = try scratch("starter")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (i, _, ierr) = try runExecutable(["init", "starter"], in: dir)
        #expect(i == 0, "\(ierr)")
        let text = try String(contentsOfFile: dir + "/starter.yaml", encoding: .utf8)
        #expect(text.contains("\nname: starter  # "))
        let keyLines = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        #expect(keyLines.count >= 30)
        #expect(
            keyLines.allSatisfy { $0.contains(":") && $0.contains("  # ") },
            "\(keyLines.filter { !$0.contains("  # ") })"
        )
        // The task list in the comments is the binary's.
        #expect(text.contains("d-separation") && text.contains("collider"))
        let (c, out, err) = try runExecutable(["compile", "starter.yaml", "--out", "o"], in: dir)
        #expect(c == 0 && out.hasPrefix("compiled starter: 540 records"), "\(err)")
        let (k, checked, _) = try runExecutable(["check", "o"], in: dir)
        #expect(k == 0 && checked.hasPrefix("check passed"), "\(checked)")
    }
}

@Suite(.serialized) struct SolveDetection {
    /// The first record of `smoke` (grammar `en`), as a solve input line.
    func enLine() throws -> String {
        let (s, out, err) = try runExecutable(["compile", "smoke", "--stdout", "--limit", "1"], in: repoRoot)
        #expect(s == 0, "\(err)")
        return try #require(out.split(separator: "\n").first.map(String.init))
    }

    @Test func enTextSolvesWithoutGrammar() throws {
        let dir = try scratch("solve")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (try enLine() + "\n").write(toFile: dir + "/en.jsonl", atomically: true, encoding: .utf8)
        let (s, out, err) = try runExecutable(["solve", "en.jsonl"], in: dir)
        #expect(s == 0, "\(out)\(err)")
        let v = try JSONValue.parse(Array(out.split(separator: "\n")[0].utf8))
        #expect(v["grammar"]?.string == "en" && v["agrees"] == .bool(true), "\(out)")
        #expect(err.contains("grammars: en (1 lines)"))
        // The old default reads it with 'paper' only, and fails.
        let (p, pout, _) = try runExecutable(["solve", "en.jsonl", "--grammar", "paper"], in: dir)
        #expect(p != 0 && pout.contains("\"error\":") && !pout.contains("\"answer\":"), "\(pout)")
    }

    @Test func garbageNamesTheGrammarsTried() throws {
        let dir = try scratch("solve-garbage")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let line = #"{"premise": "Blue ideas sleep furiously.", "hypothesis": "Does it rain?"}"#
        try (line + "\n").write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        let (s, out, _) = try runExecutable(["solve", "bad.jsonl"], in: dir)
        #expect(s != 0)
        let tried = "no grammar reads the text (tried \(Grammar.embeddedNames.sorted().joined(separator: ", ")))"
        #expect(out.contains(tried), "\(out)")
        #expect(Axiomc.Solve.available(in: .embedded()) == Grammar.embeddedNames.sorted())
    }
}
