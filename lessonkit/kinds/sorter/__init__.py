"""The sorter activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="sorter",
    # the content model and the starter YAML
    model=".model:Sorter",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:sorter_page",
    boards=".view:sorter_boards",
    prebuilt=True,

    # fills the page in as learner n would (tests and benchmarks)
    answer=".example:answer",
)
