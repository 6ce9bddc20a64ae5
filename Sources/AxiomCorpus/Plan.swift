import AxiomCore
import AxiomRecords

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

    /// Where the first draw of a shard keeps its records' text fingerprints (sorted little-endian
    /// 64-bit words), from which the compiler finds texts repeated across shards.
    public var fingerprintPath: String { ".axiomc/parts/\(splitName)-\(pad(shard)).texts" }

    private func pad(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }
}

/// The compile plan: every shard job of a recipe, in a fixed order. Pure and lazy: jobs are
/// computed when read, so a plan costs memory per split, not per shard; printing or testing it
/// touches no disk.
public struct Plan: Sendable {
    public var recipe: Recipe
    /// Every job, split by split.
    public var jobs: ShardJobs

    public init(recipe: Recipe) {
        self.recipe = recipe
        self.jobs = ShardJobs(recipe.splits)
    }

    /// The jobs of worker `index` of `count` (round-robin over the plan).
    public func jobs(worker index: Int, of count: Int) -> ShardJobs {
        var mine = jobs
        mine.offset = index
        mine.stride = max(1, count)
        mine.count = index < jobs.count ? (jobs.count - index + mine.stride - 1) / mine.stride : 0
        return mine
    }

    /// The jobs of split `index`, in shard order.
    public func jobs(split index: Int) -> ShardJobs {
        var mine = jobs
        mine.offset = jobs.firstJob[index]
        mine.count = jobs.firstJob[index + 1] - jobs.firstJob[index]
        return mine
    }
}

/// Shard jobs computed on access: `offset`, `offset + stride`, ... of the plan's job list.
///
/// - Complexity: O(log splits) per element.
public struct ShardJobs: RandomAccessCollection, Sendable {
    struct SplitShape: Sendable {
        var name: String
        var count: Int
        var shardSize: Int
    }
    let splits: [SplitShape]
    /// `firstJob[i]` is the plan position of split `i`'s first shard; the last entry is the total.
    let firstJob: [Int]
    var offset = 0
    var stride = 1
    public internal(set) var count: Int

    init(_ specs: [SplitSpec]) {
        splits = specs.map { SplitShape(name: $0.name, count: $0.count, shardSize: $0.shardSize) }
        var first = [0]
        for spec in specs { first.append(first.last! + spec.shardCount) }
        firstJob = first
        count = first.last!
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> ShardJob {
        precondition(position >= 0 && position < count, "shard job index out of range")
        let j = offset + position * stride
        // The last split whose first job is at or before j.
        var lo = 0
        var hi = splits.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if firstJob[mid] <= j { lo = mid } else { hi = mid - 1 }
        }
        let split = splits[lo]
        let shard = j - firstJob[lo]
        let first = shard * split.shardSize
        return ShardJob(
            split: lo,
            shard: shard,
            shardCount: firstJob[lo + 1] - firstJob[lo],
            firstRecord: first,
            records: Swift.min(split.shardSize, split.count - first),
            splitName: split.name
        )
    }
}
