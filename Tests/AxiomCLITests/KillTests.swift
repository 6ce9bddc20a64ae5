import AxiomRecords
import Foundation
import Testing

/// The built `axiomc` beside the test bundle (or `$AXIOMC`).
let axiomcBinary: String = {
    if let path = ProcessInfo.processInfo.environment["AXIOMC"] { return path }
    return URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("axiomc").path
}()

/// A small recipe with several shards, so a kill lands inside some shard's write.
let killRecipe = """
    name: killed
    seed: 11
    grammar: en
    defaults:
      shard_size: 150
      queries_per_graph: 2
      explanations: true
      prompt: true
    splits:
      - name: train
        role: train
        axioms: [transitivity, d-separation]
        family: flipped-chain
        flip_probability: 0.5
        nodes: [3, 6]
        given_size: [0, 2]
        count: 900
      - name: eval_long
        role: eval
        axioms: transitivity
        family: chain
        nodes: [7, 9]
        count: 300
    """

/// Every regular file under `dir` (relative path → bytes).
func files(_ dir: String) -> [String: Data] {
    var out: [String: Data] = [:]
    guard let walk = FileManager.default.enumerator(atPath: dir) else { return out }
    while let path = walk.nextObject() as? String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir + "/" + path, isDirectory: &isDir), !isDir.boolValue {
            out[path] = FileManager.default.contents(atPath: dir + "/" + path)
        }
    }
    return out
}

@Suite(.serialized) struct KilledCompiles {
    func start(_ recipe: String, _ out: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: axiomcBinary)
        p.arguments = ["compile", recipe, "--out", out, "--jobs", "2"]
        p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// SIGKILLs a compile at seeded random moments, ten times; each rerun is byte-identical to an
    /// uninterrupted compile (shards, manifest and bookkeeping) and leaves no temporary file.
    @Test func rerunAfterSIGKILLIsIdenticalAndClean() throws {
        try #require(FileManager.default.isExecutableFile(atPath: axiomcBinary), "build axiomc first (\(axiomcBinary))")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-kill-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let recipe = dir + "/killed.yaml"
        try killRecipe.write(toFile: recipe, atomically: true, encoding: .utf8)

        let reference = dir + "/reference"
        let killed = dir + "/killed"
        let clock = ContinuousClock()
        let began = clock.now
        let first = try start(recipe, reference)
        first.waitUntilExit()
        try #require(first.terminationStatus == 0)
        // Kill moments are spread over one uninterrupted compile's duration (not asserted on).
        let duration = clock.now - began
        let expected = files(reference)
        #expect(expected.keys.filter { $0.hasSuffix(".jsonl") }.count == 8 && expected["manifest.json"] != nil)

        var rng = SplitMix(seed: 15)
        var interrupted = 0
        var strays = 0
        for _ in 0..<10 {
            let p = try start(recipe, killed)
            let fraction = Double(rng.next() % 1000) / 1000
            Thread.sleep(
                forTimeInterval: Double(duration.components.seconds) * fraction
                    + Double(duration.components.attoseconds) / 1e18 * fraction
            )
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { interrupted += 1 }
            strays += files(killed).keys.filter { $0.contains(".tmp-") }.count

            let rerun = try start(recipe, killed)
            rerun.waitUntilExit()
            #expect(rerun.terminationStatus == 0)
            let got = files(killed)
            #expect(got.keys.filter { $0.contains(".tmp-") }.isEmpty)
            #expect(got == expected)
        }
        print(
            "killed compiles: \(interrupted) of 10 killed mid-run, \(strays) temporary file(s) left behind and removed"
        )
    }
}

/// SplitMix64, for seeded kill moments.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
