"""The quiz activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="quiz",
    # the content model and the starter YAML
    model=".model:Quiz",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:quiz_page",
    boards=".view:quiz_boards",
    prebuilt=True,

    # fills the page in as learner n would (tests and benchmarks)
    answer=".example:answer",
)
