import AxiomRecords
import Foundation

extension Gold {
    /// Fits the baselines and precomputes every record's baseline verdicts.
    ///
    /// Cue rules and probe are fitted on `training` when it states cues for every task of the gold,
    /// else on the gold itself (and the source says so). The majority is the gold's most frequent
    /// label (ties: Yes).
    /// - Complexity: O(records × buckets × baselines), once per gold.
    public mutating func fitBaselines(training: (splits: [String], cells: CueCells)?) {
        let yes = labels.lazy.filter { $0 }.count
        var own = CueCells()
        for i in 0..<count where cueProfile[i] > 0 {
            own.add(cueAxioms[Int(cueProfile[i]) - 1], cueBits[i], yes: labels[i])
        }
        let source: Baselines.Source
        let cells: CueCells
        if let t = training, t.cells.total > 0 {
            let covered = Set(t.cells.counts.keys.map(\.axiom))
            if let lacking = cueAxioms.first(where: { !covered.contains($0) }) {
                (source, cells) = (
                    .gold(records: own.total, reason: "the training splits have no \(lacking) records with cues"), own
                )
            } else {
                (source, cells) = (.training(splits: t.splits, records: t.cells.total), t.cells)
            }
        } else {
            let reason = training == nil ? "no training split" : "the training splits state no cues"
            (source, cells) = (.gold(records: own.total, reason: reason), own)
        }
        baselines = Baselines(
            axioms: cueAxioms,
            cells: cells,
            source: source,
            majorityYes: 2 * yes >= count,
            textTasks: textTasks
        )
        baselineRight = (0..<count).map { i in
            let p = Int(cueProfile[i])
            let answers = baselines.answers(profile: p, bits: cueBits[i], textYes: textYes[i] == 1)
            return (labels[i] ? answers : ~answers) & baselines.applicable[p]
        }
        fullBaselineOverall = Tally()
        fullBaselineTallies = bucketValues.map { Array(repeating: Tally(), count: $0.count) }
        for i in 0..<count { addBaselines(of: i, overall: &fullBaselineOverall, buckets: &fullBaselineTallies) }
        fitted = true
    }

    /// Adds record `i`'s baseline verdicts to the overall tally and its bucket values' tallies.
    func addBaselines(of i: Int, overall: inout Tally, buckets: inout [[Tally]]) {
        let right = baselineRight[i]
        let profile = Int(cueProfile[i])
        let width = baselines.names.count
        let profiles = baselines.applicable.count
        overall.addBaselines(right: right, profile: profile, baselines: width, profiles: profiles)
        for b in 0..<buckets.count {
            let v = Int(bucketOf[b][i])
            if v >= 0 {
                buckets[b][v].addBaselines(right: right, profile: profile, baselines: width, profiles: profiles)
            }
        }
    }

    /// The shard statistics the compile left in `.axiomc/parts`, by shard file.
    static func shardStats(_ directory: String) -> [String: ShardStats] {
        var parts: [String: ShardStats] = [:]
        let partsDirectory = directory + "/.axiomc/parts"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: partsDirectory)) ?? []
        where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: partsDirectory + "/" + name),
                let stats = try? JSONDocument.decode(ShardStats.self, from: data)
            else { continue }
            parts[stats.file] = stats
        }
        return parts
    }

    /// The text probe fitted on the training splits, frozen: from the counts the compile left in
    /// `.axiomc/parts` when a shard's statistics match its hash and count, else by reading the
    /// shard's records (the fitted names groups, `TextProbe.role`, as compile counts them).
    static func trainingText(
        _ directory: String,
        _ manifest: Manifest,
        _ splits: [String],
        parts: [String: ShardStats]
    ) throws -> TextProbe {
        var probe = TextProbe()
        var extractor = TextFeatures.Extractor()
        for name in splits {
            for shard in manifest.splits[name]!.shards {
                // Matching statistics without counts: compile fitted none of the shard's records.
                if let stats = parts[shard.file], stats.sha256 == shard.sha256, stats.records == shard.records {
                    do { try probe.absorb(stats.text ?? [:]) } catch {
                        throw EvalError("\(directory)/.axiomc/parts: \(error)")
                    }
                    continue
                }
                let path = directory + "/" + shard.file
                try LineReader.forEachLine(path: path) { line, n in
                    guard let v = try? JSONValue.parse(line), let r = StoredRecord(v, prompt: false) else {
                        throw EvalError("\(path):\(n): not an axiomc record (a required field is missing)")
                    }
                    let edges = r.edges.lazy.filter { $0.count == 2 }.map { ($0[0], $0[1]) }
                    guard TextProbe.role(r.names.map(\.utf8), edges: edges) == .fitted else { return }
                    extractor.extract(premise: r.premise, question: r.hypothesis, names: r.names)
                    probe.add(r.axiom, extractor.features, yes: r.label.lowercased() == "yes")
                }
            }
        }
        probe.freeze()
        return probe
    }

    /// The cue cells of the training splits: from the shard statistics the compile left in
    /// `.axiomc/parts` when one matches the shard's hash and count, else by streaming the shard
    /// once (only `axiom`, `label`, `meta.cues`).
    static func trainingCells(
        _ directory: String,
        _ manifest: Manifest,
        _ splits: [String],
        parts: [String: ShardStats]
    ) throws -> CueCells {
        var cells = CueCells()
        for name in splits {
            for shard in manifest.splits[name]!.shards {
                if let stats = parts[shard.file], stats.sha256 == shard.sha256, stats.records == shard.records,
                    CueCells(encoded: stats.cues).total == shard.records
                {
                    cells.absorb(CueCells(encoded: stats.cues))
                    continue
                }
                let path = directory + "/" + shard.file
                try LineReader.forEachLine(path: path) { line, n in
                    let v: JSONValue
                    do { v = try JSONValue.parse(line) } catch { throw EvalError("\(path):\(n): \(error)") }
                    // Any layout (rl records keep the flat fields under extra_info).
                    guard let r = StoredRecord(v, prompt: false) else {
                        throw EvalError("\(path):\(n): not an axiomc record (a required field is missing)")
                    }
                    let bits: UInt32?
                    do { bits = try GoldRecord.cueBits(r.meta[RecordField.cues], axiom: r.axiom) } catch {
                        throw EvalError("\(path):\(n): \(error)")
                    }
                    if let bits { cells.add(r.axiom, bits, yes: r.label.lowercased() == "yes") }
                }
            }
        }
        return cells
    }
}
