import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// Regression tests for issue #15: numeric recipe fields have maxima, the plan is lazy, and
/// killed compiles leave no temporary files behind.
@Suite(.serialized) struct Hardening {
    /// A one-split recipe with `body` lines appended to its split.
    func recipe(_ body: String, count: String = "100") -> String {
        """
        name: r
        seed: 1
        grammar: paper
        splits:
          - name: train
            role: train
            axioms: transitivity
            family: chain
            nodes: [3, 5]
            count: \(count)
        \(body)
        """
    }

    @Test func numericFieldsHaveLocatedMaxima() {
        #expect(
            decodeError(recipe("", count: "9999999999999"))
                == "r.yaml:10:12: error: 'count' must be at most 1000000000, not 9999999999999"
        )
        #expect(
            decodeError(recipe("", count: "99999999999999999999999"))
                == "r.yaml:10:12: error: 'count' must be a whole number, not '99999999999999999999999'"
        )
        #expect(
            decodeError(recipe("    shard_size: 1", count: "1000000"))
                == "r.yaml:11:17: error: 1000000 records in shards of 1 make 1000000 shards; a split may have at most 99999 (raise 'shard_size')"
        )
        #expect(
            decodeError(recipe("    queries_per_graph: 1000000000000"))
                == "r.yaml:11:24: error: 'queries_per_graph' must be at most 10000, not 1000000000000"
        )
        #expect(
            decodeError(recipe("    distractors: 100000"))
                == "r.yaml:11:18: error: 'distractors' must be at most 4096, not 100000"
        )
        #expect(
            decodeError(recipe("    names: {alphabet: a-z, length: [1, 1000000000000]}"))
                == "r.yaml:11:40: error: 'length' must be at most 64, not 1000000000000"
        )
        #expect(
            decodeError(recipe("    shard_size: 1000000000000"))
                == "r.yaml:11:17: error: 'shard_size' must be at most 100000000, not 1000000000000"
        )
        // At the maxima a recipe is accepted: the plan is computed, not stored.
        #expect(decodeError(recipe("    shard_size: 100000", count: "1000000000")) == nil)
    }

    @Test func planIsComputedOnAccess() throws {
        var r = try smokeRecipe()
        r.splits[0].count = 1 << 50
        r.splits[0].shardSize = 3
        let plan = Plan(recipe: r)
        let trainShards = (1 << 50) / 3 + 1
        #expect(plan.jobs.count == trainShards + 2 + 2)
        let last = plan.jobs(split: 0).last!
        #expect(
            last.shard == trainShards - 1 && last.records == (1 << 50) % 3 && last.firstRecord == (trainShards - 1) * 3
        )
        #expect(plan.jobs[trainShards].path == "eval_long_chains/eval_long_chains-00000-of-00002.jsonl")
        let worker = plan.jobs(worker: 2, of: 5)
        #expect(worker.count == (plan.jobs.count - 2 + 4) / 5)
        #expect(worker[1] == plan.jobs[7] && worker.last == plan.jobs[2 + 5 * (worker.count - 1)])
        #expect(Plan(recipe: try smokeRecipe()).jobs(worker: 9, of: 10).isEmpty)
    }

    func compile(_ dir: String, worker: Int = 0, of workers: Int = 1) throws -> Manifest? {
        try inRepo {
            try Compiler(recipe: try smokeRecipe(), outputDirectory: dir).compile(worker: worker, of: workers)
        }
    }

    /// A process id that runs nowhere on this machine.
    func deadPID() -> Int32 {
        var pid: Int32 = 4_000_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid += 1 }
        return pid
    }

    /// The temporary files under `dir`, sorted.
    func temporaries(_ dir: String) -> [String] {
        snapshot(dir).keys.filter { $0.contains(".tmp-") }.sorted()
    }

    func plant(_ dir: String, _ path: String) {
        _ = FileManager.default.createFile(atPath: dir + "/" + path, contents: Data("partial".utf8))
    }

    @Test func rerunRemovesStaleTemporaryFilesAndCheckReportsThem() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try compile(dir)
        let clean = snapshot(dir)
        let dead = deadPID()
        let stale = [
            "train/train-00001-of-00003.jsonl.tmp-\(dead)", ".axiomc/parts/train-00001.json.tmp-\(dead)",
            ".axiomc/seed.tmp-\(dead)", "manifest.json.tmp-\(dead)",
        ]
        for path in stale { plant(dir, path) }
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(
            report.violations.filter { $0.check == "temporary files" }.map { String($0.message.prefix { $0 != ":" }) }
                == stale.sorted()
        )
        _ = try compile(dir)
        #expect(temporaries(dir).isEmpty)
        #expect(snapshot(dir) == clean)
        #expect(try inRepo { try Checker(directory: dir, grammars: .standard()).run() }.violations.isEmpty)
    }

    @Test func fanOutWorkerRemovesOnlyItsOwnOrDeadTemporaries() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try compile(dir)
        let live: Int32 = 1  // init: alive on every machine
        let dead = deadPID()
        // Worker 0 of 3 owns plan jobs 0, 3, 6: train shard 0, eval_long_chains shard 0, eval_branching shard 1.
        let owned = "train/train-00000-of-00003.jsonl.tmp-\(live)"
        let othersLive = "train/train-00001-of-00003.jsonl.tmp-\(live)"
        let othersDead = "train/train-00002-of-00003.jsonl.tmp-\(dead)"
        let sharedLive = ".axiomc/recipe.yaml.tmp-\(live)"
        for path in [owned, othersLive, othersDead, sharedLive] { plant(dir, path) }
        _ = try compile(dir, worker: 0, of: 3)
        #expect(temporaries(dir) == [sharedLive, othersLive].sorted())
    }
}

@Suite struct LeakageCheckOnHugeFamilies {
    /// Two random families of up to 4096 nodes can have some 10^10 (nodes, edges) shapes; the
    /// load-time leakage check compares edge ranges per node count instead of listing them.
    @Test func isImmediate() {
        let text = """
            name: r
            seed: 1
            grammar: paper
            splits:
              - name: train
                role: train
                axioms: transitivity
                family: random
                edge_probability: 0.5
                nodes: [4000, 4096]
                count: 1
              - name: eval
                role: eval
                axioms: transitivity
                family: random
                edge_probability: 0.5
                nodes: [2, 4096]
                count: 1
            """
        #expect(
            decodeError(text)
                == "r.yaml:12:0: error: eval split 'eval' can produce graphs of 4000 nodes and 0 edges, as training can; "
                + "make the sizes disjoint or set 'leakage: text' (premise text is then kept disjoint instead)"
        )
    }
}
