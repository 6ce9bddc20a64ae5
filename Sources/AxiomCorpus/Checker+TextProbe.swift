import AxiomCore
import AxiomRecords

/// The text baseline of one `check` run (`TextProbe`): fitted on the training splits' text,
/// scored on held-out training records and on every evaluation split.
///
/// A training record is held out when its group is: the hash of its sorted variable names,
/// which a graph's questions and a record's contrastive twin share, so the held-out score is not
/// a twin's label read back through the names. Held-out records keep their features until the
/// model is complete (at most `heldOutLimit` per split and task, so memory stays bounded for any
/// corpus size; the group's later records are then neither fitted nor scored). Evaluation splits
/// are read after every training split (`Checker.trainingFirst`) and scored as they stream.
struct TextProbeRun {
    /// One group in this many is held out.
    static let folds: UInt64 = 5
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
            precondition(!frozen, "training records after an evaluation split")
            if Self.isHeldOut(record.names) {
                if heldOut[key, default: []].count < Self.heldOutLimit {
                    heldOut[key, default: []].append((record.text, record.label))
                }
            } else {
                probe.add(key.task, record.text, yes: record.label)
            }
            return
        }
        freeze()
        score(key, record.text, yes: record.label)
    }

    static func isHeldOut(_ names: [String]) -> Bool {
        var h = FNV1a()
        for name in names.sorted() {
            h.combine(name.utf8)
            h.combine(0)
        }
        return h.value % folds == 0
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
            let accuracy = (Double(r.right) / Double(r.total) * 10_000).rounded() / 10_000
            out[key.split, default: [:]][key.task] = TextProbeScore(accuracy: accuracy, records: r.total)
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
}
