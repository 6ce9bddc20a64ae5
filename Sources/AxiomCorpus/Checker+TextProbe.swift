import AxiomCore
import AxiomRecords

/// The text baseline of one `check` run (`TextProbe`): fitted on the training splits' text,
/// scored on held-out training records and on every evaluation split.
///
/// A training record is fitted, held out or unused by its names' group (`TextProbe.role`).
/// Held-out records keep their features until the model is complete (at most `heldOutLimit` per
/// split and task, so memory stays bounded for any corpus size; later held-out records are then
/// not scored). Evaluation splits
/// are read after every training split (`Checker.trainingFirst`) and scored as they stream.
struct TextProbeRun {
    static let heldOutLimit = 10_000

    struct Key: Hashable, Comparable {
        var split: String
        var task: String
        static func < (a: Key, b: Key) -> Bool { (a.split, a.task) < (b.split, b.task) }
    }

    private var probe = TextProbe()
    private var frozen = false
    private var heldOut: [Key: [(features: [UInt32], yes: Bool)]] = [:]
    private var right: [Key: (right: Int, total: Int)] = [:]

    /// A record of `split`, in corpus order.
    mutating func add(_ record: CheckedRecord, split: String, role: SplitRole) {
        let key = Key(split: split, task: record.axiom.rawValue)
        if role == .train {
            // Training splits are read first (`Checker.trainingFirst`); a manifest whose roles
            // differ from its recipe's is reported by the run, and such a record is not fitted.
            guard !frozen else { return }
            let edges = record.graph.edges.lazy.map { ($0.from, $0.to) }
            switch TextProbe.role(record.names.map(\.utf8), edges: edges) {
            case .heldOut:
                if heldOut[key, default: []].count < Self.heldOutLimit {
                    heldOut[key, default: []].append((record.text, record.label))
                }
            case .fitted: probe.add(key.task, record.text, yes: record.label)
            case .unused: break
            }
            return
        }
        freeze()
        score(key, record.text, yes: record.label)
    }

    private mutating func score(_ key: Key, _ features: [UInt32], yes: Bool) {
        guard let answer = probe.predictsYes(key.task, features) else { return }
        let r = right[key] ?? (0, 0)
        right[key] = (r.right + (answer == yes ? 1 : 0), r.total + 1)
    }

    /// Completes the model and scores the held-out training records (once).
    private mutating func freeze() {
        guard !frozen else { return }
        frozen = true
        probe.freeze()
        for (key, records) in heldOut.sorted(by: { $0.key < $1.key }) {
            for r in records { score(key, r.features, yes: r.yes) }
        }
        heldOut = [:]
    }

    /// Per split and task: the share of labels the text baseline predicts, and of how many
    /// records (a task absent from training has none).
    mutating func scores() -> [String: [String: TextProbeScore]] {
        freeze()
        var out: [String: [String: TextProbeScore]] = [:]
        for (key, r) in right where r.total > 0 {
            out[key.split, default: [:]][key.task] = TextProbeScore(
                accuracy: TextProbeScore.rounded(r.right, of: r.total),
                records: r.total
            )
        }
        return out
    }
}

/// The text baseline's score on one split's task: held out from training on a training split,
/// fitted on the training splits for an evaluation split.
public struct TextProbeScore: Codable, Sendable, Equatable {
    public var accuracy: Double
    /// The records scored.
    public var records: Int

    /// `right / total` to four decimals, as the manifest and `check` write it.
    static func rounded(_ right: Int, of total: Int) -> Double {
        (Double(right) / Double(total) * 10_000).rounded() / 10_000
    }
}
