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
    /// The text baseline's counts per task, over the records it fits (training splits only).
    public var text: [String: TextCounts]? = nil

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
    public mutating func absorb(_ other: ShardStats) {
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
