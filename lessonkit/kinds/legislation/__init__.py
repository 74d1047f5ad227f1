"""The legislation activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="legislation",
    # the content model and the starter YAML
    model=".model:Legislation",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:legislation_page",
    boards=".view:legislation_boards",
    prebuilt=True,
    answer=".example:answer",
)
