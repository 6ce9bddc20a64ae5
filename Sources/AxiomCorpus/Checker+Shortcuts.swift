import AxiomCore
import AxiomRecords

extension Checker {
    /// What is wrong with a split's shortcut scores: recomputed from the records, they differ from
    /// the manifest's, or a task's cue or probe is above the split's `max_cue` / `max_probe`.
    ///
    /// Limits hold per task (so they also hold over the split) and skip the tasks the recipe
    /// leaves uncontrolled. A probe is held by its score from training on eval splits, else by
    /// its cross-validated score. A training split's task under 1,000 records (a scaled corpus) is
    /// not held to them. A manifest written before a score existed (no `interactions`,
    /// no `tasks`) is compared on the scores it has.
    /// The records a training split's task needs before `check` holds it to `max_cue` and
    /// `max_probe`: a cross-validated probe's standard error is then at most 0.016.
    static let minimumForLimits = 1_000

    static func shortcutProblems(
        _ spec: SplitSpec,
        recomputed mine: Manifest.Split,
        stored theirs: Manifest.Split
    ) -> [String] {
        var problems: [String] = []
        if mine.cues != theirs.cues || mine.probe != theirs.probe
            || (theirs.interactions != nil && mine.interactions != theirs.interactions)
            || (theirs.tasks != nil && mine.tasks != theirs.tasks)
        {
            problems.append("the cue and probe scores recomputed from the records differ from the manifest's")
        }
        let skipped = spec.uncontrolledTasks.map(\.rawValue)
        for (task, scores) in (mine.tasks ?? [:]).sorted(by: { $0.key < $1.key }) where !skipped.contains(task) {
            // A training split's task under `minimumForLimits` records (a scaled corpus) is too
            // small a sample for its limits; evaluation splits keep their count when scaled.
            if spec.role != .eval, (mine.histograms["axiom"]?[task] ?? 0) < minimumForLimits { continue }
            if let limit = spec.maxCue {
                for (cue, a) in scores.cues.sorted(by: { $0.key < $1.key }) where a > limit {
                    problems.append("task '\(task)': cue '\(cue)' predicts \(a) of labels, above max_cue \(limit)")
                }
            }
            if let limit = spec.maxProbe {
                for (name, probe) in [("linear probe", scores.probe), ("interaction probe", scores.interactions)] {
                    let value = spec.role == .eval ? (probe.fromTraining ?? probe.crossValidated) : probe.crossValidated
                    if value > limit {
                        problems.append(
                            "task '\(task)': the \(name) predicts \(value) of labels, above max_probe \(limit)"
                        )
                    }
                }
            }
        }
        return problems
    }
}
