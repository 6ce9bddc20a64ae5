import AxiomRecords
import Foundation
import Testing

/// The built `axiomc` executable beside this test bundle.
let axiomcExecutable: String = {
    let exe =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Swift.CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("axiomc").path
}()

/// Runs the executable in `directory` without AXIOMC_PATH/AXIOMC_GRAMMARS; returns (status, stdout, stderr).
func runExecutable(_ args: [String], in directory: String, axiomcPath: String? = nil) throws -> (Int32, String, String)
{
    let p = Process()
    p.executableURL = URL(fileURLWithPath: axiomcExecutable)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    env["AXIOMC_PATH"] = nil
    env["AXIOMC_GRAMMARS"] = nil
    if let axiomcPath { env["AXIOMC_PATH"] = axiomcPath }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

@Suite(.serialized) struct RunsFromAnywhere {
    @Test func compileSampleCheckAndStreamInAnEmptyDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-anywhere-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(
            FileManager.default.isExecutableFile(atPath: axiomcExecutable),
            "build the executable first: \(axiomcExecutable)"
        )

        let (c, compiled, cerr) = try runExecutable(["compile", "smoke", "--out", "smoke", "--jobs", "2"], in: dir)
        #expect(c == 0, "\(cerr)")
        #expect(compiled.hasPrefix("compiled smoke: 540 records"))
        // Byte-identical to the corpus compiled from the repository's files.
        let repoCopy = try runExecutable(["compile", "smoke", "--out", dir + "/repo", "--jobs", "1"], in: repoRoot)
        #expect(repoCopy.0 == 0)
        let a = FileManager.default.contents(atPath: dir + "/smoke/manifest.json")
        let b = FileManager.default.contents(atPath: dir + "/repo/manifest.json")
        #expect(a != nil && a == b)

        let (s, sample, serr) = try runExecutable(
            ["sample", "--grammar", "paper", "--family", "chain", "--nodes", "3", "--count", "1", "--seed", "1"],
            in: dir
        )
        #expect(s == 0, "\(serr)")
        #expect(sample.contains("hypothesis: Does "))

        let (k, checked, kerr) = try runExecutable(["check", "smoke"], in: dir)
        #expect(k == 0, "\(kerr)")
        #expect(checked.hasPrefix("check passed: 540 records"))

        // The output folder ./smoke is not mistaken for a recipe file named smoke.
        let (t, train, terr) = try runExecutable(["compile", "smoke", "--stdout", "--split", "train"], in: dir)
        #expect(t == 0, "\(terr)")
        let shards = try (0..<3).map {
            try String(contentsOfFile: "\(dir)/smoke/train/train-0000\($0)-of-00003.jsonl", encoding: .utf8)
        }
        #expect(train == shards.joined())

        // The default recipe resolves and generates too (streamed: the full corpus is large).
        let (d, head, derr) = try runExecutable(
            ["compile", "default", "--stdout", "--split", "train", "--limit", "3"],
            in: dir
        )
        #expect(d == 0, "\(derr)")
        #expect(head.split(separator: "\n").count == 3 && head.hasPrefix(#"{"id":"train-"#))

        let (n, _, nerr) = try runExecutable(["compile", "no-such-recipe"], in: dir)
        #expect(n != 0)
        #expect(
            nerr.contains(
                "embedded: causal-suite, clear, corr2cause, default, episodes-confounded, episodes, interventions, paper-d-separation, paper-transitivity, smoke"
            ),
            "\(nerr)"
        )
        let (g, _, gerr) = try runExecutable(["sample", "--grammar", "no-such-grammar"], in: dir)
        #expect(g != 0)
        #expect(gerr.contains("looked in Grammars; embedded: clear, corr2cause, en, models, paper"))
    }

    /// check and eval take no grammar or recipe from the working directory: the same command gives
    /// the same bytes in the repository and in an empty folder (eval's training-size marks too).
    @Test func checkAndEvalPrintTheSameEverywhere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-same-\(getpid())").path
        let empty = dir + "/empty"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try runExecutable(["compile", "smoke", "--out", dir + "/smoke"], in: repoRoot).0 == 0)
        // A model that always answers Yes, for every eval record.
        var lines = ""
        for split in ["eval_long_chains", "eval_branching"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: "\(dir)/smoke/\(split)").sorted() {
                let text = try String(contentsOfFile: "\(dir)/smoke/\(split)/\(file)", encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let id = try #require(JSONValue.parse(Array(line.utf8))["id"]?.string)
                    lines += "{\"id\":\"\(id)\",\"prediction\":\"Yes\"}\n"
                }
            }
        }
        try lines.write(toFile: dir + "/yes.jsonl", atomically: true, encoding: .utf8)
        for args in [
            ["check", dir + "/smoke"], ["check", dir + "/smoke", "--json"],
            ["eval", "--gold", dir + "/smoke", "--predictions", dir + "/yes.jsonl"],
            ["eval", "--gold", dir + "/smoke", "--predictions", dir + "/yes.jsonl", "--json"],
        ] {
            let inRepository = try runExecutable(args, in: repoRoot)
            let elsewhere = try runExecutable(args, in: empty)
            #expect(inRepository.0 == 0 && elsewhere.0 == 0, "\(args): \(inRepository.2) \(elsewhere.2)")
            #expect(inRepository.1 == elsewhere.1, "\(args) prints differently from an empty directory")
            #expect(inRepository.2 == elsewhere.2)
        }
        let report = try runExecutable(
            ["eval", "--gold", dir + "/smoke", "--predictions", dir + "/yes.jsonl"],
            in: empty
        ).1
        #expect(report.contains("(train)"), "eval lost the training node counts: \(report)")
    }

    @Test func initWritesARecipeThatCompilesAndRefusesToOverwrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-init-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try runExecutable(["init", "mine", "--from", "paper-transitivity"], in: dir).0 == 0)
        let text = try String(contentsOfFile: dir + "/mine.yaml", encoding: .utf8)
        #expect(text.contains("\nname: mine\n"))
        let again = try runExecutable(["init", "mine"], in: dir)
        #expect(again.0 != 0 && again.2.contains("use --force"))
        #expect(try runExecutable(["init", "mine", "--force"], in: dir).0 == 0)
        let (c, out, err) = try runExecutable(["compile", "mine.yaml", "--out", "o"], in: dir)
        #expect(c == 0, "\(err)")
        #expect(out.hasPrefix("compiled mine: 540 records"))
        let (r, listed, _) = try runExecutable(["recipes"], in: dir)
        #expect(r == 0 && listed.contains("smoke  ") && listed.contains("(built in)"))
    }

    @Test func axiomcPathFoldersComeBeforeTheBuiltInCopies() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-path-\(getpid())").path
        try? FileManager.default.removeItem(atPath: base)
        defer { try? FileManager.default.removeItem(atPath: base) }
        for sub in ["cwd", "root/Corpora", "root/Grammars"] {
            try FileManager.default.createDirectory(atPath: base + "/" + sub, withIntermediateDirectories: true)
        }
        let smoke = try String(contentsOfFile: repoRoot + "/Corpora/smoke.yaml", encoding: .utf8)
        try smoke.replacingOccurrences(of: "name: smoke", with: "name: extra").write(
            toFile: base + "/root/Corpora/extra.yaml",
            atomically: true,
            encoding: .utf8
        )
        // A file on the path shadows the built-in grammar of the same name.
        try "<grammar>".write(toFile: base + "/root/Grammars/paper.xml", atomically: true, encoding: .utf8)
        let path = "/nonexistent-\(getpid()):" + base + "/root"

        let (l, listed, _) = try runExecutable(["recipes"], in: base + "/cwd", axiomcPath: path)
        #expect(
            l == 0 && listed.contains("(\(base)/root/Corpora/extra.yaml)")
                && listed.contains("paper (\(base)/root/Grammars/paper.xml)")
        )
        let (c, out, err) = try runExecutable(
            ["compile", "extra", "--stdout", "--split", "train", "--limit", "2"],
            in: base + "/cwd",
            axiomcPath: path
        )
        #expect(c == 0, "\(err)")
        #expect(out.split(separator: "\n").count == 2)
        let (g, _, gerr) = try runExecutable(["sample", "--grammar", "paper"], in: base + "/cwd", axiomcPath: path)
        #expect(g != 0 && gerr.contains("\(base)/root/Grammars/paper.xml"), "\(gerr)")
        let (n, _, nerr) = try runExecutable(["compile", "nope"], in: base + "/cwd", axiomcPath: path)
        #expect(
            n != 0 && nerr.contains("/nonexistent-\(getpid())/Corpora/nope.yaml, ")
                && nerr.contains("\(base)/root/Corpora/nope.yaml")
        )
    }
}
