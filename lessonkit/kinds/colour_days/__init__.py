"""The colour-days activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="colour-days",
    # the content model and the starter YAML
    model="lessonkit.content:ColourDays",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.pages:colour_days",
    boards="lessonkit.pages:colour_days_boards",
    prebuilt=True,
)
