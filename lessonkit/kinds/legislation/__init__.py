"""The legislation activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="legislation",
    # the content model and the starter YAML
    model="lessonkit.content:Legislation",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.legislation:legislation_page",
    boards="lessonkit.components.legislation:legislation_boards",
    prebuilt=True,
)
