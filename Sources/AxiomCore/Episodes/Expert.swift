/// The expert's play of an episode: observe the system untouched, run one experiment per
/// variable other than the goal (in the listing order), then answer with the setting its
/// observations predict to be best.
///
/// The strategy uses the observations only, never the hidden model: in a linear system the goal
/// is an affine function of the value a variable is set to, and the untouched observation is one
/// point of that line (setting a variable to its own value changes nothing), so one experiment at
/// the top of the settings (at the bottom, when the variable already sits at the top) gives the
/// slope, and the best setting of that variable lies at one end of the settings. On a noise-free
/// level the predictions are exact, so the answer is optimal; on a noisy one they are estimates.
public struct ExpertPlay: Sendable, Equatable {
    /// What one experiment taught about one variable.
    public struct Estimate: Sendable, Equatable {
        /// The experiment run (the variable set to one end of the settings).
        public var experiment: Action
        /// The variable's and the goal's values without intervention, then the goal's under the
        /// experiment.
        public var natural: Rational
        public var goalBefore: Rational
        public var goalAfter: Rational
        /// The goal's change per unit of the variable.
        public var slope: Rational
        /// The other end of the settings, and the goal predicted there.
        public var other: Action
        public var otherGoal: Rational
    }

    /// The observation without intervention.
    public var baseline: [Rational]
    /// The experiments, in the order run, with what each showed.
    public var experiments: [Action]
    public var observations: [[Rational]]
    public var estimates: [Estimate]
    /// The setting the estimates predict to be best, and the goal predicted for it.
    public var answer: Action
    public var predicted: Rational

    /// The expert's play of `episode`; `order` lists the variables as the text does (experiments
    /// follow it; equal predictions are broken by a draw from the episode's seed).
    public init(_ episode: Episode, order: [Int]) {
        let settings = episode.level.settings
        baseline = episode.observe(nil)
        experiments = []
        observations = []
        estimates = []
        answer = Action(-1, 0)
        predicted = .zero
        let goal = episode.goal
        for v in order where v != goal {
            let natural = baseline[v]
            let top = Rational(settings.upperBound)
            let value = natural == top ? settings.lowerBound : settings.upperBound
            let experiment = Action(v, value)
            let seen = episode.observe(experiment)
            experiments.append(experiment)
            observations.append(seen)
            let estimate = Self.estimate(
                experiment,
                natural: natural,
                before: baseline[goal],
                after: seen[goal],
                settings: settings
            )
            estimates.append(estimate)
        }
        // The best prediction; among equal ones, one drawn from the seed, so that neither a
        // variable's listing position nor the end of the settings tells which the expert picks.
        var tied: [Action] = []
        for e in estimates {
            for (action, goalValue) in [(e.experiment, e.goalAfter), (e.other, e.otherGoal)] {
                if tied.isEmpty || predicted < goalValue {
                    tied = [action]
                    predicted = goalValue
                } else if goalValue == predicted {
                    tied.append(action)
                }
            }
        }
        var rng = SeededRNG(seed: episode.seed, stream: Self.tieStream, index: 0)
        answer = tied[rng.below(tied.count)]
    }

    static let tieStream = SeededRNG.streamID("episode-ties")

    /// What an experiment setting `experiment.node` (whose own value was `natural`) teaches, when
    /// the goal went from `before` to `after`: the slope, and the goal predicted at the other end
    /// of `settings`. Shared by the expert and the replay of its explanation.
    public static func estimate(
        _ experiment: Action,
        natural: Rational,
        before: Rational,
        after: Rational,
        settings: ClosedRange<Int>
    ) -> Estimate {
        let slope = (after - before) / (Rational(experiment.value) - natural)
        let otherValue = experiment.value == settings.upperBound ? settings.lowerBound : settings.upperBound
        let other = Action(experiment.node, otherValue)
        let otherGoal = before + slope * (Rational(otherValue) - natural)
        return Estimate(
            experiment: experiment,
            natural: natural,
            goalBefore: before,
            goalAfter: after,
            slope: slope,
            other: other,
            otherGoal: otherGoal
        )
    }
}
