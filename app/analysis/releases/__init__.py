"""Releases: what partners and the public read of a questionnaire.

The committee's dashboard is live. Everything another reader sees (the public results, the
partners' dashboards, fact sheets and API) is made from a release: the questionnaire's counts
frozen when the committee published them (or when it closed), never changed afterwards, and
followed by another only after RELEASE_MIN_NEW_RESPONSES more responses. So no one can learn a
person's answers by comparing a page before and after that person answers (or deletes their
answers): the page does not move. See docs/method.md."""
