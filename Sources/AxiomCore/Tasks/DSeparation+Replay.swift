extension DSeparation {
    /// An active trail (No), or the reachable search from x (Yes; with `ds-reached`, No).
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.checkGiven(steps)
        replay.replayDSeparation(steps, last: last)
    }
}

extension ExplanationReplay {
    mutating func replayDSeparation(_ steps: [ParsedStep], last: ParsedStep) {
        switch last.kind {
        case "trail-active":
            conclude(false)
            checkEnds(last)
            replayTrail(steps)
        case "ds-never", "ds-isolated":
            conclude(true)
            checkEnds(last)
            replaySearch(steps)
        case "ds-reached":
            // The search must reach exactly the nodes d-connected to x: with the label No,
            // y among them.
            conclude(false)
            checkEnds(last)
            replaySearch(steps, never: [])
        default:
            fail(last, "a d-separation explanation cannot end with a '\(last.kind)' step")
        }
    }
}
