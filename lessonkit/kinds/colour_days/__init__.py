"""The colour-days activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="colour-days",
    # the content model and the starter YAML
    model=".model:ColourDays",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:colour_days_page",
    boards=".view:colour_days_boards",
    prebuilt=True,
    answer=".example:answer",
)
