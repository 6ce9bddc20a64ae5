import AxiomCore

/// What one shard holds, written beside it until the manifest is assembled.
public struct ShardStats: Codable, Sendable, Equatable {
    public var file: String
    public var records: Int
    public var bytes: Int
    public var sha256: String
    public var yes: Int
    /// Label counts `[yes, no]` per stratum (`axiom/nodes/given_size`).
    public var strata: [String: [Int]]
    /// Histograms: `nodes`, `hops`, `given_size`, `premise_sentences`, `order`, `axiom`.
    public var histograms: [String: [String: Int]]
    /// Distinct graphs the shard's records were asked about.
    public var graphs: Int
    /// Label counts per (task, cue vector): `"axiom bits" → [yes, no]` (see `CueCells`).
    public var cues: [String: [Int]] = [:]

    public init(file: String) {
        self.file = file
        records = 0
        bytes = 0
        sha256 = ""
        yes = 0
        strata = [:]
        histograms = [:]
        graphs = 0
    }

    /// Adds another shard's counts (not its file facts).
    mutating func absorb(_ other: ShardStats) {
        records += other.records
        bytes += other.bytes
        yes += other.yes
        graphs += other.graphs
        for (k, v) in other.cues {
            let mine = cues[k] ?? [0, 0]
            cues[k] = [mine[0] + v[0], mine[1] + v[1]]
        }
        for (k, v) in other.strata {
            let mine = strata[k] ?? [0, 0]
            strata[k] = [mine[0] + v[0], mine[1] + v[1]]
        }
        for (name, h) in other.histograms {
            for (k, v) in h { histograms[name, default: [:]][k, default: 0] += v }
        }
    }
}

/// Integer counters kept in the hot loop, turned into `ShardStats` once per shard.
struct StatCounters {
    var strata: [Int: (yes: Int, no: Int)] = [:]
    var nodes: [Int: Int] = [:]
    var hops: [Int: Int] = [:]
    var given: [Int: Int] = [:]
    var sentences: [Int: Int] = [:]
    var orders: [Int: Int] = [:]
    var axioms: [Int: Int] = [:]
    /// Keyed by catalog index << 8 | question type.
    var types: [Int: Int] = [:]
    /// Records written with a contrastive twin (each pair counts twice).
    var twins = 0

    static func stratumKey(axiom: Int, nodes: Int, given: Int) -> Int { (axiom * 10_000 + nodes) * 1_000 + given }

    func finish(into stats: inout ShardStats, orderNames: [String], axiomNames: [String]) {
        for (key, v) in strata {
            let given = key % 1_000, nodes = (key / 1_000) % 10_000, axiom = key / 10_000_000
            stats.strata["\(axiomNames[axiom])/nodes=\(nodes)/given=\(given)"] = [v.yes, v.no]
        }
        func h(_ d: [Int: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: d.map { ($0.key < 0 ? "null" : String($0.key), $0.value) })
        }
        stats.histograms["nodes"] = h(nodes)
        stats.histograms["hops"] = h(hops)
        stats.histograms["given_size"] = h(given)
        stats.histograms["premise_sentences"] = h(sentences)
        stats.histograms["order"] = Dictionary(uniqueKeysWithValues: orders.map { (orderNames[$0.key], $0.value) })
        if twins > 0 { stats.histograms["twinned"] = ["records": twins] }
        stats.histograms["axiom"] = Dictionary(uniqueKeysWithValues: axioms.map { (axiomNames[$0.key], $0.value) })
        let tasks = TaskCatalog.all()
        stats.histograms["type"] = Dictionary(uniqueKeysWithValues: types.map {
            ("\(axiomNames[$0.key >> 8])/\(tasks[$0.key >> 8].typeNames[$0.key & 0xFF])", $0.value)
        })
    }
}
