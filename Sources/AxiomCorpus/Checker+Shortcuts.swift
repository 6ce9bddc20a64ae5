import AxiomCore
import AxiomRecords

extension Checker {
    /// The records a training split's task needs before `check` holds a scaled corpus to its
    /// `max_cue` and `max_probe`: a cross-validated probe's standard error is then at most 0.016.
    static let minimumForLimits = 1_000
    /// The records the text probe must have scored (held out on a training split) before `check`
    /// holds it to `max_probe`: at 400, chance reads above 0.60 with probability below 10⁻⁴.
    static let minimumForText = 400

    /// What is wrong with a split's shortcut scores: recomputed from the records, they differ from
    /// the manifest's, or a task's cue or probe is above the split's `max_cue` / `max_probe`; and
    /// how many tasks were not held to those limits for their size.
    ///
    /// Limits hold per task (so they also hold over the split) and skip the tasks the recipe
    /// leaves uncontrolled. The text baseline (`text`, refitted from the records' text) is held to
    /// `max_probe` too: on training splits by its held-out score. A probe is held by its score
    /// from training on eval splits, else by its cross-validated score. In a scaled corpus (`compile --scale`), a training split's task
    /// with fewer than 1,000 records (counted from the records, `taskRecords`) is too small a
    /// sample for its limits and is skipped; evaluation splits keep their count when scaled. A
    /// manifest written before a score existed (no `interactions`, no `tasks`) is compared on the
    /// scores it has.
    static func shortcutProblems(
        _ spec: SplitSpec,
        recomputed mine: Manifest.Split,
        stored theirs: Manifest.Split,
        scaled: Bool = false,
        taskRecords: [String: Int] = [:],
        text: [String: TextProbeScore] = [:]
    ) -> (problems: [String], skipped: Int) {
        var problems: [String] = []
        var small = 0
        if mine.cues != theirs.cues || mine.probe != theirs.probe
            || (theirs.interactions != nil && mine.interactions != theirs.interactions)
            || (theirs.tasks != nil && mine.tasks != theirs.tasks)
        {
            problems.append("the cue and probe scores recomputed from the records differ from the manifest's")
        }
        let uncontrolled = spec.uncontrolledTasks.map(\.rawValue)
        for (task, scores) in (mine.tasks ?? [:]).sorted(by: { $0.key < $1.key }) where !uncontrolled.contains(task) {
            if scaled, spec.role != .eval, spec.maxCue != nil || spec.maxProbe != nil,
                (taskRecords[task] ?? 0) < minimumForLimits
            {
                small += 1
                continue
            }
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
                if let t = text[task], t.records >= minimumForText, t.accuracy > limit {
                    problems.append(
                        "task '\(task)': the text probe predicts \(t.accuracy) of labels (\(t.records) records), above max_probe \(limit)"
                    )
                }
            }
        }
        return (problems, small)
    }
}
