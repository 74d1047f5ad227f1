"""The sorter activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="sorter",
    # the content model and the starter YAML
    model="lessonkit.content:Sorter",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.sorter:sorter_page",
    boards="lessonkit.components.sorter:sorter_boards",
    prebuilt=True,
)
