import AxiomCore

/// One unit of work: a shard of a split, independent of every other.
public struct ShardJob: Sendable, Hashable {
    public var split: Int
    public var shard: Int
    public var shardCount: Int
    /// Index of the shard's first record within its split.
    public var firstRecord: Int
    public var records: Int
    public var splitName: String

    /// `<split>/<split>-00003-of-00016.jsonl`
    public var path: String {
        "\(splitName)/\(splitName)-\(pad(shard))-of-\(pad(shardCount)).jsonl"
    }

    /// Where the shard's statistics are kept until the manifest is assembled.
    public var partPath: String { ".axiomc/parts/\(splitName)-\(pad(shard)).json" }

    private func pad(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }
}

/// The compile plan: every shard job of a recipe, in a fixed order. Pure; printing or testing it
/// touches no disk.
public struct Plan: Sendable {
    public var recipe: Recipe
    public var jobs: [ShardJob]

    public init(recipe: Recipe) {
        self.recipe = recipe
        var jobs: [ShardJob] = []
        for (i, split) in recipe.splits.enumerated() {
            let shards = split.shardCount
            for s in 0..<shards {
                let first = s * split.shardSize
                jobs.append(ShardJob(
                    split: i, shard: s, shardCount: shards, firstRecord: first,
                    records: min(split.shardSize, split.count - first), splitName: split.name))
            }
        }
        self.jobs = jobs
    }

    /// The jobs of worker `index` of `count` (round-robin over the plan).
    public func jobs(worker index: Int, of count: Int) -> [ShardJob] {
        jobs.enumerated().filter { $0.offset % count == index }.map(\.element)
    }
}
