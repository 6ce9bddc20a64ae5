import AxiomRecords
import Foundation
import Testing

@testable import AxiomCLI

@Suite(.serialized) struct HardeningCommandLine {
    /// Issue #15: a line past `--max-line-bytes` (default 16 MiB) fails with `file:line`,
    /// found while reading.
    @Test func longPredictionLinesAreRefusedWithTheirLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-long-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let small = dir + "/small.txt"
        let big = dir + "/big.jsonl"
        try ("Yes\n" + String(repeating: "y", count: 1001) + "\nNo\n").write(
            toFile: small,
            atomically: true,
            encoding: .utf8
        )
        #expect(
            run(["eval", "--predictions", small, "--format", "text", "--max-line-bytes", "1000"])
                == "\(small):2: error: line longer than 1000 bytes"
        )
        #expect(
            run(["eval", "--predictions", small, "--format", "text", "--max-line-bytes", "0"])?.contains("at least 1")
                == true
        )
        #expect(
            run(["eval", "--predictions", small, "--verify-gold", "--max-line-bytes", "1000"])
                == "\(small):2: error: line longer than 1000 bytes"
        )
        // The default is generous.
        let eval = try #require(try Axiomc.parseAsRoot(["eval", "--predictions", big]) as? Axiomc.Eval)
        #expect(eval.maxLineBytes == 16 << 20)
    }

    /// Issue #15: `count: 9999999999999` aborted the process allocating the plan; now it is a
    /// located error.
    @Test func aHugeCountIsALocatedError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-count-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let recipe = dir + "/huge.yaml"
        let text = try String(contentsOfFile: repoRoot + "/Corpora/smoke.yaml", encoding: .utf8)
            .replacingOccurrences(of: "count: 300", with: "count: 9999999999999")
        try text.write(toFile: recipe, atomically: true, encoding: .utf8)
        #expect(
            run(["compile", recipe, "--out", dir + "/out"])
                == "\(recipe):22:12: error: 'count' must be at most 1000000000, not 9999999999999"
        )
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }
}
