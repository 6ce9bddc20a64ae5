import AxiomCore
import AxiomRecords

extension ManifestWriter {
    /// The text baseline of each evaluation split, per task: fitted on the training shards'
    /// counts (`ShardStats.text`, in `fitted`), scored on the evaluation split's records read back from its
    /// shards — the scores `check` recomputes. Empty when no training split has text counts.
    static func scoreText(
        _ splits: inout [String: Manifest.Split],
        fitted: TextProbe,
        recipe: Recipe,
        directory: String
    ) throws {
        var probe = fitted
        guard !probe.isEmpty else { return }
        probe.freeze()
        var extractor = TextFeatures.Extractor()
        for spec in recipe.splits where spec.role == .eval {
            guard let split = splits[spec.name] else { continue }
            var right: [String: (right: Int, total: Int)] = [:]
            for shard in split.shards {
                let path = directory + "/" + shard.file
                try LineReader.forEachLine(path: path) { line, n in
                    guard let v = try? JSONValue.parse(line), let r = StoredRecord(v, prompt: false) else {
                        throw IOError(path: "\(path):\(n)", message: "not an axiomc record")
                    }
                    extractor.extract(premise: r.premise, question: r.hypothesis, names: r.names)
                    guard let yes = probe.predictsYes(r.axiom, extractor.features) else { return }
                    let c = right[r.axiom] ?? (0, 0)
                    right[r.axiom] = (c.right + (yes == (r.label == RecordFormat.yes) ? 1 : 0), c.total + 1)
                }
            }
            guard !right.isEmpty else { continue }
            splits[spec.name]?.textProbe = right.mapValues { TextProbeScore.rounded($0.right, of: $0.total) }
        }
    }
}
