import AxiomCore
import AxiomRecords
import Foundation
import Synchronization

/// What `removeRepeats` needs of one draw of a shard: the texts it asked its duplicate set
/// about, which of them it wrote, and which its exclusion refused. Kept in memory for every
/// redrawn shard until the split settles: 8 bytes and 2 bits per text asked about.
struct ShardDraw: Sendable {
    /// Every fingerprint the draw asked its duplicate set about (sorted, distinct): a draw that
    /// refused exactly the same of these would have made the same shard.
    private(set) var queried: [UInt64]
    /// Bit i: `queried[i]` is the text of one of its records.
    private var written: [UInt64]
    /// Bit i: the draw's exclusion refused `queried[i]` (empty for a first draw).
    private var refused: [UInt64]

    /// The text fingerprint of every record (sorted).
    var texts: [UInt64] { queried.indices.filter { Self.bit(written, $0) }.map { queried[$0] } }

    /// A draw that wrote `texts` after asking about `queried` (any order, repeats allowed),
    /// refusing what `exclusion` excludes.
    init(texts: [UInt64], queried: [UInt64], exclusion: FingerprintExclusion? = nil) {
        let texts = texts.sorted()
        // Every text was asked about before it was written; the union makes sure of it.
        var q = (queried + texts).sorted()
        var kept = 0
        for i in q.indices where kept == 0 || q[kept - 1] != q[i] {
            q[kept] = q[i]
            kept += 1
        }
        self.queried = Array(q[..<kept])
        written = Array(repeating: 0, count: (kept + 63) / 64)
        var t = 0
        for (i, key) in self.queried.enumerated() where t < texts.count && texts[t] == key {
            written[i / 64] |= 1 << UInt64(i % 64)
            t += 1
        }
        refused = []
        if let exclusion {
            refused = Array(repeating: 0, count: written.count)
            for (i, key) in self.queried.enumerated() where exclusion.excludes(key) {
                refused[i / 64] |= 1 << UInt64(i % 64)
            }
        }
    }

    private static func bit(_ bits: [UInt64], _ i: Int) -> Bool {
        i / 64 < bits.count && bits[i / 64] & (1 << UInt64(i % 64)) != 0
    }

    /// Whether a draw of shard `shard` that refuses exactly the texts of the shards before it
    /// (`owners`) makes this shard: it asked about no text whose answer that would change.
    func holds(shard: Int, owners: FingerprintOwners) -> Bool {
        for (i, key) in queried.enumerated() {
            let earlier = owners.owner(key).map { $0 < shard } ?? false
            if earlier != Self.bit(refused, i) { return false }
        }
        return true
    }

    /// A first draw's file: the count of texts, the texts, the queried fingerprints (64-bit
    /// little-endian words).
    func bytes() -> [UInt8] {
        let texts = self.texts
        var raw: [UInt8] = []
        raw.reserveCapacity((1 + texts.count + queried.count) * 8)
        for word in [UInt64(texts.count)] + texts + queried {
            withUnsafeBytes(of: word.littleEndian) { raw.append(contentsOf: $0) }
        }
        return raw
    }

    /// Reads a first draw's file (see `bytes`).
    init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 8, data.count % 8 == 0 else {
            throw IOError(path: path, message: "missing or truncated shard fingerprints; compile the corpus again")
        }
        let words = data.withUnsafeBytes { raw in
            (0..<data.count / 8).map { i in
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            }
        }
        guard words[0] < UInt64(words.count) else {
            throw IOError(path: path, message: "corrupt shard fingerprints; compile the corpus again")
        }
        let n = Int(words[0])
        self.init(texts: Array(words[1..<(n + 1)]), queried: Array(words[(n + 1)...]))
    }
}

extension Compiler {
    /// Makes every text of a split unique across its shards, the same bytes for any `--jobs`
    /// and fan-out, and the same as `RecordStream`'s.
    ///
    /// The rule: shard k is drawn refusing every text of shards 0..<k (within a shard the
    /// generator refuses repeats itself). Shards are first drawn independently, in parallel,
    /// refusing nothing; a draw equals the rule's when none of the texts it asked about belongs
    /// to an earlier shard, which holds for nearly every shard. The rest are drawn again, in
    /// parallel, refusing what the current earlier shards hold, and checked again: each round
    /// settles at least the first shard that did not hold (its earlier shards all hold), so the
    /// rounds end. Shipped recipes never get here; where nearly every shard repeats another
    /// (10M records over a small question space in 40 shards), a redrawn shard changes from its
    /// first refusal on and unsettles later ones, and it takes 8 rounds (BENCHMARKS.md).
    func removeRepeats(_ jobs: ShardJobs, spec: SplitSpec) throws {
        var redrawn: [Int: ShardDraw] = [:]
        // A first draw's file holds 1 + texts + queried words, and the texts are among the
        // queried: at most half its words are texts (reserved once, not grown per shard).
        let capacity = jobs.reduce(0) { total, job in
            let path = outputDirectory + "/" + job.fingerprintPath
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return total + max(0, size / 8 - 1) / 2
        }
        func draw(_ shard: Int) throws -> ShardDraw {
            if let d = redrawn[shard] { return d }
            return try ShardDraw(contentsOf: outputDirectory + "/" + jobs[shard].fingerprintPath)
        }
        while true {
            let owners = try FingerprintOwners(shards: jobs.count, capacity: capacity) { try draw($0).texts }
            let stale = try (0..<jobs.count).filter { try !draw($0).holds(shard: $0, owners: owners) }
            if stale.isEmpty { return }
            let grammars = recipe.grammar.unshared(min(stale.count, self.jobs))
            let meter = ProgressMeter(
                "redraw \(spec.name)",
                total: stale.reduce(0) { $0 + jobs[$1].records },
                style: progress
            )
            let results = Mutex<[Int: ShardDraw]>([:])
            try Self.concurrently(stale.count, threads: grammars.count) { i, thread in
                let job = jobs[stale[i]]
                let d = try write(
                    job,
                    spec: spec,
                    grammar: grammars[thread],
                    meter: meter,
                    exclusion: .owned(owners, before: job.shard)
                )
                results.withLock { $0[job.shard] = d }
            }
            meter.finish()
            redrawn.merge(results.withLock { $0 }) { $1 }
        }
    }
}
