"""The checklist activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="checklist",
    # the content model and the starter YAML
    model=".model:Checklist",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:checklist_page",
    boards=".view:checklist_boards",
    prebuilt=True,

    # fills the page in as learner n would (tests and benchmarks)
    answer=".example:answer",
)
