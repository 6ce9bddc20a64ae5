@testable import AxiomCLI
import Foundation
import Testing

@Suite(.serialized) struct LongPredictionLines {
    /// Issue #15: a line past `--max-line-bytes` (default 16 MiB) fails with `file:line`,
    /// found while reading.
    @Test func areRefusedWithTheirLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-long-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let small = dir + "/small.txt", big = dir + "/big.jsonl"
        try ("Yes\n" + String(repeating: "y", count: 1001) + "\nNo\n").write(toFile: small, atomically: true, encoding: .utf8)
        #expect(run(["eval", "--predictions", small, "--format", "text", "--max-line-bytes", "1000"])
            == "\(small):2: error: line longer than 1000 bytes")
        #expect(run(["eval", "--predictions", small, "--format", "text", "--max-line-bytes", "0"])?.contains("at least 1") == true)
        // The default is generous.
        let eval = try #require(try Axiomc.parseAsRoot(["eval", "--predictions", big]) as? Axiomc.Eval)
        #expect(eval.maxLineBytes == 16 << 20)
    }
}
