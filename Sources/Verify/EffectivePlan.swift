import Catalog

extension VerifyConfig {
    /// The plan as `verify` would run it under this config: each `items:` override applied (its line in the item's
    /// `rule`), and the reason each not-applicable item will be skipped, by id. What `gonogo plan --config` shows.
    public func effective(_ plan: Plan) -> (plan: Plan, notApplicable: [String: String]) {
        var plan = plan
        var skipped: [String: String] = [:]
        let options = VerifyOptions(config: self)
        for i in plan.items.indices {
            Verifier.apply(items, to: &plan.items[i])
            if let reason = Verifier.skipReason(plan.items[i], options) { skipped[plan.items[i].id] = reason }
        }
        return (plan, skipped)
    }
}
