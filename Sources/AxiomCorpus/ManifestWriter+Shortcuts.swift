import AxiomCore
import AxiomRecords
import Foundation

extension ManifestWriter {
    /// Fills each split's cue accuracies and probe scores from its cue cells: over the split, and
    /// per task on its records alone.
    ///
    /// Both probes fit one model per task, so a split's cross-validated score is its tasks' right
    /// answers over its records: the folds and models are the same.
    static func scoreCues(_ splits: inout [String: Manifest.Split], cells: [String: CueCells], recipe: Recipe) {
        var training = CueCells()
        for spec in recipe.splits where spec.role == .train { training.absorb(cells[spec.name] ?? CueCells()) }
        var linear = CueProbe()
        linear.fit(training)
        var interactions = InteractionProbe()
        interactions.fit(training)
        let trainedTasks = training.axioms
        func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
        for spec in recipe.splits {
            let c = cells[spec.name] ?? CueCells()
            guard c.total > 0 else { continue }
            let eval = spec.role == .eval && training.total > 0
            var tasks: [String: Manifest.TaskScores] = [:]
            var right = (linear: 0, interactions: 0)
            for axiom in c.axioms {
                let t = c.only([axiom])
                let cv = (linear: CueProbe.crossValidated(t), interactions: InteractionProbe.crossValidated(t))
                right.linear += Int((cv.linear * Double(t.total)).rounded())
                right.interactions += Int((cv.interactions * Double(t.total)).rounded())
                // A task the training splits lack has no probe from training (the split-wide
                // score counts its records as the unseen task's answer, No).
                let seen = eval && trainedTasks.contains(axiom)
                tasks[axiom] = Manifest.TaskScores(
                    cues: t.cueAccuracies().mapValues(round4),
                    probe: Manifest.ProbeScores(
                        crossValidated: round4(cv.linear),
                        fromTraining: seen ? round4(linear.accuracy(on: t)) : nil
                    ),
                    interactions: Manifest.ProbeScores(
                        crossValidated: round4(cv.interactions),
                        fromTraining: seen ? round4(interactions.accuracy(on: t)) : nil
                    )
                )
            }
            splits[spec.name]?.cues = c.cueAccuracies().mapValues(round4)
            splits[spec.name]?.probe = Manifest.ProbeScores(
                crossValidated: round4(Double(right.linear) / Double(c.total)),
                fromTraining: eval ? round4(linear.accuracy(on: c)) : nil
            )
            splits[spec.name]?.interactions = Manifest.ProbeScores(
                crossValidated: round4(Double(right.interactions) / Double(c.total)),
                fromTraining: eval ? round4(interactions.accuracy(on: c)) : nil
            )
            splits[spec.name]?.tasks = tasks
        }
    }
}

extension DatasetCard {
    /// Per split, and per task where a split has several: the best single cue and both probes,
    /// the scores `check` holds to the limits.
    static func cueTable(_ m: Manifest) -> String {
        var s =
            "## Shortcut profile\n\nHow well cheap surface cues predict the labels, per split and per task: the best "
        s += "single cue (\"Yes iff cue\" or its negation), a linear logistic-regression probe over all cues, and an "
        s += "interaction probe over all cues and every product of two (both 5-fold cross-validated inside the "
        s += "split; for eval splits also trained on the training splits), and for eval splits a bag-of-words text "
        s += "probe (naive Bayes over the premise and question words, names as one placeholder) trained on the "
        s += "training splits' text. 0.50 means no signal.\n\n"
        s += "| split | task | best cue | accuracy | linear probe (cv) | linear probe (from train) "
        s += "| interaction probe (cv) | interaction probe (from train) | text probe (from train) |\n"
        s += "|---|---|---|---:|---:|---:|---:|---:|---:|\n"
        func f3(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "—" }
        func row(
            _ split: String,
            _ task: String,
            _ cues: [String: Double],
            _ p: Manifest.ProbeScores?,
            _ i: Manifest.ProbeScores?,
            _ text: Double?
        ) -> String {
            guard let best = cues.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return "" }
            let scores = [p?.crossValidated, p?.fromTraining, i?.crossValidated, i?.fromTraining, text].map(f3)
            return "| \(split) | \(task) | \(best.key) | \(f3(best.value)) | " + scores.joined(separator: " | ")
                + " |\n"
        }
        for name in m.splitOrder {
            guard let sp = m.splits[name], let cues = sp.cues else { continue }
            let tasks = (sp.tasks ?? [:]).sorted { $0.key < $1.key }
            if tasks.count != 1 { s += row(name, tasks.isEmpty ? "—" : "all", cues, sp.probe, sp.interactions, nil) }
            for (task, t) in tasks { s += row(name, task, t.cues, t.probe, t.interactions, sp.textProbe?[task]) }
        }
        return s + "\n"
    }
}
